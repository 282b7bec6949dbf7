"""/corpus add url|attachment, /corpus reload, /corpus remove — for server managers.

Hidden from members without Manage Server (default permissions) and checked again when
run, since server admins can override what Discord shows; the bot's owner may always.
"""

from __future__ import annotations

import asyncio
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import fetch, uploads
from bot.discord_limits import escape, link
from bot.errors import UserError
from cogs.utils.base import to_choices
from cogs.utils.checks import manager_or_owner
from cogs.utils.embeds import COLOUR
from cogs.utils.respond import defer, send

REQUIRES = ("ingest", "resolve_article", "articles")


def _report_embed(title: str, description: str, report: Any) -> discord.Embed:
    embed = discord.Embed(title=title, description=description, colour=COLOUR)
    embed.set_footer(text=report.summary_line())
    return embed


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Corpus(
    commands.GroupCog, group_name="corpus", group_description="Manage the articles the bot knows"
):
    add = app_commands.Group(name="add", description="Add an article to the corpus")

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        super().__init__()

    @add.command(name="url", description="Fetch a web article and add it to the corpus")
    @app_commands.describe(url="The article's address (http or https)")
    @manager_or_owner()
    async def add_url(
        self, interaction: discord.Interaction[Any], url: app_commands.Range[str, 1, 2000]
    ) -> None:
        await defer(interaction, ephemeral=True)
        s = self.bot.settings
        limits = fetch.FetchLimits.from_settings(s)
        saved = await fetch.add_url(url, s.corpus_dir, limits)
        report = await self.bot.reingest()
        site = f" from {escape(saved.site)}" if saved.site else ""
        await send(
            interaction,
            embeds=[
                _report_embed("Article added", f"{link(saved.title, saved.url)}{site}", report)
            ],
        )

    @add.command(
        name="attachment", description="Add an uploaded .txt, .md, .html, .json or .jsonl file"
    )
    @app_commands.describe(file="The article file (UTF-8 text)")
    @manager_or_owner()
    async def add_attachment(
        self, interaction: discord.Interaction[Any], file: discord.Attachment
    ) -> None:
        await defer(interaction, ephemeral=True)
        s = self.bot.settings
        if file.size > s.attachment_max_bytes:
            raise UserError(f"That file is larger than {s.attachment_max_bytes:,} bytes.")
        data = await file.read()
        path = await asyncio.to_thread(
            uploads.save_upload, s.corpus_dir, file.filename, data, s.attachment_max_bytes
        )
        report = await self.bot.reingest()
        rel = path.relative_to(s.corpus_dir).as_posix()
        await send(interaction, embeds=[_report_embed("File added", f"`{escape(rel)}`", report)])

    @app_commands.command(name="reload", description="Re-read the corpus folder now")
    @manager_or_owner()
    async def reload(self, interaction: discord.Interaction[Any]) -> None:
        await defer(interaction, ephemeral=True)
        report = await self.bot.reingest()
        await send(interaction, content=report.summary_line())

    @app_commands.command(name="remove", description="Delete an article's file from the corpus")
    @app_commands.describe(article="The article to remove: start typing its title")
    @manager_or_owner()
    async def remove(
        self, interaction: discord.Interaction[Any], article: app_commands.Range[str, 1, 200]
    ) -> None:
        await defer(interaction, ephemeral=True)
        desk = self.bot.desk
        row = await desk.resolve_article(article)
        siblings = await desk.articles(row.source, limit=2)
        if len(siblings) > 1:
            raise UserError(
                f"{row.source} holds several articles; edit or delete it in the folder instead."
            )
        await asyncio.to_thread(uploads.remove_source, self.bot.settings.corpus_dir, row.source)
        report = await self.bot.reingest()
        await send(
            interaction, embeds=[_report_embed("Article removed", link(row.title, row.url), report)]
        )

    @remove.autocomplete("article")
    async def article_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return to_choices(self.bot.choices.article_choices(current))


async def setup(bot: Any) -> None:
    await bot.add_cog(Corpus(bot))
