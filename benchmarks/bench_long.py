"""One long article ingested alone: time and peak RSS by article size.

Each size runs in a fresh process (so peak RSS is that article's): the models load and
warm up first, then the real `ingest()` reads one .txt article of the size (generated
prose, news articles one after another) into an empty database. The figures show whether
an article's cost grows in proportion to its size, and its peak RSS against the serving
figure.

    python benchmarks/bench_long.py [--sizes-mb 0.1 0.5 1 2] [--seed 7]
    python benchmarks/bench_long.py --one 0.5      # one size, in this process
    python benchmarks/bench_long.py --stages       # entities and quotes on one 10/160 KB Doc
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import emit, parse_result, peak_rss_mb, settings
from generate_corpus import DEFAULT_SOURCES, load_sources, make_article

DEFAULT_SIZES_MB = (0.01, 0.1, 0.5, 1.0, 2.0)  # 10 KB: a news article, the per-KB base
STAGE_SIZES_KB = (10, 160)
HERE = Path(__file__).resolve().parent


def long_text(size_bytes: int, seed: int) -> str:
    """Article bodies joined by blank lines until the text is `size_bytes` long."""
    sources = load_sources(DEFAULT_SOURCES)
    parts: list[str] = []
    total, i = 0, 0
    while total < size_bytes:
        _, body = make_article(sources, seed, i)
        parts.append(body)
        total += len(body.encode()) + 2
        i += 1
    return "\n\n".join(parts)


async def _one(size_mb: float, seed: int) -> dict[str, Any]:
    from bot.corpus import article_id
    from bot.ingest import ingest
    from bot.nlp.pipeline import Analyser, chunk_spans
    from bot.store import Store

    with tempfile.TemporaryDirectory(prefix="bench-long-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        text = long_text(int(size_mb * 1_000_000), seed)
        path = corpus / "long.txt"
        path.write_text(f"A very long article\n\n{text}\n", encoding="utf-8")
        s = settings(corpus, Path(tmp) / "db.sqlite3")
        analyser = Analyser(s)
        analyser.nlp("Warm up the parser. Officials said so.")
        analyser.embedder.encode(["warm up the encoder"])
        models_mb = peak_rss_mb()
        store = await Store.open(s.database)
        started = time.perf_counter()
        report = await ingest(
            store, analyser, corpus, max_bytes=s.max_file_bytes, batch_size=1, progress=False
        )
        seconds = time.perf_counter() - started
        sentences = len(await store.sentences(article_id("long.txt")))
        await store.close()
    return {
        "size_mb": size_mb,
        "bytes": len(text.encode()),
        "chunks": len(chunk_spans(text, analyser.chunk_params)),
        "sentences": sentences,
        "analysed": report.analysed,
        "skipped": [f"{x.source}: {x.reason}" for x in report.skipped],
        "seconds": round(seconds, 2),
        "models_rss_mb": models_mb,
        "peak_rss_mb": peak_rss_mb(),
    }


def stage_scale(sizes_kb: tuple[int, ...], seed: int) -> dict[str, Any]:
    """CPU ms per KB of the entity and quote stages on one spaCy Doc of each size, with
    no chunking: the chunks hide a step that grows with the square of a Doc's length
    from the ingest's figures, not from a paragraph-less text. Each size is the start
    of the same generated text; a small Doc warms the lexicons first."""
    from bot.nlp.entities import analyse_entities
    from bot.nlp.quotes import extract_quotes
    from bot.nlp.spacy_model import load_spacy

    nlp = load_spacy(settings(Path("."), Path("unused.sqlite3")).spacy_model)
    text = long_text(max(sizes_kb) * 1000, seed)
    warm = nlp(text[:2000])
    extract_quotes(warm, analyse_entities(warm))
    rows = []
    for kb in sizes_kb:
        doc = nlp(text[: kb * 1000])
        started = time.process_time()
        entities = analyse_entities(doc)
        mid = time.process_time()
        quotes = extract_quotes(doc, entities)
        done = time.process_time()
        rows.append(
            {
                "kb": kb,
                "entities_ms_per_kb": round((mid - started) * 1000 / kb, 2),
                "quotes_ms_per_kb": round((done - mid) * 1000 / kb, 2),
                "quotes": len(quotes),
            }
        )
    return {"docs": rows}


def run(sizes: list[float], seed: int) -> dict[str, Any]:
    """Each size in its own process; a failed size is recorded, the others still run."""
    rows = []
    for size in sizes:
        argv = [sys.executable, str(HERE / "bench_long.py"), "--one", str(size), f"--seed={seed}"]
        print(f"$ {' '.join(argv[1:])}", file=sys.stderr, flush=True)
        proc = subprocess.run(argv, stdout=subprocess.PIPE, text=True, cwd=HERE.parent)
        try:
            rows.append(parse_result(proc.stdout))
        except RuntimeError:
            rows.append({"size_mb": size, "error": f"exited with status {proc.returncode}"})
    argv = [sys.executable, str(HERE / "bench_long.py"), "--stages", f"--seed={seed}"]
    print(f"$ {' '.join(argv[1:])}", file=sys.stderr, flush=True)
    proc = subprocess.run(argv, stdout=subprocess.PIPE, text=True, cwd=HERE.parent)
    try:
        stages = parse_result(proc.stdout)
    except RuntimeError:
        stages = {"error": f"exited with status {proc.returncode}"}
    return {"sizes": rows, "stages": stages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes-mb", type=float, nargs="+", default=list(DEFAULT_SIZES_MB))
    parser.add_argument("--one", type=float, help="measure one size in this process")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--stages", action="store_true", help="entity and quote ms/KB on one 10 and 160 KB Doc"
    )
    args = parser.parse_args(argv)
    if args.stages:
        emit(stage_scale(STAGE_SIZES_KB, args.seed))
        return 0
    if args.one is not None:
        emit(asyncio.run(_one(args.one, args.seed)))
        return 0
    results = run(args.sizes_mb, args.seed)
    for row in results["sizes"]:
        print(row, file=sys.stderr)
    emit(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
