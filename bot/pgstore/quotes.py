"""The quote reads PostgreSQL words its own way: full-text matching of quotes, and
grouping speakers (every selected column aggregated; ids grouped as text beside names)."""

from __future__ import annotations

from bot.pgstore.search import ts_query
from bot.store.base import and_visible
from bot.store.quotes import QuoteReads, Speaker, SpeakerOwner


class PgQuoteReads(QuoteReads):
    QUOTE_MATCH = "q.tsv @@ websearch_to_tsquery('english', ?)"

    @staticmethod
    def quote_match_query(text: str) -> str | None:
        return ts_query(text)

    async def speakers(self) -> list[Speaker]:
        where, params = and_visible("q.article_id")
        return await self._records(
            Speaker,
            "SELECT coalesce(max(e.name), max(q.speaker)) AS name, count(*) AS quotes,"
            " max(q.speaker_entity_id) AS entity_id FROM quotes q"
            f" LEFT JOIN entities e ON e.id = q.speaker_entity_id{where}"
            " GROUP BY coalesce(q.speaker_entity_id::text, lower(q.speaker))"
            " ORDER BY quotes DESC, name",
            params,
        )

    async def speaker_owners(self) -> list[SpeakerOwner]:
        return await self._records(
            SpeakerOwner,
            "SELECT coalesce(max(e.name), max(q.speaker)) AS name, count(*) AS quotes,"
            " a.guild_id FROM quotes q JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN entities e ON e.id = q.speaker_entity_id"
            " GROUP BY a.guild_id, coalesce(q.speaker_entity_id::text, lower(q.speaker))"
            " ORDER BY quotes DESC, name",
        )
