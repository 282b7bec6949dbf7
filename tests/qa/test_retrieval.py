"""Hybrid retrieval: the int8 matrix, reciprocal rank fusion, and refreshing on change."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from support import GUM_DIR

from bot.nlp.embeddings import to_blob
from bot.nlp.pipeline import Analyser
from bot.qa import Answerer, retrieval
from bot.qa.retrieval import HybridRetriever, MatrixBuilder, SentenceMatrix, fuse
from bot.service import Newsdesk
from bot.settings import Settings
from bot.store import Store


def _unit_rows(n: int, dim: int = 384, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _matrix(vectors: np.ndarray, articles: list[str] | None = None) -> SentenceMatrix:
    builder = MatrixBuilder()
    names = articles or ["a"] * len(vectors)
    rows = [(i + 1, names[i], to_blob(v)) for i, v in enumerate(vectors)]
    for begin in range(0, len(rows), 700):  # several pages, as the store hands them over
        builder.add(rows[begin : begin + 700])
    return builder.build()


def test_int8_matrix_ranks_and_scores_like_float32() -> None:
    vectors = _unit_rows(2000)
    matrix = _matrix(vectors)
    assert matrix.vectors.dtype == np.int8 and matrix.vectors.shape == (2000, 384)
    assert matrix.nbytes < vectors.nbytes / 3
    query = vectors[123] + 0.3 * _unit_rows(1, seed=1)[0]
    query /= np.linalg.norm(query)
    exact = vectors @ query
    top = matrix.top(query, 10)
    assert top[0][0] == 124  # row ids start at 1
    assert [sid for sid, _ in top[:5]] == [int(i) + 1 for i in np.argsort(-exact)[:5]]
    assert np.allclose(matrix.dot(query), exact, atol=0.01)
    cosines = matrix.cosines(query, [124, 5, 99_999])
    assert set(cosines) == {124, 5} and abs(cosines[124] - exact[123]) < 0.01


def test_sign_bit_prefilter_keeps_the_nearest(monkeypatch: pytest.MonkeyPatch) -> None:
    centres = _unit_rows(50, seed=2)
    rng = np.random.default_rng(3)
    vectors = centres[rng.integers(0, 50, 3000)] + 0.05 * rng.standard_normal((3000, 384))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    matrix = _matrix(vectors)
    assert matrix.signs.shape == (3000, 6) and matrix.signs.dtype == np.uint64
    exact = [matrix.top(c, 20) for c in centres[:10]]
    monkeypatch.setattr(retrieval, "PREFILTER_ROWS", 100)
    monkeypatch.setattr(retrieval, "PREFILTER_KEEP", 300)
    assert len(matrix.prefilter(centres[0], 300)) == 300
    fast = [matrix.top(c, 20) for c in centres[:10]]
    pairs = list(zip(exact, fast, strict=True))
    recall = np.mean([len({a for a, _ in e} & {b for b, _ in f}) / 20 for e, f in pairs])
    assert recall >= 0.95 and all(e[0] == f[0] for e, f in pairs)


def test_matrix_article_filter_empty_and_other_widths() -> None:
    vectors = _unit_rows(10)
    matrix = _matrix(vectors, ["a"] * 5 + ["b"] * 5)
    assert {sid for sid, _ in matrix.top(vectors[7], 3, "b")} <= {6, 7, 8, 9, 10}
    assert matrix.top(vectors[7], 3, "b")[0][0] == 8
    assert matrix.top(vectors[0], 3, "nope") == []
    empty = MatrixBuilder().build()
    assert (
        len(empty) == 0 and empty.top(vectors[0], 5) == [] and empty.cosines(vectors[0], [1]) == {}
    )
    builder = MatrixBuilder()
    builder.add([(1, "a", to_blob(vectors[0])), (2, "a", to_blob(vectors[1][:100]))])
    assert len(builder.build()) == 1 and builder.skipped == 1


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = fuse([[1, 2, 3], [3, 1, 4]])
    assert max(fused, key=fused.__getitem__) == 1
    assert fused[3] > fused[2] and fused[4] == 1 / 63


async def test_hybrid_search_finds_the_sentence(answerer: Answerer) -> None:
    hits = await answerer.retriever.search(
        "Where do the leaders meet at the summit?", "leaders meet summit", k=10
    )
    rows = await answerer.store.passages([h.sentence_id for h in hits])
    texts = [rows[h.sentence_id][2] for h in hits]
    assert any("summit in Samarkand" in t for t in texts[:5])
    assert all(h.score > 0 and -1 <= h.cosine <= 1 for h in hits)
    assert hits == sorted(hits, key=lambda h: -h.score)
    # A paraphrase with no word in common is still found by its meaning.
    hits = await answerer.retriever.search("Which city hosts the gathering?", "", k=10)
    assert any(h.dense_rank is not None for h in hits)


async def test_search_within_one_article(answerer: Answerer) -> None:
    korea = (await answerer.store.find_articles("korea"))[0]
    hits = await answerer.retriever.search("artillery fire", "artillery fire", article_id=korea.id)
    rows = await answerer.store.passages([h.sentence_id for h in hits])
    assert hits and {rows[h.sentence_id][0] for h in hits} == {korea.id}


async def desk_on_a_copy(
    tmp_path: Path,
    qa_corpus: tuple[Path, Path],
    qa_db: Path,
    analyser: Analyser,
    extra: tuple[str, ...] = (),
) -> tuple[Path, Settings, Newsdesk]:
    """The service over a copy of the QA corpus (plus `extra` GUM files) that a test may
    change, on the shared QA database."""
    corpus = tmp_path / "corpus"
    shutil.copytree(qa_corpus[0], corpus)
    for name in extra:
        shutil.copy(GUM_DIR / name, corpus / name)
    settings = Settings(_env_file=None, corpus_dir=corpus, database=qa_db)
    return corpus, settings, Newsdesk(settings, await Store.open(qa_db), analyser)


async def test_matrix_follows_ingest_without_being_told(
    tmp_path: Path, qa_corpus: tuple[Path, Path], qa_db: Path, analyser: Analyser
) -> None:
    corpus, settings, desk = await desk_on_a_copy(tmp_path, qa_corpus, qa_db, analyser)
    try:
        answerer = Answerer(desk.store, analyser, settings)
        before = await answerer.retriever.matrix()
        assert await answerer.retriever.matrix() is before  # nothing changed: no reload

        shutil.copy(GUM_DIR / "crane.txt", corpus / "crane.txt")
        await desk.ingest()
        grown = await answerer.retriever.matrix()
        assert len(grown) > len(before)
        answer = await answerer.ask("How many people were wounded by the crane in Mecca?")
        assert answer.answer == "238" and answer.source == "crane.txt"

        korea = corpus / "korea.txt"
        korea.write_text(
            korea.read_text(encoding="utf-8") + "\n\nThe zebra parade was held in Reykjavik.\n",
            encoding="utf-8",
        )
        await desk.ingest()
        answer = await answerer.ask("Where was the zebra parade held?")
        assert answer.answer == "Reykjavik"

        with_zebra = len(await answerer.retriever.matrix())
        assert with_zebra == len(grown) + 1
        crane = (await desk.store.find_articles("crane.txt"))[0]
        crane_rows = len(await desk.store.sentences(crane.id))
        (corpus / "crane.txt").unlink()
        await desk.ingest()
        assert len(await answerer.retriever.matrix()) == with_zebra - crane_rows
        answer = await answerer.ask("How many people were wounded by the crane in Mecca?")
        assert answer.source != "crane.txt"
    finally:
        await desk.close()


def count_full_loads(retriever: HybridRetriever) -> list[None]:
    """Wrap the retriever's whole-matrix load: the list grows by one per full load."""
    loads: list[None] = []
    real_load = retriever._load

    async def counting_load(*args: int) -> SentenceMatrix:
        loads.append(None)
        return await real_load(*args)

    retriever._load = counting_load  # type: ignore[method-assign]
    return loads


