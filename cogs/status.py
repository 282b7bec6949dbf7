"""/status (what the corpus holds, which models are loaded) and /help (every command)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.command_specs import COMMANDS
from bot.text_render import render_status
from cogs.utils.base import DeskCog, slash
from cogs.utils.respond import defer

HELP_TITLE = "newsdesk: what I can do"


class Status(DeskCog):
    @slash(COMMANDS["status"])
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        await defer(interaction, ephemeral=True)
        status = await self.desk.status()
        embed = discord.Embed(title="newsdesk status", description=render_status(status))
        if not self.bot.corpus_ready.is_set():
            embed.set_footer(text="The corpus is still loading; answers come from the cache.")
        await self.answer(interaction, [embed])

    @app_commands.command(name="help", description="Every command, one line each")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        await defer(interaction, ephemeral=True)
        lines = [f"`/{name}` — {text}" for name, text in command_lines(self.bot.tree)]
        await self.answer(
            interaction, [discord.Embed(title=HELP_TITLE, description="\n".join(lines))]
        )


def command_lines(tree: app_commands.CommandTree[Any]) -> list[tuple[str, str]]:
    """(name, description) of each slash command and subcommand the bot has, by name."""
    out: list[tuple[str, str]] = []
    for command in tree.get_commands(type=discord.AppCommandType.chat_input):
        if isinstance(command, app_commands.Group):
            out.extend((f"{command.name} {sub.name}", sub.description) for sub in command.commands)
        else:
            out.append((command.name, command.description))
    return sorted(out)


async def setup(bot: Any) -> None:
    await bot.add_cog(Status(bot))
