"""The store on PostgreSQL: `Store`'s interface and records, over asyncpg.

Every query of bot/store.py runs here too, rewritten by `to_pg`; the methods below are
the ones PostgreSQL answers its own way: opening and migrating (a version table, under an
advisory lock so processes started together migrate once), full-text search (tsvector +
GIN, websearch_to_tsquery, ts_rank standing in for bm25 — retrieval fuses ranks, not
raw scores), and the change counter (a generation bumped by a trigger, also announced
with NOTIFY so other processes can refresh).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.pgstore.connection import PgConnection
from bot.pgstore.migrations import MIGRATIONS, SCHEMA_VERSION
from bot.store import Store, StoreUnavailable, _and_visible

# The channel a commit that changes sentences announces itself on.
CHANGES_CHANNEL = "newsdesk_changes"
_MIGRATE_LOCK = 0x6E657773  # "news": the advisory lock migrations run under
_INGEST_LOCK = 0x696E6773  # "ings": held by the one process ingesting
_WORD = re.compile(r"\w+", re.UNICODE)

_BOOKKEEPING = f"""
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS store_generation (n BIGINT NOT NULL);
INSERT INTO store_generation SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM store_generation);
INSERT INTO schema_version SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version);
CREATE OR REPLACE FUNCTION newsdesk_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_generation SET n = n + 1;
    PERFORM pg_notify('{CHANGES_CHANNEL}', '');
    RETURN NULL;
END $$;
"""
_TRIGGER = """
DROP TRIGGER IF EXISTS sentences_changed ON sentences;
CREATE TRIGGER sentences_changed AFTER INSERT OR UPDATE OR DELETE ON sentences
    FOR EACH STATEMENT EXECUTE FUNCTION newsdesk_bump();
"""


def is_postgres_url(database: object) -> bool:
    return str(database).startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """The URL without its password, for messages and `status`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def ts_query(text: str, *, any_word: bool = False) -> str | None:
    """A websearch_to_tsquery input from free text: each word quoted (so `or` and `-` in
    the text stay words), joined with `or` when any word may match."""
    words = _WORD.findall(text)[:32]
    if not words:
        return None
    return (" or " if any_word else " ").join(f'"{w}"' for w in words)


