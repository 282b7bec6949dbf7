"""Question analysis on the parse: the main clause's wh-word, the focus noun's type, counts
in units, "the name of X", and the wh-word's role."""

from __future__ import annotations

import pytest
from spacy.language import Language

from bot.qa.question import analyse_question, main_wh, typed_wh


def test_a_relative_clause_does_not_set_the_kind(nlp: Language) -> None:
    doc = nlp("Miller, who commented on the ruling, is editor at which newspaper?")
    assert main_wh(doc).lower_ == "which"
    q = analyse_question(doc)
    assert q.kind == "org" and q.focus == "newspaper"
    assert q.labels["WORK_OF_ART"] == q.labels["ORG"] == 1.0  # papers are tagged either way
    assert "PERSON" not in q.labels


def test_a_relative_that_clause_keeps_the_main_question(nlp: Language) -> None:
    q = analyse_question(
        nlp("the shuttle that's flying STS-134 is going to which museum after it retires?")
    )
    assert q.kind == "org" and q.focus == "museum"


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("how many seconds did the first test flight last", "second"),
        ("How many minutes after his header did Lukaku score again?", "minute"),
        ("how many days did the team get to test its robot", "day"),
    ],
)
def test_how_many_units_is_a_span_of_time_or_a_count_in_that_unit(
    nlp: Language, question: str, unit: str
) -> None:
    q = analyse_question(nlp(question))
    assert q.kind == "number" and q.unit == unit
    assert q.labels["TIME"] == 1.0  # "how many seconds" takes a TIME entity
    assert q.labels["DATE"] == 1.0


def test_how_many_people_names_no_unit(nlp: Language) -> None:
    q = analyse_question(nlp("how many people died when the crane fell"))
    assert q.kind == "number" and q.unit is None and q.labels["CARDINAL"] == 1.0


def test_what_law_asks_for_a_law_before_an_organisation(nlp: Language) -> None:
    q = analyse_question(nlp("what law did the parliament pass last year"))
    assert q.focus == "law"
    assert max(q.labels, key=q.labels.__getitem__) == "LAW"
    assert q.labels["ORG"] < q.labels["LAW"]


@pytest.mark.parametrize(
    ("question", "kind", "focus"),
    [
        ("what's the name of panama's coach?", "person", "coach"),
        ("what's ahmed's dad's name", "person", "dad"),
        ("what is the name of the city where the summit is held", "place", "city"),
    ],
)
def test_the_name_of_x_takes_the_type_of_x(
    nlp: Language, question: str, kind: str, focus: str
) -> None:
    q = analyse_question(nlp(question))
    assert (q.kind, q.focus) == (kind, focus)


def test_what_percent_and_what_number(nlp: Language) -> None:
    q = analyse_question(nlp("what % of ie6's security holes are highly critical"))
    assert q.kind == "number" and max(q.labels, key=q.labels.__getitem__) == "PERCENT"
    q = analyse_question(nlp("what number edition of fan expo canada was this"))
    assert q.kind == "number" and q.labels["ORDINAL"] == 1.0


def test_open_what_is_a_noun_phrase_question_with_the_verb_it_objects(nlp: Language) -> None:
    q = analyse_question(nlp("what did the company unveil last week?"))
    assert q.kind == "thing" and not q.labels  # any noun phrase may answer
    assert (q.role, q.role_head) == ("dobj", "unveil")


def test_paraphrases_get_partial_credit_not_a_full_match(nlp: Language) -> None:
    q = analyse_question(nlp("how many people were injured in the attack?"))
    key, credit = q.related["wound"]
    assert key == "injure" and 0 < credit < 1
    doc = nlp("The blast left twelve people wounded.")
    wounded = next(t for t in doc if t.lower_ == "wounded")
    assert q.graded(wounded) == ("injure", credit)
    people = next(t for t in doc if t.lower_ == "people")
    assert q.graded(people) == ("people", 1.0)


def test_a_phrasal_verb_is_looked_up_whole(nlp: Language) -> None:
    q = analyse_question(nlp("which players were left out of the squad?"))
    assert q.related["exclude"][0] == "leave"


def test_names_typed_in_lower_case_are_anchors(nlp: Language) -> None:
    # "valeska" is no word WordNet knows: a name, whatever the tagger made of it
    q = analyse_question(nlp("what hazardous stuff did valeska have to take out of the ship"))
    assert "valeska" in q.anchors
    assert not q.anchors & {"hazardous", "stuff", "ship", "take"}
    q = analyse_question(nlp("How many people died in the 2006 Hajj crush?"))
    assert {"2006", "hajj"} <= q.anchors
    assert "people" not in q.anchors


def test_a_plural_focus_asks_for_all_of_them(nlp: Language) -> None:
    assert analyse_question(nlp("which crops did the team look at")).plural
    assert not analyse_question(nlp("which crop is hurt by heat")).plural
    assert not analyse_question(nlp("how many crops failed")).plural  # a count, not a list


@pytest.mark.parametrize(
    "question",
    [
        "which scientology lawyer did he get put through to",
        "what referee awarded the penalty",
    ],
)
def test_a_focus_noun_wordnet_files_under_people_asks_for_a_person(
    nlp: Language, question: str
) -> None:
    q = analyse_question(nlp(question))
    assert q.kind == "person" and q.labels["PERSON"] == 1.0


def test_a_focus_noun_for_a_thing_stays_a_thing(nlp: Language) -> None:
    assert analyse_question(nlp("what program did they use to hammer the site")).kind == "thing"


def test_how_often_asks_for_a_span_of_time(nlp: Language) -> None:
    q = analyse_question(nlp("how often do they have to put the photos on show"))
    assert q.kind == "number" and q.labels["DATE"] == 1.0


@pytest.mark.parametrize(
    ("typed", "parsed", "kind"),
    [
        ("whens xi and putin supposed to meet", "when's xi and putin supposed to meet", "time"),
        ("whos the uni student behind it", "who's the uni student behind it", "person"),
        ("were was valeska paris born", "where was valeska paris born", "place"),
        ("Whats the new flag going to cost", "What's the new flag going to cost", "thing"),
    ],
)
def test_wh_words_typed_without_apostrophe_are_read_as_wh_words(
    nlp: Language, typed: str, parsed: str, kind: str
) -> None:
    assert typed_wh(typed) == parsed
    wh = main_wh(nlp(typed_wh(typed)))
    assert wh is not None and wh.lower_ == parsed.split("'")[0].split()[0].lower()
    assert analyse_question(nlp(typed_wh(typed))).kind == kind


def test_were_stays_were_where_it_is_a_verb() -> None:
    assert typed_wh("who were the winners") == "who were the winners"
    assert typed_wh("were there any arrests") == "were there any arrests"
