"""The SQLite cache of articles and their NLP results: every SQL statement lives here.

One aiosqlite connection in WAL mode. The schema moves forward through numbered
migrations (PRAGMA user_version). Writes for one article happen in one transaction, so a
crash mid-ingest leaves each article either wholly present or absent.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import UserError
from bot.nlp.names import name_tokens
from bot.records import AnalysedArticle, SummaryRecord
from bot.scope import OWNER_SQL, article_filter

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


_FTS_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str, *, any_word: bool = False) -> str | None:
    """A safe FTS5 MATCH expression from free text: words quoted, operators neutralised."""
    words = _FTS_WORD.findall(text)[:32]
    if not words:
        return None
    joiner = " OR " if any_word else " "
    return joiner.join(f'"{w}"' for w in words)


@dataclass(frozen=True, slots=True)
class ArticleRow:
    id: str
    source: str
    title: str
    site: str | None
    url: str | None
    date: str | None
    author: str | None
    content_hash: str


_ARTICLE_COLS = "a.id, a.source, a.title, a.site, a.url, a.date, a.author, a.content_hash"


def _and_visible(column: str, where: str = "") -> tuple[str, list[Any]]:
    """`where` (a condition or "") extended with the viewer's scope (bot/scope.py), as a
    WHERE clause ("" when there is no condition at all)."""
    scope, params = article_filter(column)
    parts = [p for p in (where, scope) if p]
    return (" WHERE " + " AND ".join(f"({p})" for p in parts) if parts else ""), params


def _article_row(row: Sequence[Any]) -> ArticleRow:
    return ArticleRow(*row[:8])


class StoreUnavailable(UserError):
    """The database file can't be opened or used: one line that names it and what to do."""

    def __init__(self, path: Path, reason: object) -> None:
        super().__init__(
            f"can't use the database {path}: {reason} "
            "(upgrade newsdesk, or point DATABASE or --db at another file)"
        )


def _prepare_location(path: Path) -> None:
    if path.is_dir():
        raise StoreUnavailable(path, "it is a folder")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreUnavailable(path, exc.strerror or exc) from None


