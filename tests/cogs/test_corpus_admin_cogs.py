"""/corpus add|reload|remove and /sync: who may, what lands in the folder, what is said."""

from __future__ import annotations

import ipaddress
from typing import Any

import discord

from bot import fetch

MANAGER = str((1 << 5) | (1 << 10) | (1 << 11) | (1 << 31))  # Manage Server + basics
STORY = b"Harbour reopens\n\nThe harbour reopened on Friday after repairs, officials said.\n"


def attachment_data(harness, filename: str, size: int) -> dict[str, Any]:
    att_id = harness.world.ids()
    command = harness._command("corpus")
    return {
        "id": command["id"],
        "name": "corpus",
        "type": 1,
        "options": [
            {
                "name": "add",
                "type": 2,
                "options": [
                    {
                        "name": "attachment",
                        "type": 1,
                        "options": [{"name": "file", "type": 11, "value": att_id}],
                    }
                ],
            }
        ],
        "resolved": {
            "attachments": {
                att_id: {
                    "id": att_id,
                    "filename": filename,
                    "size": size,
                    "url": f"https://cdn.invalid/{att_id}/{filename}",
                    "proxy_url": f"https://cdn.invalid/{att_id}/{filename}",
                    "content_type": "text/plain",
                }
            }
        },
    }


async def titles(harness) -> list[str]:
    return [r.title for r in await harness.bot.desk.articles(None)]


async def test_members_without_manage_server_are_refused(harness) -> None:
    member = harness.world.add_user("member")
    run = await harness.invoke("corpus reload", user=member)
    assert run.callback == {
        "type": 4,
        "data": {
            "content": "You need the Manage Server permission (or to own this bot) for that.",
            "flags": 64,
            "tts": False,
            "allowed_mentions": {"parse": []},
        },
    }


async def test_the_group_is_hidden_from_members_by_default(harness) -> None:
    payload = harness._command("corpus")
    assert str(payload["default_member_permissions"]) == str(1 << 5)
    assert payload["contexts"] == [0] or payload.get("dm_permission") is False


async def test_manager_reloads(harness) -> None:
    manager = harness.world.add_user("manager")
    run = await harness.invoke("corpus reload", user=manager, permissions=MANAGER)
    assert run.callback == {"type": 5, "data": {"flags": 64}}  # private "thinking…"
    assert run.followup["content"].startswith("ingest: 0 new, 0 changed, 3 unchanged")


async def test_managers_of_servers_not_in_admin_guilds_only_read(harness) -> None:
    """The corpus is shared: a Manage Server admin elsewhere can't change what all see."""
    harness.bot.settings.admin_guilds = frozenset({1234})  # not this server
    manager = harness.world.add_user("manager")
    run = await harness.invoke("corpus reload", user=manager, permissions=MANAGER)
    assert "can only read the shared corpus" in run.callback["data"]["content"]
    run = await harness.invoke(
        "corpus remove", {"article": "robotics"}, user=manager, permissions=MANAGER
    )
    assert (
        "That article is in the shared corpus" in (run.followup or run.callback["data"])["content"]
    )
    assert (harness.bot.settings.corpus_dir / "afghan.txt").exists()
    assert await harness.invoke("articles", user=manager, permissions=MANAGER)
    owner = await harness.invoke("corpus reload")  # the owner may, from any server
    assert owner.followup["content"].startswith("ingest: 0 new")


