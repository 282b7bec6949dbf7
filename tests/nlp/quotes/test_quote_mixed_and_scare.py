"""Mixed quotes (a reported clause with quoted fragments) and marks that quote nobody."""

from __future__ import annotations

import pytest

from bot.nlp.quotes.scare import is_scare, is_statement, is_title


def test_mixed_quote_is_the_reported_clause_with_its_fragments(quotes_of, only) -> None:
    text = (
        "Li Zhanshu told Russian lawmakers that China “understands and supports Russia”, "
        "particularly “in the situation in Ukraine”."
    )
    q = only(quotes_of(text), "understands")
    assert q.kind == "mixed"
    assert q.text == (
        "China “understands and supports Russia”, particularly “in the situation in Ukraine”"
    )
    assert q.speaker == "Li Zhanshu" and q.speaker_is_person  # NER calls him a place


def test_a_quoted_fragment_the_parse_cut_short_is_pulled_in(quotes_of, only) -> None:
    text = (
        "Niva Yau said China had a long-term goal of shifting trade, especially for energy "
        "routes “that they can cushion sanctions on China if it comes to a takeover.”"
    )
    q = only(quotes_of(text), "long-term goal")
    assert q.kind == "mixed" and q.text.endswith("takeover.”")


def test_a_reported_clause_whose_only_marks_are_a_name_is_indirect(quotes_of, only) -> None:
    text = "Yau said the summit could announce rebranded “Belt And Road” investments."
    q = only(quotes_of(text), "summit")
    assert q.kind == "indirect"


def test_scare_quotes_and_titles_are_not_quotes(quotes_of) -> None:
    text = (
        "The two powers have long waged a “quiet rivalry.” Xi launched his initiative "
        'marks “belt and road” in 2013. The robot was named "Robogee." On a new website, '
        '"The Internet Explorer 6 Countdown", Microsoft has launched a campaign.'
    )
    assert quotes_of(text) == []


def test_a_scare_quote_inside_reported_speech_keeps_the_speech(quotes_of, only) -> None:
    text = (
        "It will further test the “unlimited partnership” between China and Russia when "
        "their leaders meet, analysts said."
    )
    q = only(quotes_of(text), "unlimited partnership")
    assert q.speaker == "analysts" and q.text.startswith("It will further test")


@pytest.mark.parametrize(
    "text",
    ["Better Idea of Afghan Girls", "The Internet Explorer 6 Countdown", "Super District Council"],
)
def test_titles(text: str) -> None:
    assert is_title(text)


@pytest.mark.parametrize(
    "text", ["quiet rivalry", "a sentence that has a verb in it.", "We take security seriously."]
)
def test_not_titles(text: str) -> None:
    assert not is_title(text)


def test_scare_and_statement(quote_nlp) -> None:
    doc = quote_nlp("a “quiet rivalry” and “We take document security seriously,” she said.")
    rivalry = doc.text.index("quiet")
    assert is_scare(doc, rivalry, rivalry + len("quiet rivalry"))
    we = doc.text.index("We take")
    end = doc.text.index("seriously,") + len("seriously,")
    assert is_statement(doc, we, end) and not is_scare(doc, we, end)
