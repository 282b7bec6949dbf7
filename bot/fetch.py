"""Fetching one web article for `/corpus add url`, safely, and saving it into the corpus.

Server-side request forgery is the risk: a user names a URL and the bot's machine fetches
it. So only http(s) is followed, and an address must be globally routable unicast (an
IPv6 address that embeds an IPv4 one, as 6to4, Teredo, NAT64 and IPv4-mapped do, is
judged by the IPv4 inside). Three checks, each on what the HTTP client will really use:
the URL's host after yarl's normalisation (IDNA/UTS-46 maps `127。0。0。1` and fullwidth or
circled digits to `127.0.0.1`), parsed as an IP literal in every spelling the C library
accepts (`2130706433`, `0x7f.1`); every name resolved by our resolver, which refuses the
whole host when any address is unsafe (aiohttp then connects to exactly those, no second
lookup to rebind); and the socket factory, which sees the address of every connection,
literals included (aiohttp skips the resolver for those). Redirects are followed by hand,
each hop checked the same way. Size, time and redirect count are capped, and only HTML or
plain text is accepted. `ALLOW_PRIVATE_URLS=1` lets non-public addresses through: for
tests and intranets only.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import os
import re
import socket
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

from bot.errors import UserError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
AddressCheck = Callable[[IPAddress], bool]

ACCEPTED_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
MIN_TEXT = 200
USER_AGENT = "newsdesk/0.1 (a Discord news-briefing bot; one page on request)"
WEB_FOLDER = "web"


class FetchError(UserError):
    """The page can't be added; the message says why, for the person who asked."""


class BlockedAddress(FetchError):
    pass


@dataclass(frozen=True, slots=True)
class FetchLimits:
    max_bytes: int = 3_000_000
    timeout: float = 15.0
    max_redirects: int = 5
    allow_private: bool = False  # ALLOW_PRIVATE_URLS: loopback/private too (tests, intranets)

    @classmethod
    def from_settings(cls, settings: Any) -> FetchLimits:
        return cls(
            settings.fetch_max_bytes,
            settings.fetch_timeout,
            settings.fetch_max_redirects,
            settings.allow_private_urls,
        )


@dataclass(frozen=True, slots=True)
class FetchedPage:
    url: str  # after redirects
    content_type: str
    text: str


@dataclass(frozen=True, slots=True)
class SavedArticle:
    path: Path
    title: str
    url: str
    site: str | None


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, compatible, 6to4, Teredo, NAT64)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client, already de-obfuscated
    if ip in _NAT64 or ip in _IPV4_COMPATIBLE:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def public_address(ip: IPAddress) -> bool:
    """True only for globally routable unicast addresses."""
    if isinstance(ip, ipaddress.IPv6Address):
        # Local-use NAT64 (RFC 8215) may embed IPv4 at any RFC 6052 offset: never public.
        if ip.is_unspecified or ip.is_loopback or ip in _NAT64_LOCAL:
            return False
        inner = embedded_ipv4(ip)
        if inner is not None:
            return public_address(inner)
    return ip.is_global and not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def lenient_address(ip: IPAddress) -> bool:
    """ALLOW_PRIVATE_URLS: loopback and private addresses too, never multicast or 0.0.0.0."""
    return not (ip.is_multicast or ip.is_unspecified)


def address_check(limits: FetchLimits) -> AddressCheck:
    return lenient_address if limits.allow_private else public_address


_INET_ATON = re.compile(r"[0-9a-fx.]+", re.IGNORECASE)


def literal_address(host: str) -> IPAddress | None:
    """The address `host` names literally, in any spelling the C library accepts
    (`127.0.0.1`, `::ffff:7f00:1`, `2130706433`, `0x7f.1`, `0177.0.0.1`); None for a name.
    `host` is already normalised as yarl does it (IDNA/UTS-46, brackets removed)."""
    bare = host.strip("[]").split("%")[0].rstrip(".")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if _INET_ATON.fullmatch(bare):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(bare))
        except OSError:
            return None
    return None


