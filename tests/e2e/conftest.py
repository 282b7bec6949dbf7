"""The real bot, started through `python -m bot run`'s code path, logged in to the fake.

`bot.cli._run` is awaited as a task with the arguments a user would type (`run --sync
--guild ID`); the fake Discord answers on 127.0.0.1. The bot is stopped the way a server
stops it: SIGTERM to this process, caught by the bot's own handler.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import shutil
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fakediscord import FakeDiscord

# Imported, not `pytest_plugins`: pytest only allows that in the top-level conftest.
from fakediscord.fixtures import fake_discord  # noqa: F401  (pytest fixture)
from support import copy_corpus

from bot import cli
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.settings import Settings

LINKED = {
    "title": "Markets rally as @everyone cheers",
    "url": "https://news.example/markets/rally",
    "site": "Example News",
    "text": (
        "Stock markets rose sharply on Monday as investors welcomed new trade figures.\n\n"
        '"We are pleased with the numbers," said Jane Doe, chief economist at Example Bank. '
        "She added that @everyone in the markets had expected a weaker quarter.\n\n"
        "Analysts said the rally could continue into the summer."
    ),
}


@dataclass
class Running:
    fake: FakeDiscord
    corpus: Path
    slowest: list[tuple[str, float]] = field(default_factory=list)


@pytest.fixture(scope="session")
def e2e_corpus(tmp_path_factory: pytest.TempPathFactory, analyser: Analyser) -> Path:
    """Seed, two GUM articles and a linked JSON article, ingested once for the session."""
    root = tmp_path_factory.mktemp("e2e")
    corpus = copy_corpus(root / "corpus", gum=["afghan.txt", "election.txt"])
    (corpus / "linked.json").write_text(json.dumps(LINKED), encoding="utf-8")

    async def build() -> None:
        settings = Settings(_env_file=None, corpus_dir=corpus, database=root / "db.sqlite3")
        desk = await Newsdesk.open(settings, analyser=analyser)
        await desk.ingest()
        await desk.close()

    asyncio.run(build())
    return root


@contextlib.asynccontextmanager
async def bot_process(
    fake: FakeDiscord, folder: Path, analyser: Analyser, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Running]:
    """`python -m bot run --sync --guild <fake guild> --corpus … --db …`, until SIGTERM."""
    monkeypatch.chdir(folder)  # and no developer .env is read
    for key, value in {
        "DISCORD_TOKEN": "fake-token",
        "DISCORD_OWNER_ID": fake.world.owner["id"],
        "ASK_PER_MINUTE": "0",  # hostile-input rounds would otherwise hit the cooldown
        "SUMMARY_PER_MINUTE": "0",
        "WATCH_DEBOUNCE_MS": "300",
    }.items():
        monkeypatch.setenv(key, value)

    argv = ["run", "--corpus", "corpus", "--db", "db.sqlite3", "--sync"]
    args = cli.build_parser().parse_args([*argv, "--guild", fake.world.guild_id])
    root = logging.getLogger()
    saved = root.level, list(root.handlers)  # the bot installs its own log handler
    task = asyncio.create_task(cli._run(args, analyser=analyser), name="python -m bot run")
    ready = asyncio.create_task(fake.wait_ready(timeout=30))
    done, _ = await asyncio.wait({task, ready}, timeout=30, return_when="FIRST_COMPLETED")
    if task in done:
        raise RuntimeError(f"the bot exited before READY: {task.result()!r}")
    assert ready in done, "the bot never reached READY"
    try:
        yield Running(fake, folder / "corpus")
    finally:
        ready.cancel()
        if not task.done() and signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
            os.kill(os.getpid(), signal.SIGTERM)  # the bot's own handler shuts it down
        else:
            task.cancel()
        try:
            with contextlib.suppress(asyncio.CancelledError):
                code = await asyncio.wait_for(task, 30)
                assert code == 0
        finally:
            root.setLevel(saved[0])
            root.handlers[:] = saved[1]
            for handler in root.handlers:  # the token filter the bot added to them
                handler.filters = [f for f in handler.filters if type(f).__name__ != "RedactSecret"]


@pytest.fixture
async def running(
    fake_discord: FakeDiscord,  # noqa: F811  (the imported fixture)
    e2e_corpus: Path,
    tmp_path: Path,
    analyser: Analyser,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Running]:
    """The bot over an already ingested copy of the corpus."""
    shutil.copytree(e2e_corpus / "corpus", tmp_path / "corpus")
    for db in e2e_corpus.glob("db.sqlite3*"):
        shutil.copy(db, tmp_path / db.name)
    async with bot_process(fake_discord, tmp_path, analyser, monkeypatch) as bot:
        yield bot


@pytest.fixture
async def cold_running(
    fake_discord: FakeDiscord,  # noqa: F811  (the imported fixture)
    e2e_corpus: Path,
    tmp_path: Path,
    analyser: Analyser,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Running]:
    """The bot on a first start: the corpus is there, nothing is cached yet."""
    shutil.copytree(e2e_corpus / "corpus", tmp_path / "corpus")
    async with bot_process(fake_discord, tmp_path, analyser, monkeypatch) as bot:
        yield bot
