"""/articles (list and search the corpus) and /article (one article's card)."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from bot.errors import UserError
from bot.nlp.model_errors import ModelUnavailable
from cogs.utils.base import DeskCog, to_choices
from cogs.utils.embeds import article_card, article_list_pages
from cogs.utils.respond import defer

log = logging.getLogger(__name__)

REQUIRES = ("articles", "resolve_article", "entities")
MAX_LISTED = 250


class Articles(DeskCog):
    @app_commands.command(
        name="articles", description="List the articles in the corpus, or search their titles"
    )
    @app_commands.describe(query="Words of a title, a file name or an id (leave empty for all)")
    async def articles(
        self,
        interaction: discord.Interaction[Any],
        query: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        await defer(interaction)
        rows = await self.desk.articles(query, limit=MAX_LISTED)
        await self.answer(interaction, article_list_pages(rows, query))

    @app_commands.command(
        name="article",
        description="One article's card: title, site, date, link, counts and summary",
    )
    @app_commands.describe(article="The article: start typing its title")
    async def article(
        self, interaction: discord.Interaction[Any], article: app_commands.Range[str, 1, 200]
    ) -> None:
        await defer(interaction)
        row = await self.desk.resolve_article(article)
        counts = await self.desk.article_counts(row.id)
        top = (await self.desk.entities(row.id))[:10]
        await self.answer(
            interaction, [article_card(row, counts, top, await self._summary(row.id))]
        )

    async def _summary(self, article_id: str) -> str | None:
        """The short summary when the summarizer is there; the card still shows without it."""
        summarize = getattr(self.desk, "summary", None)
        if summarize is None:
            return None
        try:
            return str((await summarize(article_id, "short")).prose)
        except (UserError, ModelUnavailable) as exc:
            log.warning("no summary for the card of %s: %s", article_id, exc)
            return None

    @article.autocomplete("article")
    async def article_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return to_choices(self.bot.choices.article_choices(current))


async def setup(bot: Any) -> None:
    await bot.add_cog(Articles(bot))
