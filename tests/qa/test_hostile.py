"""Whatever is typed gets an answer, never a crash: empty, huge, FTS syntax, quotes, NUL,
emoji, right-to-left text, lone surrogates."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import cli
from bot.errors import NotFound
from bot.qa import Answerer
from bot.qa.service import EMPTY, MAX_QUESTION_CHARS

HOSTILE = [
    "",
    "   \t\n ",
    "\x00",
    "Where is the \x00SCO summit held?",
    "?" * 5000,
    "x" * 5000,
    "Where is the SCO summit held? " * 170,
    '"unbalanced quote',
    "NEAR(summit samarkand, 2)",
    "summit OR samarkand AND NOT xi* ^col:text",
    'text:"summit" {a b} (c',
    "'; DROP TABLE sentences; --",
    "🤖🔥❓",
    "Where is the SCO summit held? 🙂🇺🇿",
    "أين تعقد قمة منظمة شنغهاي للتعاون؟",
    "איפה מתקיימת הפסגה?",
    "\u202eWhere is the summit?\u202c",
    "Who is \ud800 the president?",
    "\u200b\u200b\u200b",
    "who who who who who",
    "How many how many?",
    "-1 OR 1=1",
]


@pytest.mark.parametrize("question", HOSTILE)
async def test_hostile_questions_get_an_answer(answerer: Answerer, question: str) -> None:
    answer = await answerer.ask(question)
    assert isinstance(answer.answer, str) and answer.answer
    assert len(answer.question) <= MAX_QUESTION_CHARS
    assert "\x00" not in answer.question and "\ud800" not in answer.question
    assert 0.0 <= answer.score <= 1.0
    assert answer.found == (answer.evidence is not None)
    assert len(answer.passages) <= 3


async def test_nothing_to_ask_says_how_to_ask(answerer: Answerer) -> None:
    for question in ("", "   ", "\x00", "???", "🤖🔥"):
        answer = await answerer.ask(question)
        assert not answer.found and answer.answer == EMPTY


async def test_the_store_survives_and_still_answers(answerer: Answerer) -> None:
    for question in HOSTILE:
        await answerer.ask(question)
    answer = await answerer.ask("Where is the SCO summit held?")
    assert answer.answer.startswith("Samarkand")


async def test_hostile_article_ids(answerer: Answerer) -> None:
    for article in ("", "no-such-id", "' OR 1=1 --", "\x00"):
        with pytest.raises(NotFound):
            await answerer.ask("Where is the SCO summit held?", article)


@pytest.mark.slow
def test_cli_survives_hostile_arguments(
    qa_corpus: tuple[Path, Path], qa_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--corpus", str(qa_corpus[0]), "--db", str(qa_db)]
    args = ["", "NEAR(a b)", "🤖?", '"?', "x" * 5000, "a\x00b c"]
    code = cli.main(["ask", *args, "--json", *common])
    assert code == 0
    assert len(capsys.readouterr().out.splitlines()) == len(args)
