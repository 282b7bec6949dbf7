"""Two processes with feeds on over one PostgreSQL store: one polls, the other skips its
round, so no feed is fetched and no item ingested twice."""

from __future__ import annotations

from pathlib import Path

from feedsite import FeedSite, feed_settings, publish, story

from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.store_factory import open_store


async def test_a_round_is_skipped_while_another_process_polls(
    tmp_path: Path, analyser: Analyser, site: FeedSite, pg_server
) -> None:
    url = await pg_server.fresh_database()
    settings = feed_settings(tmp_path, allow_private_urls=True, database=url)
    first = Newsdesk(settings, await open_store(url), analyser)
    second = Newsdesk(settings, await open_store(url), analyser)
    try:
        publish(site, "/rss", [story(0)])
        await first.feeds.add(site.url("/rss"))
        async with second.store.feed_round_lock() as mine:
            assert mine
            skipped = await first.feeds.poll(every=True)
            assert skipped.polls == [] and site.hits == []
        polled = await first.feeds.poll(every=True)  # the lock is free again
        assert len(polled.polls) == 1 and site.count("/rss", 200) == 1
        assert [a.title for a in polled.polls[0].added] == [story(0).title]
    finally:
        await first.close()
        await second.close()