async def test_matrix_is_frozen_while_an_ingest_runs_and_reloaded_once_after(
    tmp_path: Path, qa_corpus: tuple[Path, Path], qa_db: Path, analyser: Analyser
) -> None:
    extra = ("crane.txt", "flag.txt")
    *_, desk = await desk_on_a_copy(tmp_path, qa_corpus, qa_db, analyser, extra)
    retriever = desk.answerer.retriever
    loads = count_full_loads(retriever)
    seen_during: list[bool] = []
    answers_during: list[str | None] = []
    real_save = desk.store.save_analysis

    async def save_then_ask(item):  # type: ignore[no-untyped-def]
        await real_save(item)
        seen_during.append(await retriever.matrix() is before)
        answer = await desk.ask("How many people were wounded by the crane in Mecca?")
        answers_during.append(answer.source)

    try:
        before = await retriever.matrix()
        assert len(loads) == 1
        desk.store.save_analysis = save_then_ask  # type: ignore[method-assign]
        report = await desk.ingest()
        assert report.new == 2
        assert seen_during == [True, True], "no reload while the ingest writes"
        assert len(loads) == 1
        # The new article is already found by BM25 while its vectors wait for the reload.
        assert answers_during[-1] == "crane.txt"
        after = await retriever.matrix()
        # New articles only: their rows are appended, the matrix is not read again whole.
        assert len(loads) == 1 and len(after) > len(before)
        assert await retriever.matrix() is after
        answer = await desk.ask("How many people were wounded by the crane in Mecca?")
        assert answer.answer == "238" and answer.source == "crane.txt"
    finally:
        await desk.close()


