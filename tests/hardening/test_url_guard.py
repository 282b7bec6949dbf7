"""The URL guard against every spelling of a private address that got through before.

A real aiohttp server on 127.0.0.1 counts the requests it receives: each hostile spelling
must be refused as not public and the count must stay at zero. Loopback is reachable only
through the explicit switch (ALLOW_PRIVATE_URLS / FetchLimits.allow_private), which the
control case uses to show the server really answers.
"""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from bot import fetch
from bot.settings import Settings

BODY = "A local page\n" + "Body text of a page that must never be fetched. " * 10


@dataclass
class Server:
    port: int
    hits: list[str] = field(default_factory=list)


async def _serve(app: web.Application, host: str) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    hits: list[str] = []

    async def page(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(text=BODY, content_type="text/plain")

    app = web.Application()
    app.router.add_get("/{tail:.*}", page)
    runner, port = await _serve(app, "127.0.0.1")
    yield Server(port, hits)
    await runner.cleanup()


# Each spelling names 127.0.0.1 (or another address that isn't public) once the HTTP
# client has normalised it. PORT is the counting server's.
SPELLINGS = [
    "http://127。0。0。1:PORT/ideographic",
    "http://127．0．0．1:PORT/fullwidth-stop",
    "http://127｡0｡0｡1:PORT/halfwidth-stop",
    "http://１２７.０.０.１:PORT/fullwidth-digits",
    "http://①②⑦.⓪.⓪.①:PORT/circled-digits",
    "http://１２７。０。０。１:PORT/fullwidth-both",
    "http://127.0.0.1.:PORT/trailing-dot",
    "http://2130706433:PORT/decimal",
    "http://0x7f000001:PORT/hex",
    "http://0177.0.0.1:PORT/octal",
    "http://127.1:PORT/short",
    "http://ＬＯＣＡＬＨＯＳＴ:PORT/fullwidth-name",
    "http://[::ffff:127.0.0.1]:PORT/mapped",
    "http://[::127.0.0.1]:PORT/compatible",
    "http://[2002:7f00:1::]:PORT/6to4",
    "http://[64:ff9b::7f00:1]:PORT/nat64",
    "http://169。254。169。254:PORT/latest/meta-data/",
    "http://[2002:a9fe:a9fe::]:PORT/6to4-metadata",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]:PORT/teredo-loopback",
]

LIMITS = fetch.FetchLimits(timeout=3.0)


async def test_the_server_answers_only_through_the_explicit_switch(server: Server) -> None:
    url = f"http://127.0.0.1:{server.port}/control"
    with pytest.raises(fetch.BlockedAddress):
        await fetch.fetch_page(url, LIMITS)
    assert server.hits == []
    settings = Settings(_env_file=None, allow_private_urls=True)
    page = await fetch.fetch_page(url, fetch.FetchLimits.from_settings(settings))
    assert page.text == BODY and server.hits == ["/control"]


@pytest.mark.parametrize("spelling", SPELLINGS)
async def test_every_spelling_is_refused_unfetched(server: Server, spelling: str) -> None:
    with pytest.raises(fetch.BlockedAddress, match="isn't public"):
        await fetch.fetch_page(spelling.replace("PORT", str(server.port)), LIMITS)
    assert server.hits == []


@pytest.mark.parametrize("spelling", SPELLINGS[:6] + SPELLINGS[12:13])
async def test_a_redirect_to_any_spelling_is_refused(server: Server, spelling: str) -> None:
    """The first hop is a server on 127.0.0.2, the only address this test allows."""
    target = spelling.replace("PORT", str(server.port))

    async def redirect(_: web.Request) -> web.Response:
        # Sent as spelled: web.HTTPFound would normalise it through yarl first.
        return web.Response(status=302, headers={"Location": target})

    app = web.Application()
    app.router.add_get("/", redirect)
    runner, port = await _serve(app, "127.0.0.2")
    only = ipaddress.ip_address("127.0.0.2")
    try:
        with pytest.raises(fetch.BlockedAddress, match="isn't public"):
            await fetch.fetch_page(f"http://127.0.0.2:{port}/", LIMITS, allow=only.__eq__)
    finally:
        await runner.cleanup()
    assert server.hits == []


async def test_the_connection_itself_is_checked(server: Server, monkeypatch) -> None:
    """Were the URL check ever fooled, the socket factory still sees 127.0.0.1."""
    monkeypatch.setattr(fetch, "check_url", lambda url, allow: fetch.URL(url))
    with pytest.raises(fetch.BlockedAddress):
        await fetch.fetch_page(f"http://127.0.0.1:{server.port}/direct", LIMITS)
    assert server.hits == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("2002:a9fe:a9fe::", False),  # 6to4 of 169.254.169.254
        ("2002:0a00:0001::", False),  # 6to4 of 10.0.0.1
        ("2002:0808:0808::", True),  # 6to4 of 8.8.8.8
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False),  # Teredo, client 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("64:ff9b:1:808:8:800::", False),  # local-use NAT64: never a public target
        ("::127.0.0.1", False),  # IPv4-compatible
        ("::ffff:192.168.0.1", False),  # IPv4-mapped
    ],
)
def test_embedded_ipv4_is_judged_by_the_ipv4_inside(address: str, public: bool) -> None:
    assert fetch.public_address(ipaddress.ip_address(address)) is public
