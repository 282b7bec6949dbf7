"""The SQLite schema: numbered migrations (PRAGMA user_version), opening a file and
bringing it forward. bot/pgstore/migrations.py holds PostgreSQL's, under the same numbers."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Self

import aiosqlite

from bot.scope import OWNER_SQL
from bot.store.base import StoreBase, StoreUnavailable

MIGRATIONS: list[str] = [
    # 1: articles, sentences with a full-text index, canonical entities and their mentions.
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        title TEXT NOT NULL,
        site TEXT, url TEXT, date TEXT, author TEXT,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        pipeline_version TEXT NOT NULL,
        analysed_at REAL NOT NULL DEFAULT ((julianday('now') - 2440587.5) * 86400.0)
    );
    CREATE INDEX articles_source ON articles(source);
    CREATE TABLE sentences (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (article_id, idx)
    );
    CREATE VIRTUAL TABLE sentences_fts USING fts5(
        text, content='sentences', content_rowid='id', tokenize='porter unicode61'
    );
    CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
        INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
        INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TABLE entities (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        label TEXT NOT NULL
    );
    CREATE TABLE article_entities (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        label TEXT NOT NULL,
        role TEXT,
        mentions INTEGER NOT NULL,
        PRIMARY KEY (article_id, entity_id)
    );
    CREATE INDEX article_entities_entity ON article_entities(entity_id);
    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        entity_id INTEGER NOT NULL REFERENCES entities(id),
        sentence_idx INTEGER,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL
    );
    CREATE INDEX mentions_entity ON mentions(entity_id);
    CREATE INDEX mentions_article ON mentions(article_id);
    CREATE INDEX mentions_text ON mentions(text COLLATE NOCASE);
    """,
    # 2: quotes, with their speakers linked to canonical entities, and a full-text index.
    """
    CREATE TABLE quotes (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        speaker TEXT NOT NULL,
        speaker_entity_id INTEGER REFERENCES entities(id),
        speaker_text TEXT NOT NULL,
        speaker_start INTEGER,
        speaker_end INTEGER,
        speaker_is_person INTEGER NOT NULL,
        role TEXT,
        cue TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('direct', 'mixed', 'indirect'))
    );
    CREATE INDEX quotes_article ON quotes(article_id);
    CREATE INDEX quotes_speaker_entity ON quotes(speaker_entity_id);
    CREATE INDEX quotes_speaker ON quotes(speaker COLLATE NOCASE);
    CREATE VIRTUAL TABLE quotes_fts USING fts5(
        text, content='quotes', content_rowid='id', tokenize='porter unicode61'
    );
    CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER quotes_ad AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    """,
    # 3: summaries, keyed by the content they summarise and how they were made.
    """
    CREATE TABLE summaries (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        content_hash TEXT NOT NULL,
        method TEXT NOT NULL,
        length TEXT NOT NULL,
        model TEXT NOT NULL,
        text TEXT NOT NULL,
        sentences TEXT NOT NULL DEFAULT '[]',
        created_at REAL NOT NULL DEFAULT ((julianday('now') - 2440587.5) * 86400.0),
        PRIMARY KEY (article_id, content_hash, method, length, model)
    );
    """,
    # 4: sentence embeddings (float16), stored beside the sentence they encode.
    """
    ALTER TABLE sentences ADD COLUMN embedding BLOB;
    """,
    # 5: covering indexes for lookups at scale, each replacing an index it extends. At
    # 10,000 articles: the name matcher's weights 354 -> 69 ms, its aliases 190 -> 108 ms,
    # a common name's sentence count 12 -> 1.3 ms and aliases 8.4 -> 0.5 ms.
    """
    CREATE INDEX article_entities_weight ON article_entities(entity_id, mentions, article_id);
    DROP INDEX article_entities_entity;
    CREATE INDEX mentions_entity_sentence ON mentions(entity_id, article_id, sentence_idx);
    CREATE INDEX mentions_entity_text ON mentions(entity_id, text);
    DROP INDEX mentions_entity;
    """,
    # 6: each quote's quoted pieces (JSON [[start, end], ...] into the article text), so a
    # quote interrupted by its cue lists its two parts. Filled by re-analysis (the
    # pipeline version changed with it).
    """
    ALTER TABLE quotes ADD COLUMN segments TEXT NOT NULL DEFAULT '[]';
    """,
    # 7: a speaker's quotes read in display order (path, then offset) straight from an
    # index (a 3,000-quote speaker was sorted on every page); each article's file size
    # and mtime, so a warm restart re-reads only files whose stat changed.
    """
    ALTER TABLE quotes ADD COLUMN source TEXT NOT NULL DEFAULT '';
    UPDATE quotes SET source = (SELECT a.source FROM articles a WHERE a.id = quotes.article_id);
    CREATE INDEX quotes_speaker_order ON quotes(speaker_entity_id, source, start);
    DROP INDEX quotes_speaker_entity;
    ALTER TABLE articles ADD COLUMN file_size INTEGER;
    ALTER TABLE articles ADD COLUMN file_mtime_ns INTEGER;
    """,
    # 8-9: reserved (numbers other branches were given).
    "SELECT 1;",
    "SELECT 1;",
    # 10: feed subscriptions per server and channel, and every item seen, for de-duplication
    # by GUID, link and content hash (queries in bot/feeds/store.py); each article's owning
    # server, derived from its path (bot/scope.py), for per-server corpora.
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER,  -- NULL: the shared corpus (a feed added from the CLI)
        channel_id INTEGER,  -- where briefs are posted; NULL: nowhere
        url TEXT NOT NULL,
        title TEXT,
        keywords TEXT NOT NULL DEFAULT '[]',
        interval_s REAL NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        pause_reason TEXT,
        etag TEXT,
        last_modified TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        primed INTEGER NOT NULL DEFAULT 0,  -- the first poll has recorded what was there
        next_poll_at REAL NOT NULL DEFAULT 0,
        last_polled_at REAL,
        created_at REAL NOT NULL DEFAULT ((julianday('now') - 2440587.5) * 86400.0)
    );
    CREATE UNIQUE INDEX feeds_unique ON feeds(ifnull(guild_id, 0), ifnull(channel_id, 0), url);
    CREATE TABLE feed_items (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        guild_id INTEGER,
        guid TEXT,
        link TEXT,
        content_hash TEXT NOT NULL,
        title TEXT NOT NULL,
        published TEXT,
        status TEXT NOT NULL,  -- seen | saved | failed | posted | filtered
        source TEXT,  -- the article's path in the corpus once saved
        fallback INTEGER NOT NULL DEFAULT 0,  -- the feed's summary stood in for the page
        seen_at REAL NOT NULL DEFAULT ((julianday('now') - 2440587.5) * 86400.0),
        posted_at REAL
    );
    CREATE INDEX feed_items_guid ON feed_items(guid) WHERE guid IS NOT NULL;
    CREATE INDEX feed_items_link ON feed_items(link) WHERE link IS NOT NULL;
    CREATE INDEX feed_items_hash ON feed_items(content_hash);
    CREATE INDEX feed_items_feed ON feed_items(feed_id, seen_at);
    CREATE INDEX feed_items_source ON feed_items(source);
    ALTER TABLE articles ADD COLUMN guild_id INTEGER
        GENERATED ALWAYS AS ({OWNER}) VIRTUAL;
    CREATE INDEX articles_guild ON articles(guild_id);
    """.replace("{OWNER}", OWNER_SQL),
    # 11: the entity card's role: the links that carry one, by weight. A common name with
    # 2,200 links and no role read them all to find none (3 ms -> 0.01 ms at 10,000 articles).
    """
    CREATE INDEX article_entities_role ON article_entities(entity_id, mentions DESC)
        WHERE role IS NOT NULL;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


