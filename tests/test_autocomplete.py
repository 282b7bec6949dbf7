"""Autocomplete answers from an in-memory snapshot: ≤ 25 choices, ≤ 100 characters, fast."""

from __future__ import annotations

import time

import pytest

from bot.autocomplete import ChoiceCache
from bot.service import Newsdesk


@pytest.fixture
async def cache(desk: Newsdesk) -> ChoiceCache:
    await desk.ingest()
    c = ChoiceCache()
    await c.refresh(desk)
    return c


async def test_articles_by_title_word_and_id(cache: ChoiceCache) -> None:
    [seed] = cache.articles
    by_word = cache.article_choices("teste")  # the start of a word inside the title
    assert [s.value for s in by_word] == [seed.id]
    assert cache.article_choices(seed.id[:6])[0].value == seed.id
    assert cache.article_choices("zzzz") == []


async def test_entities_offer_canonical_names(cache: ChoiceCache) -> None:
    names = [s.value for s in cache.entity_choices("xi")]
    assert "Xi Jinping" in names
    assert all(len(s.label) <= 100 and len(s.value) <= 100 for s in cache.entity_choices(""))
    assert len(cache.entity_choices("")) <= 25


async def test_speakers_when_the_service_has_them(cache: ChoiceCache, desk: Newsdesk) -> None:
    assert any(s.value == "Niva Yau" for s in cache.speaker_choices("ya"))


@pytest.mark.parametrize("typed", ["", "x" * 5000, "\x00", "@everyone", "' OR 1=1 --", "مرحبا"])
async def test_any_input_is_answered_quickly(cache: ChoiceCache, typed: str) -> None:
    started = time.perf_counter()
    for method in (cache.article_choices, cache.entity_choices, cache.speaker_choices):
        choices = method(typed)
        assert len(choices) <= 25
        assert all(1 <= len(c.label) <= 100 and len(c.value) <= 100 for c in choices)
    assert time.perf_counter() - started < 0.5