class AddressRefused(OSError):
    """Raised by the socket factory, so the connector gives up on that address."""


class GuardedSockets:
    """aiohttp's socket factory: the last word on every address connected to, literal
    hosts included, since aiohttp skips the resolver for those."""

    def __init__(self, allow: AddressCheck) -> None:
        self._allow = allow
        self.refused: str | None = None

    def __call__(self, addr_info: Any) -> socket.socket:
        family, type_, proto, _, sockaddr = addr_info
        address = str(sockaddr[0]).split("%")[0]
        if not self._allow(ipaddress.ip_address(address)):
            self.refused = address
            raise AddressRefused(f"{address} isn't public")
        sock = socket.socket(family=family, type=type_, proto=proto)
        sock.setblocking(False)
        return sock


class CheckedResolver(AbstractResolver):
    """Resolves with the system resolver, then refuses hosts with any unsafe address."""

    def __init__(self, allow: AddressCheck = public_address) -> None:
        self._inner = ThreadedResolver()
        self._allow = allow

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        try:
            results = await self._inner.resolve(host, port, family)
        except OSError:
            raise FetchError(f"The host {host} could not be found.") from None
        for result in results:
            if not self._allow(ipaddress.ip_address(result["host"].split("%")[0])):
                raise BlockedAddress(
                    f"{host} resolves to an address that isn't public; it can't be fetched."
                )
        return results

    async def close(self) -> None:
        await self._inner.close()


def check_url(url: str | URL, allow: AddressCheck = public_address) -> URL:
    """`url`, parsed as aiohttp will parse it, if its scheme and host may be fetched; the
    host is judged after yarl's IDNA normalisation. Raises FetchError otherwise."""
    try:
        parsed = url if isinstance(url, URL) else URL(url.strip())
        host, port = parsed.host, parsed.explicit_port
    except (ValueError, UnicodeError):
        raise FetchError("That isn't a valid URL.") from None
    if parsed.scheme not in ("http", "https"):
        raise FetchError("Only http:// and https:// URLs can be added.")
    if not host:
        raise FetchError("That URL has no host.")
    if parsed.user or parsed.password:
        raise FetchError("URLs with a user name or password can't be added.")
    if port == 0:
        raise FetchError("That URL has an invalid port.")
    literal = literal_address(host)
    if literal is not None and not allow(literal):
        raise BlockedAddress("That address isn't public; it can't be fetched.")
    return parsed


async def fetch_page(
    url: str, limits: FetchLimits | None = None, *, allow: AddressCheck | None = None
) -> FetchedPage:
    """GET `url` within `limits`, every hop checked; raises FetchError with the reason.
    `allow` overrides the address check `limits` implies (public only, by default)."""
    limits = limits or FetchLimits()
    allow = allow or address_check(limits)
    sockets = GuardedSockets(allow)
    connector = aiohttp.TCPConnector(
        resolver=CheckedResolver(allow), use_dns_cache=False, socket_factory=sockets
    )
    timeout = aiohttp.ClientTimeout(total=limits.timeout)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,text/plain"}
    try:
        async with aiohttp.ClientSession(
            connector=connector, timeout=timeout, headers=headers, trust_env=False
        ) as session:
            return await _follow(session, check_url(url, allow), limits, allow)
    except TimeoutError:
        raise FetchError(f"The page took longer than {limits.timeout:g} s.") from None
    except aiohttp.ClientError as exc:
        if sockets.refused is not None:
            raise BlockedAddress("That address isn't public; it can't be fetched.") from None
        raise FetchError(f"The page could not be fetched ({type(exc).__name__}).") from None


