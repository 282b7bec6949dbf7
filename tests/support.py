"""Paths and small helpers the tests share (importable: tests/ is on pytest's pythonpath)."""

from __future__ import annotations

import shutil
from pathlib import Path

from corpora import GUM_DIR, ROOT, SEED_FILE
from corpora import GUM_GOLD as GOLD

__all__ = ["GOLD", "GUM_DIR", "ROOT", "SEED_FILE", "copy_corpus"]


def copy_corpus(dest: Path, *, seed: bool = True, gum: list[str] | None = None) -> Path:
    """A corpus folder with the seed and the named GUM articles ("afghan.txt", …)."""
    dest.mkdir(parents=True, exist_ok=True)
    if seed:
        shutil.copy(SEED_FILE, dest / SEED_FILE.name)
    for name in gum or []:
        shutil.copy(GUM_DIR / name, dest / name)
    return dest
