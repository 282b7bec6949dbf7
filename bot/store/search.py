"""Reads for search and questions: full-text search over sentences, the embedding
matrix's pages and fingerprint, and the passages an answer is read from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from bot.scope import article_filter
from bot.store.base import StoreBase, and_visible

_FTS_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str, *, any_word: bool = False) -> str | None:
    """A safe FTS5 MATCH expression from free text: words quoted, operators neutralised."""
    words = _FTS_WORD.findall(text)[:32]
    if not words:
        return None
    joiner = " OR " if any_word else " "
    return joiner.join(f'"{w}"' for w in words)


class SentenceHit(NamedTuple):
    id: int  # the sentence's row id
    score: float  # lower is better, as bm25's


class Fingerprint(NamedTuple):
    """What changes whenever sentences are added, removed or re-analysed."""

    sentences: int
    last_id: int
    content_hash: str
    analysed_at: float


class EmbeddingRow(NamedTuple):
    id: int  # the sentence's row id
    article_id: str
    embedding: bytes


class PassageRow(NamedTuple):
    article_id: str
    idx: int
    text: str
    title: str
    source: str


class PassageMention(NamedTuple):
    sentence_id: int
    start: int  # offsets within the sentence
    end: int
    text: str
    label: str
    name: str  # the canonical name


class Neighbours(NamedTuple):
    before: str  # "" at the article's start
    after: str  # "" at its end


def _marks(ids: Sequence[Any]) -> str:
    return ",".join("?" * len(ids))


class SearchReads(StoreBase):
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
    ) -> list[SentenceHit]:
        """The sentences that match free-text `query`, best first."""
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
        return await self._records(
            lambda id, score: SentenceHit(int(id), float(score)), sql, params
        )

    async def change_counter(self) -> tuple[int, int]:
        """(data_version, total_changes()): the first moves on other connections' commits,
        the second on this one's, so "nothing changed" costs no table read."""
        version = await self._value("PRAGMA data_version")
        changes = await self._value("SELECT total_changes()")
        return (int(version or 0), int(changes or 0))

    async def sentences_fingerprint(self) -> Fingerprint:
        """The count, the last row id, and that row's article hash and analysis time (an
        article re-analysed last gets its old row ids back)."""
        row = await self._record(
            lambda sentences, last_id, content_hash, analysed_at: Fingerprint(
                int(sentences), int(last_id), str(content_hash), float(analysed_at)
            ),
            "SELECT (SELECT count(*) FROM sentences) AS sentences, s.id AS last_id,"
            " a.content_hash, a.analysed_at"
            " FROM sentences s JOIN articles a ON a.id = s.article_id"
            " WHERE s.id = (SELECT max(id) FROM sentences)",
        )
        return row or Fingerprint(0, 0, "", 0.0)

    async def sentence_stamp(self, sentence_id: int) -> tuple[str, float] | None:
        """(content hash, analysis time) of the article holding a sentence row; None when
        the row is gone. With the count, it tells a matrix whether the store only grew."""
        return await self._record(
            lambda content_hash, analysed_at: (str(content_hash), float(analysed_at)),
            "SELECT a.content_hash, a.analysed_at FROM sentences s"
            " JOIN articles a ON a.id = s.article_id WHERE s.id = ?",
            (sentence_id,),
        )

    async def count_sentences_between(self, after_id: int, last_id: int) -> int:
        """Sentence rows with after_id < id <= last_id."""
        return int(
            await self._value(
                "SELECT count(*) FROM sentences WHERE id > ? AND id <= ?", (after_id, last_id)
            )
            or 0
        )

    async def embedding_page(self, after_id: int, limit: int) -> list[EmbeddingRow]:
        """Up to `limit` sentences' float16 blobs with row id > `after_id`, in id order:
        the matrix loads page by page instead of all blobs at once."""
        return await self._records(
            EmbeddingRow,
            "SELECT id, article_id, embedding FROM sentences WHERE id > ?"
            " AND embedding IS NOT NULL ORDER BY id LIMIT ?",
            (after_id, limit),
        )

    async def sentence_vectors(self, ids: Sequence[int]) -> dict[int, bytes]:
        """Sentence id → embedding blob, for the given ids that have one."""
        if not ids:
            return {}
        rows = await self._records(
            lambda id, embedding: (int(id), embedding),
            f"SELECT id, embedding FROM sentences WHERE id IN ({_marks(ids)})"
            " AND embedding IS NOT NULL",
            list(ids),
        )
        return dict(rows)

    async def passages(self, ids: Sequence[int]) -> dict[int, PassageRow]:
        """sentence row id → the sentence and the article it is in."""
        if not ids:
            return {}
        where, params = and_visible("s.article_id", f"s.id IN ({_marks(ids)})")
        rows = await self._records(
            lambda id, **passage: (int(id), PassageRow(**passage)),
            "SELECT s.id, s.article_id, s.idx, s.text, a.title, a.source FROM sentences s"
            f" JOIN articles a ON a.id = s.article_id{where}",
            [*ids, *params],
        )
        return dict(rows)

    async def passage_mentions(self, ids: Sequence[int]) -> list[PassageMention]:
        """The entity mentions in the given sentences, in one query."""
        if not ids:
            return []
        return await self._records(
            PassageMention,
            'SELECT s.id AS sentence_id, m.start - s.start AS start, m.end - s.start AS "end",'
            " m.text, m.label, e.name"
            " FROM sentences s JOIN mentions m ON m.article_id = s.article_id"
            " AND m.sentence_idx = s.idx JOIN entities e ON e.id = m.entity_id"
            f" WHERE s.id IN ({_marks(ids)}) ORDER BY s.id, m.start",
            list(ids),
        )

    async def passage_neighbours(self, ids: Sequence[int]) -> dict[int, Neighbours]:
        """sentence row id → the sentences before and after it."""
        if not ids:
            return {}
        rows = await self._records(
            lambda id, **around: (int(id), Neighbours(**around)),
            "SELECT s.id, coalesce(p.text, '') AS before, coalesce(n.text, '') AS after"
            " FROM sentences s"
            " LEFT JOIN sentences p ON p.article_id = s.article_id AND p.idx = s.idx - 1"
            " LEFT JOIN sentences n ON n.article_id = s.article_id AND n.idx = s.idx + 1"
            f" WHERE s.id IN ({_marks(ids)})",
            list(ids),
        )
        return dict(rows)
