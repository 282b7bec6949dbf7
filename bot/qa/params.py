"""The offline answerer's tunable weights, in one place.

The passage weights (`w_*`, a logistic model over the features of `bot.qa.rerank`), the
span-fit exponents (`e_*`), the confidence curve (`conf_*`) and the threshold were fitted
by benchmarks/qa_fit.py (conditional logit) on every split of qa_questions.jsonl,
qa_user_questions.jsonl and qa_user_questions2.jsonl: all of them are dev now, so the
figures to trust are not these weights' own but `qa_fit.py --kfold 5` (each question
scored by weights fitted on the other four fifths) and fit-on-the-older-sets, check on
qa_user_questions2 (see benchmarks/qa_fit.py). Answers shown from the fitted cut up to
`best_match` above it are marked "best match". The rest were set by hand on the dev
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

    # -- the passage re-ranker: P(holds the answer) = σ(w_bias + Σ w_f · feature_f) ------
    # (bot.qa.rerank; fitted by benchmarks/qa_fit.py, see the module docstring)
    w_bias: float = -9.368
    w_coverage: float = 4.035  # share of the question's term weight found in the sentence
    w_context: float = 6.47  # … found only around it (previous/next sentence, title)
    w_cosine: float = 2.306  # MiniLM question–sentence cosine, rescaled to 0..1
    w_rank: float = 1.103  # the fused retrieval rank, as 1 / (1 + (rank − 1) / rank_scale)
    w_bm25: float = -0.358  # BM25 found it in its own top list
    w_retrieval: float = 1.49  # the fused score over the best one's
    w_anchors: float = 0.0  # share of the question's names here (or, in part, around)
    w_focus: float = 0.0  # the noun asked about is in the sentence
    w_article: float = 1.308  # its article's share of the retrieved list (1: the top one)
    w_cos_rank: float = 1.403  # 1 / its rank by cosine among the retrieved sentences
    w_length: float = -0.295  # its length in words / 60: long sentences cover terms by chance
    w_missing: float = -0.708  # per number of the question absent ("the 2010 final"), ≤ 2
    w_no_kind: float = -0.284  # the sentence holds nothing of the asked kind at all
    rank_scale: float = 3.0
    cosine_floor: float = 0.15  # cosine rescaled as (c − floor) / span, clipped to 0..1
    cosine_span: float = 0.55
    parsed_passages: int = 8  # how many of the best passages are parsed for spans

    # -- the span within a passage -------------------------------------------------------
    fit_power: float = 1.0  # score = relevance · fit ** fit_power
    # fit = Π factor ** e_factor (bot.qa.answer.FIT_FACTORS): the span's entity type, its
    # tree/text closeness to the question's words, its novelty, the noun asked about
    # beside it, a place's preposition, its role under a matched verb, the unit asked for
    e_kind: float = 3.46
    e_proximity: float = 3.351
    e_novelty: float = 4.635
    e_focus: float = 3.758
    e_place: float = 6.011
    e_role: float = 6.08
    e_unit: float = 7.758
    role_bonus: float = 1.2  # the span fills the question word's role under a matched verb
    relative_date: float = 0.6  # × "yesterday", "on Monday" when a time question is asked
    unit_absent: float = 0.6  # × a count without the unit asked for ("how many days")
    focus_head: float = 1.5  # × an open "what medal" span headed by the noun: "silver medal"
    person_noun: float = 0.6  # a "who" question's answer as a noun for people: "fishermen"
    common_name: float = 0.4  # a common noun phrase for "what's the name of …"

    # -- confidence ----------------------------------------------------------------------
    # P(right) = σ(conf_scale · ln score + conf_shift) (bot.qa.rerank.confidence)
    conf_scale: float = 0.618
    conf_shift: float = 1.9351
    threshold: float = 0.1  # confidence below this: "the corpus does not say"
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
