"""An item's full text: its page through the URL guard, extracted with trafilatura; the
feed's own summary stands in (marked as such) when the page can't be had. The article is
a JSON file under <corpus>/servers/<id>/feeds/ (feeds/ when shared): it survives restarts,
is ingested like any other, and is removed by deleting the file (`/corpus remove`)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import fetch
from bot.feeds.parse import FeedItem
from bot.feeds.store import Feed
from bot.scope import server_folder

log = logging.getLogger(__name__)

FEEDS_FOLDER = "feeds"


@dataclass(frozen=True, slots=True)
class Extracted:
    record: dict[str, Any]
    fallback: bool  # the feed's summary, not the page's text
    reason: str | None = None  # why the page wasn't used


def scope_folder(guild_id: int | None) -> str:
    """servers/<id>/feeds for a server's feeds (its own corpus), feeds/ when shared."""
    return FEEDS_FOLDER if guild_id is None else f"{server_folder(guild_id)}/{FEEDS_FOLDER}"


def page_record(page: fetch.FetchedPage) -> dict[str, Any]:
    """trafilatura's bare_extraction of the page: title, text, date, site name, author."""
    return fetch.extract_article(page)


def build_record(
    feed: Feed, feed_title: str | None, item: FeedItem, page: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The article JSON: the page's text and metadata, the feed's where the page is silent;
    None when there is no text at all."""
    text = (page or {}).get("text") or item.summary
    if not text.strip():
        return None
    record: dict[str, Any] = {
        "title": item.title if item.title != "(untitled)" else (page or {}).get("title", ""),
        "text": text,
        "url": item.link or (page or {}).get("url"),
        "date": item.published or (page or {}).get("date"),
        "site": (page or {}).get("site") or feed_title or feed.url,
        "author": (page or {}).get("author") or item.author,
        "feed": {"id": feed.id, "title": feed_title, "url": feed.url, "guid": item.key.guid},
    }
    if page is None:
        record["summary_only"] = True  # the feed's summary stood in for the page
    return {k: v for k, v in record.items() if v not in (None, "")}


async def full_text(
    feed: Feed,
    feed_title: str | None,
    item: FeedItem,
    limits: fetch.FetchLimits,
    allow: fetch.AddressCheck,
    min_summary: int,
) -> Extracted | None:
    """Fetch and extract the item's page (parsing in a worker thread); else the summary."""
    page: dict[str, Any] | None = None
    reason = None
    if item.link:
        try:
            fetched = await fetch.fetch_page(item.link, limits, allow=allow)
            page = await asyncio.to_thread(page_record, fetched)
        except fetch.FetchError as exc:
            reason = str(exc)
            log.info("feed %s: page %s not used: %s", feed.id, item.link, exc)
    else:
        reason = "the item has no link"
    if page is None and len(item.summary) < min_summary:
        return None
    record = build_record(feed, feed_title, item, page)
    return None if record is None else Extracted(record, page is None, reason)


def save(corpus_dir: Path, guild_id: int | None, record: dict[str, Any]) -> str:
    """Write the article file; returns its path relative to the corpus (its source)."""
    ident = record.get("url") or record["feed"].get("guid") or record["text"][:200]
    digest = hashlib.sha1(ident.encode()).hexdigest()[:10]
    rel = f"{scope_folder(guild_id)}/{fetch.slug(record['title'])}-{digest}.json"
    data = json.dumps(record, ensure_ascii=False, indent=2).encode()
    fetch.write_atomically(corpus_dir / rel, data)
    return rel
