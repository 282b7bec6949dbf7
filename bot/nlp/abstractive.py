"""Abstractive summaries with a transformers seq2seq model (SUMMARIZER_MODEL).

Nothing downloads unless the setting names a model; an article longer than the model's
input window is cut into chunks of whole sentences, each chunk is summarized, and the
chunk summaries are merged and summarized again until one fits the requested length.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from bot.nlp.hf_loading import load_pretrained
from bot.nlp.summary_types import Length, Summary, as_bullets, check_length

SETTING = "SUMMARIZER_MODEL"
HINT = (
    "Set SUMMARIZER_MODEL to a seq2seq model's local folder (or a Hugging Face id already "
    "in the cache), or leave it unset for extractive summaries."
)
# Generated tokens per length option: (at least, at most).
TOKENS_FOR: dict[Length, tuple[int, int]] = {
    "short": (8, 60),
    "medium": (24, 130),
    "long": (48, 240),
    "bullets": (24, 130),
}
CHUNK_TOKENS = (24, 130)  # each chunk's partial summary, further capped by the window:
CHUNKS_PER_WINDOW = 3  # at least this many partial summaries fit in one input, so merging ends
MAX_MERGE_ROUNDS = 3
GENERATE_BATCH = 4  # chunks per generate() call: bounds memory on long articles
DEFAULT_WINDOW = 512
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“A-Z0-9])")


def split_points(text: str) -> list[str]:
    """Generated text as sentences (for bullets), by end punctuation."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


class AbstractiveSummarizer:
    """A loaded seq2seq model; `summarize` is serialised so threads can share it."""

    def __init__(self, model: str, device: str = "cpu") -> None:
        self.name = model
        self.device = torch.device(device)
        self._tokenizer = load_pretrained(
            AutoTokenizer.from_pretrained, model, setting=SETTING, hint=HINT
        )
        self._model = load_pretrained(
            AutoModelForSeq2SeqLM.from_pretrained, model, setting=SETTING, hint=HINT
        )
        self._model.to(self.device).eval()
        config = self._model.config
        task = (getattr(config, "task_specific_params", None) or {}).get("summarization", {})
        self.prefix: str = task.get("prefix", "") or ""
        self.window = self._input_window()
        self._lock = threading.Lock()

    def _input_window(self) -> int:
        limits = []
        for attribute in ("max_position_embeddings", "n_positions", "max_source_positions"):
            value = getattr(self._model.config, attribute, None)
            if isinstance(value, int) and value > 0:
                limits.append(value)
        tokenizer_limit = getattr(self._tokenizer, "model_max_length", None)
        if isinstance(tokenizer_limit, int) and 0 < tokenizer_limit < 1_000_000:
            limits.append(tokenizer_limit)
        return min(limits) if limits else DEFAULT_WINDOW

    def _count(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=False)["input_ids"])

    def chunks(self, sentences: Sequence[str]) -> list[str]:
        """Whole sentences packed into texts that fit the input window (a sentence longer
        than the window stands alone and is truncated by the tokenizer)."""
        budget = max(8, self.window - self._count(self.prefix) - 8)  # room for special tokens
        packed: list[str] = []
        current: list[str] = []
        used = 0
        for sentence in (" ".join(s.split()) for s in sentences):
            if not sentence:
                continue
            size = self._count(sentence) + 1
            if current and used + size > budget:
                packed.append(" ".join(current))
                current, used = [], 0
            current.append(sentence)
            used += size
        if current:
            packed.append(" ".join(current))
        return packed

    def _generate(self, texts: list[str], tokens: tuple[int, int]) -> list[str]:
        out: list[str] = []
        for begin in range(0, len(texts), GENERATE_BATCH):
            out.extend(self._generate_batch(texts[begin : begin + GENERATE_BATCH], tokens))
        return out

    def _generate_batch(self, texts: list[str], tokens: tuple[int, int]) -> list[str]:
        # Learned-position decoders (BART) can't go past the window either.
        most = min(tokens[1], self.window - 2)
        least = min(tokens[0], most)
        batch = self._tokenizer(
            [self.prefix + text for text in texts],
            truncation=True,
            max_length=self.window,
            padding=True,
            return_tensors="pt",
        ).to(self.device)
        with torch.inference_mode():
            output = self._model.generate(
                **batch, max_new_tokens=most, min_new_tokens=least, no_repeat_ngram_size=3
            )
        decoded = self._tokenizer.batch_decode(output, skip_special_tokens=True)
        return [" ".join(text.split()) for text in decoded]

    def summarize(self, sentences: Sequence[Any], length: Length = "medium") -> Summary:
        """Summarize an article given as its sentences (str or spaCy spans)."""
        length = check_length(length)
        texts = [s if isinstance(s, str) else str(s.text) for s in sentences]
        with self._lock:
            pieces = self.chunks(texts)
            if not pieces:
                return Summary("", (), "abstractive", length, self.name, note="no text")
            for _ in range(MAX_MERGE_ROUNDS):
                if len(pieces) == 1:
                    break
                cap = min(CHUNK_TOKENS[1], self.window // CHUNKS_PER_WINDOW)
                partial = self._generate(pieces, (min(CHUNK_TOKENS[0], cap), cap))
                pieces = self.chunks(partial)
            # One piece left (or rounds exhausted: the tokenizer truncates what remains).
            text = self._generate([" ".join(pieces)], TOKENS_FOR[length])[0]
        points = tuple(split_points(text)) or ((text,) if text else ())
        shown = as_bullets(points) if length == "bullets" else text
        return Summary(shown, (), "abstractive", length, self.name, points=points)
