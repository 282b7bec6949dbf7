"""Passage choice: a calibrated linear score over the fused top-k, with each sentence's
context.

Retrieval already ranks the evidence high (fused BM25 + MiniLM); the re-ranker's job is
to keep that rank as one feature among the others rather than overrule it with a
heuristic. Each candidate sentence gets features in 0..1 — the question's term weight it
covers (graded: a synonym counts part), what only its neighbours or title cover, the
share of the question's names it or its context holds, the noun asked about, the
embedding cosine, its fused rank and fused score, what only the whole retrieved list
tells (its article's share of the list, its rank by cosine), its length, a number of the
question it lacks, and whether it holds anything of the asked kind — and a logistic model over them
(`AnswerParams.w_*`, fitted by benchmarks/qa_fit.py on one split and checked on
another): the score is the probability that the sentence holds the answer, so one
threshold means the same for every question.
"""

from __future__ import annotations

import math
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
    retrieval: float = 1.0  # fused retrieval score over the best one's
    anchors: float = 0.0  # share of the question's names here or around (context: part)
    focus: float = 0.0  # the noun asked about (or a word for it) is here
    article: float = 1.0  # its article's share of the retrieved list, over the top one's
    cos_rank: float = 1.0  # 1 / its rank by cosine among the retrieved sentences
    length: float = 0.0  # its length in words, over 60 (capped at 1)

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
    retrieval: float = 1.0,
    article: float = 1.0,
    cos_rank: int = 1,
    words: int = 0,
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
    anchors = 0.0
    if question.anchors:
        got = sum(max(here.get(k, 0.0), extra.get(k, 0.0)) for k in question.anchors)
        anchors = got / len(question.anchors)
    focus = here.get(question.focus, 0.0) if question.focus else 0.0
    return Features(
        coverage=_share(question, here),
        context=_share(question, extra),
        cosine=min(max((cosine - params.cosine_floor) / params.cosine_span, 0.0), 1.0),
        rank=1.0 / (1.0 + (max(rank, 1) - 1) / params.rank_scale),
        bm25=1.0 if bm25 else 0.0,
        missing=missing,
        has_kind=has_kind,
        retrieval=min(max(retrieval, 0.0), 1.0),
        anchors=min(anchors, 1.0),
        focus=focus,
        article=min(max(article, 0.0), 1.0),
        cos_rank=1.0 / max(cos_rank, 1),
        length=min(words / 60, 1.0),
    )


def passage_score(f: Features, params: AnswerParams) -> float:
    """The probability, 0..1, that the sentence holds the answer."""
    z = (
        params.w_bias
        + params.w_coverage * f.coverage
        + params.w_context * f.context
        + params.w_cosine * f.cosine
        + params.w_rank * f.rank
        + params.w_bm25 * f.bm25
        + params.w_retrieval * f.retrieval
        + params.w_anchors * f.anchors
        + params.w_focus * f.focus
        + params.w_article * f.article
        + params.w_cos_rank * f.cos_rank
        + params.w_length * f.length
        + params.w_missing * min(f.missing, 2)
        + params.w_no_kind * (not f.has_kind)
    )
    return 1.0 / (1.0 + math.exp(-z))


FEATURES = (
    "coverage",
    "context",
    "cosine",
    "rank",
    "bm25",
    "retrieval",
    "anchors",
    "focus",
    "article",
    "cos_rank",
    "length",
    "missing",
    "no_kind",
)


def feature_vector(f: Features) -> list[float]:
    """The features in the order of FEATURES (the `w_*` weights after `w_bias`)."""
    return [
        f.coverage,
        f.context,
        f.cosine,
        f.rank,
        f.bm25,
        f.retrieval,
        f.anchors,
        f.focus,
        f.article,
        f.cos_rank,
        f.length,
        float(min(f.missing, 2)),
        float(not f.has_kind),
    ]


def confidence(score: float, params: AnswerParams) -> float:
    """An answer's score (passage probability × span fit) as the probability that the
    answer is right: σ(conf_scale · ln score + conf_shift), fitted by qa_fit.py on the
    chosen answers (unanswerable questions count as wrong). Monotone: it never changes
    which answer wins, only what the threshold means."""
    if score <= 0:
        return 0.0
    z = params.conf_scale * math.log(score) + params.conf_shift
    return 1.0 / (1.0 + math.exp(-z))
