"""`make bench`: every scale figure in one run, printed as a table and saved as JSON.

    python benchmarks/bench.py [-n 10000] [--cold-n 100] [--seed 7] [--only PHASE ...]

Generates the scale corpus (benchmarks/generate_corpus.py) under data/bench/, ingests it
once into data/bench/n{N}-s{seed}/db.sqlite3 (kept, and only topped up on later runs),
then runs each phase in its own process: the cold-ingest ratio on the first --cold-n
articles, warm restart, command latency with peak RSS (and the first /ask after the
background warm-up), event-loop lag during an ingest, a feed poll's lag, and one long
article ingested alone at each of --long-mb sizes (time, seconds per MB and peak RSS: a
step quadratic in the article's length shows as seconds per MB growing with the size).
Figures go to benchmarks/results/bench-n{N}-{time}.json.

The serving phases (restart, latency, lag) run over a synthesised store by default: the
first --templates articles (300) really ingested, their analysis copied to the other
articles under each file's own path, hash, size and mtime (benchmarks/synth_store.py says
why that is sound for speed and memory, and not for quality; the JSON and the table say
so). `--templates 0` ingests all N for real instead, which at 10,000 articles takes hours
the first time on two CPU cores; a quick run is `make bench N=100`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import synth_store
from bench_common import (
    RESULTS,
    ROOT,
    corpus_dir,
    database,
    ingest_folder,
    parse_result,
    workdir,
)
from bench_table import render_table
from generate_corpus import DEFAULT_SOURCES, load_sources, write_corpus

HERE = Path(__file__).resolve().parent
PHASES = ("cold", "restart", "latency", "lag", "feeds", "long")


def _run_phase(script: str, *args: str) -> dict[str, Any]:
    """A phase's figures; {"error": …} when it fails (the other phases still run)."""
    argv = [sys.executable, str(HERE / script), *args]
    print(f"$ {' '.join(argv[1:])}", file=sys.stderr, flush=True)
    started = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        figures = parse_result(proc.stdout)
    except RuntimeError:
        return {"error": f"{script} exited with status {proc.returncode}"}
    figures["phase_s"] = round(time.perf_counter() - started, 1)
    return figures


def restamp(db: Path) -> dict[str, int]:
    """Mark every article as analysed by the current pipeline version.

    For speed figures only: a pipeline revision bump would otherwise send a big database
    back through hours of NLP. What the articles hold (quotes, say) is then the earlier
    revision's, which matters not at all to how fast it is served. Recorded in the JSON.
    """
    from bench_common import settings

    from bot.nlp.pipeline import Analyser

    current = Analyser(settings(db.parent, db)).pipeline_version
    with sqlite3.connect(db) as conn:
        old = dict(
            conn.execute(
                "SELECT pipeline_version, count(*) FROM articles WHERE pipeline_version != ?"
                " GROUP BY 1",
                (current,),
            ).fetchall()
        )
        conn.execute("UPDATE articles SET pipeline_version = ?", (current,))
    if old:
        print(f"restamped {sum(old.values())} article(s) as {current}", file=sys.stderr)
    return old


def ensure_database(n: int, seed: int, db: Path) -> dict[str, Any]:
    """Bring the serving database up to date with the N-article corpus (incremental;
    resumes). A synthesised one is already: this then checks that nothing is analysed."""
    print(f"bringing {db.relative_to(ROOT)} up to date", file=sys.stderr, flush=True)
    return ingest_folder(corpus_dir(n, seed), db)


def _postgres(args: argparse.Namespace, corpus: str, db: Path) -> dict[str, Any]:
    """The same latency phase on PostgreSQL (the SQLite build copied in by migrate-store
    when the target is empty), and how soon a second process sees a new article."""
    import asyncio

    from bot.migrate_store import migrate_store
    from bot.store_factory import open_store

    async def prepare() -> int:
        store = await open_store(args.postgres)
        try:
            have = await store.count_articles()
        finally:
            await store.close()
        if have == 0:
            await migrate_store(str(db), args.postgres)
        store = await open_store(args.postgres)
        try:
            return await store.count_articles()
        finally:
            await store.close()

    articles = asyncio.run(prepare())
    latency = _run_phase(
        "bench_serve.py",
        "latency",
        corpus,
        args.postgres,
        f"--iterations={args.iterations}",
        f"--asks={args.asks}",
    )
    refresh = _run_phase("bench_refresh.py", args.postgres)
    return {"articles": articles, "latency": latency, "refresh": refresh}


