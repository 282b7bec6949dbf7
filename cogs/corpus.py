"""/corpus add url|attachment, /corpus reload, /corpus remove — for server managers.

Hidden from members without Manage Server (default permissions) and checked again when
run, since server admins can override what Discord shows; the bot's owner may always.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.ingest import IngestReport
from bot.service import Newsdesk
from cogs.utils.base import DeskBot, to_choices
from cogs.utils.checks import edits_shared_corpus, manager_or_owner, shared_corpus_editor
from cogs.utils.embeds import COLOUR
from cogs.utils.limits import escape, link
from cogs.utils.respond import defer, send


def _report_embed(title: str, description: str, report: IngestReport) -> discord.Embed:
    embed = discord.Embed(title=title, description=description, colour=COLOUR)
    embed.set_footer(text=report.summary_line())
    return embed


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class Corpus(
    commands.GroupCog, group_name="corpus", group_description="Manage the articles the bot knows"
):
    add = app_commands.Group(name="add", description="Add an article to the corpus")

    def __init__(self, bot: DeskBot) -> None:
        self.bot = bot
        super().__init__()

    @property
    def desk(self) -> Newsdesk:
        assert self.bot.desk is not None, "setup_hook opens the service before cogs load"
        return self.bot.desk

    @staticmethod
    async def _destination(interaction: discord.Interaction[Any]) -> int | None:
        """The shared corpus for its editors (ADMIN_GUILDS, the owner); else the server's
        own part of it, which only that server sees."""
        return None if await edits_shared_corpus(interaction) else interaction.guild_id

    @add.command(name="url", description="Fetch a web article and add it to the corpus")
    @app_commands.describe(url="The article's address (http or https)")
    @manager_or_owner()
    async def add_url(
        self, interaction: discord.Interaction[Any], url: app_commands.Range[str, 1, 2000]
    ) -> None:
        await defer(interaction, ephemeral=True)
        added = await self.desk.add_url(url, guild_id=await self._destination(interaction))
        await self.bot.after_ingest(added.report)
        site = f" from {escape(added.site)}" if added.site else ""
        await send(
            interaction,
            embeds=[
                _report_embed(
                    "Article added", f"{link(added.title, added.url)}{site}", added.report
                )
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
        self.desk.check_upload_size(file.size)  # before downloading it
        added = await self.desk.add_upload(
            file.filename, await file.read(), guild_id=await self._destination(interaction)
        )
        await self.bot.after_ingest(added.report)
        await send(
            interaction,
            embeds=[_report_embed("File added", f"`{escape(added.source)}`", added.report)],
        )

    @app_commands.command(name="reload", description="Re-read the corpus folder now")
    @shared_corpus_editor()
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
        shared = await edits_shared_corpus(interaction)
        removed = await self.desk.remove_article(
            article, only_guild=None if shared else interaction.guild_id
        )
        await self.bot.after_ingest(removed.report)
        await send(
            interaction,
            embeds=[
                _report_embed("Article removed", link(removed.title, removed.url), removed.report)
            ],
        )

    @remove.autocomplete("article")
    async def article_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return to_choices(self.bot.choices.article_choices(current))


async def setup(bot: Any) -> None:
    await bot.add_cog(Corpus(bot))
