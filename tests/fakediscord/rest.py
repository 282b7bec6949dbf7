"""The fake REST API under /api/v10: login, commands, interaction callbacks, webhooks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from .interactions import (
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    MODAL,
    PONG,
    UPDATE_MESSAGE,
    Callback,
    InteractionHandle,
)
from .validate import validate_message_payload

if TYPE_CHECKING:
    from .server import FakeDiscord

API = "/api/v10"
FAKE_KEY: web.AppKey[FakeDiscord] = web.AppKey("fake_discord")
# aiohttp >= 3.12 warns about plain string keys on requests; older versions lack RequestKey.
RECORD: Any = web.RequestKey("fake_discord_record", object) if hasattr(web, "RequestKey") else "rec"
EPHEMERAL, LOADING = 1 << 6, 1 << 7
# Callback types Discord accepts per interaction type (ping, command, component, autocomplete,
# modal submit).
ALLOWED_CALLBACKS = {
    1: {PONG},
    2: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, MODAL},
    3: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE, MODAL},
    4: {AUTOCOMPLETE_RESULT},
    5: {CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE},
}
MESSAGE_FIELDS = ("content", "embeds", "components", "flags", "attachments", "poll")


@dataclass
class RequestRecord:
    """One HTTP request the bot made."""

    method: str
    path: str
    query: dict[str, str]
    body: Any = None
    files: list[dict[str, Any]] = field(default_factory=list)
    status: int = 0


def json_response(obj: Any, status: int = 200) -> web.Response:
    """JSON with the bare ``application/json`` content type discord.py checks for."""
    body = json.dumps(obj).encode()
    return web.Response(body=body, status=status, headers={"Content-Type": "application/json"})


def error(status: int, message: str, code: int = 0, errors: Any = None) -> web.Response:
    """A Discord-style JSON error."""
    body: dict[str, Any] = {"message": message, "code": code}
    if errors is not None:
        body["errors"] = errors
    return json_response(body, status=status)


def invalid_form(problems: list[str]) -> web.Response:
    """Discord's 50035 Invalid Form Body, listing the violations."""
    return error(400, "Invalid Form Body", 50035, {"_errors": [{"message": p} for p in problems]})


