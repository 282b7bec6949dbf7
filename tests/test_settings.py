"""Settings as a newcomer writes them: `.env.example` copied, only the token filled in."""

import os
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


def test_dotenv_decides_the_hub_switch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.settings import apply_environment

    env = tmp_path / ".env"
    env.write_text("HF_HUB_OFFLINE=0\n")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    apply_environment(Settings(_env_file=env))
    assert os.environ["HF_HUB_OFFLINE"] == "0" and os.environ["TRANSFORMERS_OFFLINE"] == "0"
    monkeypatch.delenv("HF_HUB_OFFLINE")
    apply_environment(Settings(_env_file=None))
    assert os.environ["HF_HUB_OFFLINE"] == "1"


def test_makefile_does_not_override_the_settings() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "export HF_HUB_OFFLINE" not in makefile
    assert "export TRANSFORMERS_OFFLINE" not in makefile
