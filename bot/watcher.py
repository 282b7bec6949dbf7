"""Watching the corpus folder so added, changed and deleted files show up without a restart.

watchfiles batches the file-system events of a quiet period (the debounce); each batch
that touches an article file triggers one incremental ingest, which only analyses what
changed. Hidden files (our own temporary writes) are ignored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from watchfiles import Change, DefaultFilter, awatch

from bot.corpus import SUPPORTED_SUFFIXES
from bot.ingest import IngestReport

log = logging.getLogger(__name__)

Ingest = Callable[[], Awaitable[IngestReport]]
OnIngest = Callable[[IngestReport], Awaitable[None]]


class ArticleFilter(DefaultFilter):
    """Article files only, no dot-files or dot-folders."""

    def __call__(self, change: Change, path: str) -> bool:
        p = Path(path)
        if any(part.startswith(".") for part in p.parts[-2:]):
            return False
        return super().__call__(change, path) and p.suffix.lower() in SUPPORTED_SUFFIXES


class CorpusWatcher:
    """Runs `ingest` after each debounced batch of changes under `folder`."""

    def __init__(
        self,
        folder: Path,
        ingest: Ingest,
        *,
        on_ingest: OnIngest | None = None,
        debounce_ms: int = 1500,
        force_polling: bool | None = None,
    ) -> None:
        self.folder = folder
        self._ingest = ingest
        self._on_ingest = on_ingest
        self._debounce_ms = debounce_ms
        self._force_polling = force_polling
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.ready = asyncio.Event()  # set once the watch is in place

    def start(self) -> asyncio.Task[None]:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._task = asyncio.create_task(self._run(), name="corpus-watcher")
        return self._task

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, 5.0)
            except TimeoutError:
                self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        watch = awatch(
            self.folder,
            watch_filter=ArticleFilter(),
            debounce=self._debounce_ms,
            step=50,
            stop_event=self._stop,
            force_polling=self._force_polling,
            poll_delay_ms=300,
            rust_timeout=500,
            yield_on_timeout=True,
        )
        self.ready.set()
        async for changes in watch:
            if not changes:
                continue  # a timeout tick: lets stop() be noticed promptly
            log.info("corpus changed (%d file event(s)); re-ingesting", len(changes))
            try:
                report = await self._ingest()
                if self._on_ingest is not None:
                    await self._on_ingest(report)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("re-ingest after a corpus change failed")