def _same(a: SentenceMatrix, b: SentenceMatrix) -> bool:
    """The same rows: ids, vectors, scales, sign bits, and each row's article."""
    names_a = {code: name for name, code in a.article_codes.items()}
    names_b = {code: name for name, code in b.article_codes.items()}
    return (
        np.array_equal(a.ids, b.ids)
        and np.array_equal(a.vectors, b.vectors)
        and np.array_equal(a.scales, b.scales)
        and np.array_equal(a.signs, b.signs)
        and [names_a[c] for c in a.articles] == [names_b[c] for c in b.articles]
    )


async def test_new_articles_are_appended_and_anything_else_reloads_whole(
    tmp_path: Path, qa_corpus: tuple[Path, Path], qa_db: Path, analyser: Analyser
) -> None:
    corpus, settings, desk = await desk_on_a_copy(tmp_path, qa_corpus, qa_db, analyser)
    retriever = desk.answerer.retriever
    loads = count_full_loads(retriever)

    async def fresh() -> SentenceMatrix:
        return await Answerer(desk.store, analyser, settings).retriever.matrix()

    try:
        before = await retriever.matrix()
        assert len(loads) == 1
        shutil.copy(GUM_DIR / "crane.txt", corpus / "crane.txt")
        await desk.ingest()
        grown = await retriever.matrix()
        assert len(loads) == 1, "new articles only: appended"
        assert len(grown) > len(before) and _same(grown, await fresh())

        korea = corpus / "korea.txt"  # re-analysed: its rows deleted, new ones written
        korea.write_text(korea.read_text(encoding="utf-8") + "\n\nA zebra parade.\n", "utf-8")
        await desk.ingest()
        changed = await retriever.matrix()
        assert len(loads) == 2 and _same(changed, await fresh())

        (corpus / "crane.txt").unlink()  # the last article's rows removed
        await desk.ingest()
        assert _same(await retriever.matrix(), await fresh()) and len(loads) == 3
    finally:
        await desk.close()
