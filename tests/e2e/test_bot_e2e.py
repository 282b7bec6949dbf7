"""End to end: the real bot over the fake Discord — sync, every command, autocomplete, a page
button, hostile inputs, and the 3-second first-response deadline."""

from __future__ import annotations

import asyncio
import shutil
from typing import Any

import pytest
from fakediscord import FakeDiscord
from fakediscord.validate import validate_command_payloads
from support import GUM_DIR

pytestmark = pytest.mark.slow  # the whole bot over the fake gateway, ingests and models

TIMEOUT = 60.0  # generous for followups: a first summary may load a model
DEADLINE = 3.0  # Discord's: the first callback must come within 3 s
Running = Any  # tests/e2e/conftest.py's Running: the fake and the corpus folder

COMMANDS: list[tuple[str, dict[str, object]]] = [
    ("articles", {}),
    ("articles", {"query": "robot"}),
    ("article", {"article": "markets"}),
    ("entity", {"name": "yau"}),
    ("entities", {}),
    ("entities", {"article": "markets"}),
    ("quotes", {"speaker": "yau"}),
    ("quotes", {"text": "pleased", "kind": "direct"}),
    ("speakers", {}),
    ("summary", {"article": "robotics", "length": "short"}),
    ("ask", {"question": "Who is the chief economist at Example Bank?"}),
    ("corpus reload", {}),
    ("corpus add url", {"url": "http://127.0.0.1:1/admin"}),  # refused: not public
    ("corpus remove", {"article": "election"}),
    ("sync", {}),
]
PRIVATE = {"corpus reload", "corpus add url", "corpus remove", "sync"}  # answered ephemerally
EXPECTED = {
    "article",
    "articles",
    "entity",
    "entities",
    "quotes",
    "speakers",
    "summary",
    "ask",
    "corpus",
    "feed",
    "brief",
    "sync",
    "status",
    "help",
}

HOSTILE = [
    "",
    "x" * 5000,
    '"unclosed OR title:* NEAR(a b) AND -x ^ {col}:',
    "'; DROP TABLE articles; --",
    "@everyone @here <@1> <@&2> <#3>",
    "😀🔥🇺🇦 emoji 👩‍👩‍👧",
    "مرحبا بالعالم שלום עולם \u202eevil",
    "nul\x00byte\x00",
]
STRING_OPTIONS = [
    ("articles", "query"),
    ("article", "article"),
    ("entity", "name"),
    ("entities", "article"),
    ("quotes", "speaker"),
    ("quotes", "article"),
    ("quotes", "text"),
    ("summary", "article"),
    ("ask", "question"),
    ("ask", "article"),
    ("corpus add url", "url"),
]


def message_bodies(fake: FakeDiscord) -> list[dict[str, Any]]:
    """Every message body the bot sent (callbacks, followups, edits, channel messages)."""
    bodies = []
    for r in fake.requests:
        body = r.body if isinstance(r.body, dict) else None
        if body is None or r.method not in ("POST", "PATCH"):
            continue
        data = body.get("data") if r.path.endswith("/callback") else body
        if isinstance(data, dict) and ("content" in data or "embeds" in data):
            bodies.append(data)
    return bodies


def assert_clean(fake: FakeDiscord) -> tuple[str, float]:
    """No protocol errors, no limit violations, no pings; returns the slowest first callback."""
    assert fake.errors == [], fake.errors
    assert fake.violations == [], fake.violations
    assert fake.unknown_routes == [], fake.unknown_routes
    assert fake.commands.violations == []
    for body in message_bodies(fake):
        assert body.get("allowed_mentions") == {"parse": []}, body
    untimed = [h.name for h in fake.handles if h.first_response_time is None]
    assert untimed == [], f"never answered: {untimed}"
    slowest = fake.slowest()
    assert slowest is not None and slowest[1] < DEADLINE, fake.response_times()
    print(f"\nslowest first callback: /{slowest[0]} in {slowest[1] * 1000:.0f} ms")
    return slowest


def loaded(running: Running) -> set[str]:
    return {c["name"] for c in running.fake.commands.in_scope(running.fake.world.guild_id)}


async def test_synced_commands_follow_discords_rules(running: Running) -> None:
    fake = running.fake
    synced = fake.commands.in_scope(fake.world.guild_id)
    assert validate_command_payloads(synced) == [] and fake.commands.violations == []
    names = {c["name"] for c in synced}
    assert names == EXPECTED
    for command in synced:
        for option in command.get("options") or []:
            assert 1 <= len(option["description"]) <= 100
    identify = fake.gateway.sessions[fake.gateway.current.session_id].identify
    assert identify["intents"] & (1 << 1 | 1 << 8 | 1 << 15) == 0  # no privileged intents


async def test_every_command_defers_then_follows_up(running: Running) -> None:
    fake = running.fake
    available = loaded(running)
    for name, options in COMMANDS:
        if name.split()[0] not in available:
            continue
        handle = await fake.invoke_command(name, options)
        first = await handle.callback(timeout=DEADLINE)
        assert first.type == 5, (name, first)
        followup = await handle.followup(timeout=TIMEOUT)
        assert followup["embeds"] or followup["content"], name
        if name in PRIVATE:
            assert followup["flags"] & 64, name
        else:
            assert not followup["flags"] & 64, (name, followup["content"])  # a real answer
    assert_clean(fake)


async def test_answers_read_well(running: Running) -> None:
    fake = running.fake
    handle = await fake.invoke_command("quotes", {"speaker": "Jane Doe"})
    [embed] = (await handle.followup(timeout=TIMEOUT))["embeds"]
    assert embed["title"] == "Quotes from Jane Doe"
    assert "> “We are pleased with the numbers,”" in embed["description"]
    assert "— **Jane Doe**, chief economist at Example Bank" in embed["description"]
    assert (
        "[Markets rally as @everyone cheers](https://news.example/markets/rally)"
        in (embed["description"])
    )
    assert_clean(fake)


