"""Dependencies run one way: importing any core module (bot/, the Discord adapter aside)
loads neither discord.py nor a cog. Ruff's TID251 (pyproject.toml) refuses such an import
written in a core file; this catches one that arrives indirectly (through another module,
or importlib)."""

from __future__ import annotations

import pkgutil

import pytest
from support import run_python_json

import bot

ADAPTER = {"bot.discord_bot"}  # the Discord front end: loads the cogs
LEAKS = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("discord", "cogs"))))
"""


def core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(bot.__path__, "bot.")]
    return sorted(n for n in names if n not in ADAPTER and n != "bot.__main__")


def leaks(*modules: str) -> list[str]:
    return run_python_json(LEAKS, *modules)  # type: ignore[return-value]


@pytest.mark.slow  # imports every core module, spaCy and torch included
def test_the_core_loads_no_discord_and_no_cog() -> None:
    modules = core_modules()
    assert {"bot.console", "bot.cli", "bot.service", "bot.autocomplete"} <= set(modules)
    found = leaks(*modules)
    assert not found, f"importing the core loads {len(found)} Discord/cog modules: {found[:4]}"


def test_the_check_sees_a_leak() -> None:
    assert "discord" in leaks("bot.discord_bot")
    assert any(m.startswith("cogs.") for m in leaks("cogs.utils.embeds"))
