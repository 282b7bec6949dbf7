"""A long article is parsed in chunks of paragraphs: spaCy never holds more than one
chunk, and what is stored still points at the right characters of the whole text."""

from __future__ import annotations

import random

import pytest
from hardening.helpers import tiny_article

from bot.corpus import _make_article
from bot.nlp.pipeline import Analyser, ChunkParams, chunk_spans
from bot.settings import Settings


def _long_text(paragraphs: int) -> str:
    rng = random.Random(3)
    return "\n\n".join(tiny_article(rng, n).split("\n", 2)[2] for n in range(paragraphs))


@pytest.mark.parametrize("limit", [50, 300, 10_000])
def test_chunks_cover_the_text_exactly_at_breaks(limit: int) -> None:
    text = _long_text(12) + "\n" + "word " * 200  # a last paragraph longer than some limits
    spans = chunk_spans(text, ChunkParams(max_chars=limit))
    assert "".join(text[a:b] for a, b in spans) == text
    assert all(b - a <= limit for a, b in spans)
    assert all(text[b - 1].isspace() for a, b in spans[:-1])


def test_a_long_article_is_analysed_chunk_by_chunk(analyser: Analyser) -> None:
    text = _long_text(30)
    article = _make_article("long.txt", "long.txt", "A long day in the harbour", text)
    params = ChunkParams(max_chars=600)
    chunked = Analyser(Settings(_env_file=None), params)
    chunked.__dict__["nlp"], chunked.__dict__["embedder"] = analyser.nlp, analyser.embedder
    seen: list[int] = []
    real_pipe = analyser.nlp.pipe

    def pipe(texts, **kw):
        for doc in real_pipe(texts, **kw):
            seen.append(len(doc.text))
            yield doc

    chunked.__dict__["nlp"] = type("Spy", (), {"pipe": staticmethod(pipe)})()
    [item] = chunked.analyse_batch([article])
    assert len(seen) == len(chunk_spans(text, params)) > 10 and max(seen) <= 600

    # Offsets are into the whole text, and the parse matches the one-Doc parse.
    text = item.article.text
    for s in item.sentences:
        assert text[s.start : s.end] == s.text
    for m in item.mentions:
        assert text[m.start : m.end] == m.text and m.canonical in item.entities
    for q in item.quotes:
        assert text[q.start : q.end] == q.text
    [whole] = analyser.analyse_batch([article])
    assert [s.text for s in item.sentences] == [s.text for s in whole.sentences]
    assert {(m.start, m.text) for m in item.mentions} >= {
        (m.start, m.text) for m in whole.mentions[:5]
    }
    assert len(item.quotes) >= 0.8 * len(whole.quotes) > 0
    assert item.summaries and item.embeddings and len(item.embeddings) == len(item.sentences)


def _full_matrix_mmr(scores, emb, k: int, lam: float, duplicate: float) -> list[int]:
    """MMR as it was, over the whole n×n similarity matrix (quadratic in memory)."""
    import numpy as np

    chosen: list[int] = []
    sim = emb @ emb.T
    remaining = list(range(len(scores)))
    while remaining and len(chosen) < k:
        red = sim[np.ix_(remaining, chosen)].max(axis=1) if chosen else np.zeros(len(remaining))
        value = lam * scores[remaining] - (1 - lam) * red
        value = np.where(red >= duplicate, value - 10.0, value)
        best = remaining[int(np.argmax(value))]
        chosen.append(best)
        remaining.remove(best)
    return chosen


def test_mmr_picks_as_before_without_the_square_matrix() -> None:
    import numpy as np

    from bot.nlp import extractive

    rng = np.random.default_rng(0)
    for trial in range(100):
        n = int(rng.integers(1, 80))
        emb = rng.normal(size=(n, 16)).astype(np.float32)
        emb /= np.linalg.norm(emb, axis=1, keepdims=True)
        if n > 2 and trial % 3 == 0:
            emb[1] = emb[0]  # a duplicate sentence
        scores = rng.random(n).astype(np.float32)
        dup = extractive.DUPLICATE_SIMILARITY
        assert extractive.mmr(scores, emb, 6, 0.85) == _full_matrix_mmr(scores, emb, 6, 0.85, dup)
