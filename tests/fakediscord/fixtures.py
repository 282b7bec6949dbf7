"""pytest fixtures for the fake Discord; import them with
``pytest_plugins = ["fakediscord.fixtures"]`` in tests/conftest.py (which puts tests/ on
sys.path), or import the names. Not ``tests.fakediscord``: a stray site-packages ``tests``
package in the venv shadows that name."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from .patching import discord_pointed_at
from .server import FakeDiscord


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord on a free 127.0.0.1 port, with discord.py pointed at it."""
    fake = FakeDiscord(heartbeat_interval_ms=41_250)
    await fake.start()
    try:
        with discord_pointed_at(fake.api_base, fake.gateway_url):
            yield fake
    finally:
        await fake.stop()
