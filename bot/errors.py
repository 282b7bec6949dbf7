"""Errors the services raise for users; every front end (CLI, console, cogs) shows them."""

from __future__ import annotations


class UserError(Exception):
    """A short message meant for the person who asked."""


class NotFound(UserError):
    pass


class Ambiguous(UserError):
    def __init__(self, what: str, query: str, candidates: list[str]) -> None:
        self.candidates = candidates
        shown = ", ".join(candidates[:10])
        super().__init__(f"{what} “{query}” is ambiguous: did you mean {shown}?")
