"""Polling against a local news site: first poll, ETag/304, new items, duplicates across
feeds, failures and recovery, redirects, malformed feeds, gone pages, caps, keywords."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from feedsite import HTML, FeedSite, feed_settings, publish, story

from bot.feeds.params import FeedParams
from bot.feeds.service import FeedService
from bot.fetch import BlockedAddress
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.store_factory import open_store


async def test_loopback_needs_the_explicit_setting(
    tmp_path: Path, analyser: Analyser, site: FeedSite
) -> None:
    settings = feed_settings(tmp_path)  # ALLOW_PRIVATE_URLS off, the default
    assert settings.allow_private_urls is False
    desk = Newsdesk(settings, await open_store(settings.database), analyser)
    try:
        with pytest.raises(BlockedAddress):
            await desk.feeds.add(site.url("/rss"))
        # A name that resolves to loopback is refused when polled, before any request.
        publish(site, "/rss", [story(0)])
        feed = await desk.feeds.add(f"http://localhost:{site.port}/rss")
        report = await desk.feeds.poll(every=True)
        assert report.polls[0].error and "isn't public" in report.polls[0].error
        assert site.hits == [] and feed.id
    finally:
        await desk.close()


async def test_first_poll_posts_only_the_newest_then_304_then_exactly_one(
    feeds: FeedService, site: FeedSite, desk: Newsdesk
) -> None:
    stories = [story(n) for n in range(3)]
    publish(site, "/rss", stories)
    feed = await feeds.add(site.url("/rss"), guild_id=1, channel_id=10)

    first = await feeds.poll(every=True)
    (poll,) = first.polls
    assert [a.title for a in poll.added] == [stories[2].title] and poll.recorded == 2
    assert poll.added[0].source.startswith("servers/1/feeds/")  # server 1's own corpus
    assert [a.article.title for a in first.to_post] == [stories[2].title]
    assert first.to_post[0].channel_id == 10

    second = await feeds.poll(every=True)
    assert second.polls[0].not_modified and second.polls[0].added == []
    assert site.count("/rss", 304) == 1
    assert site.hits[-1].headers.get("If-None-Match")

    stories.append(story(3))
    publish(site, "/rss", stories)
    third = await feeds.poll(every=True)
    assert [a.title for a in third.polls[0].added] == [stories[3].title]
    assert third.polls[0].duplicates == 3

    brief = await feeds.brief(third.to_post[0])
    assert brief.title == stories[3].title and brief.url == site.url("/news/story-3")
    assert brief.source == "Harbour Times" and brief.date == "2026-11-30T11:00:00Z"
    assert brief.summary and not brief.summary_only
    speakers = {q.speaker for q in brief.quotes}
    assert speakers == {"Tomas Reyes", "Maria Lopez"}
    assert all(len(s.split()) >= 2 for s in speakers)
    assert {"Tomas Reyes", "Maria Lopez"} <= set(brief.people)
    listed = await feeds.list(1)
    assert listed[0].title == "Harbour Times" and listed[0].id == feed.id


async def test_the_article_keeps_the_feeds_metadata_and_survives_a_restart(
    feeds: FeedService, site: FeedSite, desk: Newsdesk, analyser: Analyser
) -> None:
    publish(site, "/rss", [story(0)])
    await feeds.add(site.url("/rss"))
    report = await feeds.poll(every=True)
    source = report.polls[0].added[0].source
    assert source.startswith("feeds/")  # a feed of no server: the shared corpus
    record = json.loads((desk.corpus_dir / source).read_text())
    assert record["feed"]["title"] == "Harbour Times" and record["feed"]["url"] == site.url("/rss")
    assert record["url"] == site.url("/news/story-0") and record["date"].startswith("2026-11-30")
    assert "summary_only" not in record

    reopened = Newsdesk(desk.settings, await open_store(desk.settings.database), analyser)
    try:
        report = await reopened.ingest()
        assert report.removed == 0 and report.analysed == 0
        assert [a.article.source for a in await reopened.feeds.arrived(every=True)] == [source]
        (desk.corpus_dir / source).unlink()  # removable like any file of the corpus
        assert (await reopened.ingest()).removed == 1
        assert await reopened.feeds.arrived(every=True) == []
    finally:
        await reopened.close()


async def test_atom_and_a_duplicate_across_two_feeds(feeds: FeedService, site: FeedSite) -> None:
    publish(site, "/rss", [story(0)])
    publish(site, "/atom", [story(0), story(1)], kind="atom")
    await feeds.add(site.url("/rss"), guild_id=5)
    first = await feeds.poll(every=True)
    assert [a.title for a in first.polls[0].added] == [story(0).title]
    await feeds.add(site.url("/atom"), guild_id=5)
    report = await feeds.poll(every=True)
    atom_poll = next(p for p in report.polls if p.feed.url.endswith("/atom"))
    # The Atom entry with the RSS item's link is a duplicate; its newest one is new.
    assert [a.title for a in atom_poll.added] == [story(1).title]
    assert atom_poll.duplicates == 1
    publish(site, "/atom", [story(0), story(1), story(2)], kind="atom")
    publish(site, "/rss", [story(0), story(2)])
    again = await feeds.poll(every=True)  # both feeds at once
    added = [a.title for p in again.polls for a in p.added]
    assert added == [story(2).title]  # once, though both feeds carry it
    assert sum(p.duplicates for p in again.polls) == 4
    # Another server following the same feed gets the item for itself.
    await feeds.add(site.url("/rss"), guild_id=6)
    other = await feeds.poll(every=True)
    assert [a.title for p in other.polls for a in p.added] == [story(2).title]


async def test_a_500_then_recovery_with_backoff(feeds: FeedService, site: FeedSite) -> None:
    publish(site, "/rss", [story(0)])
    feed = await feeds.add(site.url("/rss"))
    site.fail("/rss", 500)
    before = time.time()
    report = await feeds.poll(every=True)
    assert "HTTP 500" in (report.polls[0].error or "")
    failed = await feeds.get(feed.id)
    assert failed.failures == 1 and failed.next_poll_at > before + 30  # backed off
    assert (await feeds.poll()).polls == []  # not due yet
    recovered = await feeds.poll(every=True)
    assert recovered.polls[0].error is None and len(recovered.polls[0].added) == 1
    assert (await feeds.get(feed.id)).failures == 0


async def test_retry_after_is_honoured(feeds: FeedService, site: FeedSite) -> None:
    publish(site, "/rss", [story(0)])
    feed = await feeds.add(site.url("/rss"))
    site.fail("/rss", 503, **{"Retry-After": "7200"})
    before = time.time()
    await feeds.poll(every=True)
    assert (await feeds.get(feed.id)).next_poll_at >= before + 7200
    held = await feeds.poll(every=True)  # even when forced, the host is left alone
    assert held.polls[0].skipped and site.count("/rss") == 1


async def test_a_redirect_is_followed(feeds: FeedService, site: FeedSite) -> None:
    publish(site, "/rss", [story(0)])
    site.redirects["/old-feed"] = "/rss"
    await feeds.add(site.url("/old-feed"))
    report = await feeds.poll(every=True)
    assert len(report.polls[0].added) == 1 and site.count("/old-feed", 301) == 1


async def test_a_malformed_feed_fails_then_pauses_with_a_notice(
    feeds: FeedService, site: FeedSite
) -> None:
    site.put("/broken", "<html><body>not <b>a feed", HTML)
    feed = await feeds.add(site.url("/broken"), guild_id=3, channel_id=30)
    for _ in range(feeds.params.max_failures):
        report = await feeds.poll(every=True)
        assert "isn't a readable RSS or Atom feed" in (report.polls[0].error or "")
    assert report.polls[0].paused
    (notice,) = report.notices
    assert notice.channel_id == 30 and "paused" in notice.text and f"#{feed.id}" in notice.text
    assert (await feeds.get(feed.id, 3)).paused
    assert (await feeds.poll(every=True)).polls == []  # paused feeds are left alone
    resumed = await feeds.pause(feed.id, False, 3)
    assert not resumed.paused and resumed.failures == 0


async def test_an_item_whose_page_is_gone_uses_the_feed_summary_marked(
    feeds: FeedService, site: FeedSite, desk: Newsdesk
) -> None:
    gone = story(0)
    publish(site, "/rss", [gone])
    del site.files[f"/{gone.slug}"]
    await feeds.add(site.url("/rss"), channel_id=1)
    report = await feeds.poll(every=True)
    (added,) = report.polls[0].added
    assert added.fallback
    record = json.loads((desk.corpus_dir / added.source).read_text())
    assert record["summary_only"] is True and record["text"] == gone.summary
    brief = await feeds.brief(report.to_post[0])
    assert brief.summary_only


async def test_at_most_n_per_poll_oldest_first_and_keywords_filter_posting(
    tmp_path: Path, desk: Newsdesk, site: FeedSite
) -> None:
    feeds = FeedService(desk, FeedParams(host_gap=0.0, max_posts_per_poll=2))
    publish(site, "/rss", [story(0)])
    await feeds.add(site.url("/rss"), channel_id=7, keywords="bridge, flood defences")
    await feeds.poll(every=True)  # primes: story 0
    publish(site, "/rss", [story(n) for n in range(5)])
    first = await feeds.poll(every=True)
    assert [a.title for a in first.polls[0].added] == [story(1).title, story(2).title]
    assert first.polls[0].waiting == 2
    second = await feeds.poll(every=True)
    titles = [a.title for a in second.polls[0].added]
    assert titles == [story(3).title, story(4).title]
    # story 3 is about "the new bridge", story 4 about "flood defences"; 1 and 2 are not.
    assert [a.article.title for a in second.to_post] == titles
    assert first.to_post == []
