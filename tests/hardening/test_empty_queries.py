"""A filter typed but cleaned to nothing (only NULs, control characters or punctuation)
is answered as "nothing to search for", never as no filter at all (every quote)."""

from __future__ import annotations

import pytest

from bot.errors import UserError
from bot.service import Newsdesk, NothingToSearch

EMPTY_FILTERS = [
    {"text": "\x00\x00\x00"},
    {"text": "\x00\x1b\x7f\t\n"},
    {"text": "!!! ??? ..."},
    {"speaker": "\x00\x00"},
    {"article": "\x00\x01"},
]


async def test_quotes_filters_that_clean_to_nothing(desk: Newsdesk) -> None:
    await desk.ingest()
    assert (await desk.quotes()).total > 0  # there is something it could wrongly return
    for filters in EMPTY_FILTERS:
        with pytest.raises(NothingToSearch, match="Nothing to search for") as raised:
            await desk.quotes(**filters)
        assert isinstance(raised.value, UserError)  # front ends show it as a short message


async def test_other_lookups_that_clean_to_nothing(desk: Newsdesk) -> None:
    await desk.ingest()
    for call in (
        desk.entities("\x00\x00"),
        desk.ask("Who spoke?", article="\x00"),
    ):
        with pytest.raises(NothingToSearch):
            await call


async def test_nothing_typed_is_still_no_filter(desk: Newsdesk) -> None:
    await desk.ingest()
    everything = await desk.quotes()
    assert (await desk.quotes(text="", speaker="  ")).total == everything.total
    assert len(await desk.articles("  ")) == len(await desk.articles(None)) > 0
    # /articles lists when there is nothing to match: a listing, not a search.
    assert len(await desk.articles("\x00")) == len(await desk.articles(None))
