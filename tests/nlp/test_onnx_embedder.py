"""The ONNX Runtime encoder against torch's, its cache, and the fall back to torch."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np
import pytest

from bot.nlp import onnx_embedder
from bot.nlp.embeddings import Embedder, embedding_variant, load_embedder
from bot.nlp.onnx_embedder import ExportFailed, OnnxEmbedder, OnnxParams, cache_key, graph_path
from bot.nlp.pipeline import Analyser
from bot.settings import Settings

pytestmark = pytest.mark.slow

SENTENCES = [
    "Xi Jinping and Vladimir Putin will meet at the summit in Samarkand.",
    "Short.",
    "The recipe needs two cups of flour and a pinch of salt, said the chef, who has "
    "cooked in Paris, Lyon and Marseille for more than twenty years.",
    "“We will not back down,” she told reporters on Tuesday.",
]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def torch_vectors() -> np.ndarray:
    return Embedder().encode(SENTENCES)


def test_fp32_graph_gives_torchs_vectors(cache: Path, torch_vectors: np.ndarray) -> None:
    encoder = OnnxEmbedder(cache, OnnxParams("fp32", threads=1))
    vectors = encoder.encode(SENTENCES)
    assert vectors.shape == (4, 384) and vectors.dtype == np.float32
    cosine = np.sum(vectors * torch_vectors, axis=1)
    assert cosine.min() >= 0.99
    np.testing.assert_allclose(vectors, torch_vectors, atol=1e-4)
    assert encoder.max_length == 256
    assert (cache / f"{cache_key('fp32')}.onnx").is_file()


def test_int8_graph_stays_close_to_torch(cache: Path, torch_vectors: np.ndarray) -> None:
    vectors = OnnxEmbedder(cache, OnnxParams("int8")).encode(SENTENCES)
    cosine = np.sum(vectors * torch_vectors, axis=1)
    assert cosine.min() >= 0.95
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_rows_keep_input_order_and_long_text_is_truncated(cache: Path) -> None:
    encoder = OnnxEmbedder(cache)
    texts = ["word " * 5000, *SENTENCES]
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


def test_small_batches_keep_each_row_with_its_text(cache: Path) -> None:
    """Batches of `OnnxParams.batch_size` texts sorted by tokens: fp32 rows match one
    big batch's whatever the batch size."""
    texts = [*SENTENCES, "One more.", *(s.upper() for s in SENTENCES)] * 3
    default = OnnxEmbedder(cache, OnnxParams("fp32", threads=1))
    pairs = OnnxEmbedder(cache, OnnxParams("fp32", threads=1, batch_size=2)).encode(texts)
    whole = default.encode(texts, batch_size=len(texts))
    np.testing.assert_allclose(default.encode(texts), whole, atol=1e-5)
    np.testing.assert_allclose(pairs, whole, atol=1e-5)


def test_the_graph_runs_outside_the_tokenizer_lock(cache: Path) -> None:
    """A question's encode must not wait behind an ingest's whole batch: the lock guards
    the tokenizer only, and two threads encoding at once get the serial vectors."""
    encoder = OnnxEmbedder(cache, OnnxParams("fp32", threads=1, batch_size=2))
    serial = encoder.encode(SENTENCES)
    session, held = encoder._session, []

    class Watching:
        def run(self, *args: object) -> object:
            held.append(encoder._lock.locked())
            return session.run(*args)

    encoder._session = Watching()
    np.testing.assert_allclose(encoder.encode(SENTENCES), serial, atol=1e-5)
    assert held == [False, False]  # two batches of two, neither run under the lock
    results: dict[int, np.ndarray] = {}
    threads = [
        threading.Thread(target=lambda i=i: results.__setitem__(i, encoder.encode(SENTENCES)))
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert set(results) == {0, 1}
    for vectors in results.values():
        np.testing.assert_allclose(vectors, serial, atol=1e-5)


def test_a_cached_graph_is_reused_not_exported_again(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    graph_path(cache, "fp32")

    def no_export(*args: object) -> None:
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_embedder, "export_fp32", no_export)
    assert graph_path(cache, "fp32").is_file()


def test_failed_export_falls_back_to_torch_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("no exporter here")

    monkeypatch.setattr(onnx_embedder, "export_fp32", broken)
    with pytest.raises(ExportFailed, match="no exporter here"):
        graph_path(tmp_path, "fp32")
    settings = Settings(_env_file=None, model_cache_dir=tmp_path)
    with caplog.at_level(logging.WARNING):
        encoder = load_embedder(settings)
    assert isinstance(encoder, Embedder)
    assert "embedding with torch instead" in caplog.text
    assert not list(tmp_path.glob("*.part"))  # no half-written graph left behind


def test_a_corrupt_cached_graph_is_dropped(tmp_path: Path) -> None:
    target = tmp_path / f"{cache_key('fp32')}.onnx"
    target.write_bytes(b"not a graph")
    with pytest.raises(ExportFailed, match="loading"):
        OnnxEmbedder(tmp_path)
    assert not target.exists()


def test_backend_choice_and_the_pipeline_version() -> None:
    def variant(**kw: object) -> str:
        return embedding_variant(Settings(_env_file=None, **kw))

    assert variant() == "onnx-int8"
    assert variant(embedding_backend="onnx") == "onnx-int8"
    assert variant(embedding_backend="onnx-fp32") == "onnx-fp32"
    assert variant(device="cuda") == "torch"
    assert variant(embedding_model="./other-model") == "torch"
    assert variant(embedding_backend="torch") == "torch"
    assert variant(embedding_backend="onnx-int8") == "onnx-int8"
    # fp32 vectors are torch's, so switching needs no re-analysis; int8 ones are not.
    fp32 = Analyser(Settings(_env_file=None, embedding_backend="onnx-fp32")).pipeline_version
    torch = Analyser(Settings(_env_file=None, embedding_backend="torch")).pipeline_version
    int8 = Analyser(Settings(_env_file=None, embedding_backend="onnx-int8")).pipeline_version
    assert fp32 == torch != int8
    assert Analyser(Settings(_env_file=None)).pipeline_version == int8


def test_rust_tokenizer_gives_transformers_ids() -> None:
    """The ONNX path tokenises without importing transformers: same ids, masks, types."""
    from bot.nlp.embeddings import load_tokenizer, packaged_model_dir
    from bot.nlp.onnx_embedder import RustTokenizer

    folder = packaged_model_dir()
    texts = [*SENTENCES, "word " * 400, "Ünïcödé — “quotes” and émigrés", ""]
    ours = RustTokenizer(folder)(texts, truncation=True, max_length=256)
    theirs = load_tokenizer(str(folder))(texts, truncation=True, max_length=256)
    for key in ("input_ids", "attention_mask", "token_type_ids"):
        assert ours[key] == [list(row) for row in theirs[key]]
    assert max(len(row) for row in ours["input_ids"]) == 256
    assert RustTokenizer(folder).pad_token_id == load_tokenizer(str(folder)).pad_token_id
