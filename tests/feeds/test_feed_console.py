"""/feed in the console: the CLI's feed commands typed at the prompt."""

from __future__ import annotations

import io

from feedsite import FeedSite, publish, story

from bot.console import Console
from bot.feeds.service import FeedService
from bot.service import Newsdesk


async def test_feed_add_poll_list_pause_remove(
    feeds: FeedService, site: FeedSite, desk: Newsdesk
) -> None:
    publish(site, "/rss", [story(n) for n in range(2)])
    console = Console(desk, io.StringIO())
    for line in (
        f"/feed add {site.url('/rss')}",
        "/feed poll",
        "/feed list",
        "/feed pause 1",
        "/feed remove 1",
        "/feed sideways",
    ):
        await console.run_line(line)
    text = console.out.getvalue()
    assert f"feed #1 added: {site.url('/rss')}" in text
    assert "1 added" in text  # the first poll takes only the newest item
    assert "feed #1 paused" in text and "feed #1 removed" in text
    assert "! Use /feed add URL" in text