async def test_attachment_is_added_and_searchable(harness, monkeypatch) -> None:
    async def read(self: discord.Attachment, **_: Any) -> bytes:
        return STORY

    monkeypatch.setattr(discord.Attachment, "read", read)
    run = await harness.invoke(
        "corpus add attachment", data=attachment_data(harness, "harbour.txt", len(STORY))
    )
    [embed] = run.embeds
    # The owner edits the shared corpus; a manager of a server not in ADMIN_GUILDS adds to
    # that server's own part of it, which only that server sees.
    assert embed["title"] == "File added" and embed["description"].startswith("`uploads/harbour-")
    assert embed["footer"]["text"].startswith("ingest: 1 new")
    assert "Harbour reopens" in await titles(harness)
    harness.bot.settings.admin_guilds = frozenset({1234})  # not this server
    manager = harness.world.add_user("manager")
    run = await harness.invoke(
        "corpus add attachment",
        data=attachment_data(harness, "harbour2.txt", len(STORY)),
        user=manager,
        permissions=MANAGER,
    )
    own = f"servers/{harness.world.guild_id}/uploads/harbour2-"
    assert run.embeds[0]["description"].startswith(f"`{own}")
    choices = await harness.autocomplete("summary", {"article": "harb"}, "article")
    assert choices and choices[0]["name"].startswith("Harbour reopens")


async def test_oversized_or_binary_attachments_are_refused(harness, monkeypatch) -> None:
    async def read(self: discord.Attachment, **_: Any) -> bytes:
        return b"\x00\x01\x02"

    monkeypatch.setattr(discord.Attachment, "read", read)
    big = await harness.invoke(
        "corpus add attachment", data=attachment_data(harness, "big.txt", 10**9)
    )
    assert big.followup["flags"] == 64 and "larger than" in big.followup["content"]
    binary = await harness.invoke(
        "corpus add attachment", data=attachment_data(harness, "x.txt", 3)
    )
    assert "binary" in binary.followup["content"]
    own = harness.bot.settings.corpus_dir / "servers" / harness.world.guild_id
    assert not (own / "uploads" / "x.txt").exists()


async def test_private_urls_are_refused(harness) -> None:
    for url in ("http://127.0.0.1/admin", "http://169.254.169.254/latest/", "file:///etc/passwd"):
        run = await harness.invoke("corpus add url", {"url": url})
        assert run.followup["flags"] == 64
        assert "public" in run.followup["content"] or "http" in run.followup["content"]


async def test_url_is_fetched_and_added(harness, site: str, monkeypatch) -> None:
    real = fetch.add_url
    local = ipaddress.ip_address("127.0.0.1")

    async def add_url(url: str, corpus_dir, limits=None, **_: Any):
        return await real(url, corpus_dir, limits, allow=lambda ip: ip == local)

    monkeypatch.setattr(fetch, "add_url", add_url)
    run = await harness.invoke("corpus add url", {"url": site + "/story"})
    [embed] = run.embeds
    assert embed["title"] == "Article added"
    assert embed["description"] == f"[Harbour reopens after storm]({site}/story)"
    assert "Harbour reopens after storm" in await titles(harness)


async def test_remove_deletes_the_file(harness) -> None:
    run = await harness.invoke("corpus remove", {"article": "robotics"})
    [embed] = run.embeds
    assert embed["title"] == "Article removed"
    assert embed["footer"]["text"].startswith("ingest: 0 new, 0 changed, 2 unchanged, 1 removed")
    assert not (harness.bot.settings.corpus_dir / "afghan.txt").exists()


async def test_sync_is_owner_only(harness, monkeypatch) -> None:
    synced: list[int | None] = []

    async def sync_commands(guild_id: int | None = None) -> list:
        synced.append(guild_id)
        return []

    monkeypatch.setattr(harness.bot, "sync_commands", sync_commands)
    admin = harness.world.add_user("admin")
    refused = await harness.invoke("sync", user=admin, permissions=MANAGER)
    assert refused.callback["data"]["content"] == "Only the bot's owner can do that."
    run = await harness.invoke("sync")
    assert run.callback == {"type": 5, "data": {"flags": 64}}
    assert run.followup["content"] == f"Synced 0 command(s) to server {harness.world.guild_id}."
    assert synced == [int(harness.world.guild_id)]
    dev = await harness.invoke("sync", {"scope": "dev"})
    assert dev.followup["content"] == "Set DISCORD_DEV_GUILD to a server id first."
    harness.bot.settings.discord_dev_guild = 42
    await harness.invoke("sync", {"scope": "dev"})
    await harness.invoke("sync", {"scope": "global"})
    assert synced[1:] == [42, None]
