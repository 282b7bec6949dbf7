"""Reads of the articles themselves: what ingest compares against, listings and lookups,
one article's text, sentences and counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from bot.store.base import StoreBase, and_visible
from bot.store.rows import select_list


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


# The SELECT list of an `ArticleRow` from `articles a`.
ARTICLE_COLUMNS = select_list(ArticleRow, "a")


class ArticleState(NamedTuple):
    content_hash: str
    pipeline_version: str


@dataclass(frozen=True, slots=True)
class ArticleCounts:
    """What an article's card counts."""

    sentences: int
    entities: int
    quotes: int


class SentenceRow(NamedTuple):
    idx: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class _SourceStats:
    """One source file's stat as its articles recorded it, and whether all of them were
    analysed by the pipeline asked about."""

    source: str
    min_size: int | None
    max_size: int | None
    min_mtime: int | None
    max_mtime: int | None
    current: int | None

    def settled(self, any_pipeline: bool) -> bool:
        return (
            self.min_size is not None
            and self.min_mtime is not None
            and self.min_size == self.max_size
            and self.min_mtime == self.max_mtime
            and (any_pipeline or bool(self.current))
        )


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    """`items` in parts small enough for one IN (…) list."""
    for begin in range(0, len(items), size):
        yield items[begin : begin + size]


class ArticleReads(StoreBase):
    # -- what ingest compares against ---------------------------------------------------

    async def article_states(self) -> dict[str, ArticleState]:
        """id → (content hash, pipeline version) of every stored article."""
        rows = await self._records(
            lambda id, **state: (id, ArticleState(**state)),
            "SELECT id, content_hash, pipeline_version FROM articles",
        )
        return dict(rows)

    async def article_sources(self, ids: Iterable[str]) -> dict[str, str]:
        """id → source file of each stored article among `ids`."""
        out: dict[str, str] = {}
        for chunk in _chunks(list(ids)):
            out.update(
                await self._records(
                    lambda id, source: (id, source),
                    f"SELECT id, source FROM articles WHERE id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return out

    async def file_stats(self, pipeline_version: str | None) -> dict[str, tuple[int, int]]:
        """source → (size, mtime_ns) of files whose every article was analysed by
        `pipeline_version`: those need no reading while their stat stays the same."""
        rows = await self._records(
            _SourceStats,
            "SELECT source, min(file_size) AS min_size, max(file_size) AS max_size,"
            " min(file_mtime_ns) AS min_mtime, max(file_mtime_ns) AS max_mtime,"
            " min(CASE WHEN pipeline_version = ? THEN 1 ELSE 0 END) AS current"
            " FROM articles GROUP BY source",
            (pipeline_version or "",),
        )
        return {
            r.source: (int(r.min_size), int(r.min_mtime))  # type: ignore[arg-type]
            for r in rows
            if r.settled(pipeline_version is None)
        }

    async def article_ids_from(self, sources: Sequence[str]) -> list[str]:
        ids: list[str] = []
        for part in _chunks(sources):
            ids += await self._column(
                f"SELECT id FROM articles WHERE source IN ({','.join('?' * len(part))})", part
            )
        return ids

    # -- listings and lookups -------------------------------------------------------------

    async def count_articles(self) -> int:
        return int(await self._value("SELECT count(*) FROM articles") or 0)

    async def list_articles(self, limit: int = 1000, offset: int = 0) -> list[ArticleRow]:
        where, params = and_visible("a.id")
        return await self._records(
            ArticleRow,
            f"SELECT {ARTICLE_COLUMNS} FROM articles a{where} ORDER BY a.source, a.id"
            " LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )

    async def get_article(self, article_id: str) -> ArticleRow | None:
        return await self._record(
            ArticleRow, f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id = ?", (article_id,)
        )

    async def find_articles(self, ref: str, limit: int = 25) -> list[ArticleRow]:
        """Articles by exact id, exact source path, or a part of the title or path."""
        ref = ref.strip()
        where, scope = and_visible("a.id", "a.id = ? OR a.source = ?")
        rows = await self._records(
            ArticleRow,
            f"SELECT {ARTICLE_COLUMNS} FROM articles a{where} LIMIT ?",
            (ref, ref, *scope, limit),
        )
        if rows:
            return rows
        pattern = "%" + ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where, scope = and_visible(
            "a.id", "a.title LIKE ? ESCAPE '\\' OR a.source LIKE ? ESCAPE '\\'"
        )
        return await self._records(
            ArticleRow,
            f"SELECT {ARTICLE_COLUMNS} FROM articles a{where} ORDER BY a.source LIMIT ?",
            (pattern, pattern, *scope, limit),
        )

    # -- one article ------------------------------------------------------------------------

    async def article_text(self, article_id: str) -> str | None:
        text = await self._value("SELECT text FROM articles WHERE id = ?", (article_id,))
        return None if text is None else str(text)

    async def article_counts(self, article_id: str) -> ArticleCounts:
        """Its sentences, names and quotes (all 0 for an id that is not stored)."""
        counts = await self._record(
            ArticleCounts,
            "SELECT (SELECT count(*) FROM sentences WHERE article_id = :a) AS sentences,"
            " (SELECT count(*) FROM article_entities WHERE article_id = :a) AS entities,"
            " (SELECT count(*) FROM quotes WHERE article_id = :a) AS quotes",
            {"a": article_id},
        )
        return counts or ArticleCounts(0, 0, 0)

    async def sentences(self, article_id: str) -> list[SentenceRow]:
        return await self._records(
            SentenceRow,
            "SELECT idx, start, end, text FROM sentences WHERE article_id = ? ORDER BY idx",
            (article_id,),
        )

    async def article_embeddings(self, article_id: str) -> list[bytes | None]:
        """One float16 blob (or None) per sentence of an article, in sentence order."""
        return await self._column(
            "SELECT embedding FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,)
        )
