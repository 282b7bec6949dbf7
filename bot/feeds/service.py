"""What front ends call for feeds: subscribe, list, pause, remove, poll, brief."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot import fetch
from bot.errors import NotFound, UserError
from bot.feeds import brief as briefs
from bot.feeds.params import FeedParams
from bot.feeds.poller import Poller, RoundReport
from bot.feeds.store import ArrivedArticle, Feed, FeedStore

if TYPE_CHECKING:
    from bot.service import Newsdesk

log = logging.getLogger(__name__)

MAX_FEEDS_PER_SERVER = 50
DEFAULT_PERIOD = timedelta(days=1)


def parse_since(text: str | None, now: float | None = None) -> float:
    """An ISO date or time (UTC unless it says), or '6h' / '2d' / '30m' ago; default a day."""
    now = time.time() if now is None else now
    text = (text or "").strip()
    if not text:
        return now - DEFAULT_PERIOD.total_seconds()
    units = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
    if text[:-1].isdigit() and text[-1].lower() in units:
        return now - int(text[:-1]) * units[text[-1].lower()]
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(
            "Give the period as an ISO date (2026-12-01, 2026-12-01T08:00) or as 6h, 2d, 1w."
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def clean_keywords(keywords: str | list[str] | None, limit: int) -> list[str]:
    if keywords is None:
        return []
    parts = keywords.split(",") if isinstance(keywords, str) else keywords
    words = [" ".join(k.split())[:50] for k in parts if k and k.strip()]
    if len(words) > limit:
        raise UserError(f"At most {limit} keywords.")
    return words


class FeedService:
    def __init__(self, desk: Newsdesk, params: FeedParams | None = None) -> None:
        self.desk = desk
        self.params = params or FeedParams()
        self.store = FeedStore(desk.store)
        s = desk.settings
        self.limits = fetch.FetchLimits.from_settings(s)
        self.allow = fetch.address_check(self.limits)
        self.poller = Poller(
            self.store, s.corpus_dir, self.limits, self.allow, desk.ingest, self.params
        )
        self._wake = asyncio.Event()  # a new or resumed feed: the background loop polls now

    def wake(self) -> None:
        self._wake.set()

    # -- subscriptions ----------------------------------------------------------------

    async def add(
        self,
        url: str,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        keywords: str | list[str] | None = None,
        interval_minutes: float | None = None,
    ) -> Feed:
        url = str(fetch.check_url(url.strip(), self.allow))
        interval = (
            self.params.default_interval if interval_minutes is None else interval_minutes * 60
        )
        if interval < self.params.min_interval:
            raise UserError(
                f"Feeds are polled at most every {self.params.min_interval / 60:g} min."
            )
        if len(await self.store.list_feeds(guild_id)) >= MAX_FEEDS_PER_SERVER:
            raise UserError(f"A server can follow at most {MAX_FEEDS_PER_SERVER} feeds.")
        feed = await self.store.add_feed(
            url,
            guild_id=guild_id,
            channel_id=channel_id,
            keywords=clean_keywords(keywords, self.params.max_keywords),
            interval=interval,
        )
        self.wake()
        return feed

    async def list(self, guild_id: int | None = None, *, every: bool = False) -> list[Feed]:
        return await self.store.list_feeds(guild_id, every=every)

    async def get(self, feed_id: int, guild_id: int | None = None, *, every: bool = False) -> Feed:
        """A feed of this server (`every`: any server's, for the machine's own CLI)."""
        feed = await self.store.get_feed(feed_id)
        if feed is None or (not every and feed.guild_id != guild_id):
            raise NotFound(f"No feed #{feed_id} here: /feed list shows this server's feeds.")
        return feed

    async def remove(
        self, feed_id: int, guild_id: int | None = None, *, every: bool = False
    ) -> Feed:
        feed = await self.get(feed_id, guild_id, every=every)
        await self.store.remove_feed(feed.id)
        return feed

    async def pause(
        self, feed_id: int, paused: bool = True, guild_id: int | None = None, *, every: bool = False
    ) -> Feed:
        feed = await self.get(feed_id, guild_id, every=every)
        await self.store.set_paused(feed.id, paused, "paused by an admin" if paused else None)
        if not paused:
            self.wake()
        return await self.get(feed.id, every=True)

    # -- polling ----------------------------------------------------------------------

    async def poll(self, *, every: bool = False) -> RoundReport:
        """One round: the due feeds (`every`: all unpaused ones, now)."""
        return await self.poller.run_round(every=every)

    async def mark_posted(self, item_id: int) -> None:
        await self.store.set_item(item_id, "posted")

    async def run(
        self,
        on_round: Callable[[RoundReport], Awaitable[None]],
        stop: asyncio.Event,
    ) -> None:
        """Poll until `stop` is set: each round, then sleep until the next feed is due
        (between loop_sleep_min and loop_sleep_max), or until a feed is added or resumed."""
        while not stop.is_set():
            self._wake.clear()
            try:
                report = await self.poll()
                if report.polls:
                    await on_round(report)
            except Exception:
                log.exception("feed round failed")
            due = await self.store.next_due_at()
            wait = self.params.loop_sleep_max if due is None else due - time.time()
            wait = min(max(wait, self.params.loop_sleep_min), self.params.loop_sleep_max)
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            try:
                await asyncio.wait(waiters, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for w in waiters:
                    w.cancel()

    # -- briefs -----------------------------------------------------------------------

    async def brief(self, arrived: ArrivedArticle) -> briefs.Brief:
        return await briefs.article_brief(self.desk, arrived)

    async def arrived(
        self,
        since: str | float | None = None,
        *,
        feed_id: int | None = None,
        guild_id: int | None = None,
        every: bool = False,
    ) -> list[ArrivedArticle]:
        start = since if isinstance(since, float) else parse_since(since)
        if feed_id is not None:
            await self.get(feed_id, guild_id, every=every)
        return await self.store.arrived(
            since=start, feed_id=feed_id, guild_id=guild_id, every=every
        )

    async def briefs(
        self, since: str | None = None, *, guild_id: int | None = None, every: bool = False
    ) -> list[briefs.Brief]:
        """Every article that arrived through feeds since `since`, briefed, oldest first."""
        return [
            await self.brief(a) for a in await self.arrived(since, guild_id=guild_id, every=every)
        ]

    async def digest(
        self,
        since: str | None = None,
        *,
        feed_id: int | None = None,
        guild_id: int | None = None,
        every: bool = False,
    ) -> briefs.Digest:
        start = parse_since(since)
        arrived = await self.arrived(start, feed_id=feed_id, guild_id=guild_id, every=every)
        return await briefs.digest(self.desk, arrived, start)

    async def speaker_chart(
        self, since: str | None = None, *, guild_id: int | None = None, every: bool = False
    ) -> bytes:
        """PNG bar chart of the most-quoted speakers among the period's arrivals."""
        start = parse_since(since)
        arrived = await self.arrived(start, guild_id=guild_id, every=every)
        speakers = await briefs.period_speakers(self.desk, arrived)
        day = datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%d %H:%M")
        title = f"Most-quoted speakers since {day} UTC ({len(arrived)} articles)"
        return await asyncio.to_thread(briefs.speaker_chart, speakers, title)
