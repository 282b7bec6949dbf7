"""Shared fixtures: real SQLite files in tmp dirs and the real small models, loaded once."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
# No background warm-up question racing the tests' own (tests/test_warm_up.py turns it on).
os.environ.setdefault("WARM_MODELS", "0")

from support import SEED_FILE

from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.settings import Settings
from bot.store import Store
from bot.store_factory import open_store

# The tests that run on both backends (a `backend` fixture parameter): the store, ingest
# and service tests. Everything else runs on SQLite only, to keep the suite's time.
BOTH_BACKENDS = {
    "test_store",
    "test_ingest",
    "test_summary_service",
    "test_corpus_edits",
    "test_poll",
    "test_server_corpora",
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        both = metafunc.module.__name__.rsplit(".", 1)[-1] in BOTH_BACKENDS
        metafunc.parametrize("backend", ["sqlite", "postgresql"] if both else ["sqlite"])


@pytest.fixture(scope="session")
def pg_server():
    """One PostgreSQL server for the run, started on first use (tests/pgserver.py)."""
    from pgserver import PgServer

    server = PgServer().start()
    yield server
    server.stop()


@pytest.fixture
async def database(
    request: pytest.FixtureRequest, backend: str, tmp_path: Path
) -> AsyncIterator[Path | str]:
    """Where this test's store lives: a SQLite file, or a fresh PostgreSQL database
    (dropped afterwards, so a run leaves no pile of databases behind)."""
    if backend != "postgresql":
        yield tmp_path / "db.sqlite3"
        return
    server = request.getfixturevalue("pg_server")
    url = await server.fresh_database()
    yield url
    await server.drop_database(url)


def make_settings(tmp_path: Path, corpus: Path, database: Path | str | None = None) -> Settings:
    return Settings(_env_file=None, corpus_dir=corpus, database=database or tmp_path / "db.sqlite3")


@pytest.fixture(scope="session")
def analyser() -> Analyser:
    """One analyser (spaCy + MiniLM) for the whole run; models load once."""
    return Analyser(Settings(_env_file=None))


@pytest.fixture(scope="session")
def nlp(analyser: Analyser):
    return analyser.nlp


@pytest.fixture
def seed_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    return corpus


@pytest.fixture
async def store(database: Path | str) -> AsyncIterator[Store]:
    s = await open_store(database)
    yield s
    await s.close()


@pytest.fixture
async def desk(
    tmp_path: Path, seed_corpus: Path, analyser: Analyser, database: Path | str
) -> AsyncIterator[Newsdesk]:
    settings = make_settings(tmp_path, seed_corpus, database)
    d = Newsdesk(settings, await open_store(settings.database), analyser)
    yield d
    await d.close()


@pytest.fixture
async def site() -> AsyncIterator[str]:
    """A plain-text news page served on loopback (tests allow that address explicitly)."""

    async def page(_: web.Request) -> web.Response:
        text = "Harbour reopens after storm\n" + "The harbour reopened on Friday. " * 20
        return web.Response(text=text, content_type="text/plain")

    app = web.Application()
    app.router.add_get("/story", page)
    runner = web.AppRunner(app)
    await runner.setup()
    server = web.TCPSite(runner, "127.0.0.1", 0)
    await server.start()
    yield f"http://127.0.0.1:{server._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    await runner.cleanup()
