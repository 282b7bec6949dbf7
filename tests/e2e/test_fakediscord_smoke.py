"""A real discord.py commands.Bot logs in to the fake Discord and answers interactions."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands

# The package is imported as top-level ``fakediscord`` from tests/: the name ``tests`` is
# taken in the venv by a stray site-packages/tests package (icecream, via pytextrank).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fakediscord import FakeDiscord, running_bot, validate_command_payloads
from fakediscord.fixtures import fake_discord  # noqa: F401  (pytest fixture)

TIMEOUT = 10.0
TOPICS = [f"news-{i:02d}" for i in range(40)] + ["weather", "sport"]


class VoteView(discord.ui.View):
    """One button that thanks the voter and disables itself."""

    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Up", custom_id="vote:up", style=discord.ButtonStyle.primary)
    async def up(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        button.disabled = True
        await interaction.response.edit_message(content="Thanks for voting", view=self)


def make_bot() -> commands.Bot:
    """A throwaway slash-only bot: /ping (defer + embed followup), /topic, /vote, /silent."""
    bot = commands.Bot(
        command_prefix=commands.when_mentioned,
        intents=discord.Intents.default(),
        allowed_mentions=discord.AllowedMentions.none(),
        guild_ready_timeout=0.1,
    )

    @bot.tree.command(description="Check the bot is alive")
    async def ping(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await asyncio.sleep(0.05)  # "slow" work after deferring
        embed = discord.Embed(title="Pong", description=f"latency {bot.latency:.3f}s")
        await interaction.followup.send(embed=embed)

    @bot.tree.command(description="Look up a topic")
    @app_commands.describe(query="Topic name", limit="How many lines")
    async def topic(interaction: discord.Interaction, query: str, limit: int = 3) -> None:
        await interaction.response.send_message(f"{query} x{limit}", ephemeral=True)

    @topic.autocomplete("query")
    async def topic_complete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        hits = [t for t in TOPICS if current.lower() in t]
        return [app_commands.Choice(name=t, value=t) for t in hits[:25]]

    @bot.tree.command(description="Vote on today's briefing")
    async def vote(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Was this useful?", view=VoteView())

    @bot.tree.command(description="Never answers (to test timeouts)")
    async def silent(interaction: discord.Interaction) -> None:
        return None

    return bot


@pytest_asyncio.fixture
async def bot(fake_discord: FakeDiscord) -> AsyncIterator[commands.Bot]:  # noqa: F811
    """The bot logged in, connected (gateway task running) and past on_ready."""
    async with running_bot(make_bot(), timeout=TIMEOUT) as client:
        assert isinstance(client, commands.Bot)
        yield client


async def test_login_and_gateway_handshake(fake_discord: FakeDiscord, bot: commands.Bot) -> None:  # noqa: F811
    assert bot.user is not None and str(bot.user.id) == fake_discord.world.app_id
    assert bot.application_id == int(fake_discord.world.app_id)
    guild = bot.get_guild(int(fake_discord.world.guild_id))
    assert guild is not None and [c.name for c in guild.text_channels] == ["newsroom"]
    assert fake_discord.gateway.queries[0] == {
        "v": "10",
        "encoding": "json",
        "compress": "zlib-stream",
    }
    identify = fake_discord.gateway.sessions[fake_discord.gateway.current.session_id].identify
    assert identify["intents"] & (1 << 1 | 1 << 8 | 1 << 15) == 0  # no privileged intents
    assert fake_discord.gateway.count(1) >= 1  # discord.py heartbeats right after HELLO


async def test_slash_commands_round_trip(fake_discord: FakeDiscord, bot: commands.Bot) -> None:  # noqa: F811
    synced = await asyncio.wait_for(bot.tree.sync(), TIMEOUT)
    assert sorted(c.name for c in synced) == ["ping", "silent", "topic", "vote"]
    put = [r for r in fake_discord.requests if r.method == "PUT"][-1]
    assert validate_command_payloads(put.body) == []
    assert fake_discord.commands.violations == []

    ping = await fake_discord.invoke_command("ping")
    assert (await ping.callback()).type == 5  # deferred, "thinking…"
    followup = await ping.followup()
    assert followup["embeds"][0]["title"] == "Pong"
    assert followup["id"] == ping.callbacks[0].message["id"]  # it replaced the loading message

    typed = await fake_discord.autocomplete("topic", {"query": "news"}, focused="query")
    result = await typed.callback()
    assert result.type == 8
    choices = result.data["choices"]
    assert 0 < len(choices) <= 25 and all("news" in c["name"] for c in choices)

    answer = await fake_discord.invoke_command("topic", {"query": "weather", "limit": 2})
    reply = await answer.callback()
    assert reply.type == 4 and reply.data["content"] == "weather x2"
    assert reply.data["flags"] & 64  # ephemeral

    poll = await fake_discord.invoke_command("vote")
    posted = await poll.callback()
    assert posted.type == 4 and posted.message is not None
    click = await fake_discord.click(posted.message["id"], "vote:up")
    update = await click.callback()
    assert update.type in (6, 7)
    assert update.data["content"] == "Thanks for voting"
    assert update.data["components"][0]["components"][0]["disabled"] is True

    assert fake_discord.unknown_routes == []
    assert fake_discord.errors == [] and fake_discord.violations == []
    slowest = fake_discord.slowest()
    assert slowest is not None and slowest[1] < 3.0, fake_discord.response_times()
    print("slowest first response:", slowest)


async def test_unanswered_interaction_times_out(
    fake_discord: FakeDiscord,  # noqa: F811
    bot: commands.Bot,
) -> None:
    await asyncio.wait_for(bot.tree.sync(), TIMEOUT)
    handle = await fake_discord.invoke_command("silent")
    with pytest.raises(TimeoutError, match="silent"):
        await handle.callback(timeout=0.3)


async def test_resume_after_reconnect(fake_discord: FakeDiscord, bot: commands.Bot) -> None:  # noqa: F811
    await asyncio.wait_for(bot.tree.sync(), TIMEOUT)
    await fake_discord.reconnect(timeout=TIMEOUT)
    assert fake_discord.gateway.count(6) == 1  # one RESUME, no second IDENTIFY
    assert fake_discord.gateway.count(2) == 1
    ping = await fake_discord.invoke_command("ping")
    assert (await ping.followup(timeout=TIMEOUT))["embeds"][0]["title"] == "Pong"


async def test_invalid_sync_is_rejected(fake_discord: FakeDiscord, bot: commands.Bot) -> None:  # noqa: F811
    # discord.py refuses such names itself, so send the raw bulk overwrite.
    bad = {"name": "Bad Name", "description": "x" * 101, "type": 1}
    with pytest.raises(discord.HTTPException) as info:
        await bot.http.bulk_upsert_global_commands(bot.application_id, payload=[bad])
    assert info.value.status == 400 and info.value.code == 50035
    assert any("Bad Name" in v for v in fake_discord.commands.violations)
    assert fake_discord.commands.in_scope(None) == []  # nothing stored, as on Discord
