"""Logging in to Discord when the network is down: one line per try, with backoff.

A bot started before the network is up (or on a machine that can't reach Discord) should
say so plainly and keep trying, not print an aiohttp traceback and die.
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from typing import Protocol

import aiohttp
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    stop_never,
    wait_exponential_jitter,
)


class Client(Protocol):
    """What is retried: discord.py's `Client.login` (no discord import in the core)."""

    async def login(self, token: str) -> None: ...


UNREACHABLE = (aiohttp.ClientConnectionError, asyncio.TimeoutError, OSError)


@dataclass(frozen=True)
class ConnectRetry:
    """How login retries back off; `attempts=0` keeps trying until stopped."""

    attempts: int = 0
    first_delay: float = 2.0
    max_delay: float = 120.0
    jitter: float = 1.0


class DiscordUnreachable(RuntimeError):
    """Every login attempt failed to reach Discord."""


def describe_unreachable(exc: BaseException) -> str:
    """The cause in a few words: aiohttp's messages run to several lines of detail."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"


async def login_with_retry(client: Client, token: str, policy: ConnectRetry) -> None:
    def tell(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0.0
        print(
            f"can't reach Discord ({describe_unreachable(exc or RuntimeError('?'))}); "
            f"retrying in {wait:.0f}s",
            file=sys.stderr,
            flush=True,
        )

    retrying = AsyncRetrying(
        retry=retry_if_exception_type(UNREACHABLE),
        wait=wait_exponential_jitter(
            multiplier=policy.first_delay, max=policy.max_delay, jitter=policy.jitter
        ),
        stop=stop_after_attempt(policy.attempts) if policy.attempts else stop_never,
        before_sleep=tell,
        reraise=True,
    )
    try:
        async for attempt in retrying:
            with attempt:
                await client.login(token)
    except UNREACHABLE as exc:
        raise DiscordUnreachable(describe_unreachable(exc)) from None