async def test_autocomplete_is_answered_from_the_cache(running: Running) -> None:
    fake = running.fake
    available = loaded(running)
    cases = [
        ("quotes", "speaker", "ya", "Niva Yau"),
        ("entity", "name", "xi", "Xi Jinping"),
        ("article", "article", "robot", None),
        ("summary", "article", "", None),
        ("corpus remove", "article", "mark", None),
    ]
    for command, option, typed, expected in cases:
        if command.split()[0] not in available:
            continue
        handle = await fake.autocomplete(command, {option: typed}, focused=option)
        result = await handle.callback(timeout=DEADLINE)
        assert result.type == 8
        choices = result.data["choices"]
        assert 0 < len(choices) <= 25, (command, option)
        if expected:
            assert expected in [c["value"] for c in choices]
    assert_clean(fake)


async def test_a_page_button_turns_the_page(running: Running) -> None:
    fake = running.fake
    handle = await fake.invoke_command("entities")
    message = await handle.followup(timeout=TIMEOUT)
    assert message["embeds"][0]["footer"]["text"].split(" · ")[1].startswith("page 1/")
    click = await fake.click(message["id"], "pages:next")
    update = await click.callback(timeout=DEADLINE)
    assert update.type == 7
    assert "page 2/" in update.data["embeds"][0]["footer"]["text"]
    stranger = fake.world.add_user("stranger")
    refused = await (await fake.click(message["id"], "pages:last", user=stranger)).callback()
    assert refused.type == 4 and refused.data["flags"] & 64
    assert_clean(fake)


@pytest.mark.parametrize("value", HOSTILE, ids=lambda v: repr(v[:12]))
async def test_hostile_inputs_are_answered_without_a_crash_or_a_ping(
    running: Running, value: str
) -> None:
    fake = running.fake
    available = loaded(running)
    handles = []
    for command, option in STRING_OPTIONS:
        if command.split()[0] not in available:
            continue
        options = {"question": "Who won?"} if command == "ask" else {}
        handle = await fake.invoke_command(command, options | {option: value})
        await handle.callback(timeout=DEADLINE)
        await handle.reply(timeout=TIMEOUT)
        handles.append(handle)
        if option in ("article", "name", "speaker"):  # the autocompleted ones
            typed = await fake.autocomplete(command, options | {option: value}, focused=option)
            assert (await typed.callback(timeout=DEADLINE)).type == 8
    for handle in handles:
        shown = handle.followups[-1] if handle.followups else handle.callbacks[-1].data
        text = shown.get("content") or ""
        assert "Something went wrong" not in text, (handle.name, text)
    assert_clean(fake)


async def test_a_file_dropped_in_is_answered_within_seconds(running: Running) -> None:
    fake = running.fake
    await asyncio.sleep(1.0)  # the startup ingest finishes and the watcher starts
    shutil.copy(GUM_DIR / "asylum.txt", running.corpus / "asylum.txt")
    deadline = asyncio.get_running_loop().time() + 30
    while True:
        handle = await fake.autocomplete("article", {"article": "asylum"}, focused="article")
        choices = (await handle.callback(timeout=DEADLINE)).data["choices"]
        if choices:
            break
        assert asyncio.get_running_loop().time() < deadline, "the new file never showed up"
        await asyncio.sleep(0.5)
    assert_clean(fake)


async def test_a_first_start_answers_at_once_and_says_it_is_loading(cold_running: Running) -> None:
    fake = cold_running.fake
    handle = await fake.invoke_command("articles")
    assert (await handle.callback(timeout=DEADLINE)).type == 5
    first = (await handle.followup(timeout=TIMEOUT))["embeds"][0]
    assert "The corpus is still loading" in first["footer"]["text"]
    deadline = asyncio.get_running_loop().time() + 60
    while True:  # the background ingest completes; answers stop saying so
        handle = await fake.invoke_command("articles")
        await handle.callback(timeout=DEADLINE)
        embed = (await handle.followup(timeout=TIMEOUT))["embeds"][0]
        if "still loading" not in embed["footer"]["text"]:
            break
        assert asyncio.get_running_loop().time() < deadline, "the corpus never finished loading"
        await asyncio.sleep(0.5)
    assert embed["footer"]["text"] == "4 article(s)"
    assert_clean(fake)


async def test_the_bot_opens_and_closes_its_own_service(
    fake_discord: FakeDiscord, e2e_corpus, tmp_path, analyser
) -> None:
    """Without a service handed in, setup_hook opens one and close() closes it."""
    from fakediscord import running_bot

    from bot.discord_bot import NewsdeskBot
    from bot.settings import Settings

    shutil.copytree(e2e_corpus / "corpus", tmp_path / "corpus")
    for db in e2e_corpus.glob("db.sqlite3*"):
        shutil.copy(db, tmp_path / db.name.replace("db.", "own."))

    settings = Settings(
        _env_file=None, corpus_dir=tmp_path / "corpus", database=tmp_path / "own.sqlite3"
    )
    bot = NewsdeskBot(
        settings,
        analyser=analyser,
        sync_on_start=True,
        sync_guild=int(fake_discord.world.guild_id),
    )
    async with running_bot(bot, timeout=30):
        assert bot.desk is not None
        handle = await fake_discord.invoke_command("articles")
        assert (await handle.callback(timeout=DEADLINE)).type == 5
        await handle.followup(timeout=TIMEOUT)
    assert bot.desk is None  # closed with the bot
    assert_clean(fake_discord)
