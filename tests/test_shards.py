"""SHARD_COUNT / SHARD_IDS: a process runs its cluster of shards (docs/scaling.md)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.discord_bot import NewsdeskBot
from bot.settings import Settings


def test_the_bot_runs_the_shards_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHARD_COUNT", "4")
    monkeypatch.setenv("SHARD_IDS", "2, 3")
    settings = Settings(_env_file=None)
    assert settings.shard_ids == [2, 3]
    bot = NewsdeskBot(settings, background=False)
    assert bot.shard_count == 4 and bot.shard_ids == [2, 3]


def test_unsharded_by_default() -> None:
    bot = NewsdeskBot(Settings(_env_file=None), background=False)
    assert bot.shard_count is None and bot.shard_ids is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SHARD_IDS": "0,1"}, "needs SHARD_COUNT"),
        ({"SHARD_IDS": "0,4", "SHARD_COUNT": "4"}, "outside 0..3"),
        ({"SHARD_IDS": "one", "SHARD_COUNT": "4"}, "numbers and commas"),
    ],
)
def test_bad_shard_settings_are_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ValidationError, match=message):
        Settings(_env_file=None)
