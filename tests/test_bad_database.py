"""A database that can't be used is one clear line and a non-zero exit, never a hang."""

import sqlite3
import subprocess
from pathlib import Path

import pytest
from support import run_bot


def run_cli(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The timeout only guards against the old hang: the process should exit at once.
    return run_bot("ingest", *argv, cwd=cwd, timeout=120)


def _garbage(tmp: Path) -> Path:
    path = tmp / "bad.sqlite3"
    path.write_text("garbage\n")
    return path


def _newer_schema(tmp: Path) -> Path:
    path = tmp / "future.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 999")
    return path


def _folder(tmp: Path) -> Path:
    return tmp


def _uncreatable(tmp: Path) -> Path:
    blocker = tmp / "file"
    blocker.write_text("x")
    return blocker / "sub" / "db.sqlite3"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_garbage, "file is not a database"),
        (_newer_schema, "newer than this code"),
        (_folder, "it is a folder"),
        (_uncreatable, "Not a directory"),
    ],
)
def test_unusable_database_is_one_line_and_exit_1(tmp_path: Path, make, reason: str) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    db = make(tmp_path)
    result = run_cli("--corpus", str(corpus), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"newsdesk: can't use the database {db}")
    assert reason in lines[0]
    assert "Traceback" not in result.stderr
