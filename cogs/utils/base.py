"""What every feature cog shares: the bot, its service, and answering in pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.autocomplete import Suggestion
from bot.service import Newsdesk
from bot.settings import Settings
from cogs.utils.embeds import finish
from cogs.utils.paginator import send_pages

if TYPE_CHECKING:
    from bot.discord_bot import NewsdeskBot


class DeskCog(commands.Cog):
    """A thin Discord adapter over the `Newsdesk` service (no SQL, no NLP here)."""

    def __init__(self, bot: NewsdeskBot) -> None:
        self.bot = bot

    @property
    def desk(self) -> Newsdesk:
        assert self.bot.desk is not None, "setup_hook opens the service before cogs load"
        return self.bot.desk

    @property
    def settings(self) -> Settings:
        return self.bot.settings

    async def answer(
        self, interaction: discord.Interaction[Any], pages: list[discord.Embed]
    ) -> discord.Message | None:
        """Pages footed with "page i/n" and the loading note, sent with buttons if needed."""
        finish(pages, self.bot.loading_note())
        return await send_pages(interaction, pages, timeout=self.settings.page_timeout)


def to_choices(suggestions: Sequence[Suggestion]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=s.label, value=s.value) for s in suggestions[:25]]
