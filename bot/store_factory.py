"""The one place a DATABASE setting becomes a store: a PostgreSQL URL opens the
PostgreSQL backend (bot/pgstore/), anything else (a path, `sqlite:///path`) SQLite."""

from __future__ import annotations

from pathlib import Path

from bot.store import Store


def sqlite_path(database: Path | str) -> Path:
    text = str(database)
    return Path(text[len("sqlite:///") :]) if text.startswith("sqlite:///") else Path(text)


def is_postgres(database: Path | str) -> bool:
    return str(database).startswith(("postgresql://", "postgres://"))


async def open_store(database: Path | str) -> Store:
    if is_postgres(database):
        from bot.pgstore.store import PgStore  # asyncpg loads only when it is used

        return await PgStore.open(str(database))
    return await Store.open(sqlite_path(database))
