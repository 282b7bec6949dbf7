"""Cogs driven by real `discord.Interaction` objects built from payloads, as discord.py's own
tests do (tests/test_app_commands_invoke.py), with every HTTP call the interaction makes
captured at discord.py's webhook adapter: the exact bodies Discord would receive.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import pytest
from discord.user import ClientUser
from discord.webhook.async_ import AsyncWebhookAdapter, async_context
from fakediscord.commands import build_command_data
from fakediscord.payloads import (
    DEFAULT_MEMBER_PERMISSIONS,
    World,
    interaction_base,
)
from support import copy_corpus

from bot.discord_bot import NewsdeskBot
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.settings import Settings
from bot.store import Store

EPHEMERAL, LOADING = 1 << 6, 1 << 7


@dataclass
class Call:
    method: str
    path: str  # after /api/v10, tokens included
    body: Any
    response: Any = None  # what the adapter answered (the message object, for messages)

    @property
    def kind(self) -> str:
        if self.path.endswith("/callback"):
            return "callback"
        if self.method == "POST":
            return "followup"
        return {"PATCH": "edit", "DELETE": "delete", "GET": "get"}[self.method]


class RecordingAdapter(AsyncWebhookAdapter):
    """Answers discord.py's webhook/interaction requests as Discord would, and records them."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world
        self.calls: list[Call] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.originals: dict[str, dict[str, Any]] = {}  # interaction token -> original message
        self.changed = asyncio.Event()

    async def request(self, route: Any, session: Any, *, payload: Any = None, **kw: Any) -> Any:
        body = payload
        for part in kw.get("multipart") or []:
            if part.get("name") == "payload_json":
                body = json.loads(part["value"])
        path = route.url.split("/api/v10", 1)[1]
        call = Call(route.method, path, body)
        call.response = self._answer(call)
        self.calls.append(call)
        self.changed.set()
        return call.response

    def _answer(self, call: Call) -> Any:
        parts = call.path.strip("/").split("/")
        if call.kind == "callback":
            token = parts[2]
            cbtype, data = call.body["type"], call.body.get("data") or {}
            message = None
            if cbtype in (4, 5):
                shown = {"flags": (data.get("flags") or 0) | LOADING} if cbtype == 5 else data
                message = self._store(shown)
                self.originals[token] = message
            elif cbtype == 7:
                message = self.world.message(data)
            answer: dict[str, Any] = {"id": self.world.ids(), "type": 2}
            resource: dict[str, Any] = {"type": cbtype}
            if message is not None:
                answer |= {
                    "response_message_id": message["id"],
                    "response_message_loading": cbtype == 5,
                    "response_message_ephemeral": bool(message["flags"] & EPHEMERAL),
                }
                resource["message"] = message
            return {"interaction": answer, "resource": resource}
        token = parts[2]
        if call.kind == "followup":
            return self._store(call.body or {})
        target = parts[4] if len(parts) > 4 else "@original"
        message = self.originals.get(token) if target == "@original" else self.messages.get(target)
        if call.kind == "delete":
            return None
        message = dict(message or self.world.message({}))
        if call.kind == "edit":
            message |= {k: v for k, v in (call.body or {}).items() if k in ("content", "embeds")}
        return message

    def _store(self, body: dict[str, Any]) -> dict[str, Any]:
        message = self.world.message(body, webhook_id=self.world.app_id)
        self.messages[message["id"]] = message
        return message


@dataclass
class Run:
    """What the bot sent for one interaction, in order."""

    interaction: discord.Interaction[Any]
    calls: list[Call] = field(default_factory=list)

    def of(self, kind: str) -> list[Call]:
        return [c for c in self.calls if c.kind == kind]

    @property
    def callback(self) -> dict[str, Any]:
        return self.of("callback")[0].body

    @property
    def followup(self) -> dict[str, Any]:
        return self.of("followup")[0].body

    @property
    def message(self) -> dict[str, Any]:
        """The message object of the visible answer, as Discord returned it."""
        if self.of("followup"):
            return self.of("followup")[0].response
        return self.of("callback")[0].response["resource"]["message"]

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """The embeds of the visible answer (followup after a defer, or the callback)."""
        if self.of("followup"):
            return self.followup.get("embeds") or []
        return (self.callback.get("data") or {}).get("embeds") or []


