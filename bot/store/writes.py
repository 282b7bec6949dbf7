"""The write path: an article's analysis saved (or replaced) in one transaction, articles
removed, unchanged files' stats recorded. Which entity a name joins is decided by
bot/store/linking.py; `SqlEntityIndex` answers its questions from the entity tables."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import aiosqlite

from bot.records import AnalysedArticle
from bot.store.base import StoreBase
from bot.store.linking import PERSON, EntityLinker, full_names_first, sentence_at


class SqlEntityIndex:
    """The `EntityIndex` of the linking policy, over the `entities` table, inside the
    caller's transaction."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def find(self, key: str) -> int | None:
        async with self._db.execute("SELECT id FROM entities WHERE key = ?", (key,)) as cur:
            row = await cur.fetchone()
        return None if row is None else int(row[0])

    async def full_names_with(self, token: str) -> list[int]:
        async with self._db.execute(
            "SELECT id FROM entities WHERE key LIKE 'person:% ' || ? OR key LIKE"
            " 'person:' || ? || ' %'",
            (token, token),
        ) as cur:
            return [int(r[0]) for r in await cur.fetchall()]

    async def create(self, key: str, name: str, label: str) -> int:
        cur = await self._db.execute(
            "INSERT INTO entities (key, name, label) VALUES (?,?,?)", (key, name, label)
        )
        return int(cur.lastrowid or 0)

    async def merge(self, old: int, new: int) -> None:
        db = self._db
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


async def _drop_orphan_entities(db: aiosqlite.Connection) -> None:
    await db.execute(
        "DELETE FROM entities WHERE NOT EXISTS (SELECT 1 FROM article_entities ae"
        " WHERE ae.entity_id = entities.id) AND NOT EXISTS (SELECT 1 FROM quotes q"
        " WHERE q.speaker_entity_id = entities.id)"
    )


class Writes(StoreBase):
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
            # A full name linked here can absorb a lone-name entity linked a moment ago:
            # every id is followed through the linker's merges before it is written.
            linker = EntityLinker(SqlEntityIndex(db))
            entity_ids: dict[str, int] = {}
            counts: dict[str, int] = {}
            for m in item.mentions:
                counts[m.canonical] = counts.get(m.canonical, 0) + 1
            for name, entity in full_names_first(item.entities.items()):
                entity_ids[name] = await linker.link(name, entity.label)
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
                        linker.current(entity_ids[m.canonical]),
                        sentence_at(starts, m.start),
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
                    speaker_id = await linker.link(q.speaker, PERSON)
                    await db.execute(
                        "INSERT OR IGNORE INTO article_entities"
                        " (article_id, entity_id, label, role, mentions) VALUES (?,?,?,?,0)",
                        (a.id, speaker_id, PERSON, q.role),
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
                        None if speaker_id is None else linker.current(speaker_id),
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
            await _drop_orphan_entities(db)

    async def delete_articles(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        if not ids:
            return 0
        async with self.transaction() as db:
            await db.executemany("DELETE FROM articles WHERE id = ?", [(i,) for i in ids])
            await _drop_orphan_entities(db)
        return len(ids)

    async def set_file_stats(self, stats: Sequence[tuple[str, int | None, int | None]]) -> None:
        """(article id, size, mtime_ns): files read again and found unchanged."""
        if not stats:
            return
        async with self.transaction() as db:
            await db.executemany(
                "UPDATE articles SET file_size = ?, file_mtime_ns = ? WHERE id = ?",
                [(size, mtime, aid) for aid, size, mtime in stats],
            )
