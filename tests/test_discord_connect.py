"""`run` with a token and no way to Discord: one line per try, then a clean exit."""

import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakediscord.patching import discord_pointed_at

from bot.discord_bot import run_bot
from bot.discord_connect import ConnectRetry
from bot.settings import Settings


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def restore_root_logging() -> Iterator[None]:
    """run_bot installs discord.py's handler on the root logger, bound to this test's stderr."""
    root = logging.getLogger()
    saved = root.level, list(root.handlers)
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]


async def test_unreachable_discord_is_one_line_per_try(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = closed_port()
    settings = Settings(
        _env_file=None,
        discord_token="abc.def.ghi",
        corpus_dir=tmp_path,
        database=tmp_path / "db.sqlite3",
    )
    retry = ConnectRetry(attempts=3, first_delay=0.01, max_delay=0.01, jitter=0)
    with discord_pointed_at(f"http://127.0.0.1:{port}/api/v10", f"ws://127.0.0.1:{port}/"):
        code = await run_bot(settings, retry=retry)
    err = capsys.readouterr().err
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("can't reach Discord (")]
    assert len(lines) == 3, err
    assert all(line.endswith("retrying in 0s") for line in lines[:2])
    assert lines[2].endswith("giving up")
    assert "Traceback" not in err and "voice will NOT be supported" not in err
