"""The connection every part of the store shares, and the few helpers they all use: rows
as records (bot/store/rows.py), one transaction at a time, the viewer's scope."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.errors import UserError
from bot.scope import article_filter
from bot.store.rows import build, column_names

T = TypeVar("T")
BUILD_OFF_LOOP_ROWS = 2_000  # a result this long is made into records off the event loop


class StoreUnavailable(UserError):
    """The database file can't be opened or used: one line that names it and what to do."""

    def __init__(self, path: Path, reason: object) -> None:
        super().__init__(
            f"can't use the database {path}: {reason} "
            "(upgrade newsdesk, or point DATABASE or --db at another file)"
        )


def and_visible(column: str, where: str = "") -> tuple[str, list[Any]]:
    """`where` (a condition or "") extended with the viewer's scope (bot/scope.py), as a
    WHERE clause ("" when there is no condition at all)."""
    scope, params = article_filter(column)
    parts = [p for p in (where, scope) if p]
    return (" WHERE " + " AND ".join(f"({p})" for p in parts) if parts else ""), params


class StoreBase:
    """One aiosqlite connection (or bot/pgstore's stand-in for it) and its path."""

    def __init__(self, db: aiosqlite.Connection, path: Path) -> None:
        self._db = db
        self.path = path
        self.location = str(path)  # what `status` names: the file, or a redacted URL

    async def close(self) -> None:
        await self._db.close()

    @asynccontextmanager
    async def ingest_lock(self) -> AsyncIterator[bool]:
        """Whether this process may ingest now (held until the block ends). A SQLite file
        is written by the one process that serves it, whose own lock is enough."""
        yield True

    @asynccontextmanager
    async def feed_round_lock(self) -> AsyncIterator[bool]:
        """Whether this process may poll the feeds now: one poller for a shared store, so
        two processes never fetch the same feeds or ingest the same items twice."""
        yield True

    async def subscribe(self, changed: Callable[[], None]) -> None:
        """Call `changed` when another process commits new articles. A SQLite file has one
        process serving it, which refreshes itself after its own ingests: nothing to do."""
        return None

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

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        async with self._db.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        async with self._db.execute(sql, params) as cur:
            return await cur.fetchone()

    async def _records(
        self, make: Callable[..., T], sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> list[T]:
        """Every row as the record `make` builds from its named columns."""
        async with self._db.execute(sql, params) as cur:
            rows = await cur.fetchall()
            names = column_names(cur.description)
        if len(rows) < BUILD_OFF_LOOP_ROWS:
            return [build(make, names, row) for row in rows]
        # Thousands of records (every article's state, a page of the QA matrix) took
        # 0.1-0.3 s of the event loop in one step at 10,000 articles; in a worker thread
        # the loop still runs between the interpreter's switches.
        return await asyncio.to_thread(lambda: [build(make, names, row) for row in rows])

    async def _record(
        self, make: Callable[..., T], sql: str, params: Sequence[Any] | dict[str, Any] = ()
    ) -> T | None:
        """The first row as a record, or None."""
        async with self._db.execute(sql, params) as cur:
            row = await cur.fetchone()
            names = column_names(cur.description)
        return None if row is None else build(make, names, row)

    async def _value(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row (None when there is no row)."""
        row = await self._one(sql, params)
        return row[0] if row else None

    async def _column(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """The first column of every row."""
        return [row[0] for row in await self._all(sql, params)]
