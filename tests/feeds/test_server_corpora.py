"""Per-server corpora: a server sees the shared articles plus its own, never another
server's; a DM sees the shared ones only; the CLI (no viewer) sees everything."""

from __future__ import annotations

import json

import pytest

from bot import scope
from bot.autocomplete import ChoiceCache
from bot.errors import NotFound
from bot.service import Newsdesk

SHARED = {
    "title": "Harbour reopens after the storm",
    "text": (
        "The harbour reopened on Friday after a week of repairs.\n\n"
        '"We are relieved to be open again," said Jane Doe, the harbour master.'
    ),
}
OWN = {
    "title": "Zeppelin festival draws record crowds",
    "text": (
        "A zeppelin festival drew record crowds to the old airfield on Saturday.\n\n"
        '"Nobody expected so many visitors," said Maria Lopez, the festival director.'
    ),
}
FIRST, SECOND = 111, 222


async def corpus(desk: Newsdesk) -> str:
    (desk.corpus_dir / "shared.json").write_text(json.dumps(SHARED))
    own = desk.corpus_dir / scope.server_folder(FIRST) / "feeds" / "own.json"
    own.parent.mkdir(parents=True)
    own.write_text(json.dumps(OWN))
    await desk.ingest()
    (row,) = await desk.articles("Zeppelin")
    return row.id


async def test_a_second_server_cannot_see_search_or_remove_the_firsts(
    desk: Newsdesk,
) -> None:
    # Each test runs in its own context: the viewer set here goes no further.
    own_id = await corpus(desk)
    choices = ChoiceCache()
    await choices.refresh(desk)  # built unscoped, as the bot does after an ingest

    scope.view_as(SECOND)
    assert [a.title for a in await desk.articles()] == [SHARED["title"]]
    assert await desk.articles("zeppelin") == []
    for ref in (own_id, "Zeppelin", "servers/111/feeds/own.json"):
        with pytest.raises(NotFound):
            await desk.resolve_article(ref)  # what /corpus remove resolves first
    assert (await desk.quotes(text="visitors")).total == 0
    assert "Maria Lopez" not in {name for name, _ in await desk.speakers()}
    with pytest.raises(NotFound):
        await desk.quotes(speaker="Maria Lopez")
    with pytest.raises(NotFound):
        await desk.entity("Maria Lopez")
    assert "Maria Lopez" not in {e.name for e in await desk.entities()}
    answer = await desk.ask("Who is the festival director?")
    assert all(p.article != own_id for p in answer.passages)
    assert "Maria Lopez" not in (answer.answer or "")
    assert [s.value for s in choices.article_choices("zep")] == []

    scope.view_as(None)  # a DM: the shared folder only
    assert [a.title for a in await desk.articles()] == [SHARED["title"]]

    scope.view_as(FIRST)  # the owner sees both
    assert {a.title for a in await desk.articles()} == {SHARED["title"], OWN["title"]}
    assert (await desk.resolve_article("Zeppelin")).id == own_id
    assert (await desk.quotes(speaker="Maria Lopez")).total == 1
    assert [s.value for s in choices.article_choices("zep")] == [own_id]
    card = await desk.entity("Maria Lopez")
    assert [a.article.id for a in card.articles] == [own_id]


async def test_without_a_viewer_everything_is_visible(desk: Newsdesk) -> None:
    await corpus(desk)
    assert not scope.scoped()
    assert len(await desk.articles()) == 2
    assert scope.owner_of("servers/111/feeds/own.json") == FIRST
    assert scope.owner_of("feeds/x.json") is None and scope.owner_of("servers/x/y") is None


async def test_an_entity_card_counts_and_describes_from_the_viewers_articles_only(
    desk: Newsdesk,
) -> None:
    """The card's article total and role come from what the viewer may read: a person
    named in another server's article is not counted or described from it there."""
    (desk.corpus_dir / "shared.json").write_text(json.dumps(SHARED))
    own = desk.corpus_dir / scope.server_folder(FIRST) / "feeds" / "doe.json"
    own.parent.mkdir(parents=True)
    own.write_text(
        json.dumps(
            {
                "title": "Sponsor backs the zeppelin festival",
                "text": (
                    "Jane Doe, the festival's chief sponsor, opened the zeppelin festival.\n\n"
                    "Jane Doe met the pilots. Jane Doe toured the airfield with Jane Doe's"
                    " family, and Doe thanked the crowd."
                ),
            }
        )
    )
    await desk.ingest()
    everyone = await desk.entity("Jane Doe")
    assert everyone.total_articles == 2

    scope.view_as(SECOND)
    card = await desk.entity("Jane Doe")
    assert card.total_articles == 1
    assert [a.article.title for a in card.articles] == [SHARED["title"]]
    assert "sponsor" not in (card.role or "")
