"""Reads of the entities: the names the matcher knows them by, an entity's card (its
articles, role, sentences), an article's ranked names and mentions, who owns what."""

from __future__ import annotations

from typing import Any, NamedTuple

from bot.store.articles import ARTICLE_COLUMNS, ArticleRow
from bot.store.base import StoreBase, and_visible
from bot.store.rows import pick


class EntityName(NamedTuple):
    """One name an entity goes by (its canonical name is one of them)."""

    id: int
    name: str
    label: str
    alias: str


class EntityArticle(NamedTuple):
    article: ArticleRow
    mentions: int
    role: str | None


class EntitySentence(NamedTuple):
    article_id: str
    idx: int
    text: str


class RankedEntity(NamedTuple):
    id: int
    name: str
    label: str
    mentions: int
    articles: int


class ArticleMention(NamedTuple):
    text: str
    label: str
    start: int
    end: int
    name: str  # the canonical name


def _entity_article(mentions: int, role: str | None, **columns: Any) -> EntityArticle:
    return EntityArticle(pick(ArticleRow, columns), int(mentions), role)


class EntityReads(StoreBase):
    async def entity_names(self) -> list[EntityName]:
        """Every name an entity goes by: its canonical name and each mention's text."""
        return await self._records(
            EntityName,
            # The distinct (entity, text) pairs first, straight from mentions_entity_text,
            # then their entity: joining each of the mentions first was 4x slower at 10k.
            "SELECT e.id, e.name, e.label, e.name AS alias FROM entities e UNION"
            " SELECT e.id, e.name, e.label, m.text FROM (SELECT DISTINCT entity_id, text"
            " FROM mentions) m JOIN entities e ON e.id = m.entity_id",
        )

    async def entity_aliases(self, entity_id: int) -> list[str]:
        return await self._column(
            "SELECT text, count(*) AS n FROM mentions WHERE entity_id = ? GROUP BY text"
            " ORDER BY n DESC",
            (entity_id,),
        )

    async def entity_articles(self, entity_id: int, limit: int = 1_000_000) -> list[EntityArticle]:
        """The `limit` articles that mention an entity most, ties by path, with its role
        there. Only rows with at least the limit-th largest count are joined and sorted
        (the weight index finds that count), not every article of a common name."""
        where, params = and_visible(
            "ae.article_id",
            "ae.entity_id = ? AND ae.mentions >= coalesce((SELECT mentions FROM article_entities"
            " WHERE entity_id = ? ORDER BY mentions DESC LIMIT 1 OFFSET ?), 0)",
        )
        return await self._records(
            _entity_article,
            f"SELECT {ARTICLE_COLUMNS}, ae.mentions, ae.role FROM article_entities ae"
            f" JOIN articles a ON a.id = ae.article_id{where}"
            " ORDER BY ae.mentions DESC, a.source LIMIT ?",
            (entity_id, entity_id, max(limit, 1) - 1, *params, limit),
        )

    async def count_entity_articles(self, entity_id: int) -> int:
        """How many of the viewer's articles mention the entity."""
        where, params = and_visible("article_id", "entity_id = ?")
        return int(
            await self._value(f"SELECT count(*) FROM article_entities{where}", (entity_id, *params))
            or 0
        )

    async def entity_role(self, entity_id: int) -> str | None:
        """The role given in the viewer's article that mentions the entity most (ties by
        path): another server's article does not describe the person to this one."""
        where, params = and_visible("ae.article_id", "ae.entity_id = ? AND ae.role IS NOT NULL")
        return await self._value(
            "SELECT ae.role FROM article_entities ae JOIN articles a ON a.id = ae.article_id"
            f"{where} ORDER BY ae.mentions DESC, a.source LIMIT 1",
            (entity_id, *params),
        )

    async def entity_sentences(
        self, entity_id: int, limit: int = 10, offset: int = 0
    ) -> list[EntitySentence]:
        """The sentences where the entity is mentioned, by article and position."""
        # The page of (article, sentence) keys first, then only their texts: joining every
        # mention's sentence before DISTINCT and LIMIT was 5x slower for a common name.
        where, params = and_visible("article_id", "entity_id = ?")
        return await self._records(
            EntitySentence,
            "SELECT s.article_id, s.idx, s.text FROM (SELECT DISTINCT article_id, sentence_idx"
            f" FROM mentions{where} ORDER BY article_id, sentence_idx LIMIT ?"
            " OFFSET ?) k JOIN sentences s ON s.article_id = k.article_id"
            " AND s.idx = k.sentence_idx ORDER BY s.article_id, s.idx",
            (entity_id, *params, limit, offset),
        )

    async def count_entity_sentences(self, entity_id: int) -> int:
        where, params = and_visible("article_id", "entity_id = ?")
        return int(
            await self._value(
                "SELECT count(*) FROM (SELECT DISTINCT article_id, sentence_idx FROM mentions"
                f"{where}) k",
                (entity_id, *params),
            )
            or 0
        )

    async def ranked_entities(
        self, article_id: str | None = None, limit: int = 200
    ) -> list[RankedEntity]:
        """Entities with their mentions and articles, most mentioned first."""
        where, params = and_visible("ae.article_id", "ae.article_id = ?" if article_id else "")
        params = [article_id, *params] if article_id else params
        return await self._records(
            RankedEntity,
            "SELECT e.id, e.name, e.label, sum(ae.mentions) AS mentions,"
            " count(DISTINCT ae.article_id) AS articles"
            f" FROM article_entities ae JOIN entities e ON e.id = ae.entity_id {where}"
            " GROUP BY e.id HAVING sum(ae.mentions) > 0 ORDER BY mentions DESC, e.name LIMIT ?",
            [*params, limit],
        )

    async def article_mentions(self, article_id: str) -> list[ArticleMention]:
        """An article's mentions with their canonical names, in order."""
        return await self._records(
            ArticleMention,
            "SELECT m.text, m.label, m.start, m.end, e.name FROM mentions m JOIN entities e"
            " ON e.id = m.entity_id WHERE m.article_id = ? ORDER BY m.start",
            (article_id,),
        )

    async def entity_owners(self) -> dict[int, set[int | None]]:
        """entity id → the servers whose articles name it (None: the shared corpus)."""
        owners: dict[int, set[int | None]] = {}
        for entity_id, guild_id in await self._records(
            lambda entity_id, guild_id: (int(entity_id), guild_id),
            # Each article's owner worked out once (guild_id is computed from the path),
            # not once per entity link: at 10,000 articles 1.7 s -> 0.3 s.
            "WITH a AS MATERIALIZED (SELECT id, guild_id FROM articles)"
            " SELECT DISTINCT ae.entity_id, a.guild_id FROM a"
            " JOIN article_entities ae ON ae.article_id = a.id",
        ):
            owners.setdefault(entity_id, set()).add(guild_id)
        return owners
