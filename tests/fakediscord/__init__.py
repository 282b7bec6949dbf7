"""A fake Discord (REST + gateway on 127.0.0.1) for end-to-end tests of a real discord.py bot."""

from .interactions import Callback, InteractionHandle
from .patching import discord_pointed_at
from .runner import running_bot
from .server import FakeDiscord
from .validate import validate_command_payloads, validate_message_payload

__all__ = [
    "Callback",
    "FakeDiscord",
    "InteractionHandle",
    "discord_pointed_at",
    "running_bot",
    "validate_command_payloads",
    "validate_message_payload",
]
