"""Settings as a newcomer writes them: `.env.example` copied, only the token filled in."""

from pathlib import Path

import pytest

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_env_example_with_only_the_token_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    env = tmp_path / ".env"
    env.write_text(example.replace("DISCORD_TOKEN=", "DISCORD_TOKEN=abc.def.ghi", 1))
    for key in ("DISCORD_TOKEN", "DISCORD_OWNER_ID", "DISCORD_DEV_GUILD"):
        monkeypatch.delenv(key, raising=False)
    settings = Settings(_env_file=env)
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == "abc.def.ghi"
    assert settings.discord_owner_id is None
    assert settings.discord_dev_guild is None


def test_empty_environment_value_means_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_OWNER_ID", "")
    monkeypatch.setenv("MAX_FILE_BYTES", "")
    settings = Settings(_env_file=None)
    assert settings.discord_owner_id is None
    assert settings.max_file_bytes == Settings.model_fields["max_file_bytes"].default
