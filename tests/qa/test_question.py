"""What a question asks for, and how the CLI splits and shows questions."""

from __future__ import annotations

import pytest
from spacy.language import Language

from bot.qa.question import analyse_question
from bot.qa.render import render_answer, split_questions
from bot.qa.service import NOT_SAID, Answer, Passage


@pytest.mark.parametrize(
    ("question", "kind", "label", "focus"),
    [
        ("Who is the director of the Center?", "person", "PERSON", "director"),
        ("Whom did Xi meet?", "person", "PERSON", None),
        ("Where is the SCO summit held?", "place", "GPE", None),
        ("In which sea did China hold exercises?", "place", "LOC", "sea"),
        ("When did Tokayev come to power?", "time", "DATE", None),
        ("In what year did Xi launch the initiative?", "time", "DATE", "year"),
        ("How many teams took part?", "number", "CARDINAL", "team"),
        ("How much was the bail?", "number", "MONEY", "bail"),
        ("How old is Ahmed Mohamed?", "number", "DATE", None),
        ("How tall is the pig?", "number", "QUANTITY", None),
        ("What was the turnout rate?", "number", "PERCENT", "rate"),
        ("Which organisation does Wishnick work for?", "org", "ORG", "organisation"),
        ("Which newspaper does Ingram write for?", "org", "ORG", "newspaper"),
        ("Which Google co-founder met Mohamed?", "person", "PERSON", "founder"),
        ("What was this year's theme?", "thing", None, "theme"),
        ("What did Thomas Sam use?", "thing", None, None),
        ("Tell me about the summit", "thing", None, None),
    ],
)
def test_kind_labels_and_focus(
    nlp: Language, question: str, kind: str, label: str | None, focus: str | None
) -> None:
    q = analyse_question(nlp(question))
    assert q.kind == kind
    if label:
        assert q.labels[label] == max(q.labels.values())
    else:
        assert not q.labels
    assert q.focus == focus


def test_terms_weights_and_keywords(nlp: Language) -> None:
    q = analyse_question(nlp("Where is the SCO summit held?"))
    assert q.terms["sco"] == 2.0 and q.terms["summit"] == 1.0
    assert "where" not in q.terms and "the" not in q.terms
    assert q.keywords == "SCO summit held" and q.acronyms == {"SCO"}
    q = analyse_question(nlp("Who is the mayor of Taipei?"))
    assert q.terms["mayor"] == 2.0  # the noun asked about counts double
    assert analyse_question(nlp("Who is he?")).keywords == "Who is he"


def test_split_questions() -> None:
    assert split_questions(["Where is X?", "Who is Y?"]) == ["Where is X?", "Who is Y?"]
    assert split_questions(["Where", "is", "X?", "Who", "is", "Y?"]) == ["Where is X?", "Who is Y?"]
    assert split_questions(["Where is X? Who is Y?"]) == ["Where is X?", "Who is Y?"]
    assert split_questions(["who", "is", "tokayev"]) == ["who is tokayev"]
    assert split_questions(["no question mark here"]) == ["no question mark here"]
    assert split_questions([""]) == [""]


def test_render_found_and_not_found() -> None:
    passage = Passage("a1", "x.txt", "Title", 3, "Tokayev came to power in 2019.", 0.8)
    found = Answer("When?", "2019", True, "x.txt", "a1", "Title", passage.text, 0.81)
    text = render_answer(found)
    assert "A: 2019" in text and "“Tokayev came to power in 2019.”" in text
    assert "— Title (x.txt)" in text and "0.81" in text
    missing = Answer("Who?", NOT_SAID, False, passages=[passage], note="QA_MODEL='x' …")
    text = render_answer(missing)
    assert NOT_SAID in text and "Closest passages" in text and "1. “Tokayev" in text
    assert "note: QA_MODEL" in text


def test_render_a_best_match_says_so() -> None:
    guess = Answer("Who?", "Dean Kamen", True, "x.txt", "a1", "T", "Founded by Dean Kamen.", 0.27)
    guess.best_match = True
    assert "A: Dean Kamen   (best match, confidence 0.27)" in render_answer(guess)
