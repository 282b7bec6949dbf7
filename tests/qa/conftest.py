"""A corpus of the seed and three GUM articles, ingested once; each test gets its own copy
of the database so tests that write never disturb the others."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from support import copy_corpus

from bot.nlp.pipeline import Analyser
from bot.qa import Answerer
from bot.service import Newsdesk
from bot.settings import Settings
from bot.store import Store

GUM = ["afghan.txt", "asylum.txt", "korea.txt"]


def qa_settings(corpus: Path, database: Path, **overrides: object) -> Settings:
    return Settings(_env_file=None, corpus_dir=corpus, database=database, **overrides)


@pytest.fixture(scope="session")
def qa_corpus(tmp_path_factory: pytest.TempPathFactory, analyser: Analyser) -> tuple[Path, Path]:
    """(corpus folder, ingested database), built once for the session."""
    root = tmp_path_factory.mktemp("qa")
    corpus = copy_corpus(root / "corpus", gum=GUM)
    database = root / "db.sqlite3"

    async def build() -> None:
        desk = Newsdesk(qa_settings(corpus, database), await Store.open(database), analyser)
        try:
            await desk.ingest()
        finally:
            await desk.close()

    asyncio.run(build())
    return corpus, database


@pytest.fixture
def qa_db(tmp_path: Path, qa_corpus: tuple[Path, Path]) -> Path:
    copy = tmp_path / "qa.sqlite3"
    shutil.copy(qa_corpus[1], copy)
    return copy


@pytest.fixture
async def qa_desk(
    qa_corpus: tuple[Path, Path], qa_db: Path, analyser: Analyser
) -> AsyncIterator[Newsdesk]:
    desk = Newsdesk(qa_settings(qa_corpus[0], qa_db), await Store.open(qa_db), analyser)
    yield desk
    await desk.close()


@pytest.fixture
def answerer(qa_desk: Newsdesk) -> Answerer:
    return Answerer(qa_desk.store, qa_desk.analyser, qa_desk.settings)
