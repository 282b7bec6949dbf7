"""Direct quotes: the cue after, before or in the middle, colons, paragraph intros."""

from __future__ import annotations


def test_cue_after_the_quote(quotes_of, only) -> None:
    text = "“Kazakhstan is possibly the most important country to take part,” Yau said."
    q = only(quotes_of(text), "Kazakhstan")
    assert (q.kind, q.cue, q.speaker_text) == ("direct", "say", "Yau")
    assert q.text == "Kazakhstan is possibly the most important country to take part,"
    assert text[q.start : q.end] == q.text


def test_inverted_cue_with_an_apposition(quotes_of, only) -> None:
    text = (
        '"Had it happened an hour later it would have been much worse," said Khaled '
        "Al-Maeena, editor at large at the Saudi Gazette."
    )
    q = only(quotes_of(text), "an hour later")
    assert q.kind == "direct"
    assert q.speaker == "Khaled Al-Maeena"
    assert q.role == "editor at large at the Saudi Gazette"


def test_cue_before_the_quote(quotes_of, only) -> None:
    text = 'Jeff Rathke said, "We urge the governments of the region to work together."'
    q = only(quotes_of(text), "We urge")
    assert (q.kind, q.speaker) == ("direct", "Jeff Rathke")


def test_cue_in_the_middle_makes_one_quote_in_two_parts(quotes_of) -> None:
    text = (
        '"We are so interested in showing our talent," team member Rodaba Noori told the '
        'press, "to show that Afghan women can make robots too."'
    )
    quotes = quotes_of(text)
    assert len(quotes) == 1
    q = quotes[0]
    assert q.text.startswith("We are so interested") and q.text.endswith("robots too.")
    assert q.text == text[q.start : q.end]  # the cue between the parts is inside the span
    assert (q.speaker, q.cue) == ("Rodaba Noori", "tell")


def test_quote_cue_quote_across_sentences_is_one_quote(quotes_of) -> None:
    text = '"I thought it was magical," Allton said. "I smacked them around."'
    quotes = quotes_of(text)
    assert len(quotes) == 1 and quotes[0].text.endswith("smacked them around.")


def test_a_second_quote_with_its_own_cue_stays_separate(quotes_of) -> None:
    text = '"The enemy provoked us," KCNA said. "Provocation deserves punishment," it added.'
    quotes = quotes_of(text)
    assert len(quotes) == 2
    assert [q.speaker for q in quotes] == ["Korean Central News Agency"] * 2 or [
        q.speaker for q in quotes
    ] == ["KCNA"] * 2


def test_words_before_the_quote_in_its_clause_make_it_mixed(quotes_of, only) -> None:
    text = (
        "Central Asia was “at the center of Xi’s strategies,” said Therese Fallon, "
        "director of the Center for Russia, Europe and Asia Studies."
    )
    q = only(quotes_of(text), "Central Asia")
    assert q.kind == "mixed" and q.text.startswith("Central Asia was")
    assert q.speaker == "Therese Fallon"
    assert q.role == "director of the Center for Russia, Europe and Asia Studies"


def test_colon_introduces_the_quote(quotes_of, only) -> None:
    text = (
        "On Wednesday, Home Secretary Suella Braverman told GB News: "
        '"It\'s clear that we have an unsustainable situation in our towns."'
    )
    q = only(quotes_of(text), "unsustainable")
    assert (q.kind, q.speaker, q.cue) == ("direct", "Suella Braverman", "tell")


def test_colon_after_a_verb_that_is_not_a_cue(quotes_of, only) -> None:
    text = (
        "Sunak defended the government's record on migration: "
        '"The Home Secretary and I are working intensely to bring forward that law."'
    )
    q = only(quotes_of(text), "working intensely")
    assert q.speaker == "Sunak"


def test_a_paragraph_ending_in_a_comma_introduces_the_next(quotes_of, only) -> None:
    text = (
        "According to Rathbun, a detective was given material by the church. Rathbun stated,"
        '\n\n"Daniel was picked up by an investigator in a black car. He was taken away."'
    )
    q = only(quotes_of(text), "picked up")
    assert (q.kind, q.speaker, q.cue) == ("direct", "Rathbun", "state")


def test_a_pull_quote_signed_with_a_dash(quotes_of, only) -> None:
    text = (
        "Matthew Ingram wrote about the church.\n\n"
        "\"So far, it's the Internet: 1, Scientology: 0. But it's a long game.\" - Matthew Ingram"
    )
    q = only(quotes_of(text), "long game")
    assert q.speaker == "Matthew Ingram" and q.kind == "direct"


def test_a_title_after_a_preposition_is_not_a_quote(quotes_of) -> None:
    text = (
        '"Ten years ago, a browser was born. It is time to say goodbye," Microsoft says on '
        '"The Internet Explorer 6 Countdown".'
    )
    quotes = quotes_of(text)
    assert [q.text for q in quotes] == [
        "Ten years ago, a browser was born. It is time to say goodbye,"
    ]
    assert quotes[0].speaker == "Microsoft" and not quotes[0].speaker_is_person


def test_describe_as_takes_the_quoted_words(quotes_of, only) -> None:
    text = (
        "Mark Rathbun wrote about him. He described Montalvo as an individual, "
        '"facing the penitentiary in thanks for the following sins."'
    )
    q = only(quotes_of(text), "penitentiary")
    assert q.kind == "mixed" and q.text.startswith("an individual")
    assert q.speaker == "Mark Rathbun"
