"""Extractive summaries: central sentences with a lead bias, made diverse with MMR.

Each candidate sentence is scored by its cosine with the article's centroid embedding and
with the title, plus a bonus that decays with its position (news puts the gist first).
Maximal Marginal Relevance then picks sentences that score well but repeat little of what
is already chosen. The result is shown in article order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.nlp.sentence_filter import Candidate, candidates
from bot.nlp.summary_types import Length, Summary, as_bullets, check_length

METHOD_VERSION = "centroid-title-lead-mmr/1"


def extractive_model_name(embedding_model: str) -> str:
    """What an extractive summary depends on (its cache key): method and embedding model."""
    return f"{METHOD_VERSION}@{embedding_model}"


# Cosine above which two sentences say the same thing (a repeated lead, a caption copy).
DUPLICATE_SIMILARITY = 0.92
SENTENCES_FOR: dict[Length, int] = {"short": 1, "medium": 3, "long": 6, "bullets": 3}


@dataclass(frozen=True, slots=True)
class ExtractiveParams:
    centrality: float = 1.0
    title: float = 0.75
    lead: float = 0.8
    lead_decay: float = 2.0  # position (among candidates) where the lead bonus halves
    mmr_lambda: float = 0.85  # 1.0 = pure relevance, lower = more diversity
    short_budget: int = 65  # a short summary takes its second sentence if both fit in this


DEFAULT_PARAMS = ExtractiveParams()


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def relevance(
    embeddings: np.ndarray,
    title_embedding: np.ndarray | None,
    params: ExtractiveParams = DEFAULT_PARAMS,
) -> np.ndarray:
    """One score per row of `embeddings` (the candidates, in article order)."""
    centroid = _unit(embeddings.mean(axis=0))
    scores = params.centrality * (embeddings @ centroid)
    if title_embedding is not None and params.title:
        scores = scores + params.title * (embeddings @ _unit(title_embedding))
    positions = np.arange(len(embeddings), dtype=np.float32)
    return scores + params.lead * params.lead_decay / (params.lead_decay + positions)


def mmr(
    scores: np.ndarray,
    embeddings: np.ndarray,
    k: int,
    lam: float,
    duplicate: float = DUPLICATE_SIMILARITY,
) -> list[int]:
    """Indices (into `scores`) of k items picked greedily by Maximal Marginal Relevance;
    an item at least `duplicate`-similar to a chosen one is only taken as a last resort."""
    chosen: list[int] = []
    # Each item's greatest similarity to a chosen one, updated per pick: O(n·k), where the
    # full n×n matrix was 1.6 GB for the 20,000 sentences of a 2 MB article.
    closest = np.full(len(scores), -np.inf, dtype=np.float32)
    remaining = list(range(len(scores)))
    while remaining and len(chosen) < k:
        redundancy = closest[remaining] if chosen else np.zeros(len(remaining))
        value = lam * scores[remaining] - (1 - lam) * redundancy
        value = np.where(redundancy >= duplicate, value - 10.0, value)
        best = remaining[int(np.argmax(value))]
        chosen.append(best)
        remaining.remove(best)
        np.maximum(closest, embeddings @ embeddings[best], out=closest)
    return chosen


def _how_many(length: Length, picked: list[Candidate], short_budget: int) -> int:
    if length != "short":
        return SENTENCES_FOR[length]
    words = sum(len(c.text.split()) for c in picked[:2])
    return 2 if len(picked) > 1 and words <= short_budget else 1


def extractive_summary(
    title: str,
    sentences: Sequence[Any],
    embeddings: np.ndarray,
    length: Length = "medium",
    *,
    title_embedding: np.ndarray | None = None,
    model: str = "",
    params: ExtractiveParams = DEFAULT_PARAMS,
) -> Summary:
    """Summarize an article from its sentences (str or spaCy spans) and their embeddings.

    `embeddings` has one unit-norm row per sentence (the Embedder's output). `title` is
    only used through `title_embedding`; pass that to let the headline steer the choice.
    """
    length = check_length(length)
    if len(sentences) != len(embeddings):
        raise ValueError(f"{len(sentences)} sentences but {len(embeddings)} embeddings")
    pool = candidates(sentences)
    if not pool:  # nothing passes the filter: better the first sentences than nothing
        pool = [
            Candidate(i, " ".join(str(getattr(s, "text", s)).split()))
            for i, s in enumerate(sentences)
            if str(getattr(s, "text", s)).strip()
        ]
    if not pool:
        return Summary("", (), "extractive", length, model, note="the article has no text")
    vectors = np.asarray(embeddings, dtype=np.float32)[[c.index for c in pool]]
    scores = relevance(vectors, title_embedding, params)
    ranked = mmr(scores, vectors, SENTENCES_FOR["long"], params.mmr_lambda)
    picked_first = [pool[i] for i in ranked]
    chosen = sorted(ranked[: _how_many(length, picked_first, params.short_budget)])
    points = tuple(pool[i].text for i in chosen)
    text = as_bullets(points) if length == "bullets" else " ".join(points)
    return Summary(
        text=text,
        sentences=tuple(pool[i].index for i in chosen),
        method="extractive",
        length=length,
        model=model,
        points=points,
    )
