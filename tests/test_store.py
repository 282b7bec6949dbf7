import sqlite3
from pathlib import Path

import pytest

from bot.records import AnalysedArticle, Article, Entity, Mention, Quote, Sentence, SummaryRecord
from bot.store import MIGRATIONS, SCHEMA_VERSION, Store, StoreUnavailable, fts_query


def analysed(article_id: str = "a1", text: str = "Niva Yau said so. Yau left.") -> AnalysedArticle:
    article = Article(article_id, f"{article_id}.txt", "Title", text, f"hash-{text}")
    return AnalysedArticle(
        article=article,
        pipeline_version="v1",
        sentences=[Sentence(0, 0, 17, text[:17]), Sentence(1, 18, len(text), text[18:])],
        mentions=[
            Mention("Niva Yau", "PERSON", 0, 8, "Niva Yau"),
            Mention("Yau", "PERSON", 18, 21, "Niva Yau"),
        ],
        entities={"Niva Yau": Entity("Niva Yau", "PERSON", {"Yau"}, "senior researcher")},
        quotes=[Quote("so", 14, 16, "Niva Yau", "Niva Yau", "say", "indirect")],
        summaries=[SummaryRecord("extractive", "medium", "", "Niva Yau said so.", (0,))],
    )


async def test_fresh_database_has_every_migration(store: Store) -> None:
    assert await store.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
    assert await store.integrity_check() == "ok"


async def test_migrates_forward_keeping_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.executescript(MIGRATIONS[0] + "\nPRAGMA user_version = 1;")
    con.execute(
        "INSERT INTO articles (id, source, title, text, content_hash, pipeline_version)"
        " VALUES ('x', 'x.txt', 'Old', 'Body', 'h', 'v0')"
    )
    con.commit()
    con.close()
    store = await Store.open(path)
    try:
        assert await store.schema_version() == SCHEMA_VERSION
        assert (await store.article_states()) == {"x": ("h", "v0")}
        assert await store.search_quotes() == []
    finally:
        await store.close()


async def test_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(StoreUnavailable, match="newer than this code"):
        await Store.open(path)


async def test_save_and_query(store: Store) -> None:
    await store.save_analysis(analysed())
    [(eid, name, label, mentions, articles)] = await store.ranked_entities()
    assert (name, label, mentions, articles) == ("Niva Yau", "PERSON", 2, 1)
    assert await store.entity_aliases(eid) == ["Niva Yau", "Yau"] or set(
        await store.entity_aliases(eid)
    ) == {"Niva Yau", "Yau"}
    [(article, count, role)] = await store.entity_articles(eid)
    assert (article.id, count, role) == ("a1", 2, "senior researcher")
    [quote] = await store.search_quotes(speaker_ids=[eid])
    assert quote.text == "so" and quote.role == "senior researcher"
    assert await store.speakers() == [("Niva Yau", 1, eid)]
    hits = await store.search_sentences("left")
    assert len(hits) == 1
    assert (
        await store.get_summary(
            "a1", "hash-Niva Yau said so. Yau left.", "extractive", "medium", ""
        )
    ).text == "Niva Yau said so."


async def test_resave_replaces_without_duplicates(store: Store) -> None:
    await store.save_analysis(analysed())
    await store.save_analysis(analysed())
    assert len(await store.search_quotes()) == 1
    assert len(await store.sentences("a1")) == 2
    assert [r[3] for r in await store.ranked_entities()] == [2]


async def test_failed_write_leaves_nothing(store: Store) -> None:
    bad = analysed()
    bad.quotes = [Quote("so", 14, 16, "Niva Yau", "Niva Yau", "say", "shouted")]  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        await store.save_analysis(bad)
    assert await store.article_states() == {}
    assert await store.ranked_entities() == []
    await store.save_analysis(analysed())  # the connection is still usable
    assert len(await store.article_states()) == 1


