"""Warm restart: a fresh process from start to ready, against reading and hashing the files.

Both are child processes timed from spawn to the line that says they are done, so the
interpreter's start counts in both. "Ready" is what the bot does before it answers,
without logging in to Discord: open the store, fill the autocomplete cache, bring the
cache up to date with the folder (nothing to analyse), refresh the autocomplete cache if
that changed the store (the bot's after_ingest).

    python benchmarks/bench_restart.py CORPUS DB [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench_common import emit

READY = "READY"

# The floor: every file read and hashed, nothing else (no bot import).
HASH_CHILD = """
import hashlib, sys
from pathlib import Path
n = 0
for path in sorted(Path(sys.argv[1]).rglob("*")):
    if path.is_file():
        hashlib.sha256(path.read_bytes()).hexdigest()
        n += 1
print("READY", n, flush=True)
"""


async def ready(corpus: Path, db: Path) -> dict[str, Any]:
    """The bot's start-up without Discord; returns how long each step took."""
    steps: dict[str, float] = {}
    t = time.perf_counter()
    from bench_common import settings

    from bot.autocomplete import ChoiceCache
    from bot.service import Newsdesk

    steps["import"] = time.perf_counter() - t
    t = time.perf_counter()
    desk = await Newsdesk.open(settings(corpus, db))
    steps["open"] = time.perf_counter() - t
    try:
        choices = ChoiceCache()
        t = time.perf_counter()
        await choices.refresh(desk)
        steps["choices"] = time.perf_counter() - t
        t = time.perf_counter()
        report = await desk.ingest()
        steps["ingest"] = time.perf_counter() - t
        t = time.perf_counter()
        if report.analysed or report.removed:  # as the bot's after_ingest
            await choices.refresh(desk)
        steps["choices_again"] = time.perf_counter() - t
    finally:
        await desk.close()
    return {
        "steps_s": {k: round(v, 3) for k, v in steps.items()},
        "analysed": report.analysed,
        "unchanged": report.unchanged,
        "articles": len(choices.articles),
    }


def _spawn(argv: list[str]) -> tuple[float, str]:
    """Seconds from spawn to the child's READY line, and that line."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith(READY):
            elapsed = time.perf_counter() - started
            proc.stdout.read()
            if proc.wait() != 0:
                raise RuntimeError(f"{argv} failed")
            return elapsed, line[len(READY) :].strip()
    proc.wait()
    raise RuntimeError(f"{argv} exited ({proc.returncode}) without {READY}")


def measure(corpus: Path, db: Path, repeat: int) -> dict[str, Any]:
    hash_times, ready_times, details = [], [], []
    _spawn([sys.executable, "-c", HASH_CHILD, str(corpus)])  # warm the page cache
    for _ in range(repeat):  # interleaved, so a change in load hits both
        hash_times.append(_spawn([sys.executable, "-c", HASH_CHILD, str(corpus)])[0])
        seconds, line = _spawn([sys.executable, __file__, "--child", str(corpus), str(db)])
        ready_times.append(seconds)
        details.append(json.loads(line))
    hashed, started = statistics.median(hash_times), statistics.median(ready_times)
    return {
        "hash_s": round(hashed, 3),
        "ready_s": round(started, 3),
        "ratio": round(started / hashed, 3),
        "runs": {"hash_s": hash_times, "ready_s": ready_times},
        "ready_steps_s": details[ready_times.index(min(ready_times))]["steps_s"],
        "analysed_on_restart": max(d["analysed"] for d in details),
        "articles": details[-1]["articles"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        import asyncio

        print(READY, json.dumps(asyncio.run(ready(args.corpus, args.db))), flush=True)
        return
    emit(measure(args.corpus, args.db, args.repeat))


if __name__ == "__main__":
    main()
