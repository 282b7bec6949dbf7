"""Do both backends retrieve and answer alike? Full-text top-10 overlap and QA answers.

    python benchmarks/backend_parity.py CORPUS SQLITE_DB POSTGRESQL_URL

Both stores must hold the same ingested corpus (e.g. after `python -m bot export` on
each). For every question of benchmarks/qa_questions.jsonl: the (article, sentence) keys
of the full-text top 10 (FTS5 bm25 vs tsvector ts_rank), their overlap, whether the top
hit is the same, and whether `ask` gives the same answer text. Prints one RESULT line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

from bench_common import ROOT, emit, settings

from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.store_factory import open_store


async def _keys(desk: Newsdesk, question: str) -> list[tuple[str, int]]:
    hits = await desk.store.search_sentences(question, 10)
    rows = await desk.store.passages([h for h, _ in hits])
    return [(rows[h][0], rows[h][1]) for h, _ in hits if h in rows]


async def run(corpus: Path, sqlite_db: str, url: str) -> dict[str, Any]:
    questions = [
        json.loads(line)["question"]
        for line in (ROOT / "benchmarks" / "qa_questions.jsonl").read_text().splitlines()
        if line.strip()
    ]
    analyser = Analyser(settings(corpus, Path(sqlite_db)))
    desks = [
        Newsdesk(settings(corpus, db), await open_store(db), analyser) for db in (sqlite_db, url)
    ]
    overlap, same_top, same_answer, both_empty = [], 0, 0, 0
    try:
        for q in questions:
            a, b = [await _keys(d, q) for d in desks]
            if not a and not b:
                both_empty += 1
            else:
                overlap.append(len(set(a) & set(b)) / max(len(a), len(b)))
                same_top += bool(a and b and a[0] == b[0])
            answers = [await d.ask(q) for d in desks]
            same_answer += answers[0].answer == answers[1].answer
    finally:
        for d in desks:
            await d.close()
    n = len(questions)
    return {
        "questions": n,
        "fts_top10_overlap_mean": round(sum(overlap) / max(len(overlap), 1), 3),
        "fts_same_top_hit": same_top,
        "fts_both_empty": both_empty,
        "same_answer": same_answer,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("sqlite_db")
    parser.add_argument("url")
    args = parser.parse_args()
    emit(asyncio.run(run(args.corpus, args.sqlite_db, args.url)))


if __name__ == "__main__":
    main()
