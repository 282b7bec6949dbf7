"""Cold ingest against bare spaCy, side by side in one process.

Models load (and warm up) first and count in neither figure. Then bare `nlp.pipe` runs
over the articles' texts, the full `ingest()` into an empty database, and bare spaCy
again; the ratio divides the ingest by the mean of the two spaCy runs, so a change in the
machine's load during the run shows in both. The ingest's time is split by stage.

    python benchmarks/bench_cold.py CORPUS DB
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_common import emit, settings


class StageTimer:
    """Seconds spent inside wrapped callables, by stage name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, fn: Callable[..., Any], *, materialise: bool = False) -> Any:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
                return iter(list(result)) if materialise else result
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

        return timed

    def wrap_async(self, name: str, fn: Callable[..., Any]) -> Any:
        @functools.wraps(fn)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await fn(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

        return timed


def bare_spacy(nlp: Any, texts: list[str]) -> tuple[float, int]:
    """(seconds, tokens) of spaCy alone, batched as the ingest batches."""
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=8))
    return time.perf_counter() - started, tokens


async def run(corpus: Path, db: Path) -> dict[str, Any]:
    from bot.corpus import load_corpus
    from bot.ingest import ingest
    from bot.nlp.pipeline import Analyser
    from bot.store import Store

    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    config = settings(corpus, db)
    load0 = os.getloadavg()[0]
    analyser = Analyser(config)
    started = time.perf_counter()
    nlp = analyser.nlp
    analyser.embedder.encode(["Warming up the encoder."])
    list(nlp.pipe(["Warming up spaCy, said the benchmark."]))
    model_load = time.perf_counter() - started

    texts = [a.text for a in load_corpus(corpus, config.max_file_bytes).articles]
    spacy_before, tokens = bare_spacy(nlp, texts)

    timer = StageTimer()
    nlp.pipe = timer.wrap("spacy", nlp.pipe, materialise=True)  # type: ignore[method-assign]
    analyser.embedder.encode = timer.wrap("encode", analyser.embedder.encode)  # type: ignore[method-assign]
    store = await Store.open(db)
    store.save_analysis = timer.wrap_async("save", store.save_analysis)  # type: ignore[method-assign]
    try:
        started = time.perf_counter()
        report = await ingest(
            store,
            analyser,
            corpus,
            max_bytes=config.max_file_bytes,
            batch_size=config.batch_size,
            progress=False,
        )
        ingest_seconds = time.perf_counter() - started
        integrity = await store.integrity_check()
    finally:
        await store.close()
    del nlp.pipe  # the instance attribute; the class's pipe again
    spacy_after, _ = bare_spacy(nlp, texts)

    with sqlite3.connect(db) as conn:
        sentences = conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
    spacy_mean = (spacy_before + spacy_after) / 2
    stages = {k: round(v, 3) for k, v in timer.seconds.items()}
    stages["other"] = round(ingest_seconds - sum(timer.seconds.values()), 3)
    return {
        "articles": report.analysed,
        "sentences": sentences,
        "tokens": tokens,
        "model_load_s": round(model_load, 2),
        "spacy_s": [round(spacy_before, 3), round(spacy_after, 3)],
        "ingest_s": round(ingest_seconds, 3),
        "ratio": round(ingest_seconds / spacy_mean, 3),
        "articles_per_s": round(report.analysed / ingest_seconds, 3),
        "spacy_articles_per_s": round(len(texts) / spacy_mean, 3),
        "stages_s": stages,
        "integrity": integrity,
        "loadavg": [round(load0, 2), round(os.getloadavg()[0], 2)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("db", type=Path)
    args = parser.parse_args()
    emit(asyncio.run(run(args.corpus, args.db)))


if __name__ == "__main__":
    main()
