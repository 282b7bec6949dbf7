"""The console: the slash commands typed locally, driven here through stdin."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, SEED_FILE

from bot.command_specs import COMMANDS
from bot.console import HANDLERS, Console, parse, run_console
from bot.errors import UserError
from bot.service import Newsdesk


@pytest.fixture
async def console(desk: Newsdesk) -> Console:
    c = Console(desk, io.StringIO())
    await c.start()
    return c


def test_the_console_knows_every_command_without_a_cog() -> None:
    assert set(HANDLERS) == set(COMMANDS)
    assert COMMANDS["quotes"].option("kind").values == ("direct", "mixed", "indirect")
    assert COMMANDS["summary"].option("length").values == ("short", "medium", "long", "bullets")


def test_parse_discord_style_lines() -> None:
    commands = COMMANDS
    assert parse("/quotes speaker: yau", commands).values == {"speaker": "yau"}
    assert parse('/quotes speaker: Niva Yau text: "belt and road"', commands).values == {
        "speaker": "Niva Yau",
        "text": "belt and road",
    }
    assert parse("/entity xi jinping", commands).values == {"name": "xi jinping"}
    # "Note:" is no option of /articles, so it stays part of the value
    assert parse("/articles note: x", commands).values == {"query": "note: x"}
    with pytest.raises(UserError, match="needs name"):
        parse("/entity", commands)
    with pytest.raises(UserError, match="No command /nope"):
        parse("/nope", commands)
    with pytest.raises(UserError, match="kind must be one of"):
        parse("/quotes kind: sideways", commands)


async def test_completion_of_commands_options_and_values(console: Console) -> None:
    assert console.complete("/quo") == ["/quotes "]
    assert console.complete("/ent") == ["/entity ", "/entities "]
    assert console.complete("/entity na") == ["/entity name: "]
    assert "/entity name: Xi Jinping " in console.complete("/entity name: xi")
    if "summary" in console.commands:
        assert console.complete("/summary length: b") == ["/summary length: bullets "]
        titles = console.complete("/summary article: stren")
        assert titles == [
            "/summary article: Strength of ‘Unlimited’ China-Russia Ties to be Tested at Summit "
        ]
    if "quotes" in console.commands:
        assert "/quotes speaker: Niva Yau " in console.complete("/quotes speaker: ya")
        assert console.complete("/quotes speaker: Niva Yau k") == [
            "/quotes speaker: Niva Yau kind: "
        ]


async def test_a_scripted_session(desk: Newsdesk) -> None:
    stdin = io.StringIO("/quotes speaker: yau\n\n/entity xi\n/help\n/nope\n/quit\n/speakers\n")
    out = io.StringIO()
    assert await run_console(desk, stdin, out) == 0
    text = out.getvalue()
    assert "newsdesk> /quotes speaker: yau\nquotes 1–5 of 5 from Niva Yau" in text
    assert "— Niva Yau, senior researcher at the OSCE Academy" in text
    assert "newsdesk> /entity xi\nXi Jinping (person)" in text
    assert "! No command /nope." in text
    assert "/speakers" not in text.split("newsdesk> /quit")[1]  # stopped at /quit


@pytest.mark.slow
def test_make_run_without_a_token_opens_the_console(tmp_path: Path) -> None:
    """What `make run` does on a fresh clone: `python -m bot start`, no token, seeds/."""
    corpus = tmp_path / "seeds"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    env = os.environ | {
        "DISCORD_TOKEN": "",
        "CORPUS_DIR": str(corpus),
        "DATABASE": str(tmp_path / "db.sqlite3"),
        "HF_HUB_OFFLINE": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "start"],
        input="/quotes speaker: yau\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no .env here
        env=env | {"PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "No DISCORD_TOKEN set: starting the local console" in done.stderr
    assert "quotes 1–5 of 5 from Niva Yau" in done.stdout
