"""What to tell a user for each kind of app-command failure, and whether to log a traceback.

One mapping for the whole tree (see `NewsdeskTree.on_error`): the bot's own user-facing
errors carry their message, Discord-side failures get a fixed short text, and anything
unexpected is logged with its traceback and shown as a generic apology.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from discord import app_commands

from bot.errors import UserError
from bot.nlp.model_errors import ModelUnavailable


@dataclass(frozen=True, slots=True)
class ErrorReply:
    message: str
    log_traceback: bool = False
    log_message: str | None = None  # logged as a warning (never shown to users)


def describe(error: BaseException) -> ErrorReply:
    """The reply for `error`, unwrapping CommandInvokeError to what the command raised."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, UserError):
        return ErrorReply(str(error) or "That didn't work.")
    if isinstance(error, ModelUnavailable):
        return ErrorReply(
            "That needs a model this bot can't load right now; the owner has the details "
            "in the log.",
            log_message=str(error),
        )
    if isinstance(error, app_commands.CommandOnCooldown):
        wait = max(1, math.ceil(error.retry_after))
        return ErrorReply(f"Easy there: you can use this command again in {wait} s.")
    if isinstance(error, app_commands.NoPrivateMessage):
        return ErrorReply("This command only works in a server.")
    if isinstance(error, app_commands.MissingPermissions):
        return ErrorReply("You need the Manage Server permission for this command.")
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = ", ".join(p.replace("_", " ") for p in error.missing_permissions)
        return ErrorReply(f"I need the {missing} permission(s) in this channel.")
    if isinstance(error, NotAllowed):
        return ErrorReply(str(error))
    if isinstance(error, app_commands.CheckFailure):
        return ErrorReply("You can't use this command here.")
    if isinstance(error, app_commands.TransformerError):
        return ErrorReply(f"“{str(error.value)[:100]}” isn't a valid {error.type.name} here.")
    if isinstance(error, app_commands.CommandNotFound):
        return ErrorReply(
            "That command isn't available any more; the server's commands may need a re-sync.",
            log_message=f"unknown command {error.name!r}",
        )
    return ErrorReply("Something went wrong on my side; it has been logged.", log_traceback=True)


class NotAllowed(app_commands.CheckFailure):
    """A check that failed with a message meant for the user."""
