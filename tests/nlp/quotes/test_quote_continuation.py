"""Quotations with no cue that carry on the last speaker's words."""

from __future__ import annotations


def test_a_quoted_paragraph_after_an_attributed_one_is_the_same_speakers(quotes_of) -> None:
    text = (
        '"Seventeen years ago, this would not have been possible," said Ambassador '
        "Hamdullah Mohib.\n\n"
        '"They represent our aspirations and resilience despite a perpetual conflict."'
    )
    quotes = quotes_of(text)
    assert len(quotes) == 2  # its own entry: the first quote was closed
    assert [q.speaker for q in quotes] == ["Hamdullah Mohib"] * 2
    assert quotes[1].cue == "say" and quotes[1].speaker_text == "Hamdullah Mohib"


def test_continuation_chains_over_several_paragraphs(attributions_of) -> None:
    text = (
        '"We want to thank all of the locations," said Charles Bolden.\n\n'
        '"This was a very difficult decision for us."\n\n'
        '"These facilities have a noteworthy legacy of preserving artifacts."'
    )
    rules = [a.rule for a in attributions_of(text)]
    assert rules == ["direct-after", "continuation-paragraph", "continuation-paragraph"]


def test_a_quoted_sentence_later_in_the_paragraph(quotes_of) -> None:
    text = (
        "Kiara Perkins, a USI art major, admitted she was willing to skip class. Why did "
        'she want to attend? "It\'s Warhol. He is a legend."'
    )
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Kiara Perkins", "Kiara Perkins"]
    assert quotes[1].text == "It's Warhol. He is a legend."


def test_a_quote_after_connectives_only(quotes_of) -> None:
    text = (
        '"War maniacs made another grave provocation," said KCNA. "Foolhardy provocation '
        'deserves harsh punishment", it added; and, later, "Kim Jong-un issued an order '
        'to the front-line units".'
    )
    quotes = quotes_of(text)
    assert len(quotes) == 3
    assert len({q.speaker for q in quotes}) == 1


def test_a_quote_left_open_carries_on_after_a_caption(quotes_of) -> None:
    text = (
        'In a statement, Governor Chris Gregoire said, "The Museum of Flight put a lot of '
        "effort into landing a shuttle.\n\n"
        "In 2008, Endeavour and Atlantis await a journey. Image: NASA.\n\n"
        '"However, the full fuselage trainer will soon call the museum home."'
    )
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Chris Gregoire", "Chris Gregoire"]


def test_a_quote_after_someone_issued_a_statement(quotes_of, only) -> None:
    text = (
        "U.S. Senator John Cornyn issued a statement regarding the rejection of Houston. "
        '"Like many Texans, I am disappointed with NASA\'s decision."'
    )
    q = only(quotes_of(text), "Texans")
    assert (q.speaker, q.cue) == ("John Cornyn", "issue a statement")


def test_a_scare_quote_never_continues_anything(quotes_of) -> None:
    text = (
        '"We take security seriously," Sujata Raisinghani said. The papers were in '
        '"approved security cabinets".'
    )
    assert [q.text for q in quotes_of(text)] == ["We take security seriously,"]