class Harness:
    """A NewsdeskBot that never connects; interactions go straight to its command tree."""

    def __init__(self, bot: NewsdeskBot, world: World, adapter: RecordingAdapter) -> None:
        self.bot = bot
        self.world = world
        self.adapter = adapter

    def _command(self, name: str) -> dict[str, Any]:
        top = name.split()[0]
        command = self.bot.tree.get_command(top)
        assert command is not None, f"/{top} is not loaded"
        return command.to_dict(self.bot.tree) | {"id": self.world.ids()}

    def _payload(
        self, itype: int, data: dict[str, Any], user: dict[str, Any] | None, permissions: str
    ) -> dict[str, Any]:
        return interaction_base(
            self.world,
            itype,
            data=data,
            user_obj=user or self.world.owner,
            in_guild=True,
            permissions=permissions,
            app_permissions=DEFAULT_MEMBER_PERMISSIONS,
            locale="en-US",
        )

    async def invoke(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: dict[str, Any] | None = None,
        permissions: str = DEFAULT_MEMBER_PERMISSIONS,
        data: dict[str, Any] | None = None,
    ) -> Run:
        """Run a slash command to completion (its error handlers included)."""
        if data is None:
            data = build_command_data(
                self._command(name), name.split()[1:], options or {}, self.world
            )
        payload = self._payload(2, data, user, permissions)
        return await self._run(payload)

    async def autocomplete(self, name: str, options: dict[str, Any], focused: str) -> list[dict]:
        data = build_command_data(
            self._command(name), name.split()[1:], options, self.world, focused=focused
        )
        run = await self._run(self._payload(4, data, None, DEFAULT_MEMBER_PERMISSIONS))
        assert run.callback["type"] == 8
        return run.callback["data"]["choices"]

    async def click(
        self, message: dict[str, Any], custom_id: str, *, user: dict[str, Any] | None = None
    ) -> Run:
        payload = self._payload(
            3, {"custom_id": custom_id, "component_type": 2}, user, DEFAULT_MEMBER_PERMISSIONS
        )
        payload["message"] = message
        interaction = discord.Interaction(data=payload, state=self.bot._connection)
        start = len(self.adapter.calls)
        token = async_context.set(self.adapter)  # the view's task copies this context
        try:
            self.bot._connection._view_store.dispatch_view(2, custom_id, interaction)
        finally:
            async_context.reset(token)
        await self._settle(start)
        return Run(interaction, self.adapter.calls[start:])

    async def _run(self, payload: dict[str, Any]) -> Run:
        interaction = discord.Interaction(data=payload, state=self.bot._connection)
        start = len(self.adapter.calls)
        tree = self.bot.tree
        token = async_context.set(self.adapter)
        try:  # what CommandTree._from_interaction runs in its task
            await tree._call(interaction)
        except discord.app_commands.AppCommandError as exc:
            await tree._dispatch_error(interaction, exc)
        finally:
            async_context.reset(token)
        return Run(interaction, self.adapter.calls[start:])

    async def _settle(self, start: int, quiet: float = 0.2, timeout: float = 5.0) -> None:
        """Wait until a view callback (run as a task) has made its calls."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            self.adapter.changed.clear()
            try:
                await asyncio.wait_for(self.adapter.changed.wait(), quiet)
            except TimeoutError:
                if len(self.adapter.calls) > start:
                    return


def settings_for(tmp_path: Path, corpus: Path, **extra: Any) -> Settings:
    return Settings(
        _env_file=None,
        corpus_dir=corpus,
        database=tmp_path / "db.sqlite3",
        watch_corpus=False,
        **extra,
    )


@pytest.fixture
def world() -> World:
    return World()


LINKED = {
    "title": "Markets *rally* as @everyone cheers [live]",
    "url": "https://news.example/markets/rally(1)",
    "site": "Example News",
    "date": "2024-05-01",
    "text": (
        "Stock markets rose sharply on Monday as investors welcomed new trade figures.\n\n"
        '"We are pleased with the numbers," said Jane Doe, chief economist at Example '
        "Bank. She added that @everyone in the markets had expected a weaker quarter.\n\n"
        "Analysts said the rally could continue into the summer."
    ),
}


@pytest.fixture(scope="session")
def ingested(tmp_path_factory: pytest.TempPathFactory, analyser: Analyser) -> Path:
    """The seed, one GUM article and a JSON article with a URL and markdown/mention bait,
    ingested once per session; each test gets a copy."""
    root = tmp_path_factory.mktemp("cogs-corpus")
    corpus = copy_corpus(root / "corpus", gum=["afghan.txt"])
    (corpus / "linked.json").write_text(json.dumps(LINKED), encoding="utf-8")

    async def build() -> None:
        settings = settings_for(root, corpus)
        desk = Newsdesk(settings, await Store.open(settings.database), analyser)
        await desk.ingest()
        await desk.close()

    asyncio.run(build())
    return root


@pytest.fixture
def bot_settings(tmp_path: Path, world: World, ingested: Path) -> Settings:
    shutil.copytree(ingested / "corpus", tmp_path / "corpus")
    for db in ingested.glob("db.sqlite3*"):
        shutil.copy(db, tmp_path / db.name)
    return settings_for(
        tmp_path,
        tmp_path / "corpus",
        discord_owner_id=int(world.owner["id"]),
        admin_guilds={int(world.guild_id)},
    )


@pytest.fixture
async def harness(
    bot_settings: Settings, world: World, analyser: Analyser
) -> AsyncIterator[Harness]:
    desk = Newsdesk(bot_settings, await Store.open(bot_settings.database), analyser)
    await desk.ingest()
    bot = NewsdeskBot(bot_settings, desk=desk, background=False)
    await bot._async_setup_hook()  # what `async with bot` does first: binds the loop
    bot._connection.application_id = int(world.app_id)
    bot._connection.user = ClientUser(state=bot._connection, data=world.bot)  # as if logged in
    await bot.load_cogs()
    await bot.choices.refresh(desk)
    bot.corpus_ready.set()
    try:
        yield Harness(bot, world, RecordingAdapter(world))
    finally:
        await bot.close()
        await desk.close()