async def _follow(
    session: aiohttp.ClientSession, url: URL, limits: FetchLimits, allow: AddressCheck
) -> FetchedPage:
    for _ in range(limits.max_redirects + 1):
        async with session.get(url, allow_redirects=False) as resp:
            if resp.status in REDIRECTS:
                location = resp.headers.get("Location")
                if not location:
                    raise FetchError("The page redirected nowhere.")
                try:
                    target = url.join(URL(location))
                except (ValueError, UnicodeError):
                    raise FetchError("The page redirected to an invalid URL.") from None
                url = check_url(target, allow)
                continue
            if resp.status != 200:
                raise FetchError(f"The page answered HTTP {resp.status}.")
            if resp.content_type not in ACCEPTED_TYPES:
                raise FetchError(f"The page is {resp.content_type}, not HTML or text.")
            if resp.content_length is not None and resp.content_length > limits.max_bytes:
                raise FetchError(f"The page is larger than {limits.max_bytes:,} bytes.")
            body = bytearray()
            async for chunk in resp.content.iter_chunked(65_536):
                body += chunk
                if len(body) > limits.max_bytes:
                    raise FetchError(f"The page is larger than {limits.max_bytes:,} bytes.")
            charset = resp.charset or "utf-8"
            try:
                text = bytes(body).decode(charset, errors="replace")
            except LookupError:
                text = bytes(body).decode("utf-8", errors="replace")
            return FetchedPage(str(resp.url), resp.content_type, text)
    raise FetchError(f"The page redirected more than {limits.max_redirects} times.")


def extract_article(page: FetchedPage) -> dict[str, Any]:
    """Title, text and metadata of the article on `page` (trafilatura for HTML)."""
    if page.content_type == "text/plain":
        first, _, rest = page.text.strip().partition("\n")
        record = {"title": first.strip()[:300], "text": rest.strip(), "url": page.url}
    else:
        import trafilatura

        doc = trafilatura.bare_extraction(
            page.text, url=page.url, with_metadata=True, include_comments=False
        )
        data = {} if doc is None else doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        record = {
            "title": (data.get("title") or "").strip(),
            "text": (data.get("text") or "").strip(),
            "url": page.url,
            "site": data.get("sitename"),
            "date": data.get("date"),
            "author": data.get("author"),
        }
    if len(record["text"]) < MIN_TEXT:
        raise FetchError("No article text was found on that page.")
    record["title"] = record["title"] or record["text"].split("\n", 1)[0][:120]
    return {k: v for k, v in record.items() if v}


def slug(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-") or "page"


def write_atomically(path: Path, data: bytes) -> None:
    """Write via a hidden temporary file (the corpus loader skips dot-files), then rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def save_record(corpus_dir: Path, record: dict[str, Any]) -> Path:
    """The record as one JSON article under corpus/web/, named by title and URL."""
    digest = hashlib.sha1(record["url"].encode()).hexdigest()[:8]
    path = corpus_dir / WEB_FOLDER / f"{slug(record['title'])}-{digest}.json"
    write_atomically(path, json.dumps(record, ensure_ascii=False, indent=2).encode())
    return path


async def add_url(
    url: str,
    corpus_dir: Path,
    limits: FetchLimits | None = None,
    *,
    allow: AddressCheck | None = None,
) -> SavedArticle:
    """Fetch, extract (in a worker thread) and save one article; returns where it went."""
    page = await fetch_page(url, limits, allow=allow)
    record = await asyncio.to_thread(extract_article, page)
    path = await asyncio.to_thread(save_record, corpus_dir, record)
    return SavedArticle(path, record["title"], record["url"], record.get("site"))


def guarded_connector(allow: AddressCheck) -> aiohttp.TCPConnector:
    """A connector that only reaches addresses `allow` accepts (for callers that need their
    own requests, such as the feed poller's conditional GETs); every hop's URL still goes
    through `check_url`, and every address connected to through `GuardedSockets`."""
    return aiohttp.TCPConnector(
        resolver=CheckedResolver(allow), use_dns_cache=False, socket_factory=GuardedSockets(allow)
    )
