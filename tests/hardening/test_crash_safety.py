"""SIGKILL the ingest at random points, again and again; the database must stay whole.

Each round edits a few articles (and adds or removes one) so there is always work, starts
`python -m bot ingest` and kills it: every other round at a random moment after start
(imports, migrations, reading, model loading), the others at a random moment after the
round's first commit, between or inside the per-article transactions. After
every kill: `PRAGMA integrity_check` ok, keys and full-text indexes consistent, no
duplicate rows, and each stored article exactly as complete as analysing it here makes it
(sentences, embeddings, mentions, quotes and summary), or absent. A last run to the end
must finish the ingest.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from hardening.helpers import (
    Reference,
    bot_command,
    child_env,
    stored_counts,
    structural_problems,
    tiny_article,
    write_tiny_corpus,
)

pytestmark = pytest.mark.slow  # 20 killed ingests, each a fresh process loading the models

KILLS = 20  # SIGKILLs in all
MID_INGEST = 8  # of which at least this many after the round's first commit
MAX_ROUNDS = 40
ARTICLES = 24
EDITS = 6  # articles rewritten each round, so every round has work to interrupt
FIRST_WRITE_TIMEOUT = 120.0


def _last_write(db: Path) -> float:
    """The newest article's analysis time (0 when there is none yet)."""
    if not db.exists():
        return 0.0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute("SELECT max(analysed_at) FROM articles").fetchone()
    except sqlite3.OperationalError:  # no schema yet
        return 0.0
    return float(row[0] or 0.0)


def _wait_for_write(proc: subprocess.Popen[bytes], db: Path, before: float) -> bool:
    """Wait until the child commits an article (True) or exits (False)."""
    deadline = time.monotonic() + FIRST_WRITE_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if _last_write(db) > before:
            return True
        time.sleep(0.01)
    return proc.poll() is None


def _edit(corpus: Path, rng: random.Random, round_no: int) -> None:
    """Rewrite a few articles, and add or remove one: the next ingest has work to do."""
    files = sorted(corpus.glob("*.txt"))
    for path in rng.sample(files, EDITS):
        path.write_text(tiny_article(rng, 1000 + round_no), encoding="utf-8")
    if round_no % 2 and len(files) > ARTICLES // 2:
        rng.choice(files).unlink()
    else:
        (corpus / f"b{round_no:03d}.txt").write_text(tiny_article(rng, round_no), "utf-8")


def _check(db: Path, reference: Reference, corpus: Path) -> None:
    reference.learn(corpus)
    assert structural_problems(db) == []
    assert reference.incomplete(db) == []


def test_sigkill_during_ingest_leaves_every_article_whole_or_absent(
    tmp_path: Path, reference: Reference
) -> None:
    corpus = write_tiny_corpus(tmp_path / "corpus", ARTICLES)
    db = tmp_path / "db.sqlite3"
    argv = bot_command("ingest", "--corpus", str(corpus), "--db", str(db))
    rng = random.Random(7)
    kills = mid_ingest = 0
    for round_no in range(MAX_ROUNDS):
        if kills >= KILLS and mid_ingest >= MID_INGEST:
            break
        if round_no:
            _edit(corpus, rng, round_no)
        before = _last_write(db)
        proc = subprocess.Popen(
            argv, cwd=tmp_path, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        after_write = False
        if round_no % 2 == 0:  # anywhere early: imports, migrations, reading, model loading
            time.sleep(rng.uniform(0.0, 2.5))
        else:  # mid-ingest: between or inside the per-article transactions
            after_write = _wait_for_write(proc, db, before)
            time.sleep(rng.uniform(0.0, 0.4))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
            mid_ingest += after_write
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, -signal.SIGKILL), err.decode()[-2000:]
        _check(db, reference, corpus)

    assert kills >= KILLS
    assert mid_ingest >= MID_INGEST

    done = subprocess.run(argv, cwd=tmp_path, env=child_env(), capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    _check(db, reference, corpus)
    expected = {a.id: a.content_hash for a in reference_articles(corpus)}
    assert {k: v[0] for k, v in stored_counts(db).items()} == expected

    again = subprocess.run(argv, cwd=tmp_path, env=child_env(), capture_output=True, timeout=300)
    assert again.returncode == 0
    assert b"0 new, 0 changed" in again.stdout, again.stdout


def reference_articles(corpus: Path) -> list:
    from bot.corpus import load_corpus

    return load_corpus(corpus).articles
