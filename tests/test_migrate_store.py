"""migrate-store: a SQLite store copied into PostgreSQL, every table, counts checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_settings
from support import copy_corpus

from bot.errors import UserError
from bot.migrate_store import migrate_store
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.store_factory import open_store


async def test_every_table_is_copied_and_the_copy_serves_the_same(
    tmp_path: Path, analyser: Analyser, pg_server
) -> None:
    corpus = copy_corpus(tmp_path / "corpus", gum=["korea.txt"])
    sqlite_db = tmp_path / "db.sqlite3"
    desk = Newsdesk(
        make_settings(tmp_path, corpus, sqlite_db), await open_store(sqlite_db), analyser
    )
    try:
        await desk.ingest()
        await desk.store._db.execute(
            "INSERT INTO feeds (guild_id, channel_id, url, interval_s) VALUES (?, ?, ?, ?)",
            (123456789012345678, 42, "https://example.org/rss", 900.0),
        )
        expected = await desk.export_rows()
    finally:
        await desk.close()

    url = await pg_server.fresh_database()
    counts = await migrate_store(f"sqlite:///{sqlite_db}", url)
    assert counts["articles"] == 2 and counts["feeds"] == 1
    assert counts["sentences"] > 0 and counts["mentions"] > 0 and counts["quotes"] > 0

    copy = Newsdesk(make_settings(tmp_path, corpus, url), await open_store(url), analyser)
    try:
        assert await copy.export_rows() == expected
        report = await copy.ingest()  # nothing to redo: hashes and versions came along
        assert report.analysed == 0 and report.removed == 0
        # New rows continue after the copied ids.
        new_id = await copy.feeds.store._write(
            "INSERT INTO feeds (guild_id, channel_id, url, interval_s) VALUES (?, ?, ?, ?)",
            (None, None, "https://example.org/other", 900.0),
        )
        assert new_id == 2
    finally:
        await copy.close()

    with pytest.raises(UserError, match="not empty"):
        await migrate_store(str(sqlite_db), url)


async def test_only_sqlite_to_postgresql(tmp_path: Path, pg_server) -> None:
    with pytest.raises(UserError, match="SQLite store"):
        await migrate_store(str(tmp_path / "missing.sqlite3"), pg_server.url())
    with pytest.raises(UserError, match="copies a SQLite store"):
        await migrate_store(pg_server.url(), str(tmp_path / "x.sqlite3"))
