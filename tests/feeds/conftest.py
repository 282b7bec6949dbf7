"""A news site on 127.0.0.1 and a service allowed to reach it (ALLOW_PRIVATE_URLS)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from feedsite import FeedSite, feed_settings

from bot.feeds.params import FeedParams
from bot.feeds.service import FeedService
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.store_factory import open_store

# host_gap 0: the tests poll back to back; politeness has its own tests.
TEST_PARAMS = FeedParams(host_gap=0.0, max_failures=3)


@pytest.fixture
async def site() -> AsyncIterator[FeedSite]:
    s = await FeedSite().start()
    yield s
    await s.stop()


@pytest.fixture
async def desk(tmp_path: Path, analyser: Analyser, database: Path | str) -> AsyncIterator[Newsdesk]:
    settings = feed_settings(tmp_path, allow_private_urls=True, database=database)
    d = Newsdesk(settings, await open_store(settings.database), analyser)
    yield d
    await d.close()


@pytest.fixture
def feeds(desk: Newsdesk) -> FeedService:
    service = FeedService(desk, TEST_PARAMS)
    desk._feeds = service
    return service