async def _wal(db: aiosqlite.Connection, attempts: int = 100) -> None:
    """WAL mode, retried: switching needs an exclusive lock, and SQLite answers "database
    is locked" at once, busy timeout or not, while another process opening the same new
    file holds it."""
    for attempt in range(attempts):
        try:
            await db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            await asyncio.sleep(0.05)


def _statements(script: str) -> list[str]:
    """A migration script as single statements (a trigger's body stays whole)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if pending.strip():
        statements.append(pending.strip())
    return statements


def _prepare_location(path: Path) -> None:
    if path.is_dir():
        raise StoreUnavailable(path, "it is a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(path, exc.strerror or exc) from None


class Schema(StoreBase):
    @classmethod
    async def open(cls, path: Path | str) -> Self:
        """Open (creating if needed) and migrate; any failure is one `StoreUnavailable`.

        The connection is closed on every failure path: aiosqlite's worker thread is not a
        daemon, so a connection left open keeps the process alive after the error.
        """
        path = Path(path)
        if str(path) != ":memory:":
            _prepare_location(path)
        try:
            db = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreUnavailable(path, exc) from None
        store = cls(db, path)
        try:  # closed on any failure: an open connection's thread keeps the process alive
            await db.execute("PRAGMA busy_timeout=5000")
            await _wal(db)
            await db.execute("PRAGMA synchronous=NORMAL")
            await db.execute("PRAGMA foreign_keys=ON")
            await store.migrate()
        except sqlite3.Error as exc:
            await db.close()
            raise StoreUnavailable(path, exc) from None
        except BaseException:
            await db.close()
            raise
        return store

    async def schema_version(self) -> int:
        return int(await self._value("PRAGMA user_version") or 0)

    async def migrate(self, target: int = SCHEMA_VERSION) -> int:
        """Apply the missing migrations; returns the new version.

        The version is read again and every missing migration applied inside one
        BEGIN IMMEDIATE, so two processes opening a new database at once can't both see
        version 0 and both create the tables: the second waits, then finds nothing to do.
        (executescript would COMMIT first, so the statements run one by one.)"""
        current = await self.schema_version()
        if current >= target:
            self._check_not_newer(current)
            return current
        await self._db.execute("BEGIN IMMEDIATE")
        try:
            current = await self.schema_version()
            self._check_not_newer(current)
            for version in range(current + 1, target + 1):
                for statement in _statements(MIGRATIONS[version - 1]):
                    await self._db.execute(statement)
            if target > current:
                await self._db.execute(f"PRAGMA user_version = {int(target)}")
        except BaseException:
            await self._db.execute("ROLLBACK")
            raise
        await self._db.execute("COMMIT")
        return await self.schema_version()

    def _check_not_newer(self, current: int) -> None:
        if current > SCHEMA_VERSION:
            raise StoreUnavailable(
                self.path, f"its schema {current} is newer than this code's {SCHEMA_VERSION}"
            )

    async def integrity_check(self) -> str:
        answer = await self._value("PRAGMA integrity_check")
        return "no answer" if answer is None else str(answer)
