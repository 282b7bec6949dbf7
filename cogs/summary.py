"""/summary: one article summarized (short, medium, long or as bullet points), cached."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.command_specs import COMMANDS
from cogs.utils.base import DeskCog, slash, to_choices
from cogs.utils.checks import per_user_per_minute
from cogs.utils.embeds import summary_embed
from cogs.utils.respond import defer


class Summary(DeskCog):
    @slash(COMMANDS["summary"])
    @per_user_per_minute("summary_per_minute")
    async def summary(
        self,
        interaction: discord.Interaction[Any],
        article: app_commands.Range[str, 1, 200],
        length: app_commands.Choice[str] | None = None,
    ) -> None:
        await defer(interaction)
        row = await self.desk.resolve_article(article)
        result = await self.desk.summary(row.id, length.value if length else "medium")
        await self.answer(interaction, [summary_embed(row, result)])

    @summary.autocomplete("article")
    async def article_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return to_choices(self.bot.choices.article_choices(current))


async def setup(bot: Any) -> None:
    await bot.add_cog(Summary(bot))
