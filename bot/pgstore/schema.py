"""Opening a PostgreSQL store and bringing it forward: a version table, and each missing
migration (bot/pgstore/migrations.py) in its own transaction under an advisory lock, so
processes started together migrate once."""

from __future__ import annotations

from typing import Any

from bot.pgstore.migrations import MIGRATIONS, SCHEMA_VERSION
from bot.store.base import StoreBase, StoreUnavailable

# The channel a commit that changes sentences announces itself on.
CHANGES_CHANNEL = "newsdesk_changes"
_MIGRATE_LOCK = 0x6E657773  # "news": the advisory lock migrations run under

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


class PgSchema(StoreBase):
    @property
    def raw(self) -> Any:
        """The asyncpg connection under the SQL-rewriting one (bot/pgstore/connection.py)."""
        return self._db.raw  # type: ignore[attr-defined]

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