async def test_delete_removes_article_and_orphans(store: Store) -> None:
    await store.save_analysis(analysed("a1"))
    await store.save_analysis(analysed("a2", "Niva Yau said more. Yau left."))
    await store.delete_articles(["a1"])
    [(_, _, _, mentions, articles)] = await store.ranked_entities()
    assert (mentions, articles) == (2, 1)
    await store.delete_articles(["a2"])
    assert await store.entity_names() == []
    assert await store.integrity_check() == "ok"


async def test_lone_surname_joins_the_full_name_across_articles(store: Store) -> None:
    lone = analysed("b", "Yau spoke.")
    lone.mentions = [Mention("Yau", "PERSON", 0, 3, "Yau")]
    lone.entities = {"Yau": Entity("Yau", "PERSON")}
    lone.quotes = []
    await store.save_analysis(lone)  # before the full name is known
    await store.save_analysis(analysed("a"))
    names = {name for _, name, _, _ in await store.entity_names()}
    assert names == {"Niva Yau"}
    [(_, _, _, mentions, articles)] = await store.ranked_entities()
    assert (mentions, articles) == (3, 2)


@pytest.mark.parametrize(
    "text",
    ['"unbalanced', "a OR b NOT c", "NEAR(x y)", "col:val", "*", "'; DROP TABLE x; --", "\x00"],
)
async def test_hostile_search_text_is_answered(store: Store, text: str) -> None:
    await store.save_analysis(analysed())
    assert isinstance(await store.search_sentences(text), list)
    assert isinstance(await store.search_quotes(text=text), list)
    assert isinstance(await store.find_articles(text), list)


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('say "what" OR x*') == '"say" "what" "OR" "x"'
    assert fts_query("!!!") is None


async def test_lone_surname_shared_by_two_people_stays_apart(store: Store) -> None:
    item = analysed("c", "Cyd Ho met Junius Ho. Ho spoke.")
    item.mentions = [
        Mention("Cyd Ho", "PERSON", 0, 6, "Cyd Ho"),
        Mention("Junius Ho", "PERSON", 11, 20, "Junius Ho"),
        Mention("Ho", "PERSON", 22, 24, "Ho"),
    ]
    item.entities = {n: Entity(n, "PERSON") for n in ("Ho", "Cyd Ho", "Junius Ho")}
    item.quotes = []
    await store.save_analysis(item)
    names = {name for _, name, _, _ in await store.entity_names()}
    assert names == {"Ho", "Cyd Ho", "Junius Ho"}


async def test_quote_segments_round_trip(store: Store) -> None:
    text = '"We will win," Yau said, "and soon."'
    item = analysed(text=text)
    item.quotes = [
        Quote(text[1:34], 1, 34, "Niva Yau", "Yau", "say", "direct", segments=((1, 12), (26, 34)))
    ]
    await store.save_analysis(item)
    (row,) = await store.article_quotes("a1")
    assert row.segments == [{"start": 1, "end": 12}, {"start": 26, "end": 34}]


async def test_migration_6_gives_old_quotes_empty_segments(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.executescript("".join(MIGRATIONS[:5]) + "\nPRAGMA user_version = 5;")
    con.execute(
        "INSERT INTO articles (id, source, title, text, content_hash, pipeline_version)"
        " VALUES ('a1', 'a1.txt', 'T', 'Yau said so.', 'h', 'v0')"
    )
    con.execute(
        "INSERT INTO quotes (article_id, start, end, text, speaker, speaker_text,"
        " speaker_is_person, cue, kind) VALUES ('a1', 9, 11, 'so', 'Yau', 'Yau', 1, 'say',"
        " 'indirect')"
    )
    con.commit()
    con.close()
    store = await Store.open(path)
    try:
        assert await store.schema_version() == SCHEMA_VERSION
        (row,) = await store.article_quotes("a1")
        assert row.segments == []
    finally:
        await store.close()
