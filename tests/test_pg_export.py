"""Both backends hold the same records: an export from PostgreSQL equals SQLite's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import make_settings
from support import copy_corpus, run_bot

from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.store_factory import open_store


async def test_the_export_is_the_same_on_both_backends(
    tmp_path: Path, analyser: Analyser, pg_server
) -> None:
    corpus = copy_corpus(tmp_path / "corpus", gum=["afghan.txt", "korea.txt"])
    exports = {}
    for name, database in (
        ("sqlite", tmp_path / "db.sqlite3"),
        ("postgresql", await pg_server.fresh_database()),
    ):
        settings = make_settings(tmp_path, corpus, database)
        desk = Newsdesk(settings, await open_store(database), analyser)
        try:
            report = await desk.ingest()
            assert report.analysed == 3
            exports[name] = await desk.export_rows()
        finally:
            await desk.close()
    sqlite, postgres = exports["sqlite"], exports["postgresql"]
    assert len(sqlite) == 3
    assert sum(len(r["quotes"]) for r in sqlite) > 0
    assert sum(len(r["entities"]) for r in sqlite) > 0
    assert all(r["summary"] for r in sqlite)
    for a, b in zip(sqlite, postgres, strict=True):
        assert a == b, a["id"]


@pytest.mark.slow
def test_the_cli_exports_from_a_postgresql_url(tmp_path: Path, pg_server) -> None:
    """DATABASE=postgresql://… selects the backend for the command line too."""
    import asyncio

    corpus = copy_corpus(tmp_path / "corpus")
    url = asyncio.run(pg_server.fresh_database())
    outputs = []
    for database in (str(tmp_path / "db.sqlite3"), url):
        out = tmp_path / f"export{len(outputs)}.jsonl"
        done = run_bot(
            "export",
            "--corpus",
            str(corpus),
            "-o",
            str(out),
            cwd=tmp_path,
            env={"DATABASE": database},
        )
        assert done.returncode == 0, done.stderr
        outputs.append([json.loads(line) for line in out.read_text().splitlines()])
    assert len(outputs[0]) == 1 and outputs[0] == outputs[1]
