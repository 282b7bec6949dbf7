"""Being a polite client: one request at a time per host, a gap between them, and
exponential backoff with jitter (or the server's Retry-After) after errors."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

from bot.feeds.params import FeedParams


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def backoff(failures: int, params: FeedParams, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `failures`-th consecutive failure (1, 2, …)."""
    base = min(params.backoff_max, params.backoff_base * 2 ** max(0, failures - 1))
    spread = base * params.backoff_jitter
    return max(0.0, base + (rng or random).uniform(-spread, spread))


def next_poll_after_failure(
    failures: int, retry_after: float | None, interval: float, params: FeedParams
) -> float:
    """Delay before the next try: the backoff, never sooner than Retry-After (capped) and
    never later than the backoff ceiling unless the server asked."""
    delay = max(backoff(failures, params), min(interval, params.backoff_max) / 4)
    if retry_after is not None:
        delay = max(delay, min(retry_after, params.retry_after_max))
    return delay


class HostGate:
    """`async with gate.host(url):` — one request at a time to a host, `gap` apart; a host
    can be held back (Retry-After) until a given time."""

    def __init__(self, gap: float) -> None:
        self.gap = gap
        self._locks: dict[str, asyncio.Lock] = {}
        self._free_at: dict[str, float] = {}

    def hold(self, url: str, seconds: float) -> None:
        host = host_of(url)
        self._free_at[host] = max(self._free_at.get(host, 0.0), time.monotonic() + seconds)

    def held_for(self, url: str) -> float:
        return max(0.0, self._free_at.get(host_of(url), 0.0) - time.monotonic())

    @contextlib.asynccontextmanager
    async def host(self, url: str) -> AsyncIterator[None]:
        host = host_of(url)
        lock = self._locks.setdefault(host, asyncio.Lock())
        async with lock:
            wait = self._free_at.get(host, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._free_at[host] = max(self._free_at.get(host, 0.0), time.monotonic() + self.gap)
