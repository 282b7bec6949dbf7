"""The bot shell without Discord: token handling, logging, cog loading by service."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from discord import app_commands

from bot import discord_bot
from bot.command_specs import COMMANDS
from bot.discord_bot import NewsdeskBot, run_bot, setup_logging
from bot.settings import Settings


def settings(tmp_path: Path, **extra: object) -> Settings:
    return Settings(_env_file=None, corpus_dir=tmp_path, database=tmp_path / "db.sqlite3", **extra)


async def test_run_without_a_token_says_how_to_set_one(tmp_path: Path, capsys) -> None:
    assert await run_bot(settings(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "DISCORD_TOKEN=" in err and "python -m bot console" in err


def test_the_token_never_reaches_a_log_line(capsys) -> None:
    root = logging.getLogger()
    saved = root.level, list(root.handlers)
    try:
        setup_logging("sekrit.token.value")
        logging.getLogger("anything").warning("connecting with %s", "sekrit.token.value")
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
    err = capsys.readouterr().err
    assert "sekrit.token.value" not in err and "connecting with [token]" in err


def test_the_token_never_reaches_a_traceback(capsys) -> None:
    """In the exception's text, in the frames' source lines, and in a stack dump."""
    secret = "sekrit.token.value"
    root = logging.getLogger()
    saved = root.level, list(root.handlers)
    try:
        setup_logging(secret)
        try:
            raise RuntimeError(f"login failed for {secret}")
        except RuntimeError:
            logging.getLogger("anything").exception("connecting")
        try:
            {}["sekrit.token.value"]  # the token in the source line the traceback quotes
        except KeyError as exc:
            logging.getLogger("anything").error("lookup", exc_info=exc)
        logging.getLogger("anything").warning("where %s", "sekrit.token.value", stack_info=True)
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
    err = capsys.readouterr().err
    assert secret not in err
    assert "RuntimeError: login failed for [token]" in err and "Traceback" in err
    assert "KeyError: '[token]'" in err and "Stack (most recent call last)" in err


def test_no_privileged_intents_and_no_pings(tmp_path: Path) -> None:
    bot = NewsdeskBot(settings(tmp_path))
    assert not (bot.intents.members or bot.intents.presences or bot.intents.message_content)
    mentions = bot.allowed_mentions
    assert mentions is not None and mentions.to_dict() == {"parse": []}


async def test_every_cog_loads(tmp_path: Path) -> None:
    bot = NewsdeskBot(settings(tmp_path))
    await bot.load_cogs()
    assert set(bot.extensions) == set(discord_bot.COGS)
    names = {c.name for c in bot.tree.get_commands()}
    assert names == {*COMMANDS, "corpus", "feed", "sync", "help"}


@pytest.mark.parametrize("name", list(COMMANDS))
async def test_each_slash_command_is_the_one_the_console_knows(tmp_path: Path, name: str) -> None:
    """Name, description, options (order, descriptions, required) and choices: one source."""
    bot = NewsdeskBot(settings(tmp_path))
    await bot.load_cogs()
    command = bot.tree.get_command(name)
    assert isinstance(command, app_commands.Command)
    spec = COMMANDS[name]
    assert command.description == spec.description
    assert [(p.name, p.description, p.required) for p in command.parameters] == [
        (o.name, o.description, o.required) for o in spec.options
    ]
    assert [[(c.name, c.value) for c in p.choices] for p in command.parameters] == [
        [(c.label, c.value) for c in o.choices] for o in spec.options
    ]
