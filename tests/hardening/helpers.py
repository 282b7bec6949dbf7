"""What the hardening tests share: tiny article corpora, the `python -m bot` child
process, and whole-database checks.

Imported as `hardening.helpers` (tests/ is on the path; this folder is a namespace).
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
from pathlib import Path

from bot.corpus import load_corpus
from bot.nlp.pipeline import Analyser

ROOT = Path(__file__).resolve().parents[2]

PEOPLE = (
    "Amara Okafor",
    "Lars Lindqvist",
    "Mei Takahashi",
    "Omar Haddad",
    "Priya Rahman",
    "Tomas Novak",
    "Zara Yilmaz",
    "Felix Moreau",
)
CITIES = ("Lisbon", "Nairobi", "Osaka", "Lima", "Tallinn", "Hanoi")
ORGS = ("Harbour Authority", "Water Board", "Rail Union", "City Council")
TOPICS = ("the port expansion", "flood defences", "night trains", "the budget")


def tiny_article(rng: random.Random, n: int) -> str:
    """A short news article (title, blank line, three paragraphs) with names and quotes."""
    a, b = rng.sample(PEOPLE, 2)
    city, city2 = rng.sample(CITIES, 2)
    org, topic = rng.choice(ORGS), rng.choice(TOPICS)
    return (
        f"{a} and {b} discuss {topic} in {city} ({n})\n\n"
        f"{a} met {b} in {city} on Monday to discuss {topic}.\n\n"
        f"“We made real progress on {topic},” {a} said after the meeting. "
        f"{b.split()[-1]} said the {org} would publish its plan in {city2}.\n\n"
        f"According to {b}, the talks will resume next month. Version {n}."
    )


def write_tiny_corpus(folder: Path, count: int, seed: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(count):
        (folder / f"a{i:03d}.txt").write_text(tiny_article(rng, i), encoding="utf-8")
    return folder


def child_env() -> dict[str, str]:
    """The environment for a `python -m bot` child: offline, small batches, one thread."""
    env = dict(os.environ)
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        OMP_NUM_THREADS="1",
        BATCH_SIZE="2",
        PYTHONPATH=str(ROOT),
    )
    env.pop("DISCORD_TOKEN", None)
    return env


def bot_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot", *args]


# -- database checks -----------------------------------------------------------------------

DUPLICATES = {
    "articles by source": "SELECT source FROM articles GROUP BY source HAVING count(*) > 1",
    "sentences": "SELECT article_id, idx FROM sentences GROUP BY 1, 2 HAVING count(*) > 1",
    "mentions": "SELECT article_id, start, end, entity_id FROM mentions"
    " GROUP BY 1, 2, 3, 4 HAVING count(*) > 1",
    "quotes": "SELECT article_id, start, end, kind FROM quotes GROUP BY 1, 2, 3, 4"
    " HAVING count(*) > 1",
    "entities": "SELECT key FROM entities GROUP BY key HAVING count(*) > 1",
    "article entities": "SELECT article_id, entity_id FROM article_entities"
    " GROUP BY 1, 2 HAVING count(*) > 1",
}


def structural_problems(db: Path) -> list[str]:
    """Everything wrong with the file as a database: integrity, keys, indexes, duplicates."""
    problems = []
    with sqlite3.connect(db) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            problems.append(f"integrity_check: {check[:5]}")
        if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
            return problems  # killed before the first migration committed: an empty file
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:5]}")
        for fts in ("sentences_fts", "quotes_fts"):
            try:
                conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                problems.append(f"{fts}: {exc}")
        for what, sql in DUPLICATES.items():
            rows = conn.execute(sql).fetchall()
            if rows:
                problems.append(f"duplicate {what}: {rows[:5]}")
    return problems


def stored_counts(db: Path) -> dict[str, tuple[str, int, int, int, int, int]]:
    """article id → (content hash, sentences, embedded sentences, mentions, quotes,
    summaries of that content)."""
    with sqlite3.connect(db) as conn:
        if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
            return {}
        rows = conn.execute(
            "SELECT a.id, a.content_hash,"
            " (SELECT count(*) FROM sentences s WHERE s.article_id = a.id),"
            " (SELECT count(*) FROM sentences s WHERE s.article_id = a.id"
            "  AND s.embedding IS NOT NULL),"
            " (SELECT count(*) FROM mentions m WHERE m.article_id = a.id),"
            " (SELECT count(*) FROM quotes q WHERE q.article_id = a.id),"
            " (SELECT count(*) FROM summaries u WHERE u.article_id = a.id"
            "  AND u.content_hash = a.content_hash)"
            " FROM articles a"
        ).fetchall()
    return {r[0]: tuple(r[1:]) for r in rows}


class Reference:
    """What a complete article looks like: the same analysis run in this process."""

    def __init__(self, analyser: Analyser) -> None:
        self.analyser = analyser
        self._by_hash: dict[str, tuple[int, int, int, int, int]] = {}

    def learn(self, corpus: Path) -> None:
        todo = [a for a in load_corpus(corpus).articles if a.content_hash not in self._by_hash]
        for item in self.analyser.analyse_batch(todo) if todo else []:
            n = len(item.sentences)
            self._by_hash[item.article.content_hash] = (
                n,
                n,
                len(item.mentions),
                len(item.quotes),
                len(item.summaries),
            )

    def incomplete(self, db: Path) -> list[str]:
        """Stored articles that differ from a complete analysis of what they hold."""
        bad = []
        for article_id, (content, *counts) in stored_counts(db).items():
            expected = self._by_hash.get(content)
            if expected is None:
                bad.append(f"{article_id}: content {content[:8]} was never in the corpus")
            elif tuple(counts) != expected:
                bad.append(f"{article_id}: stored {tuple(counts)}, complete is {expected}")
        return bad
