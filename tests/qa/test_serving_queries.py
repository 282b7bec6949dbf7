"""The entity card's top articles with a total, and a speaker's quotes in index order,
on the seed and three GUM articles (the qa conftest's corpus)."""

from __future__ import annotations

import pytest

from bot import service
from bot.service import Newsdesk


async def test_entity_card_lists_the_top_articles_and_counts_them_all(
    qa_desk: Newsdesk, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = qa_desk.store
    ranked = await store.ranked_entities(limit=500)
    eid, name, *_ = next(r for r in ranked if r[4] >= 2)  # in two articles or more
    every = await store.entity_articles(eid)
    assert len(every) == await store.count_entity_articles(eid) >= 2
    assert [m for _, m, _ in every] == sorted((m for _, m, _ in every), reverse=True)
    for n in range(1, len(every) + 1):
        assert await store.entity_articles(eid, n) == every[:n]

    monkeypatch.setattr(service, "CARD_ARTICLES", 1)
    card = await qa_desk.entity(name)
    assert card.id == eid
    assert [a.article.id for a in card.articles] == [every[0][0].id]
    assert card.total_articles == len(every)
    assert card.role == next((role for _, _, role in every if role), None)
    # Sentences from articles past the top one still come with their article.
    page = await qa_desk.entity(name, per_page=100)
    assert {row.id for row, _, _ in page.sentences} == {a.id for a, _, _ in every}


async def test_a_speakers_quotes_come_by_path_then_offset(qa_desk: Newsdesk) -> None:
    store = qa_desk.store
    speakers = [s for s in await store.speakers() if s[2] is not None]
    assert speakers
    for _, count, eid in speakers[:5]:
        quotes = await store.search_quotes(speaker_ids=[eid], limit=1000)
        assert len(quotes) == count == await store.count_quotes(speaker_ids=[eid])
        assert [(q.source, q.start) for q in quotes] == sorted((q.source, q.start) for q in quotes)
    plan = await store._all(
        "EXPLAIN QUERY PLAN SELECT q.id FROM quotes q JOIN articles a ON a.id = q.article_id"
        " WHERE q.speaker_entity_id IN (?) ORDER BY q.source, q.start LIMIT 50",
        (speakers[0][2],),
    )
    details = " ".join(str(r[3]) for r in plan)
    assert "quotes_speaker_order" in details and "TEMP B-TREE" not in details


async def test_the_cards_role_reads_only_the_links_that_have_one(qa_desk: Newsdesk) -> None:
    """Migration 11's partial index: a common name with no role anywhere costs nothing."""
    store = qa_desk.store
    ranked = await store.ranked_entities(limit=500)
    with_role = {eid for eid, *_ in ranked if await store.entity_role(eid)}
    without = next(eid for eid, *_ in ranked if eid not in with_role)
    assert with_role and await store.entity_role(without) is None
    plan = await store._all(
        "EXPLAIN QUERY PLAN SELECT ae.role FROM article_entities ae JOIN articles a"
        " ON a.id = ae.article_id WHERE ae.entity_id = ? AND ae.role IS NOT NULL"
        " ORDER BY ae.mentions DESC, a.source LIMIT 1",
        (without,),
    )
    assert "article_entities_role" in " ".join(str(r[3]) for r in plan)
