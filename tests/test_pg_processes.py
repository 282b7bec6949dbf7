"""Several processes over one PostgreSQL store: a commit in one is seen by the others."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from conftest import make_settings
from support import GUM_DIR, copy_corpus, run_bot

from bot.errors import NotFound
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk


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
        done = await asyncio.to_thread(
            run_bot, "ingest", "--corpus", str(corpus), cwd=tmp_path, env={"DATABASE": url}
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


async def test_one_process_ingests_at_a_time(tmp_path: Path, analyser: Analyser, pg_server) -> None:
    from bot.service import IngestBusy

    corpus = copy_corpus(tmp_path / "corpus")
    url = await pg_server.fresh_database()
    first = await Newsdesk.open(make_settings(tmp_path, corpus, url), analyser=analyser)
    second = await Newsdesk.open(make_settings(tmp_path, corpus, url), analyser=analyser)
    try:
        async with first.store.ingest_lock() as mine:
            assert mine
            with pytest.raises(IngestBusy, match="Another process is ingesting"):
                await second.ingest()
            assert await second.store.count_articles() == 0
        report = await second.ingest()  # the lock is free again
        assert report.analysed == 1
    finally:
        await first.close()
        await second.close()


async def test_processes_started_together_migrate_once(pg_server) -> None:
    from bot.pgstore.migrations import SCHEMA_VERSION
    from bot.pgstore.store import PgStore

    url = await pg_server.fresh_database()
    stores = await asyncio.gather(*(PgStore.open(url) for _ in range(4)))
    try:
        assert [await s.schema_version() for s in stores] == [SCHEMA_VERSION] * 4
        assert all([await s.integrity_check() == "ok" for s in stores])
    finally:
        for s in stores:
            await s.close()


async def test_the_worker_ingests_then_stops_on_request(
    tmp_path: Path, analyser: Analyser, pg_server
) -> None:
    from bot.worker import run_worker

    corpus = copy_corpus(tmp_path / "corpus")
    url = await pg_server.fresh_database()
    settings = make_settings(tmp_path, corpus, url)
    worker = await Newsdesk.open(settings, analyser=analyser)
    reader = await Newsdesk.open(settings, analyser=analyser)
    stop = asyncio.Event()
    task = asyncio.create_task(run_worker(worker, stop=stop))
    try:

        async def ingested():  # type: ignore[no-untyped-def]
            assert await reader.store.count_articles() == 1

        await _until(ingested, 120)
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 30) == 0
        await worker.close()
        await reader.close()
