"""The store on PostgreSQL: `Store`'s interface and records, over asyncpg.

Every query of bot/store/ runs here too, rewritten by `to_pg` (bot/pgstore/connection.py);
the parts PostgreSQL answers its own way follow the same split: opening and migrating
(bot/pgstore/schema.py), full-text search and the change counter (search.py), quote
matching and speaker grouping (quotes.py). Here: connecting, the ingest lock, LISTEN.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bot.pgstore.connection import PgConnection
from bot.pgstore.quotes import PgQuoteReads
from bot.pgstore.schema import CHANGES_CHANNEL
from bot.pgstore.search import PgSearchReads
from bot.store import Store, StoreUnavailable

_INGEST_LOCK = 0x696E6773  # "ings": held by the one process ingesting
_FEED_LOCK = 0x66656564  # "feed": held by the one process polling the feeds


def redacted(url: str) -> str:
    """The URL without its password, for messages and `status`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class PgStore(PgQuoteReads, PgSearchReads, Store):
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

    @asynccontextmanager
    async def _advisory(self, key: int) -> AsyncIterator[bool]:
        """A session advisory lock if no other session holds it (never waits)."""
        mine = bool(await self._value("SELECT pg_try_advisory_lock(?)", (key,)))
        try:
            yield mine
        finally:
            if mine:
                await self._one("SELECT pg_advisory_unlock(?)", (key,))

    def ingest_lock(self) -> AbstractAsyncContextManager[bool]:
        """Exactly one process ingests at a time; the others serve, and hear of its
        commits through `subscribe`."""
        return self._advisory(_INGEST_LOCK)

    def feed_round_lock(self) -> AbstractAsyncContextManager[bool]:
        """Exactly one process polls the feeds at a time: a second one with feeds on skips
        its round instead of fetching and ingesting the same items again."""
        return self._advisory(_FEED_LOCK)

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

    async def size_bytes(self) -> int:
        return int(await self.raw.fetchval("SELECT pg_database_size(current_database())"))
