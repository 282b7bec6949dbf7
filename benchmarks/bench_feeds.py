"""Event-loop lag of a feed poll vs the ingest it triggers.

    python benchmarks/bench_feeds.py [-n 50] [--host-gap 0.05]

A local news site (tests/feedsite.py) on 127.0.0.1 serves one RSS feed; a first poll
primes it (and loads the models), then `n` new items appear and one poll takes them all:
each page fetched through the URL guard, extracted with trafilatura, saved, then one
ingest. A heartbeat every 10 ms measures how late the loop wakes, split into the poll's
own work (fetch, parse, extract, save) and the ingest. Prints a table and a RESULT line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import ROOT, distribution_ms, emit, settings

sys.path.insert(0, str(ROOT / "tests"))
from feedsite import FeedSite, publish, story

from bot.feeds.params import FeedParams
from bot.feeds.service import FeedService
from bot.service import Newsdesk
from bot.store import Store

HEARTBEAT = 0.01


async def run(n: int, host_gap: float) -> dict[str, Any]:
    site = await FeedSite().start()
    with tempfile.TemporaryDirectory(prefix="bench-feeds-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        s = replace_settings(settings(corpus, Path(tmp) / "db.sqlite3"))
        desk = Newsdesk(s, await Store.open(s.database))
        params = FeedParams(host_gap=host_gap, max_posts_per_poll=n)
        phases: dict[str, list[float]] = {"poll": [], "ingest": []}
        phase = {"now": "idle"}
        spans: dict[str, float] = {}

        async def timed_ingest() -> Any:
            spans["poll_s"] = time.perf_counter() - spans.get("start", time.perf_counter())
            phase["now"] = "ingest"
            started = time.perf_counter()
            try:
                return await desk.ingest()
            finally:
                spans["ingest_s"] = time.perf_counter() - started
                phase["now"] = "idle"

        feeds = FeedService(desk, params)
        feeds.poller.ingest = timed_ingest
        try:
            publish(site, "/rss", [story(0)])
            await feeds.add(site.url("/rss"))
            await feeds.poll(every=True)  # primes the feed; the ingest loads the models
            publish(site, "/rss", [story(i) for i in range(n + 1)])

            done = asyncio.Event()

            async def heartbeat() -> None:
                while not done.is_set():
                    started = time.perf_counter()
                    await asyncio.sleep(HEARTBEAT)
                    late = time.perf_counter() - started - HEARTBEAT
                    if phase["now"] in phases:
                        phases[phase["now"]].append(late)

            async def poll() -> Any:
                try:
                    phase["now"] = "poll"
                    spans["start"] = time.perf_counter()
                    return await feeds.poll(every=True)
                finally:
                    done.set()

            report, _ = await asyncio.gather(poll(), heartbeat())
            added = sum(len(p.added) for p in report.polls)
        finally:
            await desk.close()
            await site.stop()
    return {
        "items": n,
        "added": added,
        "poll_s": round(spans.get("poll_s", 0.0), 2),
        "ingest_s": round(spans.get("ingest_s", 0.0), 2),
        "poll_worst_lag_ms": round(max(phases["poll"], default=0.0) * 1000, 1),
        "ingest_worst_lag_ms": round(max(phases["ingest"], default=0.0) * 1000, 1),
        "poll_lag": distribution_ms(phases["poll"]),
        "ingest_lag": distribution_ms(phases["ingest"]),
    }


def replace_settings(s: Any) -> Any:
    """The bench site is on 127.0.0.1: the explicit switch, as in the tests."""
    return s.model_copy(update={"allow_private_urls": True})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=50, help="new items in the measured poll")
    parser.add_argument("--host-gap", type=float, default=0.05, help="seconds between requests")
    args = parser.parse_args()
    figures = asyncio.run(run(args.n, args.host_gap))
    print(f"{'phase':<8} {'seconds':>8} {'worst lag ms':>13} {'p99 ms':>8} {'p50 ms':>8}")
    for name in ("poll", "ingest"):
        dist = figures[f"{name}_lag"]
        print(
            f"{name:<8} {figures[f'{name}_s']:>8} {figures[f'{name}_worst_lag_ms']:>13} "
            f"{dist.get('p99_ms', 0):>8} {dist.get('p50_ms', 0):>8}"
        )
    print(f"{figures['added']} of {figures['items']} items added")
    emit(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
