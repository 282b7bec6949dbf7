"""One polling round: each due feed fetched (politely), its new items de-duplicated, their
pages fetched and saved as articles, then one ingest for everything that arrived."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.feeds import extract
from bot.feeds.http import FeedHTTPError, get_feed
from bot.feeds.params import FeedParams
from bot.feeds.parse import FeedItem, NotAFeed, oldest_first, parse_feed
from bot.feeds.politeness import HostGate, next_poll_after_failure
from bot.feeds.store import ArrivedArticle, Feed, FeedStore
from bot.fetch import AddressCheck, FetchLimits
from bot.ingest import IngestReport

log = logging.getLogger(__name__)

MAX_PARALLEL_FEEDS = 4  # different hosts polled at once (one per host in any case)


@dataclass(slots=True)
class Added:
    item_id: int
    source: str
    title: str
    post: bool  # passes the feed's keywords
    fallback: bool


@dataclass(slots=True)
class FeedPoll:
    feed: Feed
    added: list[Added] = field(default_factory=list)
    recorded: int = 0  # first poll: items noted as already there, not posted
    duplicates: int = 0
    waiting: int = 0  # new items over the per-poll cap, left for the next poll
    not_modified: bool = False
    error: str | None = None
    paused: bool = False  # paused by this poll (too many failures)
    skipped: str | None = None  # not polled this round (host held back)


@dataclass(slots=True)
class Notice:
    channel_id: int
    text: str


@dataclass(slots=True)
class RoundReport:
    polls: list[FeedPoll] = field(default_factory=list)
    ingest: IngestReport | None = None
    arrived: list[ArrivedArticle] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def to_post(self) -> list[ArrivedArticle]:
        wanted = {a.item_id for p in self.polls for a in p.added if a.post}
        return [a for a in self.arrived if a.item_id in wanted and a.channel_id is not None]


_WORD = re.compile(r"\w+")


def matches_keywords(keywords: list[str], record: dict[str, Any]) -> bool:
    """Any keyword (a word or phrase, any case) in the title, summary or text."""
    if not keywords:
        return True
    words = " ".join(
        _WORD.findall(f"{record.get('title', '')} {record.get('text', '')}".casefold())
    )
    return any(f" {' '.join(_WORD.findall(k.casefold()))} " in f" {words} " for k in keywords if k)


class Poller:
    def __init__(
        self,
        store: FeedStore,
        corpus_dir: Path,
        limits: FetchLimits,
        allow: AddressCheck,
        ingest: Callable[[], Awaitable[IngestReport]],
        params: FeedParams | None = None,
    ) -> None:
        self.store = store
        self.corpus_dir = corpus_dir
        self.limits = limits
        self.allow = allow
        self.ingest = ingest
        self.params = params or FeedParams()
        self.gate = HostGate(self.params.host_gap)
        self._round = asyncio.Lock()
        self._items_lock = asyncio.Lock()

    async def run_round(self, *, every: bool = False) -> RoundReport:
        """Poll the due feeds (`every`: all that aren't paused), then ingest what arrived."""
        async with self._round, self.store.round_lock() as mine:
            if not mine:
                log.info("feeds: another process is polling; this round is skipped")
                return RoundReport()
            now = time.time()
            feeds = [f for f in await self.store.list_feeds(every=True) if not f.paused]
            if not every:
                feeds = [f for f in feeds if f.next_poll_at <= now]
            limit = asyncio.Semaphore(MAX_PARALLEL_FEEDS)

            async def one(feed: Feed) -> FeedPoll:
                async with limit:
                    try:
                        return await self.poll_feed(feed)
                    except Exception as exc:  # a bug for one feed must not stop the others
                        log.exception("polling feed %s failed", feed.id)
                        return await self._failed(feed, f"internal error ({type(exc).__name__})")

            report = RoundReport(polls=list(await asyncio.gather(*(one(f) for f in feeds))))
            for poll in report.polls:
                if poll.paused and poll.feed.channel_id is not None:
                    report.notices.append(Notice(poll.feed.channel_id, _paused_note(poll)))
            ids = [a.item_id for p in report.polls for a in p.added]
            if ids:
                report.ingest = await self.ingest()
                report.arrived = await self.store.arrived(item_ids=ids, every=True)
            return report

    async def poll_feed(self, feed: Feed) -> FeedPoll:
        poll = FeedPoll(feed)
        held = self.gate.held_for(feed.url)
        if held > self.params.host_gap:
            poll.skipped = f"host asked us to wait {held:.0f} s"
            return poll
        try:
            async with self.gate.host(feed.url):
                resp = await get_feed(
                    feed.url,
                    self.limits,
                    self.allow,
                    etag=feed.etag,
                    last_modified=feed.last_modified,
                    max_bytes=self.params.max_feed_bytes,
                )
        except FeedHTTPError as exc:
            return await self._failed(feed, str(exc), exc.retry_after, poll)
        next_at = time.time() + max(feed.interval, self.params.min_interval)
        if resp.status == 304:
            poll.not_modified = True
            await self.store.record_success(
                feed.id,
                next_at=next_at,
                etag=resp.etag or feed.etag,
                last_modified=resp.last_modified or feed.last_modified,
                title=None,
            )
            return poll
        try:
            parsed = await asyncio.to_thread(
                parse_feed, resp.body, resp.url, self.params.max_items_read
            )
        except NotAFeed as exc:
            return await self._failed(feed, str(exc), None, poll)
        title = parsed.title or feed.title
        feed.title = title
        # Choosing and recording the new items is one step per server, so two feeds of one
        # server polled at once can't both take an item they share.
        async with self._items_lock:
            taken = await self._choose(feed, oldest_first(parsed.items), poll)
        for item_id, item in taken:
            added = await self._take(feed, title, item_id, item)
            if added is not None:
                poll.added.append(added)
        # Items left for the next poll must come back then: no validators, no 304.
        validators = (None, None) if poll.waiting else (resp.etag, resp.last_modified)
        await self.store.record_success(
            feed.id, next_at=next_at, etag=validators[0], last_modified=validators[1], title=title
        )
        return poll

    async def _fresh(self, feed: Feed, items: list[FeedItem], poll: FeedPoll) -> list[FeedItem]:
        """Items neither this server's feeds nor this document have shown already."""
        fresh: list[FeedItem] = []
        seen: set[str] = set()
        for item in items:
            keys = {k for k in (item.key.guid, item.key.link, item.key.content_hash) if k}
            if keys & seen or await self.store.known_item(feed.guild_id, item.key):
                poll.duplicates += 1
                continue
            seen |= keys
            fresh.append(item)
        return fresh

    async def _choose(
        self, feed: Feed, items: list[FeedItem], poll: FeedPoll
    ) -> list[tuple[int, FeedItem]]:
        """The new items to fetch now (recorded as such); a first poll notes the rest."""
        fresh = await self._fresh(feed, items, poll)
        if not feed.primed:
            keep = self.params.first_poll_posts
            old, fresh = (fresh[:-keep], fresh[-keep:]) if keep else (fresh, [])
            for item in old:
                await self.store.add_item(
                    feed, item.key, title=item.title, published=item.published, status="seen"
                )
            poll.recorded = len(old)
            await self.store.mark_primed(feed.id)
        cap = self.params.max_posts_per_poll
        poll.waiting = max(0, len(fresh) - cap)
        taken = []
        for item in fresh[:cap]:  # recorded first, so a crash can't post an item twice
            item_id = await self.store.add_item(
                feed, item.key, title=item.title, published=item.published, status="fetching"
            )
            taken.append((item_id, item))
        return taken

    async def _take(
        self, feed: Feed, feed_title: str | None, item_id: int, item: FeedItem
    ) -> Added | None:
        """Fetch the item's page (or fall back to its summary) and save the article."""
        async with self.gate.host(item.link or feed.url):
            got = await extract.full_text(
                feed, feed_title, item, self.limits, self.allow, self.params.summary_fallback_min
            )
        if got is None:
            await self.store.set_item(item_id, "failed")
            return None
        source = await asyncio.to_thread(extract.save, self.corpus_dir, feed.guild_id, got.record)
        post = matches_keywords(feed.keywords, got.record)
        status = "saved" if post else "filtered"
        await self.store.set_item(item_id, status, source=source, fallback=got.fallback)
        return Added(item_id, source, got.record["title"], post, got.fallback)

    async def _failed(
        self,
        feed: Feed,
        error: str,
        retry_after: float | None = None,
        poll: FeedPoll | None = None,
    ) -> FeedPoll:
        poll = poll or FeedPoll(feed)
        poll.error = error
        delay = next_poll_after_failure(feed.failures + 1, retry_after, feed.interval, self.params)
        if retry_after is not None:
            self.gate.hold(feed.url, min(retry_after, self.params.retry_after_max))
        failures = await self.store.record_failure(feed.id, error, next_at=time.time() + delay)
        log.info("feed %s failed (%d in a row): %s", feed.id, failures, error)
        if failures >= self.params.max_failures:
            reason = f"{failures} failures in a row; last: {error}"
            await self.store.set_paused(feed.id, True, reason)
            poll.paused = True
        return poll


def _paused_note(poll: FeedPoll) -> str:
    return (
        f"Feed #{poll.feed.id} ({poll.feed.name}) is paused after {poll.feed.failures + 1} "
        f"failures in a row (last: {poll.error}). `/feed pause` with paused: False resumes it."
    )
