"""Who may run what: admin commands, the owner-only sync, and per-user cooldowns."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from cogs.utils.errors import NotAllowed

T = TypeVar("T")


async def is_owner(interaction: discord.Interaction[Any]) -> bool:
    client = interaction.client
    owner_id = getattr(getattr(client, "settings", None), "discord_owner_id", None)
    if owner_id is not None and interaction.user.id == owner_id:
        return True
    checker = getattr(client, "is_owner", None)
    return bool(checker is not None and await checker(interaction.user))


def owner_only() -> Callable[[T], T]:
    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        if await is_owner(interaction):
            return True
        raise NotAllowed("Only the bot's owner can do that.")

    return app_commands.check(predicate)


async def edits_shared_corpus(interaction: discord.Interaction[Any]) -> bool:
    """The bot's owner anywhere, or Manage Server in a server listed in ADMIN_GUILDS: who
    may change the shared corpus that every server reads."""
    if await is_owner(interaction):
        return True
    admin_guilds = getattr(getattr(interaction.client, "settings", None), "admin_guilds", ())
    return bool(interaction.permissions.manage_guild) and interaction.guild_id in admin_guilds


def manager_or_owner() -> Callable[[T], T]:
    """Manage Server, or the bot's owner: enough for a server's own feeds and its own part
    of the corpus (bot/scope.py)."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        if await is_owner(interaction):
            return True
        if not (interaction.permissions.manage_guild and interaction.guild_id is not None):
            raise NotAllowed("You need the Manage Server permission (or to own this bot) for that.")
        return True

    return app_commands.check(predicate)


SHARED_ONLY_READ = (
    "This server can only read the shared corpus; changes to it come from the servers"
    " in the bot's ADMIN_GUILDS setting, or from its owner."
)


def shared_corpus_editor() -> Callable[[T], T]:
    """`edits_shared_corpus`, as a check (the corpus reload re-reads what all servers see)."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        if await edits_shared_corpus(interaction):
            return True
        if not (interaction.permissions.manage_guild and interaction.guild_id is not None):
            raise NotAllowed("You need the Manage Server permission (or to own this bot) for that.")
        raise NotAllowed(SHARED_ONLY_READ)

    return app_commands.check(predicate)


def per_user_per_minute(setting: str) -> Callable[[T], T]:
    """A cooldown of `settings.<setting>` uses a minute per user (0 turns it off)."""

    def factory(interaction: discord.Interaction[Any]) -> app_commands.Cooldown | None:
        rate = int(getattr(getattr(interaction.client, "settings", None), setting, 0) or 0)
        return app_commands.Cooldown(rate, 60.0) if rate > 0 else None

    return app_commands.checks.dynamic_cooldown(factory, key=lambda i: i.user.id)
