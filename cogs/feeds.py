"""/feed add|list|remove|pause (Manage Server) and /brief; the background poller that
posts one brief per new article to the subscribed channel.

The poller starts when the bot is ready and stops when the cog unloads. Nothing posted
can ping anyone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_specs import COMMANDS
from bot.feeds.poller import RoundReport
from cogs.utils.base import DeskCog, slash
from cogs.utils.checks import manager_or_owner
from cogs.utils.feed_embeds import brief_embed, digest_pages, feed_added_embed, feed_pages
from cogs.utils.respond import NO_MENTIONS, defer, fit_embeds, send

log = logging.getLogger(__name__)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class FeedAdmin(commands.GroupCog, group_name="feed", group_description="RSS/Atom feeds"):
    """Subscriptions of this server, for its managers."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        super().__init__()

    @property
    def feeds(self) -> Any:
        return self.bot.desk.feeds

    @app_commands.command(name="add", description="Follow a feed: a brief for each new article")
    @app_commands.describe(
        url="The feed's address (RSS or Atom, http or https)",
        channel="Where the briefs are posted (default: here)",
        keywords="Only post items naming one of these (comma-separated)",
        interval="Minutes between polls (at least 5; default 15)",
    )
    @manager_or_owner()
    async def add(
        self,
        interaction: discord.Interaction[Any],
        url: app_commands.Range[str, 1, 2000],
        channel: discord.TextChannel | None = None,
        keywords: app_commands.Range[str, 1, 300] | None = None,
        interval: app_commands.Range[int, 5, 1440] | None = None,
    ) -> None:
        await defer(interaction, ephemeral=True)
        channel_id = channel.id if channel is not None else interaction.channel_id
        feed = await self.feeds.add(
            url,
            guild_id=interaction.guild_id,
            channel_id=channel_id,
            keywords=keywords,
            interval_minutes=interval,
        )
        await send(interaction, embeds=[feed_added_embed(feed, f"<#{channel_id}>")])

    @app_commands.command(name="list", description="The feeds this server follows")
    @manager_or_owner()
    async def list_(self, interaction: discord.Interaction[Any]) -> None:
        await defer(interaction, ephemeral=True)
        feeds = await self.feeds.list(interaction.guild_id)
        await send(interaction, embeds=feed_pages(feeds)[:1])

    @app_commands.command(name="remove", description="Stop following a feed")
    @app_commands.describe(feed="The feed's number in /feed list")
    @manager_or_owner()
    async def remove(self, interaction: discord.Interaction[Any], feed: int) -> None:
        await defer(interaction, ephemeral=True)
        gone = await self.feeds.remove(feed, interaction.guild_id)
        await send(interaction, content=f"No longer following #{gone.id} {gone.name}.")

    @app_commands.command(name="pause", description="Pause (or resume) a feed")
    @app_commands.describe(feed="The feed's number in /feed list", paused="False resumes it")
    @manager_or_owner()
    async def pause(
        self, interaction: discord.Interaction[Any], feed: int, paused: bool = True
    ) -> None:
        await defer(interaction, ephemeral=True)
        row = await self.feeds.pause(feed, paused, interaction.guild_id)
        state = "paused" if row.paused else "resumed: it will be polled within a minute"
        await send(interaction, content=f"#{row.id} {row.name} {state}.")


class Briefs(DeskCog):
    """/brief, and the poller's posts."""

    def __init__(self, bot: Any) -> None:
        super().__init__(bot)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @slash(COMMANDS["brief"])
    @app_commands.guild_only()
    async def brief(
        self,
        interaction: discord.Interaction[Any],
        since: app_commands.Range[str, 1, 40] | None = None,
        feed: int | None = None,
    ) -> None:
        await defer(interaction)
        digest = await self.desk.feeds.digest(since, feed_id=feed, guild_id=interaction.guild_id)
        period = f"since {since}" if since else "in the last day"
        await self.answer(interaction, digest_pages(digest, period))

    # -- the poller -------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(
                self.desk.feeds.run(self.post_round, self._stop), name="feed-poller"
            )

    async def cog_unload(self) -> None:
        self._stop.set()
        self.desk.feeds.wake()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def post_round(self, report: RoundReport) -> None:
        """Each new article's brief to its feed's channel, then any pause notices."""
        if report.ingest is not None:
            await self.bot.choices.refresh(self.desk)
        for arrived in report.to_post:
            brief = await self.desk.feeds.brief(arrived)
            channel = self.bot.get_partial_messageable(arrived.channel_id)
            try:
                await channel.send(
                    embeds=fit_embeds([brief_embed(brief)]), allowed_mentions=NO_MENTIONS
                )
            except discord.HTTPException as exc:
                log.warning("brief for feed %s not posted: %s", arrived.feed_id, exc)
            await self.desk.feeds.mark_posted(arrived.item_id)
        for notice in report.notices:
            with contextlib.suppress(discord.HTTPException):
                await self.bot.get_partial_messageable(notice.channel_id).send(
                    notice.text, allowed_mentions=NO_MENTIONS
                )


async def setup(bot: Any) -> None:
    await bot.add_cog(FeedAdmin(bot))
    await bot.add_cog(Briefs(bot))
