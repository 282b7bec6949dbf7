"""Each kind of question answered from the seed and GUM articles, with its evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import SEED_FILE

from bot import cli
from bot.qa import Answerer
from bot.qa.service import NOT_SAID


async def test_sco_summit_is_in_samarkand_with_its_sentence(answerer: Answerer) -> None:
    answer = await answerer.ask("Where is the SCO summit held?")
    assert answer.found
    assert answer.answer.startswith("Samarkand")
    assert answer.evidence is not None
    assert "Shanghai Cooperation Organization summit in Samarkand" in answer.evidence
    assert answer.source == SEED_FILE.name
    assert answer.title == "Strength of ‘Unlimited’ China-Russia Ties to be Tested at Summit"
    assert answer.article and 0 < answer.score <= 1


@pytest.mark.parametrize(
    ("question", "expected", "evidence"),
    [
        ("Who is the president of Kazakhstan?", "Kassym-Jomart Tokayev", "President Kassym"),
        ("Who is the Afghan team's coach?", "Alireza Mehraban", "coach, Alireza Mehraban"),
        ("Where is the OSCE Academy?", "Bishkek", "OSCE Academy in Bishkek"),
        ("When did Tokayev come to power?", "2019", "came to power in 2019"),
        ("When did the South Korean broadcasts begin?", "August 10", "began on August 10"),
        ("How many migrants may be at sea in the region?", "8000", "8000 migrants"),
        ("How many people did South Korea evacuate?", "80", "evacuated about 80 people"),
        (
            "Which organisation does Elizabeth Wishnick work for as a research scientist?",
            "Center for Naval Analysis",
            "senior research scientist at the Center for Naval Analysis",
        ),
        ("What was this year's theme of the robotics competition?", "water security", "theme"),
    ],
)
async def test_each_kind_of_question(
    answerer: Answerer, question: str, expected: str, evidence: str
) -> None:
    answer = await answerer.ask(question)
    assert answer.found, answer
    assert expected in answer.answer
    assert answer.evidence and evidence in answer.evidence


async def test_the_answer_is_one_the_question_does_not_already_name(answerer: Answerer) -> None:
    answer = await answerer.ask("Who told Russian lawmakers that China supports Russia?")
    assert answer.answer == "Li Zhanshu"  # not Xi, not Putin, not "Russia"


async def test_an_article_filter_keeps_answers_in_that_article(answerer: Answerer) -> None:
    rows = await answerer.store.find_articles("korea")
    answer = await answerer.ask("Where is the SCO summit held?", rows[0].id)
    assert answer.article in (None, rows[0].id)
    assert all(p.article == rows[0].id for p in answer.passages)


async def test_the_corpus_does_not_say_and_shows_the_closest_passages(
    answerer: Answerer,
) -> None:
    answer = await answerer.ask("Who won the 2022 Nobel Prize in Literature?")
    assert not answer.found
    assert answer.answer == NOT_SAID
    assert answer.evidence is None and answer.source is None
    assert 1 <= len(answer.passages) <= 3
    assert answer.score < answerer.threshold


async def test_a_high_threshold_turns_an_answer_into_does_not_say(answerer: Answerer) -> None:
    answerer.threshold = 1.01
    answer = await answerer.ask("Where is the SCO summit held?")
    assert not answer.found and answer.answer == NOT_SAID
    assert any("Samarkand" in p.text for p in answer.passages)


async def test_an_answer_just_above_the_threshold_is_a_best_match(answerer: Answerer) -> None:
    sure = await answerer.ask("Where is the SCO summit held?")
    assert sure.found and not sure.best_match  # confident: shown plainly
    answerer.threshold = sure.score - answerer.params.best_match / 2
    guess = await answerer.ask("Where is the SCO summit held?")
    assert guess.found and guess.best_match and guess.answer == sure.answer


@pytest.mark.slow
def test_cli_ask_json_one_object_a_line(
    qa_corpus: tuple[Path, Path], qa_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--corpus", str(qa_corpus[0]), "--db", str(qa_db)]
    code = cli.main(["ask", "Where is the SCO summit held?", "Who is Yau?", "--json", *common])
    out = capsys.readouterr().out.splitlines()
    assert code == 0 and len(out) == 2
    first = json.loads(out[0])
    assert list(first) == [
        "question",
        "answer",
        "source",
        "article",
        "title",
        "evidence",
        "score",
        "found",
        "best_match",
    ]
    assert first["answer"].startswith("Samarkand") and first["source"] == SEED_FILE.name


@pytest.mark.slow
def test_cli_ask_text_and_article_filter(
    qa_corpus: tuple[Path, Path], qa_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--corpus", str(qa_corpus[0]), "--db", str(qa_db)]
    code = cli.main(["ask", "Where", "is", "the", "SCO", "summit", "held?", *common])
    out = capsys.readouterr().out
    assert code == 0 and "A: Samarkand" in out and "summit in Samarkand" in out
    code = cli.main(["ask", "Who is the coach?", "--article", "afghan", *common])
    out = capsys.readouterr().out
    assert code == 0 and "Alireza Mehraban" in out
    code = cli.main(["ask", "Who?", "--article", "no-such-article-xyz", *common])
    assert code == 1 and "No article matches" in capsys.readouterr().err
