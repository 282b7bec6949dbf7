"""`python -m bot worker`: the ingesting process of a multi-process deployment, with no
gateway connection (docs/scaling.md). It brings the store up to date with the folder,
then re-ingests on every change there; bot processes with SERVE_ONLY set leave ingest to
it and refresh when its commits are announced (PostgreSQL LISTEN/NOTIFY)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass

from bot.ingest import IngestReport
from bot.service import IngestBusy, Newsdesk
from bot.watcher import CorpusWatcher

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WorkerParams:
    busy_retry_s: float = 5.0  # how often to try again while another process ingests


async def ingest_when_free(
    desk: Newsdesk, stop: asyncio.Event, params: WorkerParams = WorkerParams()
) -> IngestReport | None:
    """One ingest, waiting while another process holds the ingest lock; None if stopped."""
    while not stop.is_set():
        try:
            return await desk.ingest()
        except IngestBusy:
            log.info("another process is ingesting; trying again in %.0f s", params.busy_retry_s)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), params.busy_retry_s)
    return None


async def run_worker(
    desk: Newsdesk, *, stop: asyncio.Event | None = None, params: WorkerParams = WorkerParams()
) -> int:
    """Ingest, then watch the folder until SIGINT/SIGTERM (or `stop` is set)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    report = await ingest_when_free(desk, stop, params)
    if report is not None:
        log.info("corpus ready: %s", report.summary_line())
    watcher = CorpusWatcher(
        desk.settings.corpus_dir,
        lambda: ingest_when_free(desk, stop, params),
        debounce_ms=desk.settings.watch_debounce_ms,
    )
    watcher.start()
    try:
        await stop.wait()
    finally:
        await watcher.stop()
    return 0
