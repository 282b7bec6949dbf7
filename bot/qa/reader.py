"""An extractive QA model (QA_MODEL: a Hugging Face id or a local folder) reading the top
passages: the answer is the span with the best start × end probability.

transformers 5 removed the "question-answering" pipeline, so the pipeline's decoding is
done here: question and passage encoded as a pair (long passages in overlapping windows),
a softmax over the passage's tokens for the start and for the end, and the best span of at
most `max_answer_tokens` tokens, mapped back to characters by the tokenizer's offsets.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from bot.nlp.hf_loading import load_pretrained
from bot.nlp.model_errors import ModelUnavailable

if TYPE_CHECKING:
    from bot.settings import Settings

SETTING = "QA_MODEL"
HINT = (
    "Set QA_MODEL to a local folder or a Hugging Face id of an extractive question-answering "
    "model (e.g. distilbert-base-cased-distilled-squad), or unset it to answer offline."
)


@dataclass(frozen=True, slots=True)
class ReaderSpan:
    passage: int  # index into the passages read
    start: int  # character offsets within that passage
    end: int
    text: str
    score: float  # start probability × end probability


class Reader:
    """Loads the model once; `read` is blocking and safe to call from worker threads."""

    def __init__(
        self, model: str, device: str = "cpu", max_length: int = 384, stride: int = 96
    ) -> None:
        from transformers import AutoModelForQuestionAnswering, AutoTokenizer

        self.name = model
        self.device = torch.device(device)
        self._tokenizer = load_pretrained(
            AutoTokenizer.from_pretrained, model, setting=SETTING, hint=HINT
        )
        if not getattr(self._tokenizer, "is_fast", False):
            raise ModelUnavailable(
                SETTING, model, "its tokenizer has no fast version (needed for offsets)", HINT
            )
        self._model = load_pretrained(
            AutoModelForQuestionAnswering.from_pretrained, model, setting=SETTING, hint=HINT
        )
        self._model.to(self.device).eval()
        positions = int(getattr(self._model.config, "max_position_embeddings", 512) or 512)
        self.max_length = min(max_length, positions)
        self.stride = min(stride, self.max_length // 4)
        self._inputs = set(self._tokenizer.model_input_names)
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> Reader:
        if not settings.qa_model:
            raise ModelUnavailable(SETTING, "", "no model is configured", HINT)
        return cls(settings.qa_model, settings.device)

    def read(
        self, question: str, passages: Sequence[str], max_answer_tokens: int = 30
    ) -> list[ReaderSpan]:
        """The best span of each passage, best first."""
        if not passages or not question.strip():
            return []
        with self._lock, torch.inference_mode():
            enc = self._tokenizer(
                [question] * len(passages),
                list(passages),
                truncation="only_second",
                max_length=self.max_length,
                stride=self.stride,
                return_overflowing_tokens=True,
                return_offsets_mapping=True,
                padding=True,
                return_tensors="pt",
            )
            inputs = {k: v.to(self.device) for k, v in enc.items() if k in self._inputs}
            out = self._model(**inputs)
            starts = out.start_logits.float().cpu()
            ends = out.end_logits.float().cpu()
        owners = enc["overflow_to_sample_mapping"].tolist()
        offsets = enc["offset_mapping"].tolist()
        best: dict[int, ReaderSpan] = {}
        for window, owner in enumerate(owners):
            span = self._best_span(
                enc.sequence_ids(window),
                offsets[window],
                starts[window],
                ends[window],
                max_answer_tokens,
            )
            if span is None:
                continue
            start, end, score = span
            text = passages[owner][start:end]
            if text.strip() and (owner not in best or score > best[owner].score):
                best[owner] = ReaderSpan(owner, start, end, text, score)
        return sorted(best.values(), key=lambda s: -s.score)

    @staticmethod
    def _best_span(
        sequence_ids: list[int | None],
        offsets: list[list[int]],
        start_logits: torch.Tensor,
        end_logits: torch.Tensor,
        max_tokens: int,
    ) -> tuple[int, int, float] | None:
        context = torch.tensor([sid == 1 for sid in sequence_ids])
        if not bool(context.any()):
            return None
        masked = torch.tensor(float("-inf"))
        p_start = torch.softmax(torch.where(context, start_logits, masked), dim=0)
        p_end = torch.softmax(torch.where(context, end_logits, masked), dim=0)
        pairs = torch.triu(p_start[:, None] * p_end[None, :])  # end at or after start
        pairs = torch.tril(pairs, diagonal=max_tokens - 1)  # and at most max_tokens long
        flat = int(torch.argmax(pairs))
        s, e = divmod(flat, pairs.shape[1])
        score = float(pairs[s, e])
        if score <= 0:
            return None
        return offsets[s][0], offsets[e][1], score
