"""One asyncpg connection behind the small part of aiosqlite's interface the store uses.

bot/store/ writes its SQL once, in SQLite's dialect; `to_pg` rewrites what differs
(placeholders, the reserved word `end`, INSERT OR IGNORE/REPLACE, NOCASE, LIKE's case
rule) so the shared queries run unchanged, and the rest of bot/pgstore/ overrides the few
that PostgreSQL needs written its own way (full-text search, grouping). Statements are
serialised on the connection, as aiosqlite's one worker thread serialises them, and
errors surface as the DB-API errors the callers already catch.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg

# Tables whose rows have a generated integer id (what cursor.lastrowid reports).
_ID_TABLES = frozenset({"sentences", "entities", "mentions", "quotes", "feeds", "feed_items"})
# The conflict target an INSERT OR REPLACE replaces on, per table.
_REPLACE_KEYS = {
    "summaries": ("(article_id, content_hash, method, length, model)", ("text", "sentences")),
}
_INSERT_INTO = re.compile(r"^\s*INSERT\s+(?:OR\s+(IGNORE|REPLACE)\s+)?INTO\s+(\w+)", re.I)
_END = re.compile(r'(?<![\w"])end(?![\w"])')  # the column; the keyword is written END
_NOCASE = re.compile(r"(\S+) = (\$\d+) COLLATE NOCASE")
_NAMED = re.compile(r"(?<!:):(\w+)")


def to_pg(sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> tuple[str, list[Any]]:
    """The statement and its arguments in PostgreSQL's dialect."""
    args: list[Any]
    if isinstance(params, Mapping):
        names: list[str] = []

        def named(m: re.Match[str]) -> str:
            if m.group(1) not in names:
                names.append(m.group(1))
            return f"${names.index(m.group(1)) + 1}"

        sql = _NAMED.sub(named, sql)
        args = [params[n] for n in names]
    else:
        counter = iter(range(1, 10_000))
        sql = re.sub(r"\?", lambda _: f"${next(counter)}", sql)
        args = list(params)
    sql = _END.sub('"end"', sql)
    sql = sql.replace("BEGIN IMMEDIATE", "BEGIN").replace("ifnull(", "coalesce(")
    sql = sql.replace(" LIKE ", " ILIKE ")  # SQLite's LIKE ignores ASCII case
    sql = _NOCASE.sub(r"lower(\1) = lower(\2)", sql)
    sql = re.sub(r"\bIS NOT (\$\d+)", r"IS DISTINCT FROM \1", sql)
    sql = re.sub(r"\bIS (\$\d+)", r"IS NOT DISTINCT FROM \1", sql)
    # In ON CONFLICT DO UPDATE, PostgreSQL wants the target table's columns qualified.
    sql = sql.replace(
        "mentions = mentions + excluded.mentions",
        "mentions = article_entities.mentions + excluded.mentions",
    ).replace(
        "role = coalesce(role, excluded.role)",
        "role = coalesce(article_entities.role, excluded.role)",
    )
    insert = _INSERT_INTO.match(sql)
    if insert:
        mode, table = (insert.group(1) or "").upper(), insert.group(2)
        sql = sql[: insert.start()] + f"INSERT INTO {table}" + sql[insert.end() :]
        if mode == "IGNORE":
            sql += " ON CONFLICT DO NOTHING"
        elif mode == "REPLACE":
            key, cols = _REPLACE_KEYS[table]
            sets = ", ".join(f"{c} = excluded.{c}" for c in cols)
            sql += f" ON CONFLICT {key} DO UPDATE SET {sets}"
    return sql, args


def _no_nul(args: Sequence[Any]) -> list[Any]:
    """PostgreSQL text cannot hold NUL; SQLite's can, and nothing the bot shows needs it."""
    return [a.replace("\x00", "") if isinstance(a, str) else a for a in args]


def _db_error(exc: asyncpg.PostgresError) -> sqlite3.Error:
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
        return sqlite3.IntegrityError(str(exc))
    return sqlite3.OperationalError(str(exc))


class Cursor:
    """What one statement returned: its rows, the new row's id, the rows it touched, and
    (as DB-API's `description`) its columns' names."""

    def __init__(self, rows: list[Any], lastrowid: int | None, rowcount: int) -> None:
        self._rows = rows
        self.lastrowid = lastrowid
        self.rowcount = rowcount

    @property
    def description(self) -> tuple[tuple[str, None, None, None, None, None, None], ...]:
        # asyncpg's records carry the names; with no row there is nothing to name.
        names = self._rows[0].keys() if self._rows else ()
        return tuple((name, None, None, None, None, None, None) for name in names)

    async def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    async def fetchall(self) -> list[Any]:
        return self._rows

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class _Pending:
    """`await conn.execute(...)` and `async with conn.execute(...) as cur` both work."""

    def __init__(self, conn: PgConnection, sql: str, params: Any) -> None:
        self._run = conn._execute(sql, params)

    def __await__(self):  # type: ignore[no-untyped-def]
        return self._run.__await__()

    async def __aenter__(self) -> Cursor:
        return await self._run

    async def __aexit__(self, *exc: object) -> None:
        return None


class PgConnection:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.raw = conn
        self._lock = asyncio.Lock()

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> _Pending:
        return _Pending(self, sql, params)

    async def _execute(self, sql: str, params: Any) -> Cursor:
        text, args = to_pg(sql, params)
        args = _no_nul(args)
        insert = _INSERT_INTO.match(text)
        returning = bool(insert) and insert.group(2) in _ID_TABLES and "RETURNING" not in text
        head = text.lstrip()[:6].upper()
        async with self._lock:
            try:
                if returning:
                    rows = await self.raw.fetch(text + " RETURNING id", *args)
                    return Cursor([], int(rows[-1][0]) if rows else None, len(rows))
                if head in ("SELECT", "WITH (") or "RETURNING" in text:
                    rows = await self.raw.fetch(text, *args)
                    return Cursor(list(rows), None, len(rows))
                status = await self.raw.execute(text, *args)
            except asyncpg.PostgresError as exc:
                raise _db_error(exc) from exc
        count = status.rsplit(" ", 1)[-1]
        return Cursor([], None, int(count) if count.isdigit() else -1)

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        text, _ = to_pg(sql, rows[0])
        async with self._lock:
            try:
                await self.raw.executemany(text, [_no_nul(r) for r in rows])
            except asyncpg.PostgresError as exc:
                raise _db_error(exc) from exc

    async def close(self) -> None:
        await self.raw.close()