def run(args: argparse.Namespace) -> dict[str, Any]:
    n, seed, cold_n = args.n, args.seed, min(args.cold_n, args.n)
    sources = load_sources(DEFAULT_SOURCES)
    write_corpus(corpus_dir(n, seed), n, seed, sources)
    results: dict[str, Any] = {
        "n": n,
        "seed": seed,
        "cold_n": cold_n,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "cpus": os.cpu_count(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
    }
    synthesised = 0 < args.templates < n
    db = synth_store.synth_database(n, seed, args.templates) if synthesised else database(n, seed)
    if "cold" in args.only:
        write_corpus(corpus_dir(cold_n, seed), cold_n, seed, sources)
        cold_db = workdir(n, seed) / f"cold-{cold_n}.sqlite3"
        results["cold"] = _run_phase("bench_cold.py", str(corpus_dir(cold_n, seed)), str(cold_db))
        keep = cold_n == n and not synthesised and not db.exists()
        if keep and "error" not in results["cold"]:
            shutil.move(cold_db, db)  # the cold ingest built the whole corpus: keep it
        else:
            cold_db.unlink(missing_ok=True)
    serving = {"restart", "latency", "lag"} & set(args.only)
    if serving and synthesised:
        results["store"] = synth_store.build(n, seed, args.templates)
    elif serving:
        results["store"] = {"kind": "ingested", "path": str(db.relative_to(ROOT))}
    if serving and args.restamp and db.exists() and not synthesised:
        results["restamped_from"] = restamp(db)
    if serving:  # a synthesised store must come out of this with nothing to analyse
        results["build"] = ensure_database(n, seed, db)
        if synthesised and not results["build"]["report"][0].startswith("ingest: 0 new, 0 ch"):
            raise SystemExit(f"the synthesised store is not up to date: {results['build']}")
    corpus = str(corpus_dir(n, seed))
    if "restart" in args.only:
        results["restart"] = _run_phase("bench_restart.py", corpus, str(db))
    if "latency" in args.only:
        results["latency"] = _run_phase(
            "bench_serve.py",
            "latency",
            corpus,
            str(db),
            f"--iterations={args.iterations}",
            f"--asks={args.asks}",
        )
    if "lag" in args.only:
        results["lag"] = _run_phase(
            "bench_serve.py", "lag", corpus, str(db), f"--extra={args.extra}", f"--seed={seed}"
        )
    if args.postgres and "latency" in args.only:
        results["postgresql"] = _postgres(args, corpus, db)
    if "feeds" in args.only:  # a poll of --feed-items items vs the ingest it triggers
        results["feeds"] = _run_phase("bench_feeds.py", f"-n={args.feed_items}")
    if "long" in args.only:
        sizes = [str(mb) for mb in args.long_mb]
        results["long"] = _run_phase("bench_long.py", "--sizes-mb", *sizes, f"--seed={seed}")
    results["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    return results


def plot_rss(results: dict[str, Any], out: Path) -> None:
    """RSS over time during the lag phase's ingest, as a small PNG beside the JSON."""
    series = results.get("lag", {}).get("rss_over_time_mb")
    if not series:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([t for t, _ in series], [mb for _, mb in series])
    ax.set_xlabel("seconds into the ingest")
    ax.set_ylabel("RSS (MB)")
    lag = results["lag"]
    kind = results.get("store", {}).get("kind", "")
    ax.set_title(
        f"N={results['n']} ({kind}): ingesting {lag.get('analysed', '?')} while serving",
        fontsize=9,
    )
    ax.set_ylim(bottom=0)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    print(f"RSS plot: {out.relative_to(ROOT)}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=10_000, help="articles in the corpus")
    parser.add_argument("--cold-n", type=int, default=100, help="articles in the cold ingest")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--iterations", type=int, default=200, help="calls per lookup")
    parser.add_argument("--asks", type=int, default=30, help="questions asked")
    parser.add_argument("--extra", type=int, default=16, help="articles ingested during lag")
    parser.add_argument("--feed-items", type=int, default=50, help="items in the feed poll")
    parser.add_argument(
        "--long-mb", type=float, nargs="+", default=[0.01, 0.1, 0.5, 1.0, 2.0], help="long articles"
    )
    parser.add_argument("--only", nargs="+", choices=PHASES, default=list(PHASES))
    parser.add_argument(
        "--templates",
        type=int,
        default=synth_store.DEFAULT_TEMPLATES,
        help="serving store: ingest the first K articles for real and copy their analysis"
        " to the rest (benchmarks/synth_store.py); 0 ingests all N for real (hours at 10k)",
    )
    parser.add_argument(
        "--restamp",
        action="store_true",
        help="treat a database from an earlier pipeline revision as current (speed only)",
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default=os.environ.get("DATABASE", "")
        if "postgres" in os.environ.get("DATABASE", "")
        else None,
        help="also time the commands on this PostgreSQL database (default: DATABASE if a URL)",
    )
    args = parser.parse_args(argv)
    results = run(args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"bench-n{args.n}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    plot_rss(results, out.with_name(out.stem + "-rss.png"))
    print(render_table(results))
    print(f"\nfigures: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