class Store:
    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        self.location = str(path)  # what `status` names: the file, or a redacted URL

    @classmethod
    async def open(cls, path: Path | str) -> Store:
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

    async def close(self) -> None:
        await self._db.close()

    async def size_bytes(self) -> int:
        """The database file and its write-ahead log, in bytes (0 when absent)."""
        total = 0
        for path in (self.path, Path(f"{self.path}-wal")):
            with suppress(OSError):
                total += path.stat().st_size
        return total

    @asynccontextmanager
    async def ingest_lock(self) -> AsyncIterator[bool]:
        """Whether this process may ingest now (held until the block ends). A SQLite file
        is written by the one process that serves it, whose own lock is enough."""
        yield True

    async def subscribe(self, changed: Callable[[], None]) -> None:
        """Call `changed` when another process commits new articles. A SQLite file has one
        process serving it, which refreshes itself after its own ingests: nothing to do."""
        return None

    # -- schema -----------------------------------------------------------------------

    async def schema_version(self) -> int:
        async with self._db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

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

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        await self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            await self._db.execute("ROLLBACK")
            raise
        else:
            await self._db.execute("COMMIT")

    async def integrity_check(self) -> str:
        async with self._db.execute("PRAGMA integrity_check") as cur:
            row = await cur.fetchone()
        return str(row[0]) if row else "no answer"

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        async with self._db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        async with self._db.execute(sql, params) as cur:
            return await cur.fetchone()

    # -- ingest -----------------------------------------------------------------------

    async def article_states(self) -> dict[str, tuple[str, str]]:
        """id → (content hash, pipeline version) of every stored article."""
        rows = await self._all("SELECT id, content_hash, pipeline_version FROM articles")
        return {r[0]: (r[1], r[2]) for r in rows}

    async def article_sources(self, ids: Iterable[str]) -> dict[str, str]:
        """id → source file of each stored article among `ids`."""
        ids = list(ids)
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows = await self._all(
                f"SELECT id, source FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            out.update({r[0]: r[1] for r in rows})
        return out

    async def file_stats(self, pipeline_version: str | None) -> dict[str, tuple[int, int]]:
        """source → (size, mtime_ns) of files whose every article was analysed by
        `pipeline_version`: those need no reading while their stat stays the same."""
        rows = await self._all(
            "SELECT source, min(file_size), max(file_size), min(file_mtime_ns),"
            " max(file_mtime_ns), min(CASE WHEN pipeline_version = ? THEN 1 ELSE 0 END)"
            " FROM articles GROUP BY source",
            (pipeline_version or "",),
        )
        return {
            r[0]: (int(r[1]), int(r[3]))
            for r in rows
            if r[1] is not None
            and r[3] is not None
            and r[1] == r[2]
            and r[3] == r[4]
            and (pipeline_version is None or r[5])
        }

    async def article_ids_from(self, sources: Sequence[str]) -> list[str]:
        ids: list[str] = []
        for begin in range(0, len(sources), 500):
            part = sources[begin : begin + 500]
            rows = await self._all(
                f"SELECT id FROM articles WHERE source IN ({','.join('?' * len(part))})", part
            )
            ids += [r[0] for r in rows]
        return ids

    async def set_file_stats(self, stats: Sequence[tuple[str, int | None, int | None]]) -> None:
        """(article id, size, mtime_ns): files read again and found unchanged."""
        if not stats:
            return
        async with self.transaction() as db:
            await db.executemany(
                "UPDATE articles SET file_size = ?, file_mtime_ns = ? WHERE id = ?",
                [(size, mtime, aid) for aid, size, mtime in stats],
            )

    async def save_analysis(self, item: AnalysedArticle) -> None:
        """Replace one article and everything derived from it, atomically."""
        a = item.article
        async with self.transaction() as db:
            await db.execute("DELETE FROM articles WHERE id = ?", (a.id,))
            await db.execute(
                "INSERT INTO articles (id, source, title, site, url, date, author, text,"
                " content_hash, pipeline_version, file_size, file_mtime_ns)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    a.id,
                    a.source,
                    a.title,
                    a.site,
                    a.url,
                    a.date,
                    a.author,
                    a.text,
                    a.content_hash,
                    item.pipeline_version,
                    a.file_size,
                    a.file_mtime_ns,
                ),
            )
            blobs = item.embeddings or [None] * len(item.sentences)
            await db.executemany(
                "INSERT INTO sentences (article_id, idx, start, end, text, embedding)"
                " VALUES (?,?,?,?,?,?)",
                [
                    (a.id, s.index, s.start, s.end, s.text, blob)
                    for s, blob in zip(item.sentences, blobs, strict=True)
                ],
            )
            entity_ids: dict[str, int] = {}
            # A full name linked here can absorb a lone-name entity linked a moment ago
            # (old id → new id): every id is looked up through this before it is written.
            merges: dict[int, int] = {}
            counts: dict[str, int] = {}
            for m in item.mentions:
                counts[m.canonical] = counts.get(m.canonical, 0) + 1
            # Full names first, so a lone surname in this article sees every full name it
            # could mean before it is linked.
            ordered = sorted(item.entities.items(), key=lambda kv: len(name_tokens(kv[0])) < 2)
            for name, entity in ordered:
                entity_ids[name] = await self._link_entity(db, name, entity.label, merges)
                await db.execute(
                    "INSERT INTO article_entities (article_id, entity_id, label, role, mentions)"
                    " VALUES (?,?,?,?,?) ON CONFLICT (article_id, entity_id) DO UPDATE SET"
                    " mentions = mentions + excluded.mentions,"
                    " role = coalesce(role, excluded.role)",
                    (a.id, entity_ids[name], entity.label, entity.role, counts.get(name, 0)),
                )
            starts = [s.start for s in item.sentences]
            await db.executemany(
                "INSERT INTO mentions (article_id, entity_id, sentence_idx, start, end, text,"
                " label) VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        a.id,
                        _follow(merges, entity_ids[m.canonical]),
                        _sentence_at(starts, m.start),
                        m.start,
                        m.end,
                        m.text,
                        m.label,
                    )
                    for m in item.mentions
                ],
            )
            for q in item.quotes:
                speaker_id = entity_ids.get(q.speaker)
                if speaker_id is None and q.speaker_is_person:
                    speaker_id = await self._link_entity(db, q.speaker, "PERSON", merges)
                    await db.execute(
                        "INSERT OR IGNORE INTO article_entities"
                        " (article_id, entity_id, label, role, mentions) VALUES (?,?,?,?,0)",
                        (a.id, speaker_id, "PERSON", q.role),
                    )
                await db.execute(
                    "INSERT INTO quotes (article_id, source, start, end, text, speaker,"
                    " speaker_entity_id, speaker_text, speaker_start, speaker_end,"
                    " speaker_is_person, role, cue, kind, segments)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        a.id,
                        a.source,
                        q.start,
                        q.end,
                        q.text,
                        q.speaker,
                        None if speaker_id is None else _follow(merges, speaker_id),
                        q.speaker_text,
                        q.speaker_start,
                        q.speaker_end,
                        int(q.speaker_is_person),
                        q.role,
                        q.cue,
                        q.kind,
                        json.dumps([list(seg) for seg in q.segments]),
                    ),
                )
            await db.executemany(
                "INSERT OR REPLACE INTO summaries (article_id, content_hash, method, length, model,"
                " text, sentences) VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        a.id,
                        a.content_hash,
                        s.method,
                        s.length,
                        s.model,
                        s.text,
                        json.dumps(list(s.sentences)),
                    )
                    for s in item.summaries
                ],
            )
            await self._drop_orphan_entities(db)

    async def _link_entity(
        self,
        db: aiosqlite.Connection,
        name: str,
        label: str,
        merges: dict[int, int] | None = None,
    ) -> int:
        """The corpus-wide entity for an article's canonical name.

        People are one entity per full name; a lone surname or first name joins the one
        full name in the corpus it is part of ("Putin" → "Vladimir Putin"). A full name
        that arrives later absorbs the lone-name entity it explains.
        """
        is_person = label == "PERSON"
        key = f"{'person' if is_person else 'thing'}:{name.casefold()}"
        row = await self._one_in(db, "SELECT id FROM entities WHERE key = ?", (key,))
        tokens = name_tokens(name)
        if row is None and is_person and len(tokens) == 1:
            full = await self._full_names_with(db, tokens[0])
            if len(full) == 1:
                return full[0]
        if row is not None:
            return int(row[0])
        cur = await db.execute(
            "INSERT INTO entities (key, name, label) VALUES (?,?,?)", (key, name, label)
        )
        new_id = int(cur.lastrowid or 0)
        if is_person and len(tokens) >= 2:
            for token in {tokens[0], tokens[-1]}:
                lone = await self._one_in(
                    db, "SELECT id FROM entities WHERE key = ?", (f"person:{token}",)
                )
                # Only the one full name a lone name can mean absorbs it: with "Cyd Ho"
                # and "Junius Ho" both known, "Ho" stays apart.
                if lone is not None and await self._full_names_with(db, token) == [new_id]:
                    await self._merge_entity(db, int(lone[0]), new_id)
                    if merges is not None:
                        merges[int(lone[0])] = new_id
        return new_id

    async def _full_names_with(self, db: aiosqlite.Connection, token: str) -> list[int]:
        """Ids of the people whose full name starts or ends with `token`."""
        rows = await self._all_in(
            db,
            "SELECT id FROM entities WHERE key LIKE 'person:% ' || ? OR key LIKE"
            " 'person:' || ? || ' %'",
            (token, token),
        )
        return [int(r[0]) for r in rows]

    async def _merge_entity(self, db: aiosqlite.Connection, old: int, new: int) -> None:
        for table, col in (("mentions", "entity_id"), ("quotes", "speaker_entity_id")):
            await db.execute(f"UPDATE {table} SET {col} = ? WHERE {col} = ?", (new, old))
        await db.execute(
            "INSERT INTO article_entities (article_id, entity_id, label, role, mentions)"
            " SELECT article_id, ?, label, role, mentions FROM article_entities"
            " WHERE entity_id = ? AND true ON CONFLICT (article_id, entity_id) DO UPDATE SET"
            " mentions = mentions + excluded.mentions, role = coalesce(role, excluded.role)",
            (new, old),
        )
        await db.execute("DELETE FROM article_entities WHERE entity_id = ?", (old,))
        await db.execute("DELETE FROM entities WHERE id = ?", (old,))

    async def _drop_orphan_entities(self, db: aiosqlite.Connection) -> None:
        await db.execute(
            "DELETE FROM entities WHERE NOT EXISTS (SELECT 1 FROM article_entities ae"
            " WHERE ae.entity_id = entities.id) AND NOT EXISTS (SELECT 1 FROM quotes q"
            " WHERE q.speaker_entity_id = entities.id)"
        )

    @staticmethod
    async def _one_in(db: aiosqlite.Connection, sql: str, params: Sequence[Any]) -> Any:
        async with db.execute(sql, params) as cur:
            return await cur.fetchone()

    @staticmethod
    async def _all_in(db: aiosqlite.Connection, sql: str, params: Sequence[Any]) -> list[Any]:
        async with db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def delete_articles(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        if not ids:
            return 0
        async with self.transaction() as db:
            await db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in ids])
            await self._drop_orphan_entities(db)
        return len(ids)

    # -- articles ---------------------------------------------------------------------

    async def corpus_counts(self) -> dict[str, float | int | None]:
        """What `status` shows, in one round trip: counts and the last analysis time."""
        row = await self._one(
            "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM quotes),"
            " (SELECT count(DISTINCT speaker) FROM quotes), (SELECT count(*) FROM entities),"
            " (SELECT max(analysed_at) FROM articles)"
        )
        keys = ("articles", "quotes", "speakers", "entities", "last_analysed")
        return dict(zip(keys, row or (0, 0, 0, 0, None), strict=True))

    async def count_articles(self) -> int:
        row = await self._one("SELECT count(*) FROM articles")
        return int(row[0]) if row else 0

    async def list_articles(self, limit: int = 1000, offset: int = 0) -> list[ArticleRow]:
        where, params = _and_visible("a.id")
        rows = await self._all(
            f"SELECT {_ARTICLE_COLS} FROM articles a{where} ORDER BY a.source, a.id"
            " LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_article_row(r) for r in rows]

    async def get_article(self, article_id: str) -> ArticleRow | None:
        row = await self._one(
            f"SELECT {_ARTICLE_COLS} FROM articles a WHERE a.id = ?", (article_id,)
        )
        return _article_row(row) if row else None

    async def article_text(self, article_id: str) -> str | None:
        row = await self._one("SELECT text FROM articles WHERE id = ?", (article_id,))
        return str(row[0]) if row else None

    async def find_articles(self, ref: str, limit: int = 25) -> list[ArticleRow]:
        """Articles by exact id, exact source path, or a part of the title or path."""
        ref = ref.strip()
        where, scope = _and_visible("a.id", "a.id = ? OR a.source = ?")
        rows = await self._all(
            f"SELECT {_ARTICLE_COLS} FROM articles a{where} LIMIT ?", (ref, ref, *scope, limit)
        )
        if rows:
            return [_article_row(r) for r in rows]
        pattern = "%" + ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where, scope = _and_visible(
            "a.id", "a.title LIKE ? ESCAPE '\\' OR a.source LIKE ? ESCAPE '\\'"
        )
        rows = await self._all(
            f"SELECT {_ARTICLE_COLS} FROM articles a{where} ORDER BY a.source LIMIT ?",
            (pattern, pattern, *scope, limit),
        )
        return [_article_row(r) for r in rows]

    async def article_counts(self, article_id: str) -> dict[str, int]:
        row = await self._one(
            "SELECT (SELECT count(*) FROM sentences WHERE article_id = :a),"
            " (SELECT count(*) FROM article_entities WHERE article_id = :a),"
            " (SELECT count(*) FROM quotes WHERE article_id = :a)",
            {"a": article_id},
        )
        return {"sentences": row[0], "entities": row[1], "quotes": row[2]} if row else {}

    # -- sentences and embeddings -----------------------------------------------------

    async def sentences(self, article_id: str) -> list[tuple[int, int, int, str]]:
        return [
            (r[0], r[1], r[2], r[3])
            for r in await self._all(
                "SELECT idx, start, end, text FROM sentences WHERE article_id = ? ORDER BY idx",
                (article_id,),
            )
        ]

    # The full-text part of `search_sentences`, which each backend words its own way.
    SENTENCE_MATCH = (
        "SELECT s.id, bm25(sentences_fts) AS score FROM sentences_fts"
        " JOIN sentences s ON s.id = sentences_fts.rowid WHERE sentences_fts MATCH ?"
    )
    SENTENCE_ORDER = " ORDER BY score LIMIT ?"

    @staticmethod
    def sentence_match_query(query: str) -> str | None:
        return fts_query(query, any_word=True)

    async def search_sentences(
        self, query: str, limit: int = 50, article_id: str | None = None
    ) -> list[tuple[int, float]]:
        """(sentence row id, score — lower is better, as bm25's) for free-text `query`."""
        match = self.sentence_match_query(query)
        if match is None:
            return []
        sql = self.SENTENCE_MATCH
        params: list[Any] = [match]
        if article_id is not None:
            sql += " AND s.article_id = ?"
            params.append(article_id)
        scope, scope_params = article_filter("s.article_id")
        if scope:
            sql += f" AND {scope}"
            params.extend(scope_params)
        sql += self.SENTENCE_ORDER
        params.append(limit)
        return [(int(r[0]), float(r[1])) for r in await self._all(sql, params)]

    async def sentence_rows(self, ids: Sequence[int]) -> dict[int, tuple[str, int, str]]:
        """sentence row id → (article id, index, text)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self._all(
            f"SELECT id, article_id, idx, text FROM sentences WHERE id IN ({marks})", list(ids)
        )
        return {int(r[0]): (r[1], int(r[2]), r[3]) for r in rows}

    async def sentence_vectors(self, ids: Sequence[int]) -> dict[int, bytes]:
        """Sentence id → embedding blob, for the given ids that have one."""
        if not ids:
            return {}
        rows = await self._all(
            f"SELECT id, embedding FROM sentences WHERE id IN ({','.join('?' * len(ids))})"
            " AND embedding IS NOT NULL",
            list(ids),
        )
        return {int(r[0]): r[1] for r in rows}

    async def article_embeddings(self, article_id: str) -> list[bytes | None]:
        """One float16 blob (or None) per sentence of an article, in sentence order."""
        rows = await self._all(
            "SELECT embedding FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,)
        )
        return [r[0] for r in rows]

    # -- entities ---------------------------------------------------------------------

    async def entity_names(self) -> list[tuple[int, str, str, str]]:
        """(entity id, canonical name, label, alias) for every name an entity goes by."""
        rows = await self._all(
            "SELECT e.id, e.name, e.label, e.name FROM entities e UNION"
            " SELECT DISTINCT e.id, e.name, e.label, m.text FROM mentions m"
            " JOIN entities e ON e.id = m.entity_id"
        )
        return [(int(r[0]), r[1], r[2], r[3]) for r in rows]

    async def entity_aliases(self, entity_id: int) -> list[str]:
        rows = await self._all(
            "SELECT text, count(*) AS n FROM mentions WHERE entity_id = ? GROUP BY text"
            " ORDER BY n DESC",
            (entity_id,),
        )
        return [r[0] for r in rows]

    async def entity_articles(
        self, entity_id: int, limit: int = 1_000_000
    ) -> list[tuple[ArticleRow, int, str | None]]:
        """The `limit` articles that mention an entity most, ties by path, with its role
        there. Only rows with at least the limit-th largest count are joined and sorted
        (the weight index finds that count), not every article of a common name."""
        where, params = _and_visible(
            "ae.article_id",
            "ae.entity_id = ? AND ae.mentions >= coalesce((SELECT mentions FROM article_entities"
            " WHERE entity_id = ? ORDER BY mentions DESC LIMIT 1 OFFSET ?), 0)",
        )
        rows = await self._all(
            f"SELECT {_ARTICLE_COLS}, ae.mentions, ae.role FROM article_entities ae"
            f" JOIN articles a ON a.id = ae.article_id{where}"
            " ORDER BY ae.mentions DESC, a.source LIMIT ?",
            (entity_id, entity_id, max(limit, 1) - 1, *params, limit),
        )
        return [(_article_row(r), int(r[8]), r[9]) for r in rows]

    async def count_entity_articles(self, entity_id: int) -> int:
        row = await self._one(
            "SELECT count(*) FROM article_entities WHERE entity_id = ?", (entity_id,)
        )
        return int(row[0]) if row else 0

    async def entity_role(self, entity_id: int) -> str | None:
        """The role given in the article that mentions the entity most (ties by path)."""
        row = await self._one(
            "SELECT ae.role FROM article_entities ae JOIN articles a ON a.id = ae.article_id"
            " WHERE ae.entity_id = ? AND ae.role IS NOT NULL"
            " ORDER BY ae.mentions DESC, a.source LIMIT 1",
            (entity_id,),
        )
        return row[0] if row else None

    async def entity_sentences(
        self, entity_id: int, limit: int = 10, offset: int = 0
    ) -> list[tuple[str, int, str]]:
        """(article id, sentence index, sentence text) where the entity is mentioned."""
        # The page of (article, sentence) keys first, then only their texts: joining every
        # mention's sentence before DISTINCT and LIMIT was 5x slower for a common name.
        where, params = _and_visible("article_id", "entity_id = ?")
        rows = await self._all(
            "SELECT s.article_id, s.idx, s.text FROM (SELECT DISTINCT article_id, sentence_idx"
            f" FROM mentions{where} ORDER BY article_id, sentence_idx LIMIT ?"
            " OFFSET ?) k JOIN sentences s ON s.article_id = k.article_id"
            " AND s.idx = k.sentence_idx ORDER BY s.article_id, s.idx",
            (entity_id, *params, limit, offset),
        )
        return [(r[0], int(r[1]), r[2]) for r in rows]

    async def count_entity_sentences(self, entity_id: int) -> int:
        where, params = _and_visible("article_id", "entity_id = ?")
        row = await self._one(
            "SELECT count(*) FROM (SELECT DISTINCT article_id, sentence_idx FROM mentions"
            f"{where}) k",
            (entity_id, *params),
        )
        return int(row[0]) if row else 0

    async def ranked_entities(
        self, article_id: str | None = None, limit: int = 200
    ) -> list[tuple[int, str, str, int, int]]:
        """(entity id, name, label, mentions, articles), most mentioned first."""
        where, params = _and_visible("ae.article_id", "ae.article_id = ?" if article_id else "")
        params = [article_id, *params] if article_id else params
        rows = await self._all(
            "SELECT e.id, e.name, e.label, sum(ae.mentions) AS n, count(DISTINCT ae.article_id)"
            f" FROM article_entities ae JOIN entities e ON e.id = ae.entity_id {where}"
            " GROUP BY e.id HAVING sum(ae.mentions) > 0 ORDER BY n DESC, e.name LIMIT ?",
            [*params, limit],
        )
        return [(int(r[0]), r[1], r[2], int(r[3]), int(r[4])) for r in rows]

    async def article_mentions(self, article_id: str) -> list[tuple[str, str, int, int, str]]:
        """(text, label, start, end, canonical name) of an article's mentions, in order."""
        rows = await self._all(
            "SELECT m.text, m.label, m.start, m.end, e.name FROM mentions m JOIN entities e"
            " ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.start",
            (article_id,),
        )
        return [(r[0], r[1], int(r[2]), int(r[3]), r[4]) for r in rows]

    # -- quotes -----------------------------------------------------------------------

    @staticmethod
    def _quote_filters(
        speaker_ids: Sequence[int] | None,
        speaker_name: str | None,
        article_id: str | None,
        text: str | None,
        kind: str | None,
    ) -> tuple[list[str], list[Any]] | None:
        """WHERE clauses and parameters for a quote search; None when nothing can match."""
        where: list[str] = []
        params: list[Any] = []
        if text:
            match = fts_query(text)
            if match is None:
                return None
            where.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append(match)
        if speaker_ids is not None:
            if not speaker_ids:
                return None
            where.append(f"q.speaker_entity_id IN ({','.join('?' * len(speaker_ids))})")
            params.extend(speaker_ids)
        if speaker_name is not None:
            where.append("q.speaker = ? COLLATE NOCASE")
            params.append(speaker_name)
        if article_id is not None:
            where.append("q.article_id = ?")
            params.append(article_id)
        if kind is not None:
            where.append("q.kind = ?")
            params.append(kind)
        scope, scope_params = article_filter("q.article_id")
        if scope:
            where.append(scope)
            params.extend(scope_params)
        return where, params

    async def search_quotes(
        self,
        *,
        speaker_ids: Sequence[int] | None = None,
        speaker_name: str | None = None,
        article_id: str | None = None,
        text: str | None = None,
        kind: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        filters = self._quote_filters(speaker_ids, speaker_name, article_id, text, kind)
        if filters is None:
            return []
        where, params = filters
        sql = [
            "SELECT q.id, q.article_id, q.start, q.end, q.text, q.speaker, q.speaker_entity_id,"
            " q.speaker_text, q.role, q.cue, q.kind, a.title, a.source, a.url,"
            " coalesce(q.role, ae.role), q.segments"
            " FROM quotes q JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN article_entities ae ON ae.article_id = q.article_id"
            " AND ae.entity_id = q.speaker_entity_id"
        ]
        if where:
            sql.append("WHERE " + " AND ".join(where))
        # q.source is the article's path (copied at save): one speaker's page comes in
        # this order from quotes_speaker_order, with no sort.
        sql.append("ORDER BY q.source, q.start LIMIT ? OFFSET ?")
        params.extend([limit, offset])
        keys = (
            "id",
            "article_id",
            "start",
            "end",
            "text",
            "speaker",
            "speaker_entity_id",
            "speaker_text",
            "quote_role",
            "cue",
            "kind",
            "title",
            "source",
            "url",
            "role",
            "segments",
        )
        rows = [dict(zip(keys, r, strict=True)) for r in await self._all(" ".join(sql), params)]
        for row in rows:
            row["segments"] = [{"start": a, "end": b} for a, b in json.loads(row["segments"])]
        return rows

    async def count_quotes(
        self,
        *,
        speaker_ids: Sequence[int] | None = None,
        speaker_name: str | None = None,
        article_id: str | None = None,
        text: str | None = None,
        kind: str | None = None,
    ) -> int:
        filters = self._quote_filters(speaker_ids, speaker_name, article_id, text, kind)
        if filters is None:
            return 0
        where, params = filters
        sql = "SELECT count(*) FROM quotes q" + (" WHERE " + " AND ".join(where) if where else "")
        row = await self._one(sql, params)
        return int(row[0]) if row else 0

    async def speaker_owners(self) -> list[tuple[str, int, int | None]]:
        """(speaker, quote count, owning server) per speaker and server (None: shared), for
        autocomplete that shows each server only the speakers of what it can see."""
        rows = await self._all(
            "SELECT coalesce(e.name, max(q.speaker)) AS who, count(*) AS n, a.guild_id"
            " FROM quotes q JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN entities e ON e.id = q.speaker_entity_id"
            " GROUP BY a.guild_id, coalesce(q.speaker_entity_id, lower(q.speaker))"
            " ORDER BY n DESC, who"
        )
        return [(r[0], int(r[1]), r[2]) for r in rows]

    async def entity_owners(self) -> dict[int, set[int | None]]:
        """entity id → the servers whose articles name it (None: the shared corpus)."""
        rows = await self._all(
            "SELECT DISTINCT ae.entity_id, a.guild_id FROM article_entities ae"
            " JOIN articles a ON a.id = ae.article_id"
        )
        owners: dict[int, set[int | None]] = {}
        for entity_id, guild_id in rows:
            owners.setdefault(int(entity_id), set()).add(guild_id)
        return owners

    async def speakers(self) -> list[tuple[str, int, int | None]]:
        """(speaker, quote count, entity id) for every speaker, most quoted first."""
        where, params = _and_visible("q.article_id")
        rows = await self._all(
            # "Analysts" opening a sentence and "analysts" mid-sentence are one source.
            "SELECT coalesce(e.name, max(q.speaker)) AS who, count(*) AS n, q.speaker_entity_id"
            f" FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_entity_id{where}"
            " GROUP BY coalesce(q.speaker_entity_id, lower(q.speaker)) ORDER BY n DESC, who",
            params,
        )
        return [(r[0], int(r[1]), r[2]) for r in rows]

    async def article_quotes(self, article_id: str) -> list[dict[str, Any]]:
        return await self.search_quotes(article_id=article_id, limit=10_000)

    # -- summaries --------------------------------------------------------------------

    async def get_summary(
        self, article_id: str, content_hash: str, method: str, length: str, model: str
    ) -> SummaryRecord | None:
        row = await self._one(
            "SELECT method, length, model, text, sentences FROM summaries WHERE article_id = ?"
            " AND content_hash = ? AND method = ? AND length = ? AND model = ?",
            (article_id, content_hash, method, length, model),
        )
        if row is None:
            return None
        return SummaryRecord(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])))

    async def put_summary(self, article_id: str, content_hash: str, s: SummaryRecord) -> None:
        async with self.transaction() as db:
            await db.execute(
                "INSERT OR REPLACE INTO summaries (article_id, content_hash, method, length,"
                " model, text, sentences) SELECT id, ?, ?, ?, ?, ?, ? FROM articles"
                " WHERE id = ? AND content_hash = ?",
                (
                    content_hash,
                    s.method,
                    s.length,
                    s.model,
                    s.text,
                    json.dumps(list(s.sentences)),
                    article_id,
                    content_hash,
                ),
            )

    # -- questions --------------------------------------------------------------------

    async def change_counter(self) -> tuple[int, int]:
        """(data_version, total_changes()): the first moves on other connections' commits,
        the second on this one's, so "nothing changed" costs no table read."""
        version = await self._one("PRAGMA data_version")
        changes = await self._one("SELECT total_changes()")
        return (int(version[0]) if version else 0, int(changes[0]) if changes else 0)

    async def sentences_fingerprint(self) -> tuple[int, int, str, float]:
        """Changes whenever sentences are added, removed or re-analysed: the count, the last
        row id, and that row's article hash and analysis time (an article re-analysed last
        gets its old row ids back)."""
        row = await self._one(
            "SELECT (SELECT count(*) FROM sentences), s.id, a.content_hash, a.analysed_at"
            " FROM sentences s JOIN articles a ON a.id = s.article_id"
            " WHERE s.id = (SELECT max(id) FROM sentences)"
        )
        if row is None:
            return (0, 0, "", 0.0)
        return (int(row[0]), int(row[1]), str(row[2]), float(row[3]))

    async def embedding_page(self, after_id: int, limit: int) -> list[tuple[int, str, bytes]]:
        """Up to `limit` (sentence row id, article id, float16 blob) with row id > `after_id`,
        in id order: the matrix loads page by page instead of all blobs at once."""
        rows = await self._all(
            "SELECT id, article_id, embedding FROM sentences WHERE id > ?"
            " AND embedding IS NOT NULL ORDER BY id LIMIT ?",
            (after_id, limit),
        )
        return [(int(r[0]), r[1], r[2]) for r in rows]

    async def passages(self, ids: Sequence[int]) -> dict[int, tuple[str, int, str, str, str]]:
        """sentence row id → (article id, index, text, article title, article source)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        where, params = _and_visible("s.article_id", f"s.id IN ({marks})")
        rows = await self._all(
            "SELECT s.id, s.article_id, s.idx, s.text, a.title, a.source FROM sentences s"
            f" JOIN articles a ON a.id = s.article_id{where}",
            [*ids, *params],
        )
        return {int(r[0]): (r[1], int(r[2]), r[3], r[4], r[5]) for r in rows}

    async def passage_mentions(
        self, ids: Sequence[int]
    ) -> list[tuple[int, int, int, str, str, str]]:
        """(sentence row id, start, end — offsets within the sentence —, text, label,
        canonical name) of the entity mentions in the given sentences, in one query."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        rows = await self._all(
            "SELECT s.id, m.start - s.start, m.end - s.start, m.text, m.label, e.name"
            " FROM sentences s JOIN mentions m ON m.article_id = s.article_id"
            " AND m.sentence_idx = s.idx JOIN entities e ON e.id = m.entity_id"
            f" WHERE s.id IN ({marks}) ORDER BY s.id, m.start",
            list(ids),
        )
        return [(int(r[0]), int(r[1]), int(r[2]), r[3], r[4], r[5]) for r in rows]

    async def passage_neighbours(self, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
        """sentence row id → (the sentence before it, the one after; "" at either end)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = await self._all(
            "SELECT s.id, coalesce(p.text, ''), coalesce(n.text, '') FROM sentences s"
            " LEFT JOIN sentences p ON p.article_id = s.article_id AND p.idx = s.idx - 1"
            " LEFT JOIN sentences n ON n.article_id = s.article_id AND n.idx = s.idx + 1"
            f" WHERE s.id IN ({marks})",
            list(ids),
        )
        return {int(r[0]): (r[1], r[2]) for r in rows}


def _follow(merges: dict[int, int], entity_id: int) -> int:
    """The id an entity has now, after the merges made in this transaction."""
    while entity_id in merges:
        entity_id = merges[entity_id]
    return entity_id


def _sentence_at(starts: list[int], offset: int) -> int | None:
    """Index of the sentence holding character `offset` (sentences sorted by start)."""
    import bisect

    i = bisect.bisect_right(starts, offset) - 1
    return i if i >= 0 else None
