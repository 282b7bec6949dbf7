"""What the benchmark phases share: paths, settings, timing statistics, the JSON hand-off.

Each phase runs in its own process (so one phase's memory or warm caches can't flatter
another's figures) and prints its figures as one JSON object on its last stdout line.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WORK = ROOT / "data" / "bench"  # generated corpora and their databases (git-ignored)
RESULTS = ROOT / "benchmarks" / "results"  # JSON figures (git-ignored)
RESULT_PREFIX = "RESULT "


def workdir(n: int, seed: int) -> Path:
    return WORK / f"n{n}-s{seed}"


def corpus_dir(n: int, seed: int) -> Path:
    return workdir(n, seed) / "corpus"


def database(n: int, seed: int) -> Path:
    return workdir(n, seed) / "db.sqlite3"


def ingest_folder(corpus: Path, db: Path) -> dict[str, Any]:
    """`bot ingest` of a folder into `db` in a child process (incremental: the real write
    path); its seconds and the report's last line. Exits the bench when it fails."""
    started = time.perf_counter()
    argv = [sys.executable, "-m", "bot", "ingest", "--corpus", str(corpus), "--db", str(db)]
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"ingesting {corpus} into {db} failed:\n{proc.stderr[-3000:]}")
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "report": proc.stdout.strip().splitlines()[-1:],
    }


def settings(corpus: Path, db: Path) -> Any:
    from bot.settings import Settings

    return Settings(_env_file=None, corpus_dir=corpus, database=db, watch_corpus=False)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def distribution_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "max_ms": round(max(ms, default=0.0), 3),
    }


def peak_rss_mb() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def emit(figures: dict[str, Any]) -> None:
    """Hand the figures to the orchestrator: one marked JSON line on stdout."""
    print(RESULT_PREFIX + json.dumps(figures), flush=True)


def parse_result(stdout: str) -> dict[str, Any]:
    for line in reversed(stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    raise RuntimeError("the phase printed no result line")
