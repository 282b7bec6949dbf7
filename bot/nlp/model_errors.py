"""The one error every model loader raises when its model can't be had.

Callers (the CLI, the bot's error handler, fallbacks) catch `ModelUnavailable` alone and
show its message, which names the setting to change and what to install.
"""

from __future__ import annotations


class ModelUnavailable(RuntimeError):
    """A configured model could not be found or loaded (never retried silently)."""

    def __init__(self, setting: str, model: str, reason: str, hint: str | None = None) -> None:
        self.setting = setting
        self.model = model
        self.reason = reason
        self.hint = hint
        message = f"{setting}={model!r} could not be loaded: {reason}."
        if hint:
            message += f" {hint}"
        super().__init__(message)
