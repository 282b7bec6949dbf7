"""PostgreSQL's words for full-text search (a tsvector column with a GIN index,
websearch_to_tsquery, ts_rank standing in for bm25: retrieval fuses ranks, not raw
scores) and its change counter (a generation bumped by a trigger on sentences)."""

from __future__ import annotations

import re

from bot.pgstore.schema import PgSchema
from bot.store.search import SearchReads

_WORD = re.compile(r"\w+", re.UNICODE)


def ts_query(text: str, *, any_word: bool = False) -> str | None:
    """A websearch_to_tsquery input from free text: each word quoted (so `or` and `-` in
    the text stay words), joined with `or` when any word may match."""
    words = _WORD.findall(text)[:32]
    if not words:
        return None
    return (" or " if any_word else " ").join(f'"{w}"' for w in words)


class PgSearchReads(SearchReads, PgSchema):
    SENTENCE_MATCH = (
        "SELECT s.id, -ts_rank(s.tsv, q, 1) AS score FROM sentences s,"
        " websearch_to_tsquery('english', ?) q WHERE s.tsv @@ q"
    )
    SENTENCE_ORDER = " ORDER BY score, s.id LIMIT ?"

    @staticmethod
    def sentence_match_query(query: str) -> str | None:
        return ts_query(query, any_word=True)

    async def change_counter(self) -> tuple[int, int]:
        """(the generation every commit that touches sentences bumps, 0)."""
        return (int(await self.raw.fetchval("SELECT n FROM store_generation") or 0), 0)
