"""FakeDiscord: a loopback aiohttp server a real discord.py client logs in to."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from aiohttp import web

from . import rest
from .commands import CommandRegistry, build_command_data
from .gateway import Gateway
from .interactions import DEFAULT_TIMEOUT, InteractionHandle
from .payloads import ALL_PERMISSIONS, DEFAULT_MEMBER_PERMISSIONS, World, interaction_base

LOADING = rest.LOADING
HOST = "127.0.0.1"  # never anything but loopback


class FakeDiscord:
    """REST + gateway of one application with one guild, one text channel and one user.

    Records every request (``requests``), routes it does not fake (``unknown_routes``),
    command-sync violations (``commands.violations``), message-limit violations
    (``violations``) and protocol misuse such as late or double callbacks (``errors``).
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        heartbeat_interval_ms: int = 41_250,
        callback_deadline: float | None = 3.0,
        strict_sync: bool = True,
        allow_privileged_intents: bool = True,
    ) -> None:
        self.callback_deadline = callback_deadline
        self.strict_sync = strict_sync
        self.world = World()
        self.commands = CommandRegistry(self.world)
        self.gateway = Gateway(
            self.world,
            heartbeat_interval_ms=heartbeat_interval_ms,
            token=token,
            allow_privileged_intents=allow_privileged_intents,
        )
        self.requests: list[rest.RequestRecord] = []
        self.unknown_routes: list[str] = []
        self.violations: list[str] = []
        self.errors: list[str] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.channel_messages: list[dict[str, Any]] = []
        self.handles: list[InteractionHandle] = []
        self.handles_by_id: dict[str, InteractionHandle] = {}
        self.handles_by_token: dict[str, InteractionHandle] = {}
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def token(self) -> str | None:
        """The only token REST and the gateway accept; None accepts any."""
        return self.gateway.token

    @token.setter
    def token(self, value: str | None) -> None:
        self.gateway.token = value

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return f"http://{HOST}:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{HOST}:{self.port}/"

    async def start(self) -> FakeDiscord:
        """Listen on a free loopback port."""
        app = web.Application(middlewares=[rest.record_requests])
        app[rest.FAKE_KEY] = self
        app.router.add_get("/", self.gateway.handle)
        app.router.add_routes(rest.routes())
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, HOST, 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        self.port = server.sockets[0].getsockname()[1]
        self.gateway.resume_url = self.gateway_url
        return self

    async def stop(self) -> None:
        """Close websockets, then the server (bounded)."""
        if self._runner is None:
            return
        await asyncio.wait_for(self.gateway.close_all(), 5.0)
        await asyncio.wait_for(self._runner.cleanup(), 10.0)
        self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def wait_ready(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Until a bot has identified and been sent READY + GUILD_CREATE."""
        await asyncio.wait_for(self.gateway.ready.wait(), timeout)

    async def reconnect(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Send op 7 RECONNECT and wait until the bot has RESUMEd its session."""
        await self.gateway.reconnect()
        await asyncio.wait_for(self.gateway.resumed.wait(), timeout)

    # -- dispatching -----------------------------------------------------------------------

    async def dispatch(self, event: str, data: Any, *, guild_id: str | None = None) -> int:
        """Send a DISPATCH event to the bot; returns its sequence number."""
        session = self.gateway.session_for_guild(guild_id or self.world.guild_id)
        return await session.dispatch(event, data)

    async def _interact(self, payload: dict[str, Any]) -> InteractionHandle:
        handle = InteractionHandle(payload=payload, dispatched_at=self.loop_time())
        self.handles.append(handle)
        self.handles_by_id[handle.id] = handle
        self.handles_by_token[handle.token] = handle
        await self.dispatch("INTERACTION_CREATE", payload, guild_id=payload.get("guild_id"))
        return handle

    def _envelope(
        self,
        itype: int,
        data: dict[str, Any],
        user: dict[str, Any] | None,
        guild: bool,
        channel: dict[str, Any] | None,
        permissions: str | None,
        app_permissions: str,
        locale: str,
    ) -> dict[str, Any]:
        user = user or self.world.owner
        if permissions is None:
            owner = user["id"] == self.world.owner["id"]
            permissions = ALL_PERMISSIONS if owner else DEFAULT_MEMBER_PERMISSIONS
        payload = interaction_base(
            self.world,
            itype,
            data=data,
            user_obj=user,
            in_guild=guild,
            permissions=permissions,
            app_permissions=app_permissions,
            locale=locale,
        )
        if channel is not None:
            payload["channel"], payload["channel_id"] = channel, channel["id"]
        return payload

    async def invoke_command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: dict[str, Any] | None = None,
        guild: bool = True,
        channel: dict[str, Any] | None = None,
        permissions: str | None = None,
        app_permissions: str = DEFAULT_MEMBER_PERMISSIONS,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Run a synced slash command as a user would (type 2 INTERACTION_CREATE).

        ``name`` may include subcommands: ``"news latest"``. ``guild=False`` sends it from a
        DM. Options are given by name and typed from the synced command's schema.
        """
        data = self._command_data(name, options or {}, guild, focused=None)
        return await self._interact(
            self._envelope(2, data, user, guild, channel, permissions, app_permissions, locale)
        )

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        focused: str,
        *,
        user: dict[str, Any] | None = None,
        guild: bool = True,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """The user typing into option ``focused`` (type 4, that option ``focused: true``)."""
        data = self._command_data(name, options, guild, focused=focused)
        return await self._interact(
            self._envelope(4, data, user, guild, None, None, DEFAULT_MEMBER_PERMISSIONS, locale)
        )

    async def click(
        self,
        message_id: str,
        custom_id: str,
        *,
        component_type: int = 2,
        values: list[str] | None = None,
        user: dict[str, Any] | None = None,
        guild: bool = True,
    ) -> InteractionHandle:
        """Click a button (or pick ``values`` of a select) on a message the bot sent (type 3)."""
        message = self.messages.get(str(message_id))
        if message is None:
            raise LookupError(f"message {message_id} was never sent through the fake")
        custom_ids = _custom_ids(message.get("components") or [])
        if custom_id not in custom_ids:
            raise LookupError(f"no component {custom_id!r} on message {message_id}: {custom_ids}")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = values
        payload = self._envelope(
            3, data, user, guild, None, None, DEFAULT_MEMBER_PERMISSIONS, "en-US"
        )
        payload["message"] = self.public(message)
        return await self._interact(payload)

    def _command_data(
        self, name: str, options: dict[str, Any], guild: bool, focused: str | None
    ) -> dict[str, Any]:
        top, *path = name.split()
        command = self.commands.find(top, self.world.guild_id if guild else None)
        return build_command_data(command, path, options, self.world, focused=focused)

    # -- timing ----------------------------------------------------------------------------

    def loop_time(self) -> float:
        return asyncio.get_running_loop().time()

    def response_times(self) -> list[tuple[str, float | None]]:
        """(interaction name, seconds from dispatch to first callback) in dispatch order."""
        return [(h.name, h.first_response_time) for h in self.handles]

    def slowest(self) -> tuple[str, float] | None:
        """The interaction that took longest to get its first callback."""
        timed = [(n, t) for n, t in self.response_times() if t is not None]
        return max(timed, key=lambda item: item[1]) if timed else None

    # -- messages (used by the REST handlers) ----------------------------------------------

    def new_message(
        self,
        body: dict[str, Any],
        files: list[dict[str, Any]],
        *,
        handle: InteractionHandle | None = None,
        interaction: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Store a message the bot created; returns the stored (internal) object."""
        attachments = [
            self.world.attachment(f["filename"] or "file", f["size"], f["content_type"])
            for f in files
        ]
        msg = self.world.message(
            body,
            webhook_id=self.world.app_id if handle is not None else None,
            interaction=interaction,
            attachments=attachments,
        )
        if handle is not None:
            msg["_handle"] = handle.id
        self.messages[msg["id"]] = msg
        return msg

    def apply_edit(
        self,
        msg: dict[str, Any],
        body: dict[str, Any],
        files: list[dict[str, Any]],
        keep_flags: int = 0,
    ) -> dict[str, Any]:
        """Apply an edit body to a stored message; clears the LOADING flag."""
        flags = msg["flags"] & ~LOADING
        if body.get("flags") is not None:
            flags = int(body["flags"]) | (flags & keep_flags)
        for key in ("content", "embeds", "components", "poll"):
            if key in body:
                msg[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
        if "attachments" in body or files:
            kept = {str(a.get("id")) for a in body.get("attachments") or []}
            msg["attachments"] = [a for a in msg["attachments"] if a["id"] in kept] + [
                self.world.attachment(f["filename"] or "file", f["size"], f["content_type"])
                for f in files
            ]
        msg["flags"] = flags
        msg["edited_timestamp"] = "2024-01-01T00:00:01.000000+00:00"
        return msg

    @staticmethod
    def public(msg: dict[str, Any]) -> dict[str, Any]:
        """A copy of a stored message as Discord would return it."""
        return {k: copy.deepcopy(v) for k, v in msg.items() if not k.startswith("_")}


def _custom_ids(components: list[dict[str, Any]]) -> list[str]:
    """Every custom_id in a (nested) component tree."""
    found = []
    for comp in components:
        if "custom_id" in comp:
            found.append(comp["custom_id"])
        found += _custom_ids(comp.get("components") or [])
        if isinstance(comp.get("accessory"), dict):
            found += _custom_ids([comp["accessory"]])
    return found
