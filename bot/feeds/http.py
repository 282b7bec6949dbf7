"""One conditional GET of a feed document through the URL guard.

The guard is bot/fetch.py's: every hop's URL is checked and the connector only reaches
addresses the check allows. What the page fetcher doesn't do and a feed needs: ETag /
Last-Modified validators, 304, XML content types, and Retry-After on errors.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass

import aiohttp
from yarl import URL

from bot import fetch
from bot.fetch import AddressCheck, FetchError, FetchLimits

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)
USER_AGENT = "newsdesk/0.1 (a Discord news-briefing bot; polls feeds its servers subscribe to)"


class FeedHTTPError(FetchError):
    """The feed could not be read this time; `retry_after` when the server said when."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: float | None = None
    ):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class FeedResponse:
    url: str  # after redirects
    status: int  # 200 or 304
    body: bytes
    etag: str | None
    last_modified: str | None


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


async def get_feed(
    url: str,
    limits: FetchLimits,
    allow: AddressCheck,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = 5_000_000,
) -> FeedResponse:
    """GET the feed, redirects followed by hand and each hop checked; raises FeedHTTPError."""
    headers = {"User-Agent": USER_AGENT, "Accept": FEED_ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    timeout = aiohttp.ClientTimeout(total=limits.timeout)
    try:
        async with aiohttp.ClientSession(
            connector=fetch.guarded_connector(allow), timeout=timeout, trust_env=False
        ) as session:
            return await _follow(session, url, headers, limits, allow, max_bytes)
    except FeedHTTPError:
        raise
    except FetchError as exc:  # the guard refused a hop (a URL or a resolved address)
        raise FeedHTTPError(str(exc)) from None
    except TimeoutError:
        raise FeedHTTPError(f"The feed took longer than {limits.timeout:g} s.") from None
    except aiohttp.ClientError as exc:
        raise FeedHTTPError(f"The feed could not be fetched ({type(exc).__name__}).") from None


async def _follow(
    session: aiohttp.ClientSession,
    url: str,
    headers: dict[str, str],
    limits: FetchLimits,
    allow: AddressCheck,
    max_bytes: int,
) -> FeedResponse:
    url = str(fetch.check_url(url, allow))
    for _ in range(limits.max_redirects + 1):
        async with session.get(url, headers=headers, allow_redirects=False) as resp:
            if resp.status in fetch.REDIRECTS:
                location = resp.headers.get("Location")
                if not location:
                    raise FeedHTTPError("The feed redirected nowhere.", status=resp.status)
                try:
                    target = str(URL(url).join(URL(location)))
                except (ValueError, UnicodeError):
                    raise FeedHTTPError("The feed redirected to an invalid URL.") from None
                url = str(fetch.check_url(target, allow))
                continue
            validators = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
            if resp.status == 304:
                return FeedResponse(url, 304, b"", *validators)
            if resp.status != 200:
                raise FeedHTTPError(
                    f"The feed answered HTTP {resp.status}.",
                    status=resp.status,
                    retry_after=retry_after_seconds(resp.headers.get("Retry-After")),
                )
            if resp.content_length is not None and resp.content_length > max_bytes:
                raise FeedHTTPError(f"The feed is larger than {max_bytes:,} bytes.")
            body = bytearray()
            async for chunk in resp.content.iter_chunked(65_536):
                body += chunk
                if len(body) > max_bytes:
                    raise FeedHTTPError(f"The feed is larger than {max_bytes:,} bytes.")
            return FeedResponse(url, 200, bytes(body), *validators)
    raise FeedHTTPError(f"The feed redirected more than {limits.max_redirects} times.")
