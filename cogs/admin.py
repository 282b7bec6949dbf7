"""/sync: the owner pushes the slash commands to Discord, deliberately, never on start."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserError
from cogs.utils.checks import owner_only
from cogs.utils.respond import defer, send

log = logging.getLogger(__name__)

SCOPES = [
    app_commands.Choice(name="this server (instant)", value="here"),
    app_commands.Choice(name="the dev server from DISCORD_DEV_GUILD (instant)", value="dev"),
    app_commands.Choice(name="every server (global; can take a while)", value="global"),
    app_commands.Choice(name="remove this server's copies", value="clear"),
]


class Admin(commands.Cog):
    def __init__(self, bot: Any) -> None:
        self.bot = bot

    @app_commands.command(name="sync", description="Owner only: publish the slash commands")
    @app_commands.describe(scope="Where to publish them (default: this server)")
    @app_commands.choices(scope=SCOPES)
    @app_commands.default_permissions(administrator=True)
    @owner_only()
    async def sync(
        self, interaction: discord.Interaction[Any], scope: app_commands.Choice[str] | None = None
    ) -> None:
        await defer(interaction, ephemeral=True)
        where = scope.value if scope else "here"
        if where == "clear":
            guild = _guild(interaction.guild_id)
            self.bot.tree.clear_commands(guild=guild)
            await self.bot.tree.sync(guild=guild)
            await send(interaction, content="Removed this server's copies of the commands.")
            return
        guild_id: int | None = None
        if where == "here":
            guild_id = _guild(interaction.guild_id).id
        elif where == "dev":
            guild_id = self.bot.settings.discord_dev_guild
            if guild_id is None:
                raise UserError("Set DISCORD_DEV_GUILD to a server id first.")
        synced = await self.bot.sync_commands(guild_id)
        place = "globally" if where == "global" else f"to server {guild_id}"
        await send(interaction, content=f"Synced {len(synced)} command(s) {place}.")


def _guild(guild_id: int | None) -> discord.Object:
    if guild_id is None:
        raise app_commands.NoPrivateMessage()
    return discord.Object(guild_id)


async def setup(bot: Any) -> None:
    await bot.add_cog(Admin(bot))
