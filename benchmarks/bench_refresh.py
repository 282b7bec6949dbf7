"""How soon a second process sees a new article on a PostgreSQL store.

    python benchmarks/bench_refresh.py postgresql://user@host/db [--rounds 30]

One connection commits a one-sentence article (as an ingest does); another, a separate
session as a second bot process holds, LISTENs. Measured: commit returned → notification
received (the moment a serving process drops its caches), and commit → the article
answerable from the listener's own connection. Prints one RESULT line of JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from bench_common import distribution_ms, emit

from bot.corpus import content_hash
from bot.records import AnalysedArticle, Article, Entity, Mention, Sentence
from bot.store_factory import open_store


def _article(i: int) -> AnalysedArticle:
    text = f"Refresh Person{i} opened harbour number {i}."
    name = f"Refresh Person{i}"
    article = Article(
        f"refresh-{i}", f"refresh/{i}.txt", f"Refresh {i}", text, content_hash("t", text)
    )
    mention = Mention(name, "PERSON", 0, len(name), name)
    return AnalysedArticle(
        article,
        "bench",
        [Sentence(0, 0, len(text), text)],
        [mention],
        {name: Entity(name, "PERSON", {name})},
    )


async def run(url: str, rounds: int) -> dict[str, Any]:
    writer, reader = await open_store(url), await open_store(url)
    heard = asyncio.Event()
    await reader.subscribe(heard.set)
    notified, visible = [], []
    try:
        for i in range(rounds):
            heard.clear()
            await writer.save_analysis(_article(i))
            committed = time.perf_counter()
            await asyncio.wait_for(heard.wait(), 10)
            notified.append(time.perf_counter() - committed)
            assert await reader.find_articles(f"refresh-{i}")
            visible.append(time.perf_counter() - committed)
        await writer.delete_articles(f"refresh-{i}" for i in range(rounds))
    finally:
        await writer.close()
        await reader.close()
    return {
        "rounds": rounds,
        "notified": distribution_ms(notified),
        "answerable": distribution_ms(visible),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    emit(asyncio.run(run(args.url, args.rounds)))


if __name__ == "__main__":
    main()
