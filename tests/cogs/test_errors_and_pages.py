"""The tree's one error handler, and the page buttons' rules (invoker only, timeout)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from discord import app_commands

from bot.errors import NotFound
from bot.nlp.model_errors import ModelUnavailable
from cogs.utils.errors import describe


async def test_unexpected_errors_are_logged_and_apologised_for(
    harness, monkeypatch, caplog
) -> None:
    async def broken(*_, **__):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(harness.bot.desk, "articles", broken)
    with caplog.at_level(logging.ERROR, logger="bot.discord_bot"):
        run = await harness.invoke("articles")
    assert [c.kind for c in run.calls] == ["callback", "delete", "followup"]
    assert run.followup["content"] == "Something went wrong on my side; it has been logged."
    assert run.followup["flags"] == 64
    [record] = [r for r in caplog.records if r.name == "bot.discord_bot"]
    assert record.message == "/articles failed" and "database on fire" in caplog.text
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError


async def test_model_trouble_is_explained_without_details(harness, monkeypatch, caplog) -> None:
    async def no_model(*_, **__):
        raise ModelUnavailable("SPACY_MODEL", "en_core_web_xx", "not installed")

    monkeypatch.setattr(harness.bot.desk, "entity", no_model)
    with caplog.at_level(logging.WARNING, logger="bot.discord_bot"):
        run = await harness.invoke("entity", {"name": "xi"})
    assert run.followup["content"].startswith("That needs a model this bot can't load")
    assert "en_core_web_xx" not in run.followup["content"]
    assert "en_core_web_xx" in caplog.text


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (app_commands.CommandOnCooldown(app_commands.Cooldown(1, 60), 12.2), "again in 13 s"),
        (app_commands.NoPrivateMessage(), "only works in a server"),
        (app_commands.MissingPermissions(["manage_guild"]), "Manage Server"),
        (app_commands.CheckFailure(), "You can't use this command here."),
        (NotFound("No article matches “x”."), "No article matches “x”."),
    ],
)
def test_error_messages(error: Exception, message: str) -> None:
    reply = describe(error)
    assert message in reply.message and not reply.log_traceback


async def test_only_the_invoker_turns_pages(harness) -> None:
    run = await harness.invoke("entities")
    stranger = harness.world.add_user("stranger")
    refused = await harness.click(run.message, "pages:next", user=stranger)
    assert refused.callback == {
        "type": 4,
        "data": {
            "content": "Only the person who ran this command can turn its pages.",
            "flags": 64,
            "tts": False,
            "allowed_mentions": {"parse": []},  # the bot-wide default
        },
    }
    last = await harness.click(run.message, "pages:last")
    data = last.callback["data"]
    assert last.callback["type"] == 7
    assert data["embeds"][0]["footer"]["text"].startswith("75 name(s) · page 4/4")
    buttons = {b["custom_id"]: b for b in data["components"][0]["components"]}
    assert buttons["pages:next"]["disabled"] and not buttons["pages:first"]["disabled"]
    assert buttons["pages:counter"]["label"] == "4 / 4"


async def test_buttons_are_removed_after_the_timeout(harness) -> None:
    harness.bot.settings.page_timeout = 0.3
    run = await harness.invoke("entities")
    await asyncio.sleep(1.0)
    edits = harness.adapter.calls[len(harness.adapter.calls) - 1 :]
    [edit] = [c for c in edits if c.kind == "edit"]
    assert edit.body["components"] == []
    assert edit.path.endswith(f"/messages/{run.message['id']}")
