"""Quotation-mark pairing on raw text: every glyph, and messy text that must not derail."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.nlp.quotes.marks import find_quote_spans, orientation


def contents(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quote_spans(text)]


def test_straight_curly_guillemet_and_single_marks() -> None:
    text = (
        'He said "straight words" and “curly words” and «guillemet words» '
        "and then ‘single curly words’ and 'single straight words' too."
    )
    assert contents(text) == [
        "straight words",
        "curly words",
        "guillemet words",
        "single curly words",
        "single straight words",
    ]


def test_apostrophes_are_not_quotes() -> None:
    text = "Xi’s visit, the Sams' lawyer and O'Brien's view of the '90s didn't change."
    assert contents(text) == []


def test_single_quotes_inside_double_quotes_belong_to_the_quote() -> None:
    text = "\"She certainly wasn't 'forced' to be there,\" the Church said."
    assert contents(text) == ["She certainly wasn't 'forced' to be there,"]


def test_mark_position_beats_its_glyph() -> None:
    # a machine-rewritten close with an opening glyph, and a straight/curly mix
    text = 'Cornyn added, "There is no question about it.“ However, “the JSC will gain."'
    assert contents(text) == ["There is no question about it.", "the JSC will gain."]
    assert orientation(text, text.index("“ However")) == -1


def test_glued_opener_after_a_comma() -> None:
    text = 'Burrows said kits would be ready for schools," For example, schools can vote". Next.'
    assert contents(text) == ["For example, schools can vote"]


def test_unclosed_mark_stops_at_its_paragraph() -> None:
    text = (
        'He said "this quote never closes and runs on.\n\n'
        'Another paragraph with a "proper quote" in it.\n\n'
        "A third one."
    )
    spans = find_quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == [
        "this quote never closes and runs on.",
        "proper quote",
    ]
    assert spans[0].continues and not spans[0].balanced


def test_two_openers_resynchronise_inside_a_paragraph() -> None:
    text = 'She said "one never closes. Then he said "two closes" and left.'
    assert contents(text) == ["one never closes. Then he said", "two closes"]


def test_quote_running_over_a_paragraph_break_is_one_span() -> None:
    text = (
        'Gomez said, "We learned a lot today.\n\n'
        'It was an emotional day." After the match, Kane spoke.\n\n'
        'Boswell said: "People need fairer decisions.\n\n'
        '"No one should be refused."'
    )
    spans = find_quote_spans(text)
    assert [text[s.start : s.end] for s in spans] == [
        "We learned a lot today.\n\nIt was an emotional day.",
        'People need fairer decisions.\n\n"No one should be refused.',
    ]
    assert all(s.balanced for s in spans)


def test_a_closed_quote_does_not_join_the_next_paragraph() -> None:
    text = '"Seventeen years ago, this was impossible," said Mohib.\n\n"They represent us."'
    assert len(find_quote_spans(text)) == 2


@settings(max_examples=60, deadline=None)
@given(
    junk=st.text(alphabet="\"“”«»'‘’ abc,.", min_size=0, max_size=30),
)
def test_stray_marks_never_reach_the_next_paragraph(junk: str) -> None:
    clean = 'Later, Yau said: "Kazakhstan matters most," and left.'
    text = f"Messy paragraph {junk} here.\n\n{clean}"
    spans = find_quote_spans(text)
    offset = text.index(clean)
    later = [text[s.start : s.end] for s in spans if s.start >= offset]
    assert later == ["Kazakhstan matters most,"]
