"""/quotes and /speakers: who said what."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from cogs.utils.base import DeskCog, to_choices
from cogs.utils.embeds import quote_pages, speaker_pages
from cogs.utils.respond import defer, send_chart

REQUIRES = ("quotes", "speakers")
MAX_QUOTES = 100  # fetched at once and paged locally; the footer says when there are more

KINDS = [
    app_commands.Choice(name="direct: “…,” she said", value="direct"),
    app_commands.Choice(name="mixed: said China “understands” …", value="mixed"),
    app_commands.Choice(name="reported: he said that …", value="indirect"),
]


class Quotes(DeskCog):
    @app_commands.command(
        name="quotes", description="Who said what: quotes by speaker, article or words"
    )
    @app_commands.describe(
        speaker="Who said it: a full name, a surname or a near miss",
        article="Only quotes from this article",
        text="Words the quote contains",
        kind="Direct quotes, mixed quotes or reported speech",
    )
    @app_commands.choices(kind=KINDS)
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

    @app_commands.command(
        name="speakers", description="Everyone quoted in the corpus, most quoted first"
    )
    @app_commands.describe(
        chart="A bar chart of the most-quoted speakers in what arrived through the feeds",
        since="With chart: an ISO date/time (UTC) or 6h, 2d, 1w ago (default: a day)",
    )
    async def speakers(
        self,
        interaction: discord.Interaction[Any],
        chart: bool = False,
        since: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        await defer(interaction)
        if chart and hasattr(self.desk, "feeds"):
            png = await self.desk.feeds.speaker_chart(since, guild_id=interaction.guild_id)
            await send_chart(interaction, png, "Most-quoted speakers")
            return
        await self.answer(interaction, speaker_pages(await self.desk.speakers()))


async def setup(bot: Any) -> None:
    await bot.add_cog(Quotes(bot))
