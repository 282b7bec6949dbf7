"""The text rules an extractive summary applies to its sentences, on small texts: the
datelines cut from an article's first sentences, the quoted share, the relative days
dropped, and the choice that stops at the budget."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bot.nlp.extractive import DEFAULT_PARAMS, extractive_summary, relevance, within_budget
from bot.nlp.sentence_filter import candidates, normalise
from bot.nlp.summary_text import drop_weekdays, quoted_share


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("VICTORIA — The Green Party won the byelection.", "The Green Party won the byelection."),
        ("KELOWNA, B.C. — A jury found him guilty.", "A jury found him guilty."),
        ("kelowna , b.c. — a jury found him guilty .", "a jury found him guilty ."),
        ("hamilton , ont . ( cp ) - police are searching for two men .",
         "police are searching for two men ."),
        ("— The number of measles cases has risen to 31.",
         "The number of measles cases has risen to 31."),
        ("friday , july 21 , 2017 a group of afghan teenagers was awarded a medal .",
         "a group of afghan teenagers was awarded a medal ."),
    ],
)  # fmt: skip
def test_an_opening_dateline_is_cut_off(text: str, expected: str) -> None:
    assert normalise(text, opening=True, cased=text[0].isupper() or text[0] == "—") == expected


def test_a_place_dateline_counts_only_in_the_first_sentences() -> None:
    later = "NASA — the agency that built the shuttle — celebrated its launch on Tuesday."
    assert normalise(later) == later
    sentences = ["VICTORIA — The Green Party won the byelection in Riverside.", "It was close."]
    sentences += [later] * 3
    kept = candidates(sentences)
    assert kept[0].text == "The Green Party won the byelection in Riverside."
    assert kept[-1].text == later


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("City council voted 7-4 late Tuesday to approve the plan.",
         "City council voted 7-4 to approve the plan."),
        ("On Saturday night he scored the goal that mattered most.",
         "He scored the goal that mattered most."),
        ("on saturday night he scored the goal that mattered most .",
         "he scored the goal that mattered most ."),
        ("Cases rose to 31, officials said Monday, with most among children.",
         "Cases rose to 31, officials said, with most among children."),
        ("He was sentenced Thursday to six years in prison.",
         "He was sentenced to six years in prison."),
        ("The company said on Wednesday it would cut 400 jobs.",
         "The company said it would cut 400 jobs."),
        # names, days that are not adjuncts, and quoted words stay
        ("Shoppers lined up on Black Friday for the deals.",
         "Shoppers lined up on Black Friday for the deals."),
        ("The vote on Monday's budget passed.", "The vote on Monday's budget passed."),
        ("They argue about it at Sunday dinner.", "They argue about it at Sunday dinner."),
        ("The meeting scheduled for Thursday at the summit is off.",
         "The meeting scheduled for Thursday at the summit is off."),
        ("“We met on Tuesday and agreed,” she said on Friday.",
         "“We met on Tuesday and agreed,” she said."),
    ],
)  # fmt: skip
def test_relative_days_are_dropped(text: str, expected: str) -> None:
    assert drop_weekdays(text) == expected


def test_quoted_share() -> None:
    assert quoted_share("The council approved the plan after a long debate.") == 0.0
    assert quoted_share("“We have studied this to death,” Lindqvist said.") == pytest.approx(6 / 8)
    assert quoted_share("`` we have studied this to death , '' lindqvist said .") == (
        pytest.approx(6 / 8)
    )
    # a quote the splitter cut: its opening mark quotes the rest of the sentence
    assert quoted_share('"At some point you have to decide what you want.') == 1.0
    assert quoted_share("") == 0.0


def test_the_choice_stops_at_the_first_sentence_that_overshoots() -> None:
    words = [30, 30, 30, 8]
    assert within_budget([0, 1, 2, 3], words, 70) == [0, 1]  # the third overshoots: stop
    assert within_budget([2, 0], words, 20) == [2]  # the best always goes in
    assert within_budget([3, 0, 1], words, 70) == [3, 0, 1]
    assert within_budget([], words, 70) == []


def test_quotes_and_fillers_lose_to_the_narrators_sentences() -> None:
    vectors = np.eye(3, dtype=np.float32)
    plain = relevance(vectors, None, DEFAULT_PARAMS)
    penalised = relevance(vectors, None, DEFAULT_PARAMS, quoted=[0.0, 1.0, 0.0], words=[20, 20, 6])
    assert penalised[0] == pytest.approx(plain[0])
    assert penalised[1] == pytest.approx(plain[1] - DEFAULT_PARAMS.quote_penalty)
    assert penalised[2] == pytest.approx(plain[2] - DEFAULT_PARAMS.filler_penalty)


ARTICLE = [
    "WINNIPEG — A former food bank director was sentenced Thursday to six years in prison.",
    "“Every dollar you took was a meal that someone did not eat,” the judge told him.",
    "The judge said the thefts had gone on for eight years before an audit found them.",
    "He has repaid about $200,000 and must repay the rest, the court ordered.",
]


def test_the_summary_reads_as_a_highlight() -> None:
    """Dateline and day gone; the narrator's sentence beats the quote at equal relevance."""
    vectors = np.tile(np.eye(1, 4, dtype=np.float32), (len(ARTICLE), 1))
    vectors[:, 1:] = np.arange(len(ARTICLE))[:, None] * 1e-3
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    params = replace(DEFAULT_PARAMS, medium_words=30)
    summary = extractive_summary("t", ARTICLE, vectors, "medium", params=params)
    assert summary.points == (
        "A former food bank director was sentenced to six years in prison.",
        "The judge said the thefts had gone on for eight years before an audit found them.",
    )
    assert summary.text == "\n".join(summary.points)
    kept = extractive_summary(
        "t", ARTICLE, vectors, "medium", params=replace(params, drop_weekdays=False)
    )
    assert "Thursday" in kept.points[0]
