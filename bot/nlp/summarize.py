"""Article summaries for the bot: abstractive when SUMMARIZER_MODEL loads, else extractive.

The extractive summarizer is the offline default (see `bot.nlp.extractive`). When a
seq2seq model is configured but can't be loaded, the summary falls back to extractive and
says so in `Summary.note` instead of failing the command.

Cache summaries by (article content hash, `Summary.method`, `Summary.length`,
`Summary.model`): `model` already includes the extractive method's version.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.nlp.abstractive import AbstractiveSummarizer
from bot.nlp.extractive import DEFAULT_PARAMS, ExtractiveParams, extractive_model_name
from bot.nlp.extractive import extractive_summary as _extractive
from bot.nlp.model_errors import ModelUnavailable
from bot.nlp.summary_types import LENGTHS, Length, Summary, check_length

if TYPE_CHECKING:
    from bot.nlp.embeddings import Embedder
    from bot.settings import Settings

__all__ = [
    "LENGTHS",
    "AbstractiveSummarizer",
    "Length",
    "ModelUnavailable",
    "Summarizer",
    "Summary",
    "extractive_model_name",
    "summarize_with_fallback",
]

_loaded: dict[tuple[str, str], AbstractiveSummarizer | ModelUnavailable] = {}
_loading = threading.Lock()


def load_abstractive(model: str, device: str = "cpu") -> AbstractiveSummarizer:
    """The model, loaded once per process; a failure is remembered too, so a bad setting
    costs one attempt, not one per request."""
    key = (model, device)
    with _loading:
        if key not in _loaded:
            try:
                _loaded[key] = AbstractiveSummarizer(model, device)
            except ModelUnavailable as error:
                _loaded[key] = error
        found = _loaded[key]
    if isinstance(found, ModelUnavailable):
        raise found
    return found


def _try_abstractive(
    model: str | None, device: str, sentences: Sequence[Any], length: Length
) -> tuple[Summary | None, str | None]:
    """(the abstractive summary, None), or (None, why not) when a model was asked for."""
    if not model:
        return None, None
    try:
        return load_abstractive(model, device).summarize(sentences, length), None
    except ModelUnavailable as error:
        return None, f"Abstractive summaries are unavailable ({error}); this one is extractive."


def summarize_with_fallback(
    title: str,
    sentences: Sequence[Any],
    embeddings: np.ndarray,
    length: Length = "medium",
    *,
    summarizer_model: str | None = None,
    device: str = "cpu",
    title_embedding: np.ndarray | None = None,
    embedding_model: str = "",
    params: ExtractiveParams = DEFAULT_PARAMS,
) -> Summary:
    """Abstractive with `summarizer_model` if given and loadable; otherwise extractive
    (with a `note` saying why when a model was asked for)."""
    length = check_length(length)
    abstract, note = _try_abstractive(summarizer_model, device, sentences, length)
    if abstract is not None:
        return abstract
    summary = _extractive(
        title,
        sentences,
        embeddings,
        length,
        title_embedding=title_embedding,
        model=extractive_model_name(embedding_model),
        params=params,
    )
    return replace(summary, note=note) if note else summary


class Summarizer:
    """The summary service: embeds what it needs and applies the fallback rule.

    Blocking (torch): call it from a worker thread (`asyncio.to_thread`).
    """

    def __init__(
        self, embedder: Embedder, summarizer_model: str | None = None, device: str = "cpu"
    ) -> None:
        self.embedder = embedder
        self.summarizer_model = summarizer_model or None
        self.device = device

    @classmethod
    def from_settings(cls, settings: Settings, embedder: Embedder) -> Summarizer:
        return cls(embedder, settings.summarizer_model, settings.device)

    def summarize(
        self,
        title: str,
        sentences: Sequence[Any],
        length: Length = "medium",
        *,
        embeddings: np.ndarray | None = None,
    ) -> Summary:
        """`sentences` are str or spaCy spans; pass stored `embeddings` to skip encoding."""
        length = check_length(length)
        abstract, note = _try_abstractive(self.summarizer_model, self.device, sentences, length)
        if abstract is not None:
            return abstract
        texts = [s if isinstance(s, str) else str(s.text) for s in sentences]
        if embeddings is None:
            embeddings = self.embedder.encode(texts)
        title_embedding = self.embedder.encode([title])[0] if title.strip() else None
        summary = _extractive(
            title,
            sentences,
            embeddings,
            length,
            title_embedding=title_embedding,
            model=extractive_model_name(self.embedder.name),
        )
        return replace(summary, note=note) if note else summary
