"""The corpus folder is watched: added, changed and deleted files are re-ingested."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from support import GUM_DIR

from bot.ingest import IngestReport
from bot.service import Newsdesk
from bot.watcher import CorpusWatcher

ARTICLE = "A title\n\nSome body text for the article.\n"


async def wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def test_batches_of_changes_trigger_one_ingest_each(tmp_path: Path) -> None:
    calls: list[float] = []
    seen: list[IngestReport] = []

    async def ingest() -> IngestReport:
        calls.append(asyncio.get_running_loop().time())
        return IngestReport(new=1)

    async def after(report: IngestReport) -> None:
        seen.append(report)

    watcher = CorpusWatcher(tmp_path, ingest, on_ingest=after, debounce_ms=200)
    watcher.start()
    await asyncio.sleep(0.5)  # let the OS watch settle
    try:
        (tmp_path / ".hidden.txt").write_text(ARTICLE)
        (tmp_path / "notes.pdf").write_text("ignored")
        await asyncio.sleep(1.0)
        assert calls == []  # neither an article file nor visible
        for i in range(3):
            (tmp_path / f"a{i}.txt").write_text(ARTICLE)
        await wait_for(lambda: _true(len(calls) >= 1))
        await asyncio.sleep(0.6)
        assert len(calls) == 1 and len(seen) == 1  # one debounced batch
        (tmp_path / "a0.txt").unlink()
        await wait_for(lambda: _true(len(calls) >= 2))
    finally:
        await watcher.stop()


async def test_a_failing_ingest_keeps_watching(tmp_path: Path) -> None:
    calls = 0

    async def ingest() -> IngestReport:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("disk full")
        return IngestReport()

    watcher = CorpusWatcher(tmp_path, ingest, debounce_ms=100)
    watcher.start()
    await asyncio.sleep(0.5)
    try:
        (tmp_path / "a.txt").write_text(ARTICLE)
        await wait_for(lambda: _true(calls >= 1))
        await asyncio.sleep(0.3)
        (tmp_path / "b.txt").write_text(ARTICLE)
        await wait_for(lambda: _true(calls >= 2))
    finally:
        await watcher.stop()


async def test_a_dropped_in_article_is_searchable_within_seconds(desk: Newsdesk) -> None:
    await desk.ingest()
    watcher = CorpusWatcher(desk.corpus_dir, desk.ingest, debounce_ms=300)
    watcher.start()
    await asyncio.sleep(0.5)
    try:
        shutil.copy(GUM_DIR / "afghan.txt", desk.corpus_dir / "afghan.txt")

        async def present() -> bool:
            return any(r.source == "afghan.txt" for r in await desk.articles(None))

        await wait_for(present, timeout=30)
        (desk.corpus_dir / "afghan.txt").unlink()

        async def gone() -> bool:
            return not any(r.source == "afghan.txt" for r in await desk.articles(None))

        await wait_for(gone, timeout=30)
    finally:
        await watcher.stop()


async def _true(value: bool) -> bool:
    return value
