"""/articles (list and search the corpus) and /article (one article's card)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.command_specs import COMMANDS
from cogs.utils.base import DeskCog, slash, to_choices
from cogs.utils.embeds import article_card, article_list_pages
from cogs.utils.respond import defer

MAX_LISTED = 250


class Articles(DeskCog):
    @slash(COMMANDS["articles"])
    async def articles(
        self,
        interaction: discord.Interaction[Any],
        query: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        await defer(interaction)
        rows = await self.desk.articles(query, limit=MAX_LISTED)
        await self.answer(interaction, article_list_pages(rows, query))

    @slash(COMMANDS["article"])
    async def article(
        self, interaction: discord.Interaction[Any], article: app_commands.Range[str, 1, 200]
    ) -> None:
        await defer(interaction)
        await self.answer(interaction, [article_card(await self.desk.article_card(article))])

    @article.autocomplete("article")
    async def article_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return to_choices(self.bot.choices.article_choices(current))


async def setup(bot: Any) -> None:
    await bot.add_cog(Articles(bot))
