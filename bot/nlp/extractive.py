"""Extractive summaries: the lead, unless another sentence is clearly better, cut to a
word budget.

Each candidate sentence is scored by a bonus that decays with its position (news puts the
gist first, and lead-3 is the baseline to beat) plus its cosine with the article's
centroid embedding and with the title, minus penalties for being mostly a direct quote
(highlights paraphrase quotes) and for being a short filler (a quote split by the parser,
"No one was hurt."). The title only counts as far as it matches the body: a placeholder
or a pun headline (cosine < ~0.45 with every sentence) adds noise, a real one (0.6-0.9)
adds the topic. Maximal Marginal Relevance then ranks sentences that score well but
repeat little of what is already chosen, and sentences are taken in that order while each
brings the summary closer to its word budget; the first that does not ends it (a later,
weaker sentence that happens to fit is no better a summary). Relative days ("on
Tuesday") are dropped from the chosen sentences, as highlight writers do. The result is
in article order, one sentence a line (`Summary.text`), as ROUGE-Lsum and a bulleted
brief expect.

The weights in `ExtractiveParams` were chosen by k-fold cross-validation over several
corpora (`benchmarks/summary_rouge.py --cv`), not by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.nlp.sentence_filter import Candidate, candidates, word_count
from bot.nlp.summary_text import drop_weekdays, quoted_share
from bot.nlp.summary_types import Length, Summary, as_bullets, check_length

METHOD_VERSION = "lead-centroid-mmr-budget/3"


def extractive_model_name(embedding_model: str) -> str:
    """What an extractive summary depends on (its cache key): method and embedding model."""
    return f"{METHOD_VERSION}@{embedding_model}"


# Cosine above which two sentences say the same thing (a repeated lead, a caption copy).
DUPLICATE_SIMILARITY = 0.92


@dataclass(frozen=True, slots=True)
class ExtractiveParams:
    """Every tunable of the extractive summarizer.

    lead, centrality, quote_penalty, filler_penalty and medium_words: chosen by k-fold
    cross-validation over GUM, the wire set and their lower-cased, placeholder-titled twins
    (`summary_rouge.py --cv`; the folds' held-out margins over lead-3 are in its output),
    maximising medium's (R-1 + R-Lsum) / 2 among settings no longer than lead-3. The title
    has no weight: on that data a real headline did not beat the lead, so the gate matters
    only when a caller raises `title`. Short and long budgets were set, not tuned.
    """

    centrality: float = 1.0
    title: float = 0.0
    title_floor: float = 0.45  # best title-sentence cosine at which the title starts counting
    title_full: float = 0.6  # ... and from which it counts fully
    lead: float = 1.0
    lead_decay: float = 1.0  # position (among candidates) where the lead bonus halves
    mmr_lambda: float = 1.0  # 1.0 = pure relevance, lower = more diversity
    quote_penalty: float = 0.6  # times the share of the sentence's words inside quotes
    filler_words: int = 10  # a sentence of fewer words is a filler ...
    filler_penalty: float = 0.3  # ... and loses this much
    drop_weekdays: bool = True  # "said on Tuesday" -> "said" in the chosen sentences
    short_words: int = 35  # word budgets per length (bullets take medium's)
    medium_words: int = 60
    long_words: int = 150

    def budget(self, length: Length) -> int:
        return {
            "short": self.short_words,
            "medium": self.medium_words,
            "long": self.long_words,
            "bullets": self.medium_words,
        }[length]


DEFAULT_PARAMS = ExtractiveParams()


def uses_title(params: ExtractiveParams = DEFAULT_PARAMS) -> bool:
    """Whether a summary reads the title's embedding at all: with no title weight it
    doesn't, so ingest need not encode the title."""
    return bool(params.title)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def title_gate(
    embeddings: np.ndarray, title_embedding: np.ndarray, params: ExtractiveParams = DEFAULT_PARAMS
) -> float:
    """How much the title may steer (0-1): its best cosine with a sentence, ramped from
    `title_floor` (a placeholder, "Untitled", a pun) to `title_full` (a real headline)."""
    if not len(embeddings):
        return 0.0
    best = float((embeddings @ _unit(title_embedding)).max())
    span = max(params.title_full - params.title_floor, 1e-6)
    return float(np.clip((best - params.title_floor) / span, 0.0, 1.0))


def relevance(
    embeddings: np.ndarray,
    title_embedding: np.ndarray | None,
    params: ExtractiveParams = DEFAULT_PARAMS,
    *,
    quoted: Sequence[float] | None = None,
    words: Sequence[int] | None = None,
) -> np.ndarray:
    """One score per row of `embeddings` (the candidates, in article order); `quoted`
    (each one's quoted share) and `words` (its word count) bring their penalties."""
    centroid = _unit(embeddings.mean(axis=0))
    scores = params.centrality * (embeddings @ centroid)
    if title_embedding is not None and params.title:
        weight = params.title * title_gate(embeddings, title_embedding, params)
        if weight:
            scores = scores + weight * (embeddings @ _unit(title_embedding))
    positions = np.arange(len(embeddings), dtype=np.float32)
    scores = scores + params.lead * params.lead_decay / (params.lead_decay + positions)
    if quoted is not None and params.quote_penalty:
        scores = scores - params.quote_penalty * np.asarray(quoted, dtype=np.float32)
    if words is not None and params.filler_penalty:
        scores = scores - params.filler_penalty * (np.asarray(words) < params.filler_words)
    return scores


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


def within_budget(ranked: Sequence[int], words: Sequence[int], budget: int) -> list[int]:
    """Items of `ranked` (best first) taken in turn while each brings the total word count
    closer to `budget`; the first that does not stops the choice (the best one is always
    taken)."""
    chosen: list[int] = []
    total = 0
    for i in ranked:
        if chosen and abs(total + words[i] - budget) >= abs(total - budget):
            break
        chosen.append(i)
        total += words[i]
    return chosen


def summary_texts(
    pool: Sequence[Candidate], params: ExtractiveParams = DEFAULT_PARAMS
) -> list[str]:
    """Each candidate as it would read in the summary (relative days dropped)."""
    return [drop_weekdays(c.text) if params.drop_weekdays else c.text for c in pool]


def pick(
    pool: Sequence[Candidate],
    vectors: np.ndarray,
    title_embedding: np.ndarray | None,
    length: Length,
    params: ExtractiveParams = DEFAULT_PARAMS,
) -> list[int]:
    """Indices into `pool` (its `vectors` row for row) of the summary, in article order."""
    texts = summary_texts(pool, params)
    words = [word_count(t) for t in texts]
    quoted = [quoted_share(t) for t in texts]
    scores = relevance(vectors, title_embedding, params, quoted=quoted, words=words)
    ranked = mmr(scores, vectors, len(pool), params.mmr_lambda)
    return sorted(within_budget(ranked, words, params.budget(length)))


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
    `Summary.points` are the chosen sentences; `text` has one a line ("- " bullets for
    `bullets`).
    """
    length = check_length(length)
    if len(sentences) != len(embeddings):
        raise ValueError(f"{len(sentences)} sentences but {len(embeddings)} embeddings")
    pool = candidates(sentences)
    if not pool:  # nothing at all passes the filter: better the first sentences than nothing
        pool = [
            Candidate(i, " ".join(str(getattr(s, "text", s)).split()))
            for i, s in enumerate(sentences)
            if str(getattr(s, "text", s)).strip()
        ]
    if not pool:
        return Summary("", (), "extractive", length, model, note="the article has no text")
    vectors = np.asarray(embeddings, dtype=np.float32)[[c.index for c in pool]]
    chosen = pick(pool, vectors, title_embedding, length, params)
    texts = summary_texts(pool, params)
    points = tuple(texts[i] for i in chosen)
    text = as_bullets(points) if length == "bullets" else "\n".join(points)
    return Summary(
        text=text,
        sentences=tuple(pool[i].index for i in chosen),
        method="extractive",
        length=length,
        model=model,
        points=points,
    )
