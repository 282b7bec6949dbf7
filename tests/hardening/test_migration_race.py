"""Two processes opening the same new database at the same moment both get a whole schema.

Before, each read user_version 0 and ran migration 1; the second to get the write lock
failed with "table articles already exists" about one time in three.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from hardening.helpers import ROOT

from bot.store import SCHEMA_VERSION

ROUNDS = 16
GAP = 0.25  # seconds between rounds: both processes open round i's file at t0 + i * GAP

OPENER = """
import asyncio, faulthandler, json, sys, time, traceback
from bot.store import Store
faulthandler.dump_traceback_later(30, exit=True)

async def main(paths, t0, gap):
    failures = []
    for i, path in enumerate(paths):
        time.sleep(max(0.0, t0 + i * gap - time.time()))
        try:
            store = await Store.open(path)
            await store.close()
        except Exception as exc:
            failures.append(f"{path}: {type(exc).__name__}: {exc}")
            traceback.print_exc()
    print(json.dumps(failures))

asyncio.run(main(json.loads(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])))
"""


def test_concurrent_first_opens_both_succeed(tmp_path: Path) -> None:
    paths = [str(tmp_path / f"race-{i}.sqlite3") for i in range(ROUNDS)]
    t0 = time.time() + 8.0  # both children imported and waiting well before the first
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER, json.dumps(paths), str(t0), str(GAP)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        assert json.loads(out.strip().splitlines()[-1]) == []
    for path in paths:
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
            assert {"articles", "sentences", "quotes", "summaries"} <= tables
