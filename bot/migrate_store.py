"""`python -m bot migrate-store --from sqlite:///… --to postgresql://…`: every table of a
SQLite store copied into an empty PostgreSQL one, ids kept, then the row counts of every
table compared. One transaction: a failure leaves the target as empty as it was."""

from __future__ import annotations

import graphlib
from dataclasses import dataclass
from pathlib import Path

from bot.errors import UserError
from bot.pgstore.connection import _no_nul
from bot.pgstore.store import PgStore
from bot.store import Store
from bot.store_factory import is_postgres, open_store


@dataclass(frozen=True, slots=True)
class MigrateParams:
    page_rows: int = 5000  # rows read and written per round trip


async def _sqlite_tables(store: Store) -> dict[str, list[str]]:
    """table → its stored columns (generated ones left out), parents before children."""
    names = [
        r[0]
        for r in await store._all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' AND name NOT LIKE '%_fts_%'"
        )
    ]
    graph: dict[str, set[str]] = {}
    columns: dict[str, list[str]] = {}
    for name in names:
        # table_xinfo's `hidden`: 0 stored, 2/3 generated.
        info = await store._all(f"SELECT name, hidden FROM pragma_table_xinfo('{name}')")
        columns[name] = [r[0] for r in info if r[1] == 0]
        parents = await store._all(f"SELECT \"table\" FROM pragma_foreign_key_list('{name}')")
        graph[name] = {r[0] for r in parents if r[0] != name}
    return {t: columns[t] for t in graphlib.TopologicalSorter(graph).static_order()}


async def _pg_columns(store: PgStore) -> dict[str, set[str]]:
    rows = await store.raw.fetch(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND is_generated = 'NEVER'"
    )
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r[0], set()).add(r[1])
    return out


async def migrate_store(
    source: str, target: str, params: MigrateParams = MigrateParams()
) -> dict[str, int]:
    """Copy; returns table → rows copied (equal on both sides, or UserError)."""
    if is_postgres(source) or not is_postgres(target):
        raise UserError("migrate-store copies a SQLite store (--from) into PostgreSQL (--to).")
    if not Path(str(source).removeprefix("sqlite:///")).is_file():
        raise UserError(f"There is no SQLite store at {source}.")
    src = await open_store(source)
    dst = await open_store(target)
    assert isinstance(dst, PgStore)
    try:
        if await src.schema_version() != await dst.schema_version():
            raise UserError("The two stores are at different schema versions.")
        tables = await _sqlite_tables(src)
        target_columns = await _pg_columns(dst)
        identities = {
            r[0]
            for r in await dst.raw.fetch(
                "SELECT table_name FROM information_schema.columns WHERE column_name = 'id'"
                " AND is_identity = 'YES' AND table_schema = current_schema()"
            )
        }
        for table, cols in tables.items():
            missing = set(cols) - target_columns.get(table, set())
            if missing:
                raise UserError(f"PostgreSQL has no place for {table}.{sorted(missing)}.")
            if await dst.raw.fetchval(f"SELECT count(*) FROM {table}"):
                raise UserError(f"The target is not empty ({table} has rows): nothing copied.")
        async with dst.raw.transaction():
            for table, cols in tables.items():
                quoted = ", ".join(f'"{c}"' for c in cols)
                marks = ", ".join(f"${i}" for i in range(1, len(cols) + 1))
                insert = f"INSERT INTO {table} ({quoted}) VALUES ({marks})"
                offset = 0
                while True:
                    rows = await src._all(
                        f"SELECT {quoted} FROM {table} ORDER BY rowid LIMIT ? OFFSET ?",
                        (params.page_rows, offset),
                    )
                    if not rows:
                        break
                    await dst.raw.executemany(insert, [_no_nul(r) for r in rows])
                    offset += len(rows)
                if table in identities:  # identity columns continue after the copied ids
                    await dst.raw.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT max(id) FROM {table}))"
                        f" WHERE EXISTS (SELECT 1 FROM {table})"
                    )
        counts: dict[str, int] = {}
        for table in tables:
            have = (await src._one(f"SELECT count(*) FROM {table}"))[0]  # type: ignore[index]
            got = await dst.raw.fetchval(f"SELECT count(*) FROM {table}")
            if have != got:
                raise UserError(f"{table}: {have} rows in SQLite but {got} in PostgreSQL.")
            counts[table] = int(have)
        return counts
    finally:
        await src.close()
        await dst.close()
