"""The encoder beside the parse (INGEST_OVERLAP): the same analysis as one after the other."""

from __future__ import annotations

import random

import pytest
from hardening.helpers import tiny_article
from support import SEED_FILE

from bot.corpus import _make_article
from bot.nlp.pipeline import Analyser, OverlapParams
from bot.settings import Settings


def _articles() -> list:
    rng = random.Random(5)
    seed = SEED_FILE.read_text(encoding="utf-8")
    texts = [seed.split("\n", 1)[1]] + [tiny_article(rng, i) for i in range(6)]
    return [_make_article(f"a{i}.txt", f"a{i}.txt", f"Title {i}", t) for i, t in enumerate(texts)]


def _sharing(analyser: Analyser, overlap: bool) -> Analyser:
    """An analyser over the loaded models, in small encoder groups so a batch has several."""
    settings = Settings(_env_file=None, ingest_overlap=overlap)
    other = Analyser(settings, overlap_params=OverlapParams(group_texts=20))
    other.__dict__["nlp"], other.__dict__["embedder"] = analyser.nlp, analyser.embedder
    return other


def test_overlapped_analysis_equals_the_serial_one(analyser: Analyser) -> None:
    articles = _articles()
    serial = _sharing(analyser, False).analyse_batch(articles)
    beside = _sharing(analyser, True).analyse_batch(articles)
    assert [a.article.id for a in beside] == [a.id for a in articles]
    assert beside == serial  # sentences, entities, quotes, vectors and summaries alike
    assert all(len(a.embeddings) == len(a.sentences) and a.summaries for a in beside[:1])


def test_an_encoder_failure_beside_the_parse_is_raised(analyser: Analyser) -> None:
    beside = _sharing(analyser, True)

    class Broken:
        def encode(self, texts):
            raise ValueError("the encoder broke")

    beside.__dict__["embedder"] = Broken()
    with pytest.raises(ValueError, match="encoder broke"):
        beside.analyse_batch(_articles())


def test_unset_overlap_follows_the_idle_cores(
    analyser: Analyser, monkeypatch: pytest.MonkeyPatch
) -> None:
    auto = Analyser(Settings(_env_file=None))
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr("os.getloadavg", lambda: (1.0, 1.0, 1.0))
    assert auto._overlap()
    monkeypatch.setattr("os.getloadavg", lambda: (6.5, 6.0, 5.0))
    assert not auto._overlap()
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    monkeypatch.setattr("os.getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not auto._overlap()
    assert Analyser(Settings(_env_file=None, ingest_overlap=True))._overlap()
