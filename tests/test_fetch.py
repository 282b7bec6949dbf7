"""/corpus add url's fetcher: private addresses refused at every hop, every cap enforced."""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot import fetch
from bot.corpus import load_file

ARTICLE_HTML = """<html><head><title>Leaders meet in Samarkand | The Paper</title>
<meta property="og:site_name" content="The Paper"></head><body><nav>Home | World</nav>
<article><h1>Leaders meet in Samarkand</h1>
<p>The leaders of China and Russia met on Thursday at a regional summit in Samarkand,
their first meeting since the invasion of Ukraine, analysts said.</p>
<p>"The partnership has limits," said Niva Yau, a senior research fellow, adding that
Central Asia was watching closely and that the war had disrupted trade routes.</p>
<p>Officials said further talks were planned for the coming months.</p></article>
<footer>Copyright</footer></body></html>"""

LOOPBACK_ONLY = {ipaddress.ip_address("127.0.0.1")}


def loopback_allowed(ip: fetch.IPAddress) -> bool:
    """The test server lives on 127.0.0.1; everything else stays as refused as ever."""
    return ip in LOOPBACK_ONLY or fetch.public_address(ip)


@pytest.fixture
async def site() -> AsyncIterator[str]:
    async def article(_: web.Request) -> web.Response:
        return web.Response(text=ARTICLE_HTML, content_type="text/html")

    async def plain(_: web.Request) -> web.Response:
        body = "A plain title\n" + "Plain text body sentence. " * 20
        return web.Response(text=body, content_type="text/plain")

    async def pdf(_: web.Request) -> web.Response:
        return web.Response(body=b"%PDF-1.4", content_type="application/pdf")

    async def huge(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        await resp.prepare(request)
        for _ in range(100):
            await resp.write(b"<p>" + b"x" * 10_000 + b"</p>")
        return resp

    async def slow(_: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.Response(text="late", content_type="text/html")

    async def to_metadata(_: web.Request) -> web.Response:
        raise web.HTTPFound("http://169.254.169.254/latest/meta-data/")

    async def to_v6_loopback(_: web.Request) -> web.Response:
        raise web.HTTPFound("http://[::1]:9/")

    async def hop(_: web.Request) -> web.Response:
        raise web.HTTPFound("/article")

    async def loop(_: web.Request) -> web.Response:
        raise web.HTTPFound("/loop")

    async def missing(_: web.Request) -> web.Response:
        raise web.HTTPNotFound()

    app = web.Application()
    for path, handler in {
        "/article": article,
        "/plain": plain,
        "/pdf": pdf,
        "/huge": huge,
        "/slow": slow,
        "/to-metadata": to_metadata,
        "/to-v6-loopback": to_v6_loopback,
        "/hop": hop,
        "/loop": loop,
        "/missing": missing,
    }.items():
        app.router.add_get(path, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    server = web.TCPSite(runner, "127.0.0.1", 0)
    await server.start()
    port = server._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not fetch.public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert fetch.public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/x",
        "gopher://example.com/",
        "http://user:pw@example.com/",
        "http:///nohost",
        "not a url",
    ],
)
def test_only_plain_http_urls(url: str) -> None:
    with pytest.raises(fetch.FetchError):
        fetch.check_url(url)


async def test_loopback_is_refused_by_default(site: str) -> None:
    with pytest.raises(fetch.BlockedAddress):
        await fetch.fetch_page(site + "/article")  # literal 127.0.0.1


async def test_a_name_resolving_to_loopback_is_refused(site: str) -> None:
    port = site.rsplit(":", 1)[1]
    with pytest.raises(fetch.BlockedAddress):
        await fetch.fetch_page(f"http://localhost:{port}/article")


async def test_resolver_refuses_a_host_with_any_private_address() -> None:
    class Mixed:
        async def resolve(self, host: str, port: int, family: int) -> list[dict]:
            return [
                {
                    "hostname": host,
                    "host": "93.184.216.34",
                    "port": port,
                    "family": 2,
                    "proto": 0,
                    "flags": 0,
                },
                {
                    "hostname": host,
                    "host": "10.0.0.5",
                    "port": port,
                    "family": 2,
                    "proto": 0,
                    "flags": 0,
                },
            ]

        async def close(self) -> None:
            return None

    resolver = fetch.CheckedResolver()
    resolver._inner = Mixed()  # type: ignore[assignment]
    with pytest.raises(fetch.BlockedAddress, match="isn't public"):
        await resolver.resolve("rebind.example", 80)


async def test_fetches_and_saves_an_article(site: str, tmp_path: Path) -> None:
    saved = await fetch.add_url(site + "/hop", tmp_path, allow=loopback_allowed)
    assert saved.path.parent == tmp_path / "web" and saved.path.suffix == ".json"
    assert saved.url == site + "/article"  # the URL after the redirect
    record = json.loads(saved.path.read_text())
    assert "Niva Yau" in record["text"] and "Samarkand" in record["title"]
    [article] = load_file(saved.path, "web/" + saved.path.name)
    assert article.url == site + "/article"
    assert not list(tmp_path.rglob(".*"))  # no temporary file left behind


async def test_plain_text_pages_are_accepted(site: str, tmp_path: Path) -> None:
    saved = await fetch.add_url(site + "/plain", tmp_path, allow=loopback_allowed)
    assert saved.title == "A plain title"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/pdf", "not HTML or text"),
        ("/huge", "larger than"),
        ("/to-metadata", "isn't public"),
        ("/to-v6-loopback", "isn't public"),
        ("/loop", "redirected more than"),
        ("/missing", "HTTP 404"),
        ("/slow", "took longer"),
    ],
)
async def test_refusals(site: str, path: str, message: str) -> None:
    limits = fetch.FetchLimits(max_bytes=200_000, timeout=1.0, max_redirects=3)
    with pytest.raises(fetch.FetchError, match=message):
        await fetch.fetch_page(site + path, limits, allow=loopback_allowed)


def test_pages_without_an_article_are_refused() -> None:
    page = fetch.FetchedPage("https://e.com/", "text/html", "<html><body>menu</body></html>")
    with pytest.raises(fetch.FetchError, match="No article text"):
        fetch.extract_article(page)
