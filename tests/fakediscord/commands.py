"""The synced application commands and how a user's input becomes interaction options."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .payloads import World, member
from .validate import SUB_COMMAND, SUB_COMMAND_GROUP, validate_command_payloads

USER_T, CHANNEL_T, ROLE_T, MENTIONABLE_T, ATTACHMENT_T = 6, 7, 8, 9, 11
_CASTS = {3: str, 4: int, 5: bool, 10: float}


@dataclass
class CommandRegistry:
    """Commands by scope (``None`` = global, else a guild id), as Discord stores them."""

    world: World
    scopes: dict[str | None, list[dict[str, Any]]] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    sync_count: int = 0

    def overwrite(self, guild_id: str | None, payload: list[dict[str, Any]]) -> list[str]:
        """Bulk-overwrite a scope; returns the violations (the scope is kept if any)."""
        errors = validate_command_payloads(payload)
        self.violations += [f"[{guild_id or 'global'}] {e}" for e in errors]
        self.sync_count += 1
        if errors:
            return errors
        old = {(c["type"], c["name"]): c["id"] for c in self.scopes.get(guild_id, [])}
        stored = []
        for cmd in payload:
            ctype = cmd.get("type", 1)
            item = copy.deepcopy(cmd) | {
                "id": old.get((ctype, cmd["name"])) or self.world.ids(),
                "application_id": self.world.app_id,
                "version": self.world.ids(),
                "type": ctype,
                "description": cmd.get("description", ""),
                "default_member_permissions": cmd.get("default_member_permissions"),
                "nsfw": bool(cmd.get("nsfw", False)),
            }
            if guild_id is not None:
                item["guild_id"] = guild_id
            stored.append(item)
        self.scopes[guild_id] = stored
        return []

    def in_scope(self, guild_id: str | None) -> list[dict[str, Any]]:
        """The commands of one scope."""
        return copy.deepcopy(self.scopes.get(guild_id, []))

    def find(self, name: str, guild_id: str | None, ctype: int = 1) -> dict[str, Any]:
        """A synced command by name: the guild's own first, then the global ones."""
        for scope in ([guild_id] if guild_id else []) + [None]:
            for cmd in self.scopes.get(scope, []):
                if cmd["name"] == name and cmd["type"] == ctype:
                    return cmd
        synced = {s: [c["name"] for c in cmds] for s, cmds in self.scopes.items()}
        raise LookupError(f"command {name!r} was not synced; synced: {synced}")


def _option_list(
    schema: list[dict[str, Any]],
    values: dict[str, Any],
    focused: str | None,
    resolved: dict[str, dict[str, Any]],
    world: World,
) -> list[dict[str, Any]]:
    """Typed options for one level, in the order the user filled them (the schema's order)."""
    by_name = {opt["name"]: opt for opt in schema}
    unknown = set(values) - set(by_name)
    if unknown:
        raise KeyError(f"unknown options {sorted(unknown)}; command has {sorted(by_name)}")
    if focused is None:
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in values]
        if missing:
            raise ValueError(f"required options missing: {missing}")
    elif focused not in values:
        raise KeyError(f"focused option {focused!r} needs a (partial) value")
    out = []
    for name, value in values.items():
        otype = by_name[name]["type"]
        item: dict[str, Any] = {"name": name, "type": otype}
        if name == focused:
            item |= {"value": str(value), "focused": True}
        elif otype in _CASTS:
            item["value"] = _CASTS[otype](value)
        else:
            item["value"] = str(value)
            _resolve(otype, str(value), resolved, world)
        out.append(item)
    return out


def _resolve(otype: int, value: str, resolved: dict[str, dict[str, Any]], world: World) -> None:
    """Fill ``resolved`` for user, channel, role and mentionable options."""
    if otype in (USER_T, MENTIONABLE_T) and value in world.users:
        resolved.setdefault("users", {})[value] = world.users[value]
        mem = member(world.users[value], permissions="0")
        mem.pop("user")
        mem.pop("deaf")
        mem.pop("mute")
        resolved.setdefault("members", {})[value] = mem
    elif otype == CHANNEL_T and value == world.channel["id"]:
        ch = world.channel
        resolved.setdefault("channels", {})[value] = {
            k: ch[k] for k in ("id", "type", "name", "parent_id", "flags")
        } | {"permissions": "0"}
    elif otype == ATTACHMENT_T:
        raise NotImplementedError("attachment options are not supported by the fake")
    else:
        raise LookupError(f"option value {value!r} (type {otype}) names nothing the fake knows")


def build_command_data(
    command: dict[str, Any],
    path: list[str],
    values: dict[str, Any],
    world: World,
    *,
    focused: str | None = None,
) -> dict[str, Any]:
    """The ``data`` of an APPLICATION_COMMAND / AUTOCOMPLETE interaction.

    ``path`` holds the subcommand group and/or subcommand names after the command name.
    """
    resolved: dict[str, dict[str, Any]] = {}
    schema = command.get("options") or []
    chain: list[dict[str, Any]] = []
    for part in path:
        match = [
            o for o in schema if o["name"] == part and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
        ]
        if not match:
            raise LookupError(f"no subcommand {part!r} under {command['name']!r}")
        chain.append({"name": part, "type": match[0]["type"]})
        schema = match[0].get("options") or []
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in schema):
        raise LookupError(f"{command['name']!r} needs a subcommand: {[o['name'] for o in schema]}")
    options = _option_list(schema, values, focused, resolved, world)
    for link in reversed(chain):
        options = [link | {"options": options}]
    data: dict[str, Any] = {
        "id": command["id"],
        "name": command["name"],
        "type": command["type"],
        "options": options,
    }
    if "guild_id" in command:
        data["guild_id"] = command["guild_id"]
    if resolved:
        data["resolved"] = resolved
    return data