async def read_body(request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
    """JSON body, or multipart ``payload_json`` plus ``files[n]`` parts."""
    if request.content_type.startswith("multipart/"):
        payload: Any = {}
        files: list[dict[str, Any]] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            raw = await part.read(decode=True)
            if part.name == "payload_json":
                payload = json.loads(raw)
            else:
                files.append(
                    {
                        "field": part.name,
                        "filename": part.filename,
                        "content_type": part.headers.get("Content-Type"),
                        "size": len(raw),
                        "data": bytes(raw),
                    }
                )
        return payload, files
    if request.can_read_body:
        text = await request.text()
        return (json.loads(text) if text else None), []
    return None, []


def fake_of(request: web.Request) -> FakeDiscord:
    return request.app[FAKE_KEY]


@web.middleware
async def record_requests(request: web.Request, handler: Any) -> web.StreamResponse:
    """Record every REST call (with its parsed body) and enforce bot auth where Discord does."""
    fake = fake_of(request)
    if (
        not request.path.startswith(API)
        or request.headers.get("Upgrade", "").lower() == "websocket"
    ):
        return await handler(request)
    body, files = await read_body(request)
    record = RequestRecord(
        request.method, request.path[len(API) :], dict(request.query), body, files
    )
    request[RECORD] = record
    fake.requests.append(record)
    tokenless = record.path.startswith(("/interactions/", "/webhooks/"))
    auth = request.headers.get("Authorization", "")
    if not tokenless and (
        not auth.startswith("Bot ") or (fake.token is not None and auth != f"Bot {fake.token}")
    ):
        response: web.StreamResponse = error(401, "401: Unauthorized")
    else:
        response = await handler(request)
    record.status = response.status
    return response


async def users_me(request: web.Request) -> web.Response:
    return json_response(fake_of(request).world.bot)


async def gateway(request: web.Request) -> web.Response:
    return json_response({"url": fake_of(request).gateway_url})


async def gateway_bot(request: web.Request) -> web.Response:
    limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
    fake = fake_of(request)
    return json_response({"url": fake.gateway_url, "shards": 1, "session_start_limit": limit})


async def application(request: web.Request) -> web.Response:
    return json_response(fake_of(request).world.application())


def _scope(request: web.Request) -> tuple[str | None, web.Response | None]:
    fake = fake_of(request)
    if request.match_info["app"] != fake.world.app_id:
        return None, error(403, "Missing Access", 50001)
    guild = request.match_info.get("guild")
    if guild is not None and guild != fake.world.guild_id:
        return None, error(403, "Missing Access", 50001)
    return guild, None


async def get_commands(request: web.Request) -> web.Response:
    guild, denied = _scope(request)
    return denied or json_response(fake_of(request).commands.in_scope(guild))


async def put_commands(request: web.Request) -> web.Response:
    guild, denied = _scope(request)
    if denied:
        return denied
    fake = fake_of(request)
    body = request[RECORD].body
    if not isinstance(body, list):
        return invalid_form(["body must be an array of commands"])
    problems = fake.commands.overwrite(guild, body)
    if problems and fake.strict_sync:
        return invalid_form(problems)
    return json_response(fake.commands.in_scope(guild))


def _handle_by_token(request: web.Request) -> InteractionHandle | None:
    fake = fake_of(request)
    if request.match_info["app"] != fake.world.app_id:
        return None
    return fake.handles_by_token.get(request.match_info["token"])


def _callback_message(
    fake: FakeDiscord, handle: InteractionHandle, cbtype: int, data: dict[str, Any], files: list
) -> dict[str, Any] | None:
    """Create or update the message a callback produces (None for 6, 8, 9)."""
    meta = {
        "id": handle.id,
        "type": handle.payload["type"],
        "user": (handle.payload.get("member") or {}).get("user") or handle.payload.get("user"),
        "authorizing_integration_owners": handle.payload.get("authorizing_integration_owners", {}),
    }
    if cbtype in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
        body = dict(data)
        if cbtype == DEFERRED_CHANNEL_MESSAGE:
            body = {"flags": (int(data.get("flags") or 0) & EPHEMERAL) | LOADING}
        msg = fake.new_message(body, files, handle=handle, interaction=meta)
        handle.original = msg
        return msg
    if cbtype == UPDATE_MESSAGE:
        target = fake.messages.get(str((handle.payload.get("message") or {}).get("id")))
        if target is not None:
            fake.apply_edit(target, data, files)
        return target
    return None


async def interaction_callback(request: web.Request) -> web.Response:
    fake = fake_of(request)
    handle = fake.handles_by_id.get(request.match_info["iid"])
    if handle is None:
        return error(404, "Unknown interaction", 10062)
    if handle.token != request.match_info["token"]:
        return error(401, "Invalid Webhook Token", 50027)
    body = request[RECORD].body or {}
    cbtype, data = body.get("type"), body.get("data") or {}
    elapsed = fake.loop_time() - handle.dispatched_at
    fault = _callback_fault(fake, handle, cbtype, data, elapsed)
    if fault is not None:
        fake.errors.append(f"{handle.name}: callback type {cbtype}: {fault.text}")
        return fault
    callback = Callback(int(cbtype), data, request[RECORD].files, elapsed)
    message = _callback_message(fake, handle, callback.type, data, request[RECORD].files)
    callback.message = None if message is None else fake.public(message)
    handle.callbacks.append(callback)
    handle.notify()
    if request.query.get("with_response", "").lower() not in ("1", "true"):
        return web.Response(status=204)
    answer: dict[str, Any] = {"id": handle.id, "type": handle.payload["type"]}
    resource: dict[str, Any] = {"type": callback.type}
    if callback.message is not None:
        answer["response_message_id"] = callback.message["id"]
        answer["response_message_loading"] = bool(callback.message["flags"] & LOADING)
        answer["response_message_ephemeral"] = bool(callback.message["flags"] & EPHEMERAL)
        resource["message"] = callback.message
    return json_response({"interaction": answer, "resource": resource})


def _callback_fault(
    fake: FakeDiscord, handle: InteractionHandle, cbtype: Any, data: dict[str, Any], elapsed: float
) -> web.Response | None:
    """Discord's refusals: late, twice, wrong type for the interaction, or a bad body."""
    if fake.callback_deadline is not None and elapsed > fake.callback_deadline:
        return error(404, "Unknown interaction", 10062)
    if handle.callbacks:
        return error(400, "Interaction has already been acknowledged.", 40060)
    if cbtype not in ALLOWED_CALLBACKS.get(handle.payload["type"], set()):
        return invalid_form(
            [f"callback type {cbtype} not valid for interaction type {handle.payload['type']}"]
        )
    problems = []
    if cbtype in (CHANNEL_MESSAGE, UPDATE_MESSAGE):
        problems = validate_message_payload(data)
    elif cbtype == AUTOCOMPLETE_RESULT:
        choices = data.get("choices")
        if not isinstance(choices, list) or len(choices) > 25:
            problems = ["autocomplete needs a list of at most 25 choices"]
        else:
            problems = [
                f"choices[{i}]: name must be 1-100 characters"
                for i, c in enumerate(choices)
                if not 1 <= len(str(c.get("name", ""))) <= 100
            ]
    if problems:
        fake.violations += [f"{handle.name}: {p}" for p in problems]
        return invalid_form(problems)
    return None


async def followup(request: web.Request) -> web.StreamResponse:
    fake = fake_of(request)
    handle = _handle_by_token(request)
    if handle is None:
        return error(404, "Unknown Webhook", 10015)
    if not handle.callbacks:
        fake.errors.append(f"{handle.name}: followup before the interaction was acknowledged")
        return error(404, "Unknown Webhook", 10015)
    body = request[RECORD].body or {}
    problems = validate_message_payload(body)
    if problems:
        fake.violations += [f"{handle.name}: followup: {p}" for p in problems]
        return invalid_form(problems)
    original = handle.original
    if original is not None and original["flags"] & LOADING and not handle.followups:
        # The first followup after a deferred response replaces the "thinking…" message.
        msg = fake.apply_edit(original, body, request[RECORD].files, keep_flags=EPHEMERAL)
    else:
        msg = fake.new_message(body, request[RECORD].files, handle=handle)
    msg = fake.public(msg)
    handle.followups.append(msg)
    handle.notify()
    if request.query.get("wait", "").lower() in ("1", "true"):
        return json_response(msg)
    return web.Response(status=204)


def _webhook_message(
    request: web.Request,
) -> tuple[InteractionHandle | None, dict[str, Any] | None]:
    fake = fake_of(request)
    handle = _handle_by_token(request)
    if handle is None:
        return None, None
    mid = request.match_info["mid"]
    if mid == "@original":
        return handle, handle.original
    msg = fake.messages.get(mid)
    return handle, msg if msg is not None and msg.get("_handle") == handle.id else None


async def webhook_message(request: web.Request) -> web.StreamResponse:
    """GET / PATCH / DELETE on @original or a followup."""
    fake = fake_of(request)
    handle, msg = _webhook_message(request)
    if handle is None:
        return error(404, "Unknown Webhook", 10015)
    if msg is None:
        return error(404, "Unknown Message", 10008)
    if request.method == "DELETE":
        fake.messages.pop(msg["id"], None)
        handle.deleted.append(msg["id"])
        handle.notify()
        return web.Response(status=204)
    if request.method == "PATCH":
        body = request[RECORD].body or {}
        problems = validate_message_payload(body)
        if problems:
            fake.violations += [f"{handle.name}: edit: {p}" for p in problems]
            return invalid_form(problems)
        fake.apply_edit(msg, body, request[RECORD].files, keep_flags=EPHEMERAL)
        handle.edits.append(body | {"message_id": msg["id"]})
        handle.notify()
    return json_response(fake.public(msg))


async def channel_message(request: web.Request) -> web.Response:
    fake = fake_of(request)
    if request.match_info["cid"] != fake.world.channel["id"]:
        return error(404, "Unknown Channel", 10003)
    body = request[RECORD].body or {}
    problems = validate_message_payload(body)
    if problems:
        fake.violations += [f"channel message: {p}" for p in problems]
        return invalid_form(problems)
    msg = fake.new_message(body, request[RECORD].files)
    fake.channel_messages.append(msg)
    return json_response(fake.public(msg))


async def unknown_route(request: web.Request) -> web.Response:
    """Anything else: recorded so a test can assert ``fake.unknown_routes == []``."""
    fake_of(request).unknown_routes.append(f"{request.method} {request.path}")
    return error(404, "404: Not Found")


def routes() -> list[web.RouteDef]:
    """The REST route table (the catch-all last)."""
    app_cmds = API + "/applications/{app}/commands"
    guild_cmds = API + "/applications/{app}/guilds/{guild}/commands"
    hook = API + "/webhooks/{app}/{token}"
    return [
        web.get(API + "/users/@me", users_me),
        web.get(API + "/gateway", gateway),
        web.get(API + "/gateway/bot", gateway_bot),
        web.get(API + "/applications/@me", application),
        web.get(API + "/oauth2/applications/@me", application),
        web.get(app_cmds, get_commands),
        web.put(app_cmds, put_commands),
        web.get(guild_cmds, get_commands),
        web.put(guild_cmds, put_commands),
        web.post(API + "/interactions/{iid}/{token}/callback", interaction_callback),
        web.post(hook, followup),
        web.get(hook + "/messages/{mid}", webhook_message),
        web.patch(hook + "/messages/{mid}", webhook_message),
        web.delete(hook + "/messages/{mid}", webhook_message),
        web.post(API + "/channels/{cid}/messages", channel_message),
        web.route("*", API + "/{tail:.*}", unknown_route),
    ]
