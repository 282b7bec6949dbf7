"""Segments: each quote lists its quoted pieces, quotation marks excluded."""

from __future__ import annotations

from bot.records import Quote


def _pieces(text: str, q: Quote) -> list[str]:
    return [text[a:b] for a, b in q.segments]


def test_a_quote_interrupted_by_its_cue_has_two_pieces(quotes_of) -> None:
    text = (
        '"We are so interested in showing our talent," team member Rodaba Noori told the '
        'press, "to show that Afghan women can make robots too."'
    )
    (q,) = quotes_of(text)
    assert _pieces(text, q) == [
        "We are so interested in showing our talent",
        "to show that Afghan women can make robots too.",
    ]
    assert q.text == text[q.start : q.end]  # the display span is unchanged


def test_the_second_part_after_a_full_stop(quotes_of) -> None:
    text = '"The plan is dead," Smith said on Tuesday. "We will start again next year."'
    (q,) = quotes_of(text)
    assert _pieces(text, q) == ["The plan is dead", "We will start again next year."]


def test_a_reported_clause_split_by_its_cue(quotes_of) -> None:
    text = "Russia had similar goals, Yau said, but the region was changing fast."
    (q,) = quotes_of(text)
    assert _pieces(text, q) == ["Russia had similar goals", "but the region was changing fast"]


def test_a_mixed_quote_in_two_parts(quotes_of) -> None:
    text = (
        "Central Asia was “at the center of Xi’s strategies,” said Therese Fallon, director of "
        "the Center for Russia. “If we think about China’s grand strategy it’s pretty clear "
        "that they’ve been pushing west.”"
    )
    (q,) = quotes_of(text)
    first, second = _pieces(text, q)
    assert first.startswith("Central Asia was “at the center") and "Fallon" not in first
    assert second.startswith("If we think") and second.endswith("west.")


def test_a_plain_quote_has_one_piece_without_its_marks(quotes_of) -> None:
    text = '"Kazakhstan is possibly the most important country," Yau said.'
    (q,) = quotes_of(text)
    assert _pieces(text, q) == ["Kazakhstan is possibly the most important country"]


def test_the_speaker_clause_of_a_document_is_not_a_hole(quotes_of) -> None:
    text = "Donald Trump posted a message saying the election was rigged."
    (q,) = quotes_of(text)
    assert _pieces(text, q) == ["the election was rigged"]
