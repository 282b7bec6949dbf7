"""SIGKILL an ingest into PostgreSQL mid-way, then finish it: nothing lost or doubled."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from pathlib import Path

import asyncpg
import pytest
from conftest import make_settings
from hardening.helpers import bot_command, child_env, write_tiny_corpus

from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.store_factory import open_store

ARTICLES = 40  # enough that the kill, right after the first commit, lands mid-ingest


async def _articles(url: str) -> int:
    try:
        conn = await asyncpg.connect(url)
    except (OSError, asyncpg.PostgresError):
        return 0
    try:
        return int(await conn.fetchval("SELECT count(*) FROM articles"))
    except asyncpg.UndefinedTableError:  # not migrated yet
        return 0
    finally:
        await conn.close()


@pytest.mark.slow
async def test_a_killed_ingest_leaves_whole_articles_and_the_next_one_finishes(
    tmp_path: Path, analyser: Analyser, pg_server
) -> None:
    corpus = write_tiny_corpus(tmp_path / "corpus", ARTICLES)
    url = await pg_server.fresh_database()
    env = child_env() | {"DATABASE": url}
    cmd = bot_command("ingest", "--corpus", str(corpus))
    proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while await _articles(url) == 0 and proc.poll() is None:
            assert time.monotonic() < deadline, "no article committed in 300 s"
            await asyncio.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert 0 < await _articles(url) < ARTICLES, "the kill did not land mid-ingest"

    # Every article the killed process left is whole: sentences, embeddings, summary.
    conn = await asyncpg.connect(url)
    try:
        partial = await conn.fetch(
            "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentences s"
            " WHERE s.article_id = a.id AND s.embedding IS NOT NULL) OR NOT EXISTS"
            " (SELECT 1 FROM summaries m WHERE m.article_id = a.id)"
        )
    finally:
        await conn.close()
    assert partial == []

    done = await asyncio.to_thread(
        subprocess.run, cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr

    # The finished store holds exactly what one clean ingest into SQLite holds.
    exports = []
    for database in (url, tmp_path / "clean.sqlite3"):
        desk = Newsdesk(
            make_settings(tmp_path, corpus, database), await open_store(database), analyser
        )
        try:
            if database != url:
                await desk.ingest()
            exports.append(await desk.export_rows())
        finally:
            await desk.close()
    assert len(exports[0]) == ARTICLES
    assert exports[0] == exports[1]
