"""Run a real discord.py client against the fake for the length of a ``with`` block."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import discord

FAKE_TOKEN = "fake-token"  # the fake accepts any "Bot <token>" unless given one to expect


@contextlib.asynccontextmanager
async def running_bot(
    client: discord.Client, *, token: str = FAKE_TOKEN, timeout: float = 10.0
) -> AsyncIterator[discord.Client]:
    """``login`` + ``connect`` as a task, wait for on_ready; ``close`` and join on exit.

    A connect task that dies before READY re-raises its error here instead of timing out.
    """
    try:
        await asyncio.wait_for(client.login(token), timeout)
    except BaseException:
        await asyncio.wait_for(client.close(), timeout)  # closes the HTTP session login opened
        raise
    connect = asyncio.create_task(client.connect(reconnect=True), name="fake-discord-connect")
    ready = asyncio.create_task(client.wait_until_ready())
    try:
        done, _ = await asyncio.wait(
            {connect, ready}, timeout=timeout, return_when="FIRST_COMPLETED"
        )
        if connect in done:
            connect.result()  # raises the login/gateway error
            raise RuntimeError("the client's connect() returned before on_ready")
        if ready not in done:
            raise TimeoutError(f"on_ready not reached within {timeout:.1f}s")
        yield client
    finally:
        ready.cancel()
        await asyncio.wait_for(client.close(), timeout)
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(connect, timeout)
