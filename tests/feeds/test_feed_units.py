"""The pure parts: backoff with jitter, Retry-After, the per-host gate, feed parsing,
ordering, keyword matching and periods."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from feedsite import atom, rss, story

from bot.errors import UserError
from bot.feeds.http import retry_after_seconds
from bot.feeds.params import FeedParams
from bot.feeds.parse import NotAFeed, oldest_first, parse_feed
from bot.feeds.politeness import HostGate, backoff, next_poll_after_failure
from bot.feeds.poller import matches_keywords
from bot.feeds.service import clean_keywords, parse_since

PARAMS = FeedParams()


def test_backoff_doubles_is_capped_and_jittered_within_bounds() -> None:
    rng = random.Random(1)
    for failures in range(1, 12):
        base = min(PARAMS.backoff_max, PARAMS.backoff_base * 2 ** (failures - 1))
        values = {backoff(failures, PARAMS, rng) for _ in range(50)}
        assert all(base * 0.75 <= v <= base * 1.25 for v in values)
        assert len(values) > 1  # jittered: feeds that failed together don't retry together


def test_retry_after_wins_when_longer_and_is_capped() -> None:
    assert next_poll_after_failure(1, 7200, 900, PARAMS) >= 7200
    assert next_poll_after_failure(1, 10**9, 900, PARAMS) == PARAMS.retry_after_max
    assert next_poll_after_failure(1, None, 900, PARAMS) >= PARAMS.backoff_base * 0.75


def test_retry_after_header_forms() -> None:
    assert retry_after_seconds("120") == 120
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    later = format_datetime(now + timedelta(minutes=5), usegmt=True)
    assert retry_after_seconds(later, now.timestamp()) == pytest.approx(300)
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


async def test_one_request_at_a_time_per_host_but_hosts_in_parallel() -> None:
    gate = HostGate(gap=0.0)
    inside: list[str] = []
    overlap: list[tuple[str, str]] = []
    release = asyncio.Event()

    async def visit(url: str, name: str) -> None:
        async with gate.host(url):
            if inside:
                overlap.append((inside[-1], name))
            inside.append(name)
            await release.wait()
            inside.remove(name)

    tasks = [
        asyncio.create_task(visit("http://a.example/feed", "a1")),
        asyncio.create_task(visit("http://A.example/other", "a2")),
        asyncio.create_task(visit("http://b.example/feed", "b1")),
    ]
    for _ in range(20):
        await asyncio.sleep(0)
    assert sorted(inside) == ["a1", "b1"]  # a2 waits for a1; b1 runs alongside
    release.set()
    await asyncio.wait_for(asyncio.gather(*tasks), 5)
    assert ("a1", "a2") not in overlap and ("a2", "a1") not in overlap


def test_a_held_host_reports_how_long() -> None:
    gate = HostGate(gap=0.0)
    gate.hold("http://slow.example/rss", 600)
    assert 590 < gate.held_for("http://slow.example/x") <= 600
    assert gate.held_for("http://other.example/") == 0


def test_rss_and_atom_parse_to_the_same_items() -> None:
    stories = [story(0), story(1)]
    from_rss = parse_feed(rss("T", "http://x", stories).encode(), "http://x/rss")
    from_atom = parse_feed(atom("T", "http://x", stories).encode(), "http://x/atom")
    assert [i.link for i in from_rss.items] == [i.link for i in from_atom.items]
    assert [i.title for i in from_rss.items] == [s.title for s in stories]
    assert from_rss.items[0].published == "2026-11-30T08:00:00Z"
    assert from_rss.items[0].key.guid == "http://x/news/story-0"


def test_items_without_guid_or_link_still_have_a_content_key() -> None:
    doc = (
        '<rss version="2.0"><channel><title>T</title><item><title>A</title>'
        "<description>&lt;p&gt;Some &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</description></item>"
        "</channel></rss>"
    )
    (item,) = parse_feed(doc.encode(), "http://x/").items
    assert item.key.guid is None and item.link is None and item.key.content_hash
    assert item.summary == "Some text"


@pytest.mark.parametrize(
    "body", [b"", b"<html><body>hello</body></html>", b"\x00\x01binary", b"<rss><channel"]
)
def test_malformed_documents_are_refused(body: bytes) -> None:
    with pytest.raises(NotAFeed):
        parse_feed(body, "http://x/")


def test_oldest_first_by_date_else_document_order_reversed() -> None:
    stories = [story(2), story(0), story(1)]
    items = parse_feed(rss("T", "http://x", stories).encode(), "http://x").items
    assert [i.title for i in oldest_first(items)] == [story(n).title for n in range(3)]
    undated = [s.__class__(s.slug, s.title, s.paragraphs, s.summary) for s in stories]
    items = parse_feed(rss("T", "http://x", undated).encode(), "http://x").items
    assert [i.title for i in oldest_first(items)] == [s.title for s in reversed(undated)]


def test_keywords_match_words_and_phrases_in_any_case() -> None:
    record = {"title": "Council backs the NEW bridge", "text": "Flood-defences next."}
    assert matches_keywords([], record)
    assert matches_keywords(["new bridge"], record)
    assert matches_keywords(["flood defences"], record)
    assert not matches_keywords(["bridges", "ferry"], record)
    assert clean_keywords(" bridge ,, ferry fares ", 5) == ["bridge", "ferry fares"]
    with pytest.raises(UserError):
        clean_keywords(",".join("abcdefghijkl"), 10)


def test_periods() -> None:
    now = datetime(2026, 12, 1, 12, tzinfo=UTC).timestamp()
    assert parse_since("6h", now) == now - 6 * 3600
    assert parse_since(None, now) == now - 86400
    assert parse_since("2026-12-01", now) == datetime(2026, 12, 1, tzinfo=UTC).timestamp()
    assert parse_since("2026-12-01T08:00:00+01:00", now) == now - 5 * 3600
    with pytest.raises(UserError):
        parse_since("last tuesday", now)
