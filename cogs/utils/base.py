"""What every feature cog shares: the bot, its service, answering in pages, and slash
commands declared from the neutral command descriptions in `bot.command_specs`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.command_specs import Command
from cogs.utils.embeds import finish
from cogs.utils.paginator import send_pages

if TYPE_CHECKING:
    from bot.autocomplete import ChoiceCache, Suggestion
    from bot.ingest import IngestReport
    from bot.service import Newsdesk
    from bot.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


class DeskBot(Protocol):
    """What the cogs use of the bot (bot.discord_bot.NewsdeskBot), so they never import it."""

    settings: Settings
    desk: Newsdesk | None
    choices: ChoiceCache
    tree: app_commands.CommandTree

    def loading_note(self) -> str | None: ...

    async def reingest(self) -> IngestReport: ...

    async def after_ingest(self, report: IngestReport) -> None: ...

    async def sync_commands(self, guild_id: int | None = None) -> list[app_commands.AppCommand]: ...


class DeskCog(commands.Cog):
    """A thin Discord adapter over the `Newsdesk` service (no SQL, no NLP here)."""

    def __init__(self, bot: DeskBot) -> None:
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


def slash(spec: Command) -> Callable[[F], app_commands.Command[Any, ..., Any]]:
    """`@app_commands.command` with the name, description, option descriptions and choices
    of `spec`; the callback's parameters must be the spec's options (discord.py refuses a
    description for a parameter that isn't there)."""

    def decorate(func: F) -> app_commands.Command[Any, ..., Any]:
        for option in spec.options:
            if option.choices:
                choices = [app_commands.Choice(name=c.label, value=c.value) for c in option.choices]
                func = app_commands.choices(**{option.name: choices})(func)
        if spec.options:
            func = app_commands.describe(**{o.name: o.description for o in spec.options})(func)
        return app_commands.command(name=spec.name, description=spec.description)(func)

    return decorate


def to_choices(suggestions: Sequence[Suggestion]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=s.label, value=s.value) for s in suggestions[:25]]
