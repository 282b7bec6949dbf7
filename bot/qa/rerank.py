"""Passage choice: a calibrated linear score over the fused top-k, with each sentence's
context.

Retrieval already ranks the evidence high (fused BM25 + MiniLM); the re-ranker's job is
to keep that rank as one feature among the others rather than overrule it with a
heuristic. Each candidate sentence gets features in 0..1 — the question's term weight it
covers (graded: a synonym counts part), what only its neighbours or title cover, the
embedding cosine, and its fused rank — and a weighted sum (`AnswerParams.w_*`, fitted on
dev by benchmarks/qa_fit.py). Two checks multiply it: a number the question gives that
the sentence lacks, and a sentence holding nothing of the asked kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.qa.params import AnswerParams
from bot.qa.question import Question

_WORD = re.compile(r"\w+", re.UNICODE)
STEM = 5  # raw-text matching: words sharing their first five letters ("launch…")


@dataclass(frozen=True, slots=True)
class Features:
    coverage: float  # graded share of the question's term weight in the sentence
    context: float  # share found only in the neighbouring sentences or the title
    cosine: float  # rescaled to 0..1
    rank: float  # fused retrieval rank as a prior, 1 for the first
    bm25: float  # 1 when BM25 found the sentence, else 0
    missing: int  # numbers of the question the sentence and its context lack
    has_kind: bool  # something of the asked kind is there

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in self.__slots__}


def text_matches(question: Question, text: str) -> dict[str, float]:
    """Question term → credit for raw text: the word or its inflections (1), or a related
    word (its credit)."""
    words = {w.lower() for w in _WORD.findall(text)}
    stems = {w[:STEM] for w in words if len(w) >= STEM}
    found: dict[str, float] = {}
    for key in question.terms:
        if key in words or (len(key) >= STEM and key[:STEM] in stems):
            found[key] = 1.0
    for form, key in question.aliases.items():
        if form in words:
            found[key] = 1.0
    for word, (key, credit) in question.related.items():
        if found.get(key, 0.0) >= credit:
            continue
        if word in words or (len(word) >= STEM + 1 and word[:STEM] in stems):
            found[key] = credit
    return found


def _share(question: Question, found: Mapping[str, float]) -> float:
    total = question.total_weight
    if total <= 0:
        return 0.0
    got = sum(question.terms[k] * c for k, c in found.items() if k in question.terms)
    return min(got / total, 1.0)


def features(
    question: Question,
    here: Mapping[str, float],
    around: Iterable[tuple[Mapping[str, float], float]],
    cosine: float,
    rank: int,
    bm25: bool,
    has_kind: bool,
    params: AnswerParams,
) -> Features:
    """`here`: term → credit in the sentence; `around`: (term → credit, how much that
    place counts) for the previous sentence, the next one and the title."""
    extra: dict[str, float] = {}
    for found, weight in around:
        for key, credit in found.items():
            gain = credit * weight - here.get(key, 0.0)
            if gain > extra.get(key, 0.0):
                extra[key] = gain
    spelled = set(here) | {k for found, _ in around for k in found}
    missing = sum(1 for k in question.terms if k[:1].isdigit() and k not in spelled)
    return Features(
        coverage=_share(question, here),
        context=_share(question, extra),
        cosine=min(max((cosine - params.cosine_floor) / params.cosine_span, 0.0), 1.0),
        rank=1.0 / (1.0 + (max(rank, 1) - 1) / params.rank_scale),
        bm25=1.0 if bm25 else 0.0,
        missing=missing,
        has_kind=has_kind,
    )


def passage_score(f: Features, params: AnswerParams) -> float:
    """The passage's score, 0..1."""
    score = (
        params.w_coverage * f.coverage
        + params.w_context * f.context
        + params.w_cosine * f.cosine
        + params.w_rank * f.rank
        + params.w_bm25 * f.bm25
    )
    score *= params.missing_number ** min(f.missing, 2)
    if not f.has_kind:
        score *= params.no_kind
    return min(max(score, 0.0), 1.0)
