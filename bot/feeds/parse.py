"""A feed document (RSS 0.9x/1.0/2.0, Atom) read into plain items with feedparser."""

from __future__ import annotations

import calendar
import hashlib
import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.errors import UserError
from bot.feeds.store import ItemKey

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


class NotAFeed(UserError):
    """The document isn't a feed feedparser can read."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    key: ItemKey
    title: str
    link: str | None
    summary: str  # plain text
    published: str | None  # ISO 8601, UTC
    timestamp: float | None
    author: str | None
    position: int  # in the document, 0 first


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str | None
    link: str | None
    items: list[FeedItem]


def plain_text(markup: str | None) -> str:
    """Summary HTML as one line of text."""
    if not markup:
        return ""
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", markup))).strip()


def item_hash(title: str, summary: str) -> str:
    """Content identity of an item with neither GUID nor link, or a re-issued one."""
    text = _SPACE.sub(" ", f"{title}\n{summary}".casefold()).strip()
    return hashlib.sha256(text.encode()).hexdigest()


def _when(entry: Any) -> tuple[str | None, float | None]:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            ts = float(calendar.timegm(parsed))
            return datetime.fromtimestamp(ts, UTC).isoformat().replace("+00:00", "Z"), ts
    return None, None


def _http_link(value: Any) -> str | None:
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def parse_feed(body: bytes, base_url: str, max_items: int = 200) -> ParsedFeed:
    """Items in document order; raises NotAFeed when nothing usable is there."""
    import feedparser

    doc = feedparser.parse(body, response_headers={"content-location": base_url})
    entries = list(doc.entries)[:max_items]
    if not entries and (doc.bozo or not doc.get("version")):
        reason = getattr(doc.get("bozo_exception"), "getMessage", lambda: "")() or "no entries"
        raise NotAFeed(f"That isn't a readable RSS or Atom feed ({reason}).")
    items = []
    for n, entry in enumerate(entries):
        title = plain_text(entry.get("title")) or "(untitled)"
        summary = plain_text(entry.get("summary") or entry.get("description"))
        if not summary and entry.get("content"):
            summary = plain_text(entry.content[0].get("value"))
        link = _http_link(entry.get("link"))
        guid = (entry.get("id") or "").strip() or None
        published, ts = _when(entry)
        items.append(
            FeedItem(
                key=ItemKey(guid[:500] if guid else None, link, item_hash(title, summary)),
                title=title[:300],
                link=link,
                summary=summary,
                published=published,
                timestamp=ts,
                author=plain_text(entry.get("author")) or None,
                position=n,
            )
        )
    feed = doc.get("feed", {})
    return ParsedFeed(plain_text(feed.get("title")) or None, _http_link(feed.get("link")), items)


def oldest_first(items: list[FeedItem]) -> list[FeedItem]:
    """By date when every item has one, else reversed document order (feeds list newest
    first)."""
    if items and all(i.timestamp is not None for i in items):
        return sorted(items, key=lambda i: (i.timestamp, -i.position))
    return sorted(items, key=lambda i: -i.position)
