"""The offline answerer's tunable weights, in one place.

The passage weights (`w_*`) are a linear model over the features of `bot.qa.rerank`,
fitted by benchmarks/qa_fit.py on the dev splits of qa_user_questions.jsonl and
qa_questions.jsonl (the test splits held out); the rest were set by hand on those dev
splits. Change them here, not inline.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AnswerParams:
    # -- paraphrase credit (bot.qa.paraphrase): partial, never a full match ------------
    synonym_credit: float = 0.6  # same WordNet synset: started ~ founded? no; began ~ started
    derived_credit: float = 0.45  # derived form of a synonym: injured ~ wounding (wound)
    hypernym_credit: float = 0.35  # one step up or down: unveil ~ reveal ~ show
    wordnet_senses: int = 4  # the commonest senses only: "found" is not "bump"

    # -- where a question term is found --------------------------------------------------
    before_credit: float = 0.6  # in the previous sentence ("The database was unveiled…")
    after_credit: float = 0.4  # in the next sentence
    title_credit: float = 0.5  # in the article's title

    # -- the passage re-ranker: score = Σ w_f · feature_f (bot.qa.rerank) ----------------
    w_coverage: float = 0.508  # share of the question's term weight found in the sentence
    w_context: float = 0.169  # … found only around it (previous/next sentence, title)
    w_cosine: float = 0.169  # MiniLM question–sentence cosine, rescaled to 0..1
    w_rank: float = 0.153  # the fused retrieval rank, as 1 / (1 + (rank − 1) / rank_scale)
    w_bm25: float = 0.0  # BM25 found it in its own top list
    rank_scale: float = 3.0
    cosine_floor: float = 0.15  # cosine rescaled as (c − floor) / span, clipped to 0..1
    cosine_span: float = 0.55
    missing_number: float = 0.8  # × per number of the question absent ("the 2010 final")
    no_kind: float = 0.3  # × when the sentence holds nothing of the asked kind at all
    parsed_passages: int = 8  # how many of the best passages are parsed for spans

    # -- the span within a passage -------------------------------------------------------
    fit_power: float = 0.75  # score = relevance · fit ** fit_power
    role_bonus: float = 1.2  # the span fills the question word's role under a matched verb
    relative_date: float = 0.6  # × "yesterday", "on Monday" when a time question is asked
    unit_absent: float = 0.6  # × a count without the unit asked for ("how many days")
    focus_head: float = 1.5  # × an open "what medal" span headed by the noun: "silver medal"
    common_name: float = 0.4  # a common noun phrase for "what's the name of …"

    # -- confidence ----------------------------------------------------------------------
    threshold: float = 0.32  # below: "the corpus does not say"
    best_match: float = 0.1  # this far below the threshold: shown, marked "best match"


DEFAULT = AnswerParams()
