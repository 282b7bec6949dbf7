"""Errors the services raise for users; every front end (CLI, console, cogs) shows them."""

from __future__ import annotations

ECHO_CHARS = 80


def echo(text: str, limit: int = ECHO_CHARS) -> str:
    """What the user typed, cut for repeating it back in an error: a 3,000-character
    paste should not come back whole."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class UserError(Exception):
    """A short message meant for the person who asked."""


class NotFound(UserError):
    pass


class Ambiguous(UserError):
    def __init__(self, what: str, query: str, candidates: list[str]) -> None:
        self.candidates = candidates
        shown = ", ".join(candidates[:10])
        super().__init__(f"{what} “{echo(query)}” is ambiguous: did you mean {shown}?")
