"""A full name that absorbs a lone-name entity in the same article must not leave the
article's mentions or quotes pointing at the entity it just deleted."""

from __future__ import annotations

import sqlite3

from bot.corpus import content_hash
from bot.records import AnalysedArticle, Article, Entity, Mention, Quote, Sentence
from bot.store import Store


def _article(aid: str, text: str, names: list[str]) -> AnalysedArticle:
    article = Article(aid, f"{aid}.txt", f"Title {aid}", text, content_hash("t", text))
    mentions, entities = [], {}
    for name in names:
        start = text.index(name)
        mentions.append(Mention(name, "PERSON", start, start + len(name), name))
        entities[name] = Entity(name, "PERSON", {name})
    quotes = [
        Quote("words", 0, 5, name, name, "say", "direct", speaker_is_person=True) for name in names
    ]
    return AnalysedArticle(
        article, "v", [Sentence(0, 0, len(text), text)], mentions, entities, quotes
    )


async def test_lone_name_linked_before_the_full_name_that_absorbs_it(store: Store) -> None:
    # "Okafor" is ambiguous in the corpus (two full names), so it gets its own entity;
    # then a third "… Okafor" in the same article absorbs it.
    await store.save_analysis(
        _article("a1", "Jamal Okafor and Rosa Okafor met.", ["Jamal Okafor", "Rosa Okafor"])
    )
    await store.save_analysis(
        _article("a2", "Okafor said so, and Zara Okafor agreed.", ["Okafor", "Zara Okafor"])
    )
    assert await store.integrity_check() == "ok"
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        linked = db.execute(
            "SELECT count(*) FROM mentions m JOIN entities e ON e.id = m.entity_id"
            " WHERE m.article_id = 'a2'"
        ).fetchone()[0]
    assert linked == 2
    assert (await store.article_counts("a2")).quotes == 2
