"""Behaviour of the fake beyond the smoke test: files, edits, guild sync, refusals, gateway."""

from __future__ import annotations

import asyncio
import io

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from .fixtures import fake_discord  # noqa: F401  (pytest fixture)
from .patching import discord_pointed_at
from .runner import running_bot
from .server import FakeDiscord

TIMEOUT = 10.0


def new_bot(**kwargs: object) -> commands.Bot:
    options: dict = {"intents": discord.Intents.default(), "guild_ready_timeout": 0.05}
    return commands.Bot(command_prefix=commands.when_mentioned, **(options | kwargs))


async def test_files_edits_and_ephemeral_defer(fake_discord: FakeDiscord) -> None:  # noqa: F811
    bot = new_bot()

    @bot.tree.command(description="Export the brief")
    async def export(interaction: discord.Interaction) -> None:
        brief = discord.File(io.BytesIO(b"hello"), filename="brief.txt")
        await interaction.response.send_message("here", file=brief)
        await interaction.edit_original_response(content="edited")

    @bot.tree.command(description="Quietly think")
    async def quiet(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("done", file=discord.File(io.BytesIO(b"x"), "x.txt"))
        await interaction.followup.send("second")

    async with running_bot(bot, timeout=TIMEOUT):
        await bot.tree.sync()
        handle = await fake_discord.invoke_command("export")
        sent = await handle.callback()
        assert sent.files[0]["filename"] == "brief.txt" and sent.files[0]["data"] == b"hello"
        assert sent.message is not None
        assert sent.message["attachments"][0]["filename"] == "brief.txt"
        assert (await handle.edit())["content"] == "edited"
        assert fake_discord.messages[sent.message["id"]]["content"] == "edited"

        quiet_handle = await fake_discord.invoke_command("quiet")
        deferred = await quiet_handle.callback()
        assert deferred.type == 5 and deferred.data == {"flags": 64}
        first, second = await quiet_handle.followup(0), await quiet_handle.followup(1)
        assert first["id"] == deferred.message["id"] and first["flags"] & 64
        assert first["attachments"][0]["filename"] == "x.txt"
        assert second["id"] != first["id"] and second["content"] == "second"
    assert fake_discord.unknown_routes == [] and fake_discord.errors == []


async def test_guild_sync_subcommands_and_dm(fake_discord: FakeDiscord) -> None:  # noqa: F811
    bot = new_bot()
    news = app_commands.Group(name="news", description="News commands")

    @news.command(description="Latest on a topic")
    async def latest(interaction: discord.Interaction, topic: str) -> None:
        where = "guild" if interaction.guild_id else "dm"
        await interaction.response.send_message(f"{where}:{topic}")

    bot.tree.add_command(news)
    guild = discord.Object(int(fake_discord.world.guild_id))
    async with running_bot(bot, timeout=TIMEOUT):
        bot.tree.copy_global_to(guild=guild)
        await bot.tree.sync(guild=guild)
        await bot.tree.sync()
        assert [c["name"] for c in fake_discord.commands.in_scope(fake_discord.world.guild_id)] == [
            "news"
        ]
        handle = await fake_discord.invoke_command("news latest", {"topic": "china"})
        assert handle.payload["data"]["guild_id"] == fake_discord.world.guild_id
        assert (await handle.callback()).data["content"] == "guild:china"
        dm = await fake_discord.invoke_command("news latest", {"topic": "x"}, guild=False)
        assert dm.payload["context"] == 1 and "member" not in dm.payload
        assert (await dm.callback()).data["content"] == "dm:x"
        with pytest.raises(ValueError, match="required"):
            await fake_discord.invoke_command("news latest", {})
        with pytest.raises(LookupError, match="not synced"):
            await fake_discord.invoke_command("nope")


async def test_refusals_are_recorded(fake_discord: FakeDiscord) -> None:  # noqa: F811
    bot = new_bot()

    @bot.tree.command(description="Too long an answer")
    async def shout(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("a" * 2001)

    @bot.tree.command(description="Answers after Discord's 3 s")
    async def slow(interaction: discord.Interaction) -> None:
        await asyncio.sleep(0.3)
        await interaction.response.send_message("late")

    @bot.tree.command(description="Too many suggestions")
    async def pick(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(name)

    @pick.autocomplete("name")
    async def pick_complete(_: discord.Interaction, current: str) -> list[app_commands.Choice]:
        return [app_commands.Choice(name=f"{current}{i}", value=str(i)) for i in range(30)]

    fake_discord.callback_deadline = 0.2
    async with running_bot(bot, timeout=TIMEOUT):
        await bot.tree.sync()
        shout_handle = await fake_discord.invoke_command("shout")
        slow_handle = await fake_discord.invoke_command("slow")
        pick_handle = await fake_discord.autocomplete("pick", {"name": "a"}, focused="name")
        await asyncio.sleep(0.6)
        assert not shout_handle.callbacks and not slow_handle.callbacks
        assert not pick_handle.callbacks
    assert any("content: 2001 characters" in v for v in fake_discord.violations)
    assert any("at most 25 choices" in v for v in fake_discord.violations)
    assert any("slow" in e and "10062" in e for e in fake_discord.errors)


async def test_double_callback_and_unknown_routes(fake_discord: FakeDiscord) -> None:  # noqa: F811
    bot = new_bot()

    @bot.tree.command(description="Ping")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("pong")

    async with running_bot(bot, timeout=TIMEOUT):
        await bot.tree.sync()
        handle = await fake_discord.invoke_command("ping")
        await handle.callback()
        url = f"{fake_discord.api_base}/interactions/{handle.id}/{handle.token}/callback"
        body = {"type": 4, "data": {"content": "x"}}
        async with aiohttp.ClientSession() as session, session.post(url, json=body) as resp:
            assert resp.status == 400 and (await resp.json())["code"] == 40060
        route = discord.http.Route("GET", "/guilds/{guild_id}/bans", guild_id=1)
        with pytest.raises(discord.NotFound):
            await bot.http.request(route)
    assert fake_discord.unknown_routes == ["GET /api/v10/guilds/1/bans"]


async def test_channel_messages_and_dispatch(fake_discord: FakeDiscord) -> None:  # noqa: F811
    bot = new_bot(allowed_mentions=discord.AllowedMentions.none())
    roles: list[discord.Role] = []

    async def on_guild_role_create(role: discord.Role) -> None:
        roles.append(role)

    bot.add_listener(on_guild_role_create)
    async with running_bot(bot, timeout=TIMEOUT):
        channel = bot.get_channel(int(fake_discord.world.channel["id"]))
        assert isinstance(channel, discord.TextChannel)
        sent = await channel.send("@everyone hello")
        assert fake_discord.channel_messages[0]["id"] == str(sent.id)
        post = next(r for r in fake_discord.requests if r.path.endswith("/messages"))
        assert post.body["allowed_mentions"] == {"parse": []}
        role = {
            "id": "42",
            "name": "editors",
            "permissions": "0",
            "position": 1,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }
        await fake_discord.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": fake_discord.world.guild_id, "role": role}
        )
        for _ in range(50):
            if roles:
                break
            await asyncio.sleep(0.02)
        assert [r.name for r in roles] == ["editors"]


async def test_heartbeats_are_acknowledged(fake_discord: FakeDiscord) -> None:  # noqa: F811
    fake_discord.gateway.heartbeat_interval_ms = 50
    bot = new_bot()
    async with running_bot(bot, timeout=TIMEOUT):
        await asyncio.sleep(0.4)
        assert fake_discord.gateway.count(1) >= 3
        assert bot.latency < 1.0


async def test_login_and_intent_refusals(fake_discord: FakeDiscord) -> None:  # noqa: F811
    fake_discord.token = "right"
    with pytest.raises(discord.LoginFailure):
        async with running_bot(new_bot(), token="wrong", timeout=TIMEOUT):
            pass
    fake_discord.gateway.allow_privileged_intents = False
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running_bot(new_bot(intents=discord.Intents.all()), token="right"):
            pass
    assert 4014 in fake_discord.gateway.close_codes


async def test_sharded_bot_uses_gateway_bot(fake_discord: FakeDiscord) -> None:  # noqa: F811
    bot = commands.AutoShardedBot(
        command_prefix=commands.when_mentioned,
        intents=discord.Intents.default(),
        guild_ready_timeout=0.05,
    )
    async with running_bot(bot, timeout=TIMEOUT):
        assert bot.shard_count == 1
        assert bot.get_guild(int(fake_discord.world.guild_id)) is not None
    assert any(r.path == "/gateway/bot" for r in fake_discord.requests)


def test_patching_restores_discord_urls() -> None:
    route, ws = discord.http.Route, discord.gateway.DiscordWebSocket
    before = (route.BASE, ws.DEFAULT_GATEWAY)
    with discord_pointed_at("http://127.0.0.1:1/api/v10", "ws://127.0.0.1:1/"):
        assert route("GET", "/users/@me").url == "http://127.0.0.1:1/api/v10/users/@me"
        assert str(ws.DEFAULT_GATEWAY) == "ws://127.0.0.1:1/"
    restored = (route.BASE, ws.DEFAULT_GATEWAY)
    assert restored == before
