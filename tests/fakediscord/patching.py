"""Point discord.py's hard-coded Discord URLs at a fake, and put them back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import discord.gateway
import discord.http
import yarl


@contextmanager
def discord_pointed_at(api_base: str, gateway_url: str) -> Iterator[None]:
    """Patch ``Route.BASE`` (every REST and webhook call) and ``DEFAULT_GATEWAY``.

    discord.py 2.7's ``Client.connect`` never asks ``GET /gateway``: it opens
    ``DiscordWebSocket.DEFAULT_GATEWAY`` with ``?v=10&encoding=json&compress=zlib-stream``
    and later resumes at READY's ``resume_gateway_url``. ``AutoShardedClient`` does ask
    ``GET /gateway/bot``, which the fake answers with its own URL.
    """
    route, ws = discord.http.Route, discord.gateway.DiscordWebSocket
    old_base, old_gateway = route.BASE, ws.DEFAULT_GATEWAY
    route.BASE = api_base
    ws.DEFAULT_GATEWAY = yarl.URL(gateway_url)
    try:
        yield
    finally:
        route.BASE = old_base
        ws.DEFAULT_GATEWAY = old_gateway
