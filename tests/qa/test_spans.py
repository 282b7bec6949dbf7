"""How a candidate span becomes the answer shown: question words cut from its edges but
never from inside a word or a name, and people shown by their full name."""

from __future__ import annotations

import pytest
from spacy.language import Language

from bot.qa.answer import Mention, PassageInput, _trim, extract_answer
from bot.qa.question import analyse_question


@pytest.mark.parametrize(
    ("question", "sentence", "span", "name", "expected"),
    [
        (
            "Which database was hacked?",
            "It hit the NEMISIS database.",
            "the NEMISIS database",
            False,
            "NEMISIS",
        ),
        (
            "At what age did Gloria fall ill?",
            "She fell ill at the age of four months.",
            "the age of four months",
            False,
            "four months",
        ),
        (
            "How old is Ahmed?",
            "Ahmed, a 14-year-old boy, was arrested.",
            "14-year-old",
            False,
            "14-year-old",
        ),
        (
            "Which foundation paid?",
            "The Croucher Foundation paid.",
            "The Croucher Foundation",
            True,
            "Croucher Foundation",
        ),
        (
            "In which sea were the drills?",
            "Drills were held in the Sea of Japan.",
            "the Sea of Japan",
            True,
            "Sea of Japan",
        ),
        (
            "How many people were hurt?",
            "At least 76 people were hurt.",
            "At least 76",
            False,
            "At least 76",
        ),
    ],
)
def test_trim(
    nlp: Language, question: str, sentence: str, span: str, name: bool, expected: str
) -> None:
    q = analyse_question(nlp(question))
    doc = nlp(sentence)
    start = sentence.index(span)
    trimmed = _trim(doc.char_span(start, start + len(span)), q, name)
    assert trimmed is not None and trimmed.text == expected


def test_a_span_of_only_question_words_is_no_answer(nlp: Language) -> None:
    q = analyse_question(nlp("Who is the NASA Administrator?"))
    doc = nlp("The NASA Administrator spoke.")
    assert _trim(doc[0:3], q) is None


def test_people_are_shown_whole_but_never_as_someone_else(nlp: Language) -> None:
    q = analyse_question(nlp("Who defeated Lee Cheuk-yan by five thousand votes?"))
    text = "Junius Ho defeated Lee Cheuk-yan by around five thousand votes."
    # The store resolved the mention "Ho" to another Ho of the article: show the text's name.
    wrong = PassageInput(text, "", 1.0, 0.8, (Mention(7, 9, "PERSON", "Cyd Ho"),))
    reading = extract_answer(nlp, q, [wrong])
    assert reading.best is not None and reading.best.text == "Junius Ho"
    q = analyse_question(nlp("Who came to power in 2019?"))
    text = "Tokayev came to power in 2019."
    right = PassageInput(text, "", 1.0, 0.8, (Mention(0, 7, "PERSON", "Kassym-Jomart Tokayev"),))
    reading = extract_answer(nlp, q, [right])
    assert reading.best is not None and reading.best.text == "Kassym-Jomart Tokayev"
