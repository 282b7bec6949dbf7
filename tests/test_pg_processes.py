"""Several processes over one PostgreSQL store: a commit in one is seen by the others."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_settings
from support import GUM_DIR, copy_corpus

from bot.errors import NotFound
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk

ROOT = Path(__file__).resolve().parents[1]


async def _until(check, seconds: float = 30.0):  # type: ignore[no-untyped-def]
    """check() once its caches have been refreshed; fails after `seconds`."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        try:
            return await check()
        except (NotFound, AssertionError):
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.2)


@pytest.mark.slow
async def test_a_second_process_answers_about_an_article_the_first_ingested(
    tmp_path: Path, analyser: Analyser, pg_server
) -> None:
    corpus = copy_corpus(tmp_path / "corpus")
    url = await pg_server.fresh_database()
    serving = await Newsdesk.open(make_settings(tmp_path, corpus, url), analyser=analyser)
    try:
        await serving.ingest()
        # Warm every cache built from the corpus: the name matcher, speakers, QA matrix.
        with pytest.raises(NotFound):
            await serving.entity("Yonhap")
        await serving.speakers()
        before = await serving.ask("How many people did South Korea evacuate?")
        assert before.article is None or "Korea" not in (before.title or "")

        # Another process (the worker) ingests a new article and commits.
        shutil.copy(GUM_DIR / "korea.txt", corpus / "korea.txt")
        env = os.environ | {"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "DATABASE": url}
        done = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "bot", "ingest", "--corpus", str(corpus)],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        assert "1 new" in done.stdout + done.stderr

        # This process, never restarted and never told, now knows the new article.
        card = await _until(lambda: serving.entity("Yonhap"))
        assert any("Korea" in a.article.title for a in card.articles)

        async def answered():  # type: ignore[no-untyped-def]
            answer = await serving.ask("How many people did South Korea evacuate?")
            assert answer.found and "80" in answer.answer, answer
            assert "Korea" in (answer.title or "")
            return answer

        await _until(answered)
    finally:
        await serving.close()
