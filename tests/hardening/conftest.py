"""Fixtures for the hardening tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hardening.helpers import Reference, write_tiny_corpus

from bot.nlp.pipeline import Analyser


@pytest.fixture
def reference(analyser: Analyser) -> Reference:
    return Reference(analyser)


@pytest.fixture
def tiny_corpus() -> Callable[[Path, int], Path]:
    return write_tiny_corpus
