"""Builders for the JSON objects Discord sends: users, guilds, messages, interactions."""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000
ALL_PERMISSIONS = str((1 << 51) - 1)
# VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS, ATTACH_FILES, READ_HISTORY, USE_APP_COMMANDS
DEFAULT_MEMBER_PERMISSIONS = str(
    (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)
)
TIMESTAMP = "2024-01-01T00:00:00.000000+00:00"


class Snowflakes:
    """Monotonic snowflake ids with a real timestamp part (discord.py derives created_at)."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def __call__(self) -> str:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (next(self._counter) & 0x3FFFFF))


def user(user_id: str, username: str, *, bot: bool = False) -> dict[str, Any]:
    """A user object."""
    return {
        "id": user_id,
        "username": username,
        "global_name": None if bot else username.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "system": False,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
        "primary_guild": None,
        "collectibles": None,
    }


def member(user_obj: dict[str, Any], *, permissions: str | None = None) -> dict[str, Any]:
    """A guild member; ``permissions`` is only present inside interactions."""
    data: dict[str, Any] = {
        "user": user_obj,
        "nick": None,
        "avatar": None,
        "banner": None,
        "roles": [],
        "joined_at": TIMESTAMP,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if permissions is not None:
        data["permissions"] = permissions
    return data


def text_channel(channel_id: str, guild_id: str, name: str) -> dict[str, Any]:
    """A guild text channel (type 0)."""
    return {
        "id": channel_id,
        "type": 0,
        "guild_id": guild_id,
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "parent_id": None,
        "flags": 0,
    }


def role(role_id: str, name: str, permissions: str) -> dict[str, Any]:
    """A role (the @everyone role shares the guild's id)."""
    return {
        "id": role_id,
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": 0,
        "permissions": permissions,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


@dataclass
class World:
    """The ids and objects of the one application, bot, guild, channel and user."""

    ids: Snowflakes = field(default_factory=Snowflakes)
    app_id: str = ""
    bot: dict[str, Any] = field(default_factory=dict)
    owner: dict[str, Any] = field(default_factory=dict)
    guild_id: str = ""
    guild_name: str = "Newsdesk Test Guild"
    channel: dict[str, Any] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.app_id = self.ids()
        self.bot = user(self.app_id, "newsdesk-bot", bot=True)
        self.owner = user(self.ids(), "owner")
        self.guild_id = self.ids()
        self.channel = text_channel(self.ids(), self.guild_id, "newsroom")
        self.users = {self.owner["id"]: self.owner}

    def add_user(self, username: str) -> dict[str, Any]:
        """Create another guild member and return its user object."""
        new = user(self.ids(), username)
        self.users[new["id"]] = new
        return new

    def application(self) -> dict[str, Any]:
        """GET /oauth2/applications/@me."""
        return {
            "id": self.app_id,
            "name": "newsdesk",
            "icon": None,
            "description": "fake application",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 1 << 23,  # APPLICATION_COMMAND_BADGE
            "owner": self.owner,
            "team": None,
            "bot": self.bot,
            "interactions_endpoint_url": None,
            "install_params": None,
            "integration_types_config": {"0": {}},
            "approximate_guild_count": 1,
            "tags": [],
        }

    def guild(self) -> dict[str, Any]:
        """A full GUILD_CREATE payload: one text channel, the bot and the users as members."""
        members = [member(self.bot)] + [member(u) for u in self.users.values()]
        return {
            "id": self.guild_id,
            "name": self.guild_name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": self.owner["id"],
            "region": None,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [role(self.guild_id, "@everyone", DEFAULT_MEMBER_PERMISSIONS)],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_members": 500000,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": TIMESTAMP,
            "large": False,
            "unavailable": False,
            "member_count": len(members),
            "voice_states": [],
            "members": members,
            "channels": [self.channel],
            "threads": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def ready(self, session_id: str, resume_url: str, shard: list[int] | None) -> dict[str, Any]:
        """The READY dispatch: the guild starts unavailable, GUILD_CREATE follows."""
        data: dict[str, Any] = {
            "v": 10,
            "user": self.bot | {"verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": self.guild_id, "unavailable": True}],
            "session_id": session_id,
            "session_type": "normal",
            "resume_gateway_url": resume_url,
            "application": {"id": self.app_id, "flags": self.application()["flags"]},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "auth_session_id_hash": secrets.token_hex(8),
            "_trace": ['["fake-gateway",{"micros":0}]'],
        }
        if shard is not None:
            data["shard"] = shard
        return data

    def message(
        self,
        body: dict[str, Any],
        *,
        channel_id: str | None = None,
        author: dict[str, Any] | None = None,
        webhook_id: str | None = None,
        interaction: dict[str, Any] | None = None,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A message object built from a create-message body."""
        msg: dict[str, Any] = {
            "id": self.ids(),
            "type": 0 if interaction is None else 20,
            "channel_id": channel_id or self.channel["id"],
            "guild_id": self.guild_id,
            "author": author or self.bot,
            "content": body.get("content") or "",
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": attachments or [],
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "pinned": False,
            "flags": int(body.get("flags") or 0),
            "nonce": body.get("nonce"),
        }
        if webhook_id is not None:
            msg["webhook_id"] = webhook_id
            msg["application_id"] = self.app_id
        if interaction is not None:
            msg["interaction_metadata"] = interaction
        return msg

    def attachment(self, filename: str, size: int, content_type: str | None) -> dict[str, Any]:
        """An attachment object for an uploaded file."""
        att_id = self.ids()
        url = f"https://cdn.invalid/attachments/{att_id}/{filename}"
        return {
            "id": att_id,
            "filename": filename,
            "size": size,
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }


def interaction_base(
    world: World,
    itype: int,
    *,
    data: dict[str, Any],
    user_obj: dict[str, Any],
    in_guild: bool,
    permissions: str,
    app_permissions: str,
    locale: str,
) -> dict[str, Any]:
    """The envelope shared by every INTERACTION_CREATE (command, autocomplete, component)."""
    payload: dict[str, Any] = {
        "id": world.ids(),
        "application_id": world.app_id,
        "type": itype,
        "data": data,
        "token": "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48),
        "version": 1,
        "app_permissions": app_permissions,
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if in_guild:
        payload |= {
            "guild_id": world.guild_id,
            "guild": {"id": world.guild_id, "locale": "en-US", "features": []},
            "guild_locale": "en-US",
            "channel_id": world.channel["id"],
            "channel": world.channel,
            "member": member(user_obj, permissions=permissions),
            "authorizing_integration_owners": {"0": world.guild_id},
            "context": 0,
        }
    else:
        dm_id = world.ids()
        dm = {"id": dm_id, "type": 1, "last_message_id": None, "flags": 0, "recipients": [user_obj]}
        payload |= {
            "channel_id": dm_id,
            "channel": dm,
            "user": user_obj,
            "authorizing_integration_owners": {"0": "0"},
            "context": 1,
        }
    return payload
