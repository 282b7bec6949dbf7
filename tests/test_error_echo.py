"""Errors repeat what was typed, cut: a pasted page doesn't come back whole."""

import pytest

from bot.errors import ECHO_CHARS, Ambiguous, UserError, echo
from bot.service import Newsdesk


def test_echo_cuts_long_input_and_folds_whitespace() -> None:
    assert echo("short  one\n") == "short one"
    cut = echo("word " * 700)
    assert len(cut) <= ECHO_CHARS and cut.endswith("…")


def test_ambiguous_cuts_the_query() -> None:
    assert len(str(Ambiguous("Name", "x" * 3200, ["A", "B"]))) < 200


async def test_not_found_errors_cut_a_huge_query(desk: Newsdesk) -> None:
    await desk.ingest()
    huge = "Zanzibar " * 400
    with pytest.raises(UserError) as err:
        await desk.resolve_article(huge)
    assert len(str(err.value)) < 200
    with pytest.raises(UserError) as err:
        await desk.entity(huge)
    assert len(str(err.value)) < 200


async def test_a_mistyped_article_suggests_the_closest_titles(desk: Newsdesk) -> None:
    await desk.ingest()
    with pytest.raises(UserError, match=r"Did you mean “Strength of ‘Unlimited’ China-Russia"):
        await desk.resolve_article("Strenght of Unlimted China Rusia ties")
