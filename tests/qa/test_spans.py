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


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # a hedge is no part of the count; the count without it is the answer
        ("how many people did they move out", "They evacuated about 80 people.", "80"),
        ("how many signed", "The petition has more than 11,000 signatures.", "11,000"),
        # "later" places the count in time: it is no part of it
        (
            "how many minutes after the header did he score",
            "Six minutes later, he scored.",
            "Six minutes",
        ),
        # a hedge before a fraction word says what the fraction is: it stays
        (
            "how many of the children lack iodine",
            "Almost half of all primary school children lack iodine.",
            "Almost half",
        ),
    ],
)
def test_a_count_is_shown_as_the_number_it_is(
    nlp: Language, question: str, sentence: str, expected: str
) -> None:
    q = analyse_question(nlp(question))
    reading = extract_answer(nlp, q, [PassageInput(sentence, "", 1.0, 0.8)])
    assert reading.best is not None and reading.best.text == expected


def test_a_plural_question_gets_every_conjunct(nlp: Language) -> None:
    q = analyse_question(nlp("what languages does the president speak?"))
    assert q.plural
    text = "Tokayev, a former diplomat who speaks Chinese and Russian, came to power in 2019."
    reading = extract_answer(nlp, q, [PassageInput(text, "", 1.0, 0.8)])
    assert reading.best is not None and reading.best.text == "Chinese and Russian"
    assert not analyse_question(nlp("what language does the president speak?")).plural


def test_a_hyphenated_name_is_shown_whole(nlp: Language) -> None:
    q = analyse_question(nlp("which civic passion leader lost in kowloon east"))
    text = "Civic Passion's Wong Yeung-tat was defeated in this district."
    start = text.index("Wong")
    mention = Mention(start, start + len("Wong Yeung"), "PERSON", "Wong Yeung")
    reading = extract_answer(nlp, q, [PassageInput(text, "", 1.0, 0.8, (mention,))])
    assert reading.best is not None and reading.best.text == "Wong Yeung-tat"
