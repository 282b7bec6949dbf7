"""/quotes and /speakers: who said what."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.command_specs import COMMANDS
from cogs.utils.base import DeskCog, slash, to_choices
from cogs.utils.embeds import quote_pages, speaker_pages
from cogs.utils.respond import defer, send_chart

MAX_QUOTES = 100  # fetched at once and paged locally; the footer says when there are more


class Quotes(DeskCog):
    @slash(COMMANDS["quotes"])
    async def quotes(
        self,
        interaction: discord.Interaction[Any],
        speaker: app_commands.Range[str, 1, 100] | None = None,
        article: app_commands.Range[str, 1, 200] | None = None,
        text: app_commands.Range[str, 1, 200] | None = None,
        kind: app_commands.Choice[str] | None = None,
    ) -> None:
        await defer(interaction)
        results = await self.desk.quotes(
            speaker=speaker,
            article=article,
            text=text,
            kind=kind.value if kind else None,
            limit=MAX_QUOTES,
        )
        filters = " · ".join(
            f"{label} “{value[:40]}”"
            for label, value in (("article", article), ("words", text))
            if value
        )
        if kind:
            filters = " · ".join(x for x in (filters, kind.value) if x)
        await self.answer(interaction, quote_pages(results, filters=filters or None))

    @quotes.autocomplete("speaker")
    async def speaker_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return to_choices(self.bot.choices.speaker_choices(current))

    @quotes.autocomplete("article")
    async def article_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return to_choices(self.bot.choices.article_choices(current))

    @slash(COMMANDS["speakers"])
    async def speakers(
        self,
        interaction: discord.Interaction[Any],
        chart: bool = False,
        since: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        await defer(interaction)
        if chart:
            png = await self.desk.feeds.speaker_chart(since, guild_id=interaction.guild_id)
            await send_chart(interaction, png, "Most-quoted speakers")
            return
        await self.answer(interaction, speaker_pages(await self.desk.speakers()))


async def setup(bot: Any) -> None:
    await bot.add_cog(Quotes(bot))
