"""/entity and /entities: who and what the articles mention, under canonical names."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.command_specs import COMMANDS
from cogs.utils.base import DeskCog, slash, to_choices
from cogs.utils.embeds import entities_pages, entity_pages
from cogs.utils.respond import defer

SENTENCES = 48  # sentences fetched for an entity card, paged 8 at a time


class Entities(DeskCog):
    @slash(COMMANDS["entity"])
    async def entity(
        self, interaction: discord.Interaction[Any], name: app_commands.Range[str, 1, 100]
    ) -> None:
        await defer(interaction)
        card = await self.desk.entity(name, page=0, per_page=SENTENCES)
        await self.answer(interaction, entity_pages(card))

    @entity.autocomplete("name")
    async def name_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return to_choices(self.bot.choices.entity_choices(current))

    @slash(COMMANDS["entities"])
    async def entities(
        self,
        interaction: discord.Interaction[Any],
        article: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        await defer(interaction)
        scope = "the corpus"
        ref = None
        if article is not None:
            row = await self.desk.resolve_article(article)
            scope, ref = f"“{row.title}”", row.id
        rows = await self.desk.entities(ref)
        await self.answer(interaction, entities_pages(rows, scope))

    @entities.autocomplete("article")
    async def article_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return to_choices(self.bot.choices.article_choices(current))


async def setup(bot: Any) -> None:
    await bot.add_cog(Entities(bot))
