"""Paths and small helpers the tests share (importable: tests/ is on pytest's pythonpath)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from corpora import GUM_DIR, ROOT, SEED_FILE
from corpora import GUM_GOLD as GOLD

__all__ = ["GOLD", "GUM_DIR", "ROOT", "SEED_FILE", "copy_corpus", "run_bot"]


def copy_corpus(dest: Path, *, seed: bool = True, gum: list[str] | None = None) -> Path:
    """A corpus folder with the seed and the named GUM articles ("afghan.txt", …)."""
    dest.mkdir(parents=True, exist_ok=True)
    if seed:
        shutil.copy(SEED_FILE, dest / SEED_FILE.name)
    for name in gum or []:
        shutil.copy(GUM_DIR / name, dest / name)
    return dest


def run_bot(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` in a child process on this tree, offline, output captured;
    `env` adds to (or overrides) the inherited environment."""
    child = os.environ | {"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=child,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_python_json(code: str, *args: str, timeout: float = 300) -> object:
    """`python -c CODE ARGS` in a fresh child process on this tree, offline (so what it
    imports is what CODE imports, nothing of the test session's); CODE prints one JSON
    value on its last line, which is returned."""
    child = os.environ | {"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=child,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
