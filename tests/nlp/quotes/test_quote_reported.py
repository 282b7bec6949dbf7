"""Reported speech with no quotation marks, relays, and what is not a quote."""

from __future__ import annotations


def test_said_that_reports_the_clause(quotes_of, only) -> None:
    text = "Analysts have suggested that as Russia's strength fades, Beijing may gain ground."
    q = only(quotes_of(text), "Beijing")
    assert q.kind == "indirect" and q.cue == "suggest"
    assert q.text == "as Russia's strength fades, Beijing may gain ground"
    assert q.speaker == "Analysts" and not q.speaker_is_person


def test_cue_after_the_clause(quotes_of, only) -> None:
    text = (
        "Russia's war against Ukraine has disrupted Chinese overland trade routes, "
        "Elizabeth Wishnick said."
    )
    q = only(quotes_of(text), "disrupted")
    assert q.text == "Russia's war against Ukraine has disrupted Chinese overland trade routes"
    assert q.speaker == "Elizabeth Wishnick"


def test_cue_in_the_middle_of_reported_speech(quotes_of) -> None:
    text = (
        "Niva Yau studies the region. Russia had similar goals to China, Yau said, but with "
        "power waning, Putin would likely focus on Russia's interests."
    )
    quotes = quotes_of(text)
    assert len(quotes) == 1
    q = quotes[0]
    assert q.text.startswith("Russia had similar goals") and q.text.endswith("interests")
    assert q.speaker == "Niva Yau" and q.speaker_text == "Yau"


def test_told_with_an_addressee(quotes_of, only) -> None:
    text = (
        "Steve Whitmore told LA Weekly in a statement that the case was being dealt with "
        "as grand theft."
    )
    q = only(quotes_of(text), "grand theft")
    assert q.text.startswith("the case was") and q.speaker == "Steve Whitmore"


def test_according_to_at_the_start_and_at_the_end(quotes_of, only) -> None:
    text = (
        "According to the Saudi Interior Ministry, over 345 pilgrims have been killed. "
        "A storm caused a crane to fall, according to Saudi Arabia's Civil Defense Authority."
    )
    quotes = quotes_of(text)
    first = only(quotes, "pilgrims")
    assert first.cue == "according to" and first.text == "over 345 pilgrims have been killed"
    assert first.speaker == "Saudi Interior Ministry"
    second = only(quotes, "crane")
    assert second.text == "A storm caused a crane to fall"
    assert second.speaker == "Civil Defense Authority"


def test_nested_relay_keeps_the_inner_source(quotes_of) -> None:
    text = (
        "According to Moscow, Li Zhanshu told Russian lawmakers that China “understands "
        "and supports Russia”."
    )
    quotes = quotes_of(text)
    assert [(q.speaker, q.kind) for q in quotes] == [("Li Zhanshu", "mixed")]


def test_quoting_beats_according_to(quotes_of) -> None:
    text = (
        "According to Yonhap news agency, quoting North Korea's main news agency Korean "
        "Central News Agency (KCNA), the country's military has been placed on high alert."
    )
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["Korean Central News Agency"]
    assert quotes[0].text.startswith("the country's military")


def test_a_speech_verb_inside_another_keeps_the_outer(quotes_of) -> None:
    text = "Sehar Memon also said she believed the movement helped improve relations."
    quotes = quotes_of(text)
    assert len(quotes) == 1 and quotes[0].text.startswith("she believed")


def test_directive_with_a_to_infinitive(quotes_of, only) -> None:
    text = "Jeff Rathke also asked the governments of the region not to turn away boats."
    q = only(quotes_of(text), "turn away")
    assert q.text == "not to turn away boats" and q.cue == "ask"


def test_leave_open_the_question(quotes_of, only) -> None:
    text = (
        "The war has disrupted trade routes, Elizabeth Wishnick said. He left open the question of "
        "whether China was prepared to take on a larger security role."
    )
    q = only(quotes_of(text), "question")
    assert q.cue == "leave open" and q.text.startswith("the question of whether")


def test_passive_report_with_no_source_is_not_a_quote(quotes_of) -> None:
    text = "Before meeting, it was reported that Xi and Putin planned to sit down with Tokayev."
    assert quotes_of(text) == []


def test_negated_speech_is_not_a_quote(quotes_of) -> None:
    text = "U.S. officials have not said why the team was initially denied visas."
    assert quotes_of(text) == []


def test_a_study_revealing_is_not_speech(quotes_of) -> None:
    text = (
        "A new study of school children has revealed many are not getting enough iodine. "
        "The results show that children are deficient."
    )
    assert quotes_of(text) == []


def test_reported_speech_stays_in_its_paragraph(quotes_of, only) -> None:
    text = (
        "Thursday, February 23, 2006\n\nAlmost half of all children are deficient, researchers say."
    )
    q = only(quotes_of(text), "children")
    assert q.text == "Almost half of all children are deficient"
