"""Reads of the quotes: searches and counts by speaker, article, words and kind, and the
speakers with their quote counts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bot.scope import article_filter
from bot.store.base import StoreBase, and_visible
from bot.store.search import fts_query


@dataclass(slots=True)
class QuoteRow:
    """A quote as the bot shows it, with the article it is from."""

    id: int
    article_id: str
    start: int
    end: int
    text: str
    speaker: str
    speaker_entity_id: int | None
    speaker_text: str
    quote_role: str | None  # the role given beside this quote
    cue: str
    kind: str
    title: str
    source: str
    url: str | None
    role: str | None  # the role shown: this quote's, else the speaker's in the article
    # The quoted pieces, [{"start", "end"}, …] (stored as JSON [[start, end], …]).
    segments: list[dict[str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if isinstance(self.segments, str):
            self.segments = [{"start": a, "end": b} for a, b in json.loads(self.segments)]


class Speaker(NamedTuple):
    name: str
    quotes: int
    entity_id: int | None


class SpeakerOwner(NamedTuple):
    name: str
    quotes: int
    guild_id: int | None  # None: the shared corpus


class QuoteReads(StoreBase):
    # How a quote search matches words, which each backend words its own way.
    QUOTE_MATCH = "q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)"

    @staticmethod
    def quote_match_query(text: str) -> str | None:
        return fts_query(text)

    def _quote_filters(
        self,
        speaker_ids: Sequence[int] | None,
        speaker_name: str | None,
        article_id: str | None,
        text: str | None,
        kind: str | None,
    ) -> tuple[list[str], list[Any]] | None:
        """WHERE clauses and parameters for a quote search; None when nothing can match."""
        where: list[str] = []
        params: list[Any] = []
        if text:
            match = self.quote_match_query(text)
            if match is None:
                return None
            where.append(self.QUOTE_MATCH)
            params.append(match)
        if speaker_ids is not None:
            if not speaker_ids:
                return None
            where.append(f"q.speaker_entity_id IN ({','.join('?' * len(speaker_ids))})")
            params.extend(speaker_ids)
        if speaker_name is not None:
            where.append("q.speaker = ? COLLATE NOCASE")
            params.append(speaker_name)
        if article_id is not None:
            where.append("q.article_id = ?")
            params.append(article_id)
        if kind is not None:
            where.append("q.kind = ?")
            params.append(kind)
        scope, scope_params = article_filter("q.article_id")
        if scope:
            where.append(scope)
            params.extend(scope_params)
        return where, params

    async def search_quotes(
        self,
        *,
        speaker_ids: Sequence[int] | None = None,
        speaker_name: str | None = None,
        article_id: str | None = None,
        text: str | None = None,
        kind: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[QuoteRow]:
        filters = self._quote_filters(speaker_ids, speaker_name, article_id, text, kind)
        if filters is None:
            return []
        where, params = filters
        sql = [
            "SELECT q.id, q.article_id, q.start, q.end, q.text, q.speaker, q.speaker_entity_id,"
            " q.speaker_text, q.role AS quote_role, q.cue, q.kind, a.title, a.source, a.url,"
            " coalesce(q.role, ae.role) AS role, q.segments"
            " FROM quotes q JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN article_entities ae ON ae.article_id = q.article_id"
            " AND ae.entity_id = q.speaker_entity_id"
        ]
        if where:
            sql.append("WHERE " + " AND ".join(where))
        # q.source is the article's path (copied at save): one speaker's page comes in
        # this order from quotes_speaker_order, with no sort.
        sql.append("ORDER BY q.source, q.start LIMIT ? OFFSET ?")
        params.extend([limit, offset])
        return await self._records(QuoteRow, " ".join(sql), params)

    async def count_quotes(
        self,
        *,
        speaker_ids: Sequence[int] | None = None,
        speaker_name: str | None = None,
        article_id: str | None = None,
        text: str | None = None,
        kind: str | None = None,
    ) -> int:
        filters = self._quote_filters(speaker_ids, speaker_name, article_id, text, kind)
        if filters is None:
            return 0
        where, params = filters
        sql = "SELECT count(*) FROM quotes q" + (" WHERE " + " AND ".join(where) if where else "")
        return int(await self._value(sql, params) or 0)

    async def article_quotes(self, article_id: str) -> list[QuoteRow]:
        return await self.search_quotes(article_id=article_id, limit=10_000)

    async def speakers(self) -> list[Speaker]:
        """Every speaker with their quote count, most quoted first."""
        where, params = and_visible("q.article_id")
        return await self._records(
            Speaker,
            # "Analysts" opening a sentence and "analysts" mid-sentence are one source.
            "SELECT coalesce(e.name, max(q.speaker)) AS name, count(*) AS quotes,"
            " q.speaker_entity_id AS entity_id"
            f" FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_entity_id{where}"
            " GROUP BY coalesce(q.speaker_entity_id, lower(q.speaker))"
            " ORDER BY quotes DESC, name",
            params,
        )

    async def speaker_owners(self) -> list[SpeakerOwner]:
        """Each speaker's quote count per owning server, for autocomplete that shows each
        server only the speakers of what it can see."""
        return await self._records(
            SpeakerOwner,
            "SELECT coalesce(e.name, max(q.speaker)) AS name, count(*) AS quotes, a.guild_id"
            " FROM quotes q JOIN articles a ON a.id = q.article_id"
            " LEFT JOIN entities e ON e.id = q.speaker_entity_id"
            " GROUP BY a.guild_id, coalesce(q.speaker_entity_id, lower(q.speaker))"
            " ORDER BY quotes DESC, name",
        )