class PgStore(Store):
    def __init__(self, db: Any, url: str) -> None:
        super().__init__(db, Path("."))
        self.url = url
        self.location = redacted(url)
        self._listener: asyncpg.Connection | None = None

    @classmethod
    async def open(cls, path: Path | str) -> PgStore:  # type: ignore[override]
        url = str(path)
        try:
            raw = await asyncpg.connect(url)
        except (OSError, asyncpg.PostgresError, ValueError) as exc:
            raise StoreUnavailable(redacted(url), exc) from None  # type: ignore[arg-type]
        store = cls(PgConnection(raw), url)
        try:
            await store.migrate()
        except (sqlite3.Error, asyncpg.PostgresError) as exc:
            await raw.close()
            raise StoreUnavailable(store.location, exc) from None  # type: ignore[arg-type]
        except BaseException:
            await raw.close()
            raise
        return store

    @property
    def raw(self) -> asyncpg.Connection:
        return self._db.raw

    @asynccontextmanager
    async def ingest_lock(self) -> AsyncIterator[bool]:
        """A session advisory lock: exactly one process ingests at a time; the others
        serve, and hear of its commits through `subscribe`."""
        row = await self._one("SELECT pg_try_advisory_lock(?)", (_INGEST_LOCK,))
        mine = bool(row and row[0])
        try:
            yield mine
        finally:
            if mine:
                await self._one("SELECT pg_advisory_unlock(?)", (_INGEST_LOCK,))

    async def subscribe(self, changed: Callable[[], None]) -> None:
        """LISTEN on a connection of its own: a commit that touched sentences (any
        process's) calls `changed` as soon as the server delivers it."""
        if self._listener is None:
            self._listener = await asyncpg.connect(self.url)
        await self._listener.add_listener(CHANGES_CHANNEL, lambda *_: changed())

    async def close(self) -> None:
        if self._listener is not None:
            await self._listener.close()
            self._listener = None
        await super().close()

    # -- schema -----------------------------------------------------------------------

    async def schema_version(self) -> int:
        exists = await self.raw.fetchval("SELECT to_regclass('schema_version') IS NOT NULL")
        if not exists:
            return 0
        return int(await self.raw.fetchval("SELECT max(version) FROM schema_version") or 0)

    async def migrate(self, target: int = SCHEMA_VERSION) -> int:
        """Each missing migration in its own transaction, under an advisory lock: a second
        process started at the same moment waits, then finds nothing left to do."""
        async with self.raw.transaction():
            await self.raw.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATE_LOCK)
            await self.raw.execute(_BOOKKEEPING)
        current = await self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreUnavailable(
                self.location,  # type: ignore[arg-type]
                f"its schema {current} is newer than this code's {SCHEMA_VERSION}",
            )
        for version in range(1, target + 1):
            async with self.raw.transaction():
                await self.raw.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATE_LOCK)
                if await self.schema_version() >= version:
                    continue
                await self.raw.execute(MIGRATIONS[version - 1])
                if version == 1:
                    await self.raw.execute(_TRIGGER)
                await self.raw.execute("UPDATE schema_version SET version = $1", version)
        return await self.schema_version()

    async def integrity_check(self) -> str:
        # PostgreSQL keeps its own pages consistent; what can break is a migration left
        # half-done, which the version check catches.
        version = await self.schema_version()
        return "ok" if version == SCHEMA_VERSION else f"schema {version} of {SCHEMA_VERSION}"

    # -- queries PostgreSQL writes its own way -----------------------------------------

    async def size_bytes(self) -> int:
        return int(await self.raw.fetchval("SELECT pg_database_size(current_database())"))

    async def speakers(self) -> list[tuple[str, int, int | None]]:
        where, params = _and_visible("q.article_id")
        rows = await self._all(
            "SELECT coalesce(max(e.name), max(q.speaker)) AS who, count(*) AS n,"
            " max(q.speaker_entity_id) FROM quotes q"
            f" LEFT JOIN entities e ON e.id = q.speaker_entity_id{where}"
            " GROUP BY coalesce(q.speaker_entity_id::text, lower(q.speaker))"
            " ORDER BY n DESC, who",
            params,
        )
        return [(r[0], int(r[1]), None if r[2] is None else int(r[2])) for r in rows]

    async def speaker_owners(self) -> list[tuple[str, int, int | None]]:
        rows = await self._all(
            "SELECT coalesce(max(e.name), max(q.speaker)) AS who, count(*) AS n, a.guild_id"
            " FROM quotes q JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN entities e ON e.id = q.speaker_entity_id"
            " GROUP BY a.guild_id, coalesce(q.speaker_entity_id::text, lower(q.speaker))"
            " ORDER BY n DESC, who"
        )
        return [(r[0], int(r[1]), r[2]) for r in rows]

    SENTENCE_MATCH = (
        "SELECT s.id, -ts_rank(s.tsv, q, 1) AS score FROM sentences s,"
        " websearch_to_tsquery('english', ?) q WHERE s.tsv @@ q"
    )
    SENTENCE_ORDER = " ORDER BY score, s.id LIMIT ?"

    @staticmethod
    def sentence_match_query(query: str) -> str | None:
        return ts_query(query, any_word=True)

    @staticmethod
    def _quote_filters(
        speaker_ids: Sequence[int] | None,
        speaker_name: str | None,
        article_id: str | None,
        text: str | None,
        kind: str | None,
    ) -> tuple[list[str], list[Any]] | None:
        if text:
            match = ts_query(text)
            if match is None:
                return None
        filters = Store._quote_filters(speaker_ids, speaker_name, article_id, None, kind)
        if filters is None or not text:
            return filters
        where, params = filters
        return (
            ["q.tsv @@ websearch_to_tsquery('english', ?)", *where],
            [match, *params],
        )

    async def change_counter(self) -> tuple[int, int]:
        """(the generation every commit that touches sentences bumps, 0)."""
        return (int(await self.raw.fetchval("SELECT n FROM store_generation") or 0), 0)
