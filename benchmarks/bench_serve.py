"""Serving figures in one process over a built database: command latency, the event
loop's worst lag while an ingest runs, and peak RSS with the models loaded.

    python benchmarks/bench_serve.py latency CORPUS DB [--iterations 200] [--asks 30]
    python benchmarks/bench_serve.py lag CORPUS DB --extra 16

`lag` works on a copy of the database and a folder holding the corpus (hard links) plus
`--extra` new articles, ingests those while commands are served, and times how late a
5 ms heartbeat on the event loop wakes up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench_common import distribution_ms, emit, peak_rss_mb, settings

from bot.autocomplete import ChoiceCache
from bot.errors import UserError
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.store_factory import open_store
from corpora import QA_QUESTIONS

HEARTBEAT = 0.005
RSS_EVERY = 0.25  # seconds between RSS samples during the lag phase's ingest
PAGE = os.sysconf("SC_PAGE_SIZE")
Command = Callable[[], Awaitable[Any]]


class Workload:
    """Realistic inputs for each command, drawn from what the database holds."""

    def __init__(self, desk: Newsdesk, choices: ChoiceCache, seed: int = 1) -> None:
        self.desk = desk
        self.choices = choices
        self.rng = random.Random(seed)
        self.articles: list[str] = []
        self.titles: list[str] = []
        self.speakers: list[str] = []
        self.names: list[str] = []
        self.questions: list[str] = []
        self.errors: dict[str, int] = {}

    async def load(self) -> None:
        rows = await self.desk.store.list_articles(limit=10_000_000)
        self.articles = [r.id for r in rows]
        self.titles = [r.title for r in rows]
        speakers = await self.desk.speakers()
        # Half the draws from the most quoted, half from anyone: both kinds get looked up.
        self.speakers = [n for n, _ in speakers[:50]] + [n for n, _ in speakers]
        ranked = await self.desk.store.ranked_entities(limit=1_000_000)
        self.names = [r[1] for r in ranked[:50]] + [r[1] for r in ranked]
        self.questions = [
            json.loads(line)["question"] for line in QA_QUESTIONS.read_text().splitlines() if line
        ]

    def _pick(self, items: list[str]) -> str:
        if len(items) > 50 and self.rng.random() < 0.5:
            return self.rng.choice(items[:50])
        return self.rng.choice(items)

    def _prefix(self) -> str:
        words = self.rng.choice(self.titles).split()
        word = self.rng.choice(words) if words else ""
        return word[: self.rng.randint(1, 4)]

    async def _guard(self, kind: str, call: Awaitable[Any]) -> Any:
        try:
            return await call
        except UserError:  # ambiguous or unknown: an answer too
            self.errors[kind] = self.errors.get(kind, 0) + 1
            return None

    def commands(self, with_ask: bool) -> dict[str, Command]:
        async def summary() -> Any:
            result = await self.desk.summary(self.rng.choice(self.articles))
            if not result.cached:
                self.errors["summary not cached"] = self.errors.get("summary not cached", 0) + 1
            return result

        async def quotes() -> Any:
            return await self._guard("quotes", self.desk.quotes(speaker=self._pick(self.speakers)))

        async def entity() -> Any:
            return await self._guard("entity", self.desk.entity(self._pick(self.names)))

        async def autocomplete() -> Any:
            return self.choices.article_choices(self._prefix())

        async def entity_autocomplete() -> Any:
            return self.choices.entity_choices(self._prefix())

        async def ask() -> Any:
            return await self._guard("ask", self.desk.ask(self.rng.choice(self.questions)))

        commands: dict[str, Command] = {
            "summary (cached)": summary,
            "quotes by speaker": quotes,
            "entity lookup": entity,
            "article autocomplete": autocomplete,
            "entity autocomplete": entity_autocomplete,
        }
        if with_ask:
            commands["ask"] = ask
        return commands


async def _timed(command: Command) -> float:
    started = time.perf_counter()
    await command()
    return time.perf_counter() - started


async def _timed_cpu(command: Command) -> tuple[float, float]:
    """(wall, process CPU) seconds: on a shared machine a wall tail can be time spent
    waiting for a core; the CPU time (every thread, SQLite's included) is the work."""
    wall, cpu = time.perf_counter(), time.process_time()
    await command()
    return time.perf_counter() - wall, time.process_time() - cpu


async def open_desk(corpus: Path, db: Path | str) -> tuple[Newsdesk, ChoiceCache, float]:
    """The service with both models loaded, as the bot holds it; and the load's seconds."""
    config = settings(corpus, db)
    analyser = Analyser(config)
    started = time.perf_counter()
    await asyncio.to_thread(lambda: (analyser.nlp, analyser.embedder.encode(["warm up"])))
    load = time.perf_counter() - started
    desk = Newsdesk(config, await open_store(db), analyser)
    choices = ChoiceCache()
    await choices.refresh(desk)
    return desk, choices, load


async def first_ask_after_warm_up(corpus: Path, db: Path | str) -> dict[str, float]:
    """As the bot does after a warm start: nothing loaded, the background warm-up (the
    models, the sentence matrix), then a user's first question."""
    config = settings(corpus, db)
    desk = Newsdesk(config, await open_store(db), Analyser(config))
    try:
        started = time.perf_counter()
        await desk.warm_up()
        warm = time.perf_counter() - started
        first = await _timed(lambda: desk.ask("Who leads the ministry?"))
        second = await _timed(lambda: desk.ask("Where was the agreement signed?"))
    finally:
        await desk.close()
    return {
        "warm_up_s": round(warm, 2),
        "first_ask_ms": round(first * 1000, 1),
        "second_ask_ms": round(second * 1000, 1),
    }


async def latency(corpus: Path, db: Path | str, iterations: int, asks: int) -> dict[str, Any]:
    first_ask = await first_ask_after_warm_up(corpus, db)
    desk, choices, load = await open_desk(corpus, db)
    try:
        work = Workload(desk, choices)
        await work.load()
        with_ask = hasattr(desk, "ask")
        figures: dict[str, Any] = {}
        for name, command in work.commands(with_ask).items():
            first = await _timed(command)  # may build a cache (names, sentence matrix)
            n = asks if name == "ask" else iterations
            timed = [await _timed_cpu(command) for _ in range(n)]
            cpu = distribution_ms([c for _, c in timed])
            figures[name] = {
                **distribution_ms([w for w, _ in timed]),
                "cpu_p50_ms": cpu["p50_ms"],
                "cpu_p99_ms": cpu["p99_ms"],
                "first_ms": round(first * 1000, 1),
            }
        return {
            "articles": len(work.articles),
            "model_load_s": round(load, 2),
            "first_ask": first_ask,
            "commands": figures,
            "ask_skipped": None if with_ask else "Newsdesk has no ask() yet",
            "user_errors": work.errors,
            "peak_rss_mb": peak_rss_mb(),
        }
    finally:
        await desk.close()


def _lag_corpus(corpus: Path, folder: Path, extra: int, seed: int) -> None:
    """`folder`: every corpus file plus `extra` new generated articles. The files are
    hard links (copies keeping their mtime across file systems): the corpus loader skips
    symlinks that leave the folder, and a changed stat would have every file re-read."""
    from generate_corpus import DEFAULT_SOURCES, load_sources, make_article

    folder.mkdir()
    files = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")
    for path in files:
        try:
            os.link(path, folder / path.name)
        except OSError:
            shutil.copy2(path, folder / path.name)
    sources = load_sources(DEFAULT_SOURCES)
    for i in range(len(files), len(files) + extra):
        title, body = make_article(sources, seed, i)
        (folder / f"{i:05d}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")


class SlowCallbacks(logging.Handler):
    """Collects asyncio debug mode's "Executing … took N seconds" warnings."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "took" in message:  # the start names the callback, the end how long it took
            self.messages.append(f"{message[:300]} … {message[-30:]}")


async def lag(corpus: Path, db: Path, extra: int, seed: int, debug: bool) -> dict[str, Any]:
    # Beside the database, so the corpus can be hard-linked (same file system).
    with tempfile.TemporaryDirectory(prefix="bench-lag-", dir=db.parent) as tmp:
        work_db, work_corpus = Path(tmp) / "db.sqlite3", Path(tmp) / "corpus"
        with sqlite3.connect(db) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(db, work_db)
        _lag_corpus(corpus, work_corpus, extra, seed)
        desk, choices, _ = await open_desk(work_corpus, work_db)
        slow = SlowCallbacks()
        loop = asyncio.get_running_loop()
        if debug:
            loop.set_debug(True)
            loop.slow_callback_duration = 0.05
            logging.getLogger("asyncio").addHandler(slow)
        try:
            work = Workload(desk, choices, seed=2)
            await work.load()
            commands = work.commands(hasattr(desk, "ask"))
            for command in commands.values():  # caches built before the clock starts
                await command()
            slow.messages.clear()  # only what blocks the loop during the ingest
            return await _lag_run(desk, choices, commands, work.errors) | {
                "slow_callbacks": slow.messages[:10]
            }
        finally:
            await desk.close()


async def _lag_run(
    desk: Newsdesk, choices: ChoiceCache, commands: dict[str, Command], errors: dict[str, int]
) -> dict[str, Any]:
    done = asyncio.Event()
    lags: list[float] = []
    served: dict[str, list[float]] = {name: [] for name in commands}

    async def heartbeat() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await asyncio.sleep(HEARTBEAT)
            lags.append(time.perf_counter() - started - HEARTBEAT)

    async def client() -> None:
        names = list(commands)
        i = 0
        while not done.is_set():
            name = names[i % len(names)]
            served[name].append(await _timed(commands[name]))
            i += 1
            await asyncio.sleep(0.02)

    rss: list[tuple[float, float]] = []  # (seconds since start, MB)

    async def sample_rss() -> None:
        while not done.is_set():
            rss.append((round(time.perf_counter() - started, 2), rss_mb()))
            await asyncio.sleep(RSS_EVERY)
        rss.append((round(time.perf_counter() - started, 2), rss_mb()))

    async def ingest() -> Any:
        try:
            report = await desk.ingest()
            await choices.refresh(desk)  # what the bot does after each ingest
            return report
        finally:
            done.set()

    started = time.perf_counter()
    report, *_ = await asyncio.gather(ingest(), heartbeat(), client(), sample_rss())
    return {
        "ingest_s": round(time.perf_counter() - started, 2),
        "analysed": report.analysed,
        "unchanged": report.unchanged,
        "removed": report.removed,  # not 0: the folder lost files (a broken set-up)
        "worst_lag_ms": round(max(lags, default=0.0) * 1000, 1),
        "lag": distribution_ms(lags),
        "commands_during_ingest": {k: distribution_ms(v) for k, v in served.items()},
        "user_errors": errors,
        "rss_over_time_mb": rss,
        "peak_rss_mb": peak_rss_mb(),
    }


def rss_mb() -> float:
    """This process's resident set size now (Linux: /proc/self/statm, in pages)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return round(pages * PAGE / 2**20, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["latency", "lag"])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("db", help="a SQLite file, or a postgresql:// URL (latency only)")
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--asks", type=int, default=30)
    parser.add_argument("--extra", type=int, default=16)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--debug", action="store_true", help="name callbacks over 50 ms")
    args = parser.parse_args()
    if args.mode == "latency":
        emit(asyncio.run(latency(args.corpus, args.db, args.iterations, args.asks)))
    else:
        emit(asyncio.run(lag(args.corpus, Path(args.db), args.extra, args.seed, args.debug)))


if __name__ == "__main__":
    main()
