"""Warming the models after ready: the first question then finds everything loaded."""

from __future__ import annotations

import io
from pathlib import Path

from bot.console import run_console
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.settings import Settings
from bot.store import Store


async def test_warm_up_loads_what_the_first_question_needs(
    tmp_path: Path, seed_corpus: Path
) -> None:
    settings = Settings(_env_file=None, corpus_dir=seed_corpus, database=tmp_path / "db.sqlite3")
    desk = Newsdesk(settings, await Store.open(settings.database), Analyser(settings))
    try:
        await desk.ingest()
        fresh = Analyser(settings)  # nothing loaded yet, as after a warm restart
        desk.analyser = fresh
        assert "embedder" not in vars(fresh) and "nlp" not in vars(fresh)
        seconds = await desk.warm_up()
        assert seconds > 0
        assert "embedder" in vars(fresh) and "nlp" in vars(fresh)
        assert desk.answerer.retriever._matrix is not None
        assert len(desk.answerer.retriever._matrix) > 0
        answer = await desk.ask("Where is the SCO summit held?")
        assert answer.found
    finally:
        await desk.close()


async def test_console_warms_in_the_background_and_still_answers(
    tmp_path: Path, seed_corpus: Path, analyser: Analyser
) -> None:
    settings = Settings(
        _env_file=None,
        corpus_dir=seed_corpus,
        database=tmp_path / "db.sqlite3",
        warm_models=True,
    )
    desk = Newsdesk(settings, await Store.open(settings.database), analyser)
    out = io.StringIO()
    try:
        code = await run_console(
            desk, io.StringIO("/ask question: Where is the summit held?\n"), out
        )
    finally:
        await desk.close()
    assert code == 0
    assert "summit" in out.getvalue().lower()
