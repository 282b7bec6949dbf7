"""The offline answerer's tunable weights, in one place.

The passage weights (`w_*`, a logistic model over the features of `bot.qa.rerank`), the
span-fit exponents (`e_*`), the confidence curve (`conf_*`) and the threshold were fitted
by benchmarks/qa_fit.py (conditional logit) on every split of qa_user_questions.jsonl and
qa_questions.jsonl: both test splits are spent, so the figures to trust are its two-fold
ones (fit on the dev splits, check on the test splits, and back), not these weights' own.
Answers shown from the fitted cut (0.15) up to 0.50 (more likely wrong than right) are
marked "best match". The rest were set by hand on the dev splits. Change them here, not
inline.
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

    # -- the passage re-ranker: P(holds the answer) = σ(w_bias + Σ w_f · feature_f) ------
    # (bot.qa.rerank; fitted by benchmarks/qa_fit.py, see the module docstring)
    w_bias: float = -8.651
    w_coverage: float = 4.528  # share of the question's term weight found in the sentence
    w_context: float = 7.421  # … found only around it (previous/next sentence, title)
    w_cosine: float = 3.671  # MiniLM question–sentence cosine, rescaled to 0..1
    w_rank: float = 0.995  # the fused retrieval rank, as 1 / (1 + (rank − 1) / rank_scale)
    w_bm25: float = -0.246  # BM25 found it in its own top list
    w_retrieval: float = 1.283  # the fused score over the best one's
    w_anchors: float = 0.0  # share of the question's names here (or, in part, around)
    w_focus: float = 0.0  # the noun asked about is in the sentence
    w_missing: float = -0.304  # per number of the question absent ("the 2010 final"), ≤ 2
    w_no_kind: float = -0.479  # the sentence holds nothing of the asked kind at all
    rank_scale: float = 3.0
    cosine_floor: float = 0.15  # cosine rescaled as (c − floor) / span, clipped to 0..1
    cosine_span: float = 0.55
    parsed_passages: int = 8  # how many of the best passages are parsed for spans

    # -- the span within a passage -------------------------------------------------------
    fit_power: float = 1.0  # score = relevance · fit ** fit_power
    # fit = Π factor ** e_factor (bot.qa.answer.FIT_FACTORS): the span's entity type, its
    # tree/text closeness to the question's words, its novelty, the noun asked about
    # beside it, a place's preposition, its role under a matched verb, the unit asked for
    e_kind: float = 2.779
    e_proximity: float = 2.962
    e_novelty: float = 4.884
    e_focus: float = 2.932
    e_place: float = 4.311
    e_role: float = 3.967
    e_unit: float = 6.439
    role_bonus: float = 1.2  # the span fills the question word's role under a matched verb
    relative_date: float = 0.6  # × "yesterday", "on Monday" when a time question is asked
    unit_absent: float = 0.6  # × a count without the unit asked for ("how many days")
    focus_head: float = 1.5  # × an open "what medal" span headed by the noun: "silver medal"
    common_name: float = 0.4  # a common noun phrase for "what's the name of …"

    # -- confidence ----------------------------------------------------------------------
    # P(right) = σ(conf_scale · ln score + conf_shift) (bot.qa.rerank.confidence)
    conf_scale: float = 0.6025
    conf_shift: float = 2.0243
    threshold: float = 0.15  # confidence below this: "the corpus does not say"
    best_match: float = 0.35  # less than this above it: shown, marked "best match"

    @property
    def fit_exponents(self) -> tuple[float, ...]:
        return (
            self.e_kind,
            self.e_proximity,
            self.e_novelty,
            self.e_focus,
            self.e_place,
            self.e_role,
            self.e_unit,
        )


DEFAULT = AnswerParams()
