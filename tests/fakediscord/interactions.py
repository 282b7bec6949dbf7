"""What the bot did with one interaction: its callback, followups and edits, with timing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TIMEOUT = 5.0

# Interaction callback types (Discord's InteractionResponseType).
PONG, CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE = 1, 4, 5
DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE, AUTOCOMPLETE_RESULT, MODAL = 6, 7, 8, 9


@dataclass
class Callback:
    """One POST /interactions/{id}/{token}/callback."""

    type: int
    data: dict[str, Any]
    files: list[dict[str, Any]]
    elapsed: float  # seconds since the interaction was dispatched
    message: dict[str, Any] | None = None  # the message it created or updated


@dataclass
class InteractionHandle:
    """The bot's answers to one dispatched interaction; every wait is bounded."""

    payload: dict[str, Any]
    dispatched_at: float
    callbacks: list[Callback] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)  # message objects
    edits: list[dict[str, Any]] = field(default_factory=list)  # PATCH bodies on messages
    deleted: list[str] = field(default_factory=list)  # message ids ("@original" resolved)
    original: dict[str, Any] | None = None
    _changed: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    @property
    def id(self) -> str:
        return str(self.payload["id"])

    @property
    def token(self) -> str:
        return str(self.payload["token"])

    @property
    def name(self) -> str:
        data = self.payload.get("data") or {}
        return str(data.get("name") or data.get("custom_id") or self.payload["type"])

    @property
    def first_response_time(self) -> float | None:
        """Seconds from dispatch to the first callback (None if it never came)."""
        return self.callbacks[0].elapsed if self.callbacks else None

    def notify(self) -> None:
        """Wake every waiter; called by the REST handlers after recording."""
        self._changed.set()

    async def wait_until(
        self, predicate: Callable[[InteractionHandle], Any], timeout: float, what: str
    ) -> Any:
        """Wait until ``predicate(self)`` is truthy; raise TimeoutError naming ``what``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate(self)
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"interaction {self.name!r}: no {what} within {timeout:.1f}s "
                    f"(callbacks={[c.type for c in self.callbacks]}, "
                    f"followups={len(self.followups)}, edits={len(self.edits)})"
                )
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), remaining)
            except TimeoutError:
                continue

    async def callback(self, timeout: float = DEFAULT_TIMEOUT) -> Callback:
        """The first (and only valid) interaction callback."""
        return await self.wait_until(lambda h: h.callbacks and h.callbacks[0], timeout, "callback")

    async def followup(self, index: int = 0, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """The ``index``-th followup message (a message object as the fake returned it)."""
        return await self.wait_until(
            lambda h: len(h.followups) > index and h.followups[index], timeout, f"followup #{index}"
        )

    async def edit(self, index: int = 0, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """The ``index``-th PATCH body sent for this interaction's messages."""
        return await self.wait_until(
            lambda h: len(h.edits) > index and h.edits[index], timeout, f"edit #{index}"
        )

    async def reply(self, timeout: float = DEFAULT_TIMEOUT) -> dict[str, Any]:
        """The visible answer: a followup, an edit of @original, or a type 4/7 callback body."""

        def visible(h: InteractionHandle) -> dict[str, Any] | None:
            if h.followups:
                return h.followups[0]
            if h.edits:
                return h.edits[0]
            for cb in h.callbacks:
                if cb.type in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
                    return cb.data
            return None

        return await self.wait_until(visible, timeout, "visible reply")
