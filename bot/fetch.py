"""Fetching one web article for `/corpus add url`, safely, and saving it into the corpus.

Server-side request forgery is the risk: a user names a URL and the bot's machine fetches
it. So only http(s) is followed; every host is resolved by our resolver, which refuses the
whole host when any address is loopback, private, link-local, multicast, reserved or
otherwise not globally routable, and aiohttp then connects to exactly those checked
addresses (no second lookup to rebind). Redirects are followed by hand, each hop checked
the same way. Size, time and redirect count are capped, and only HTML or plain text is
accepted.
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
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver

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


def public_address(ip: IPAddress) -> bool:
    """True only for globally routable unicast addresses."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
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


def check_url(url: str, allow: AddressCheck = public_address) -> str:
    """`url` if its scheme and (literal) host may be fetched; raises FetchError otherwise."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchError("That isn't a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError("Only http:// and https:// URLs can be added.")
    if not parts.hostname:
        raise FetchError("That URL has no host.")
    if parts.username or parts.password:
        raise FetchError("URLs with a user name or password can't be added.")
    if port == 0:
        raise FetchError("That URL has an invalid port.")
    try:
        literal = ipaddress.ip_address(parts.hostname)
    except ValueError:
        literal = None
    if literal is not None and not allow(literal):
        raise BlockedAddress("That address isn't public; it can't be fetched.")
    return url.strip()


async def fetch_page(
    url: str, limits: FetchLimits | None = None, *, allow: AddressCheck = public_address
) -> FetchedPage:
    """GET `url` within `limits`, every hop checked; raises FetchError with the reason."""
    limits = limits or FetchLimits()
    connector = aiohttp.TCPConnector(resolver=CheckedResolver(allow), use_dns_cache=False)
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
        raise FetchError(f"The page could not be fetched ({type(exc).__name__}).") from None


async def _follow(
    session: aiohttp.ClientSession, url: str, limits: FetchLimits, allow: AddressCheck
) -> FetchedPage:
    for _ in range(limits.max_redirects + 1):
        async with session.get(url, allow_redirects=False) as resp:
            if resp.status in REDIRECTS:
                location = resp.headers.get("Location")
                if not location:
                    raise FetchError("The page redirected nowhere.")
                url = check_url(urljoin(url, location), allow)
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
    allow: AddressCheck = public_address,
) -> SavedArticle:
    """Fetch, extract (in a worker thread) and save one article; returns where it went."""
    page = await fetch_page(url, limits, allow=allow)
    record = await asyncio.to_thread(extract_article, page)
    path = await asyncio.to_thread(save_record, corpus_dir, record)
    return SavedArticle(path, record["title"], record["url"], record.get("site"))


def guarded_connector(allow: AddressCheck) -> aiohttp.TCPConnector:
    """A connector that only reaches addresses `allow` accepts (for callers that need their
    own requests, such as the feed poller's conditional GETs); every hop's URL still goes
    through `check_url`."""
    return aiohttp.TCPConnector(resolver=CheckedResolver(allow), use_dns_cache=False)
