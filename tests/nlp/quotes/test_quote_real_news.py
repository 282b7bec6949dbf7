"""Rules found on real news (PolNeAR train): cues the parse hides on real text."""

from __future__ import annotations


def test_a_gerund_after_by_shares_the_subject_of_its_verb(quotes_of, only) -> None:
    text = (
        "On Twitter, Jane Hill responded Tuesday to one of the messages by saying, "
        '"Seriously, just stop lying." Tom Reyes ended the rally after saying he would run again.'
    )
    quotes = quotes_of(text)
    first = only(quotes, "stop lying")
    assert first.kind == "direct" and first.speaker == "Jane Hill"
    second = only(quotes, "run again")
    assert second.text == "he would run again" and second.speaker == "Tom Reyes"


def test_a_cue_closing_its_sentence_reports_the_clause_the_parse_hung_elsewhere(
    quotes_of, only
) -> None:
    # the small model reads "signals" as a noun and makes the clause a second subject
    text = (
        'The rejection of the treaty signals "the beginning of the end" for the EU, said '
        "Geert Wilders, founder of the right-wing Dutch Party for Freedom."
    )
    q = only(quotes_of(text), "rejection")
    assert q.kind == "mixed" and q.speaker == "Geert Wilders"
    assert q.text == 'The rejection of the treaty signals "the beginning of the end" for the EU'


def test_a_closing_cue_reports_nothing_without_a_clause_before_it(quotes_of) -> None:
    assert quotes_of("Well, Tom O'Keefe said.") == []
    assert quotes_of("The mayor left the room, and then Tom O'Keefe said nothing.") == []


def test_data_is_no_source_but_a_body_is(quotes_of, only) -> None:
    text = (
        "Trump Restaurants LLC was paid $125,080, according to FEC records. Clinton holds a "
        "lead in California, according to the RealClearPolitics average of polls. His "
        "campaign finance documents say he had almost $5 million in cash. According to the "
        "State Department, the talks will resume on Monday. According to preliminary results "
        "from Elections British Columbia, Chua-Morgan had 41 per cent of the vote."
    )
    quotes = quotes_of(text)
    assert len(quotes) == 2
    q = only(quotes, "talks")
    assert q.text == "the talks will resume on Monday" and q.speaker == "State Department"
    assert only(quotes, "41 per cent").text == "Chua-Morgan had 41 per cent of the vote"
