"""The feed tables' queries (schema: migration 10 in bot/store/schema.py), over the corpus
store's own connection so one transaction can span both."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from bot.errors import NotFound, UserError
from bot.store import ArticleRow, Store
from bot.store.articles import ARTICLE_COLUMNS
from bot.store.rows import pick

_FEED_COLS = (
    "id, guild_id, channel_id, url, title, keywords, interval_s, paused, pause_reason, "
    "etag, last_modified, failures, last_error, primed, next_poll_at, last_polled_at"
)


@dataclass(slots=True)
class Feed:
    id: int
    guild_id: int | None
    channel_id: int | None
    url: str
    title: str | None
    keywords: list[str]
    interval: float
    paused: bool
    pause_reason: str | None
    etag: str | None
    last_modified: str | None
    failures: int
    last_error: str | None
    primed: bool
    next_poll_at: float
    last_polled_at: float | None

    @property
    def name(self) -> str:
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class ItemKey:
    """What identifies an item, strongest first: GUID, link, content hash."""

    guid: str | None
    link: str | None
    content_hash: str


@dataclass(slots=True)
class ArrivedArticle:
    """A saved feed item and the article the corpus made of it."""

    item_id: int
    feed_id: int
    feed_title: str | None
    feed_url: str
    channel_id: int | None
    status: str
    fallback: bool
    seen_at: float
    article: ArticleRow
    extra: dict[str, Any] = field(default_factory=dict)


def _feed(
    *,
    keywords: str | None,
    interval_s: float,
    paused: int,
    failures: int,
    primed: int,
    next_poll_at: float,
    **columns: Any,
) -> Feed:
    """A feed from its row's named columns (the rest are Feed's fields as they are)."""
    return Feed(
        keywords=json.loads(keywords or "[]"),
        interval=float(interval_s),
        paused=bool(paused),
        failures=int(failures),
        primed=bool(primed),
        next_poll_at=float(next_poll_at),
        **columns,
    )


def _arrived(
    *,
    item_id: int,
    feed_id: int,
    feed_title: str | None,
    feed_url: str,
    channel_id: int | None,
    status: str,
    fallback: int,
    seen_at: float,
    **article: Any,
) -> ArrivedArticle:
    return ArrivedArticle(
        item_id,
        feed_id,
        feed_title,
        feed_url,
        channel_id,
        status,
        bool(fallback),
        seen_at,
        article=pick(ArticleRow, article),
    )


class FeedStore:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        return await self.store._one(sql, params)

    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One statement, atomic on its own (autocommit). Not `Store.transaction()`: a
        second BEGIN on the shared connection while an ingest holds one would fail."""
        async with self.store._db.execute(sql, params) as cur:
            return int(cur.lastrowid if sql.lstrip().startswith("INSERT") else cur.rowcount)

    def round_lock(self) -> AbstractAsyncContextManager[bool]:
        """Whether this process may poll now (the corpus store's lock: one poller for a
        store that several processes share)."""
        return self.store.feed_round_lock()

    # -- subscriptions ----------------------------------------------------------------

    async def add_feed(
        self,
        url: str,
        *,
        guild_id: int | None,
        channel_id: int | None,
        keywords: list[str],
        interval: float,
    ) -> Feed:
        try:
            feed_id = await self._write(
                "INSERT INTO feeds (guild_id, channel_id, url, keywords, interval_s) "
                "VALUES (?, ?, ?, ?, ?)",
                (guild_id, channel_id, url, json.dumps(keywords), interval),
            )
        except sqlite3.IntegrityError:
            raise UserError("That feed is already subscribed in this channel.") from None
        feed = await self.get_feed(feed_id)
        assert feed is not None
        return feed

    async def get_feed(self, feed_id: int, guild_id: int | None = None) -> Feed | None:
        """A feed by id; with `guild_id`, only that server's (no peeking at another's)."""
        feed = await self.store._record(
            _feed, f"SELECT {_FEED_COLS} FROM feeds WHERE id = ?", (feed_id,)
        )
        if feed is None or (guild_id is not None and feed.guild_id != guild_id):
            return None
        return feed

    async def list_feeds(self, guild_id: int | None = None, *, every: bool = False) -> list[Feed]:
        """One server's feeds (None: the shared ones), or `every` feed."""
        if every:
            return await self.store._records(_feed, f"SELECT {_FEED_COLS} FROM feeds ORDER BY id")
        return await self.store._records(
            _feed, f"SELECT {_FEED_COLS} FROM feeds WHERE guild_id IS ? ORDER BY id", (guild_id,)
        )

    async def remove_feed(self, feed_id: int) -> None:
        if not await self._write("DELETE FROM feeds WHERE id = ?", (feed_id,)):
            raise NotFound(f"No feed #{feed_id}.")

    async def set_paused(self, feed_id: int, paused: bool, reason: str | None = None) -> None:
        """Pause (with the reason) or resume; resuming forgets the failures, polls soon."""
        if paused:
            sql, params = (
                "UPDATE feeds SET paused = 1, pause_reason = ? WHERE id = ?",
                (
                    reason,
                    feed_id,
                ),
            )
        else:
            sql = (
                "UPDATE feeds SET paused = 0, pause_reason = NULL, failures = 0, "
                "next_poll_at = 0 WHERE id = ?"
            )
            params = (feed_id,)
        await self._write(sql, params)

    async def next_due_at(self) -> float | None:
        row = await self._one("SELECT min(next_poll_at) FROM feeds WHERE paused = 0")
        return None if row is None or row[0] is None else float(row[0])

    async def record_success(
        self,
        feed_id: int,
        *,
        next_at: float,
        etag: str | None,
        last_modified: str | None,
        title: str | None,
    ) -> None:
        await self._write(
            "UPDATE feeds SET failures = 0, last_error = NULL, next_poll_at = ?, "
            "last_polled_at = ?, etag = ?, last_modified = ?, title = ifnull(?, title) "
            "WHERE id = ?",
            (next_at, time.time(), etag, last_modified, title, feed_id),
        )

    async def mark_primed(self, feed_id: int) -> None:
        await self._write("UPDATE feeds SET primed = 1 WHERE id = ?", (feed_id,))

    async def record_failure(self, feed_id: int, error: str, *, next_at: float) -> int:
        """One more consecutive failure; returns how many there have been."""
        await self._write(
            "UPDATE feeds SET failures = failures + 1, last_error = ?, next_poll_at = ?, "
            "last_polled_at = ? WHERE id = ?",
            (error[:300], next_at, time.time(), feed_id),
        )
        row = await self._one("SELECT failures FROM feeds WHERE id = ?", (feed_id,))
        return int(row[0]) if row else 0

    # -- items ------------------------------------------------------------------------

    async def known_item(self, guild_id: int | None, key: ItemKey) -> bool:
        """Seen before in any of this server's feeds: same GUID, else link, else content."""
        row = await self._one(
            "SELECT 1 FROM feed_items WHERE guild_id IS ? AND "
            "(guid = ? OR link = ? OR content_hash = ?) LIMIT 1",
            (guild_id, key.guid, key.link, key.content_hash),
        )
        return row is not None

    async def add_item(
        self,
        feed: Feed,
        key: ItemKey,
        *,
        title: str,
        published: str | None,
        status: str,
    ) -> int:
        return await self._write(
            "INSERT INTO feed_items (feed_id, guild_id, guid, link, content_hash, title, "
            "published, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                feed.id,
                feed.guild_id,
                key.guid,
                key.link,
                key.content_hash,
                title,
                published,
                status,
            ),
        )

    async def set_item(
        self,
        item_id: int,
        status: str,
        *,
        source: str | None = None,
        fallback: bool | None = None,
    ) -> None:
        posted = time.time() if status == "posted" else None
        await self._write(
            "UPDATE feed_items SET status = ?, source = ifnull(?, source), "
            "fallback = ifnull(?, fallback), posted_at = ifnull(?, posted_at) WHERE id = ?",
            (status, source, None if fallback is None else int(fallback), posted, item_id),
        )

    async def arrived(
        self,
        *,
        since: float = 0.0,
        feed_id: int | None = None,
        guild_id: int | None = None,
        every: bool = False,
        item_ids: Sequence[int] | None = None,
        limit: int = 500,
    ) -> list[ArrivedArticle]:
        """Saved feed items whose article is in the corpus, oldest first."""
        where = ["i.source IS NOT NULL", "i.seen_at >= ?"]
        params: list[Any] = [since]
        if feed_id is not None:
            where.append("i.feed_id = ?")
            params.append(feed_id)
        if not every:
            where.append("i.guild_id IS ?")
            params.append(guild_id)
        if item_ids is not None:
            where.append(f"i.id IN ({','.join('?' * len(item_ids)) or 'NULL'})")
            params.extend(item_ids)
        return await self.store._records(
            _arrived,
            "SELECT i.id AS item_id, i.feed_id, f.title AS feed_title, f.url AS feed_url,"
            f" f.channel_id, i.status, i.fallback, i.seen_at, {ARTICLE_COLUMNS}"
            " FROM feed_items i JOIN feeds f ON f.id = i.feed_id"
            f" JOIN articles a ON a.source = i.source WHERE {' AND '.join(where)}"
            " ORDER BY i.seen_at, i.id LIMIT ?",
            (*params, limit),
        )
