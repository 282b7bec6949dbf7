"""End to end over the fake Discord: /feed add, the background poll, one brief posted to
the subscribed channel within Discord's limits and without pings; /feed pause resumes a
feed, /brief digests what arrived, /speakers chart attaches a PNG."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from fakediscord import FakeDiscord
from feedsite import FeedSite, publish, story

from bot.nlp.pipeline import Analyser
from tests.e2e.conftest import bot_process
from tests.e2e.test_bot_e2e import assert_clean

TIMEOUT = 90.0  # a poll, a page fetch and an ingest with the real models


async def channel_messages(fake: FakeDiscord, count: int, timeout: float = TIMEOUT) -> list:
    """Wait (bounded) until the bot has posted `count` channel messages."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while len(fake.channel_messages) < count:
        if loop.time() > deadline:
            raise TimeoutError(f"{len(fake.channel_messages)} of {count} channel messages")
        await asyncio.sleep(0.2)
    return fake.channel_messages


def embed_of(message: dict[str, Any]) -> dict[str, Any]:
    (embed,) = message["embeds"]
    return embed


async def test_subscribe_poll_and_brief_in_the_channel(
    fake_discord: FakeDiscord,
    e2e_corpus: Path,
    tmp_path: Path,
    analyser: Analyser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = await FeedSite().start()
    try:
        publish(site, "/rss", [story(0), story(1)])
        monkeypatch.setenv("ALLOW_PRIVATE_URLS", "1")  # the one switch that allows 127.0.0.1
        shutil.copytree(e2e_corpus / "corpus", tmp_path / "corpus")
        for db in e2e_corpus.glob("db.sqlite3*"):
            shutil.copy(db, tmp_path / db.name)
        async with bot_process(fake_discord, tmp_path, analyser, monkeypatch):
            fake = fake_discord
            handle = await fake.invoke_command("feed add", {"url": site.url("/rss")})
            reply = await handle.reply(TIMEOUT)
            assert embed_of(reply)["title"] == "Feed added"

            (posted,) = await channel_messages(fake, 1)
            assert posted["channel_id"] == fake.world.channel["id"]
            brief = embed_of(posted)
            assert brief["title"] == story(1).title  # the newest only: no flood
            assert brief["url"] == site.url("/news/story-1")
            assert brief["author"]["name"] == "Harbour Times"
            assert "2026-11-30" in brief["footer"]["text"]
            fields = {f["name"]: f["value"] for f in brief["fields"]}
            assert "Daniel Okafor" in fields["Who said what"]  # story 1's first speaker
            assert "Daniel Okafor" in fields["People"]

            publish(site, "/rss", [story(0), story(1), story(2)])
            handle = await fake.invoke_command("feed pause", {"feed": 1, "paused": False})
            await handle.reply(TIMEOUT)  # resuming polls again now
            messages = await channel_messages(fake, 2)
            assert embed_of(messages[1])["title"] == story(2).title
            await asyncio.sleep(1.0)
            assert len(fake.channel_messages) == 2  # exactly one more

            handle = await fake.invoke_command("brief", {})
            digest = embed_of(await handle.reply(TIMEOUT))
            assert story(1).title in digest["description"]
            assert story(2).title in digest["description"]

            handle = await fake.invoke_command("speakers", {"chart": True})
            chart = await handle.reply(TIMEOUT)
            assert [a["filename"] for a in chart["attachments"]] == ["chart.png"]

            handle = await fake.invoke_command("feed list", {})
            listing = embed_of(await handle.reply(TIMEOUT))
            assert "Harbour Times" in listing["description"]
            assert_clean(fake)
    finally:
        await site.stop()
