"""Fit the offline answerer's passage re-ranker (the logistic `w_*` weights of
AnswerParams and the span-fit exponent) on some splits, and report the figures the
fitted weights give on other splits that were not fitted on.

    PYTHONPATH=. .venv/bin/python benchmarks/qa_fit.py --questions A.jsonl [B.jsonl]
        --fit A:dev,B:dev --check A:test [--cache FILE] [--corpus DIR] [--db FILE]
        [--swap]

Every passage the retriever returns is parsed once (and the result kept in --cache, so
refitting costs seconds); the fit then re-scores the cached features only.

- The re-ranker: a logistic regression (scikit-learn, L2) of "this sentence holds a gold
  answer in the gold article" on the features of `bot.qa.rerank`, over all the passages
  retrieved for the fitting questions (unanswerable ones give negatives only).
- By default (`--method clogit`) a conditional logit instead: the passage weights and
  an exponent per factor of the span's fit, fitted jointly so that the right (passage,
  span) pair is the likeliest among all of a question's, then rescaled into a
  probability by a one-feature logistic regression.
- The regularisation is picked by two-fold cross-validation inside the fitting
  questions (for `logistic`, a grid with the span-fit exponent on the fitting questions),
  by mean token F1 plus evidence@1.
- The threshold is the cut that scores best on the fitting splits, an unanswerable
  question counting full marks when nothing is shown; the table shows, for each cut,
  F1 on the answerable and how many unanswerable questions are left silent.
`--swap` also fits on the check splits and reports on the fitting ones (two-fold).
Splits are named FILE_STEM:SPLIT (e.g. qa_user_questions:dev).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import pickle
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from qa_eval import build_corpus, holds, token_f1
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression

from bot.qa import Answerer
from bot.qa.answer import FIT_FACTORS, passage_features, span_fit
from bot.qa.params import DEFAULT, AnswerParams
from bot.qa.rerank import FEATURES, Features, confidence, feature_vector, passage_score
from bot.service import Newsdesk
from bot.settings import Settings
from bot.store import Store

C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
POWER_GRID = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0)


@dataclass
class Case:
    item: dict[str, Any]
    raw: list[Features]  # per retrieved passage, before parsing
    # index → its features and its spans (answer text, the factors of the span's fit)
    parsed: dict[int, tuple[Features, list[tuple[str, tuple[float, ...]]]]]
    sources: list[str]
    texts: list[str]

    @property
    def name(self) -> str:
        return f"{self.item['file']}:{self.item['split']}"

    def gold(self, i: int) -> bool:
        answers = self.item["answers"]
        return (
            bool(answers)
            and self.sources[i] == self.item["source"]
            and holds(self.texts[i], answers)
        )


def choose(case: Case, params: AnswerParams) -> tuple[int, str, float] | None:
    """(passage, answer, score) the answerer would give under `params`."""
    raw = [passage_score(f, params) for f in case.raw]
    order = sorted(range(len(raw)), key=lambda i: -raw[i])[: params.parsed_passages]
    best = None
    for i in order:
        if i not in case.parsed:
            continue
        feats, spans = case.parsed[i]
        rel = passage_score(feats, params)
        for text, factors in spans:
            fit = span_fit(factors, params)
            score = rel * fit**params.fit_power + 1e-4 * len(text.split())
            if best is None or score > best[2]:
                best = (i, text, score)
    return best


def evaluate(cases: list[Case], params: AnswerParams) -> dict[str, float]:
    """F1, evidence@1 (answers shown as a best match count) and abstentions."""
    cut = params.threshold
    f1 = ev = 0.0
    n = silent = unanswerable = 0
    for case in cases:
        answers = case.item["answers"]
        got = choose(case, params)
        shown = got is not None and confidence(got[2], params) >= cut
        if not answers:
            unanswerable += 1
            silent += not shown
            continue
        n += 1
        if not shown:
            continue
        i, text, _ = got
        f1 += max(token_f1(text, a) for a in answers)
        ev += float(case.gold(i))
    return {
        "n": n,
        "f1": round(100 * f1 / max(n, 1), 1),
        "evidence_at_1": round(100 * ev / max(n, 1), 1),
        "abstained": f"{silent}/{unanswerable}",
    }


def objective(cases: list[Case], params: AnswerParams) -> float:
    """Mean F1 + evidence@1 over every question, an unanswerable one scoring full marks
    when nothing is shown (SQuAD 2.0's rule)."""
    figures = evaluate(cases, params)
    silent, none = (int(x) for x in figures["abstained"].split("/"))
    n = figures["n"]
    total = (figures["f1"] + figures["evidence_at_1"]) * n + 200 * silent
    return total / max(n + none, 1)


CUT_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)


def calibrate(cases: list[Case], params: AnswerParams) -> AnswerParams:
    """The confidence curve — a one-feature logistic regression of "the answer chosen is
    right" (token F1 ≥ 0.5 from the gold sentence; any answer to an unanswerable question
    is wrong) on the log of its score — then the threshold (answers from it up are
    shown, up to `best_match` above it marked "best match"): the cut that scores best
    on `cases`."""
    logs, right = [], []
    for case in cases:
        got = choose(case, params)
        if got is None or got[2] <= 0:
            continue
        answers = case.item["answers"]
        ok = bool(answers) and case.gold(got[0])
        ok = ok and max(token_f1(got[1], a) for a in answers) >= 0.5
        logs.append(np.log(got[2]))
        right.append(int(ok))
    model = LogisticRegression(C=100.0, max_iter=2000)
    model.fit(np.asarray(logs)[:, None], np.asarray(right))
    params = replace(
        params,
        conf_scale=round(float(model.coef_[0][0]), 4),
        conf_shift=round(float(model.intercept_[0]), 4),
    )
    best, best_score = params, -1.0
    for cut in CUT_GRID:
        trial = replace(params, threshold=cut)
        score = objective(cases, trial)
        if score > best_score + 1e-9:
            best, best_score = trial, score
    return best


def logistic(cases: list[Case], c: float) -> dict[str, float]:
    """The `w_*` weights of a pointwise logistic regression over every parsed passage."""
    rows, labels = [], []
    for case in cases:
        for i, (feats, _spans) in case.parsed.items():
            rows.append(feature_vector(feats))
            labels.append(int(case.gold(i)))
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(np.asarray(rows), np.asarray(labels))
    coef = zip(FEATURES, model.coef_[0], strict=True)
    weights = {f"w_{name}": round(float(w), 3) for name, w in coef}
    return weights | {"w_bias": round(float(model.intercept_[0]), 3)}


def conditional_logit(cases: list[Case], l2: float) -> tuple[np.ndarray, np.ndarray]:
    """Passage weights w and span-factor exponents e that make the right answer likely
    among all the (passage, span) pairs of a question: P(pair) ∝ exp(w · x_passage +
    Σ e_k log factor_k), the right pairs being the gold passage's spans with token F1 ≥
    0.5 (questions without one are left out). L2 on w, e ≥ 0; fitted by L-BFGS-B."""
    groups = []
    for case in cases:
        answers = case.item["answers"]
        if not answers:
            continue
        xs, logs, good = [], [], []
        for i, (feats, spans) in case.parsed.items():
            x = feature_vector(feats)
            for text, factors in spans:
                xs.append(x)
                logs.append([np.log(max(f, 1e-6)) for f in factors])
                right = case.gold(i) and max(token_f1(text, a) for a in answers) >= 0.5
                good.append(right)
        if any(good) and not all(good):
            groups.append((np.asarray(xs), np.asarray(logs), np.asarray(good)))
    dim, k = len(FEATURES), len(FIT_FACTORS)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, e = theta[:dim], theta[dim:]
        total = 0.5 * l2 * float(w @ w)
        grad = np.concatenate([l2 * w, np.zeros(k)])
        for xs, logs, good in groups:
            u = xs @ w + logs @ e
            u -= u.max()
            ex = np.exp(u)
            pa, pg = ex / ex.sum(), ex * good / (ex * good).sum()
            total -= float(np.log((ex * good).sum() / ex.sum()))
            diff = pg - pa  # ∂ log P(right) / ∂ u
            grad[:dim] -= xs.T @ diff
            grad[dim:] -= logs.T @ diff
        return total, grad

    theta = np.concatenate([np.zeros(dim), np.ones(k)])
    # Each feature may only count the way it means: more coverage never hurts, a missing
    # number never helps (a prior that also keeps the small fitting sets from flipping a
    # weight's sign between folds).
    signs = {
        "missing": (None, 0.0),
        "no_kind": (None, 0.0),
        "bm25": (None, None),
        "length": (None, None),
    }
    bounds = [signs.get(name, (0.0, None)) for name in FEATURES] + [(0.0, 8.0)] * k
    result = minimize(loss, theta, jac=True, method="L-BFGS-B", bounds=bounds)
    return result.x[:dim], result.x[dim:]


def calibrated_logit(cases: list[Case], l2: float) -> dict[str, float]:
    """The conditional logit's weights, rescaled with an intercept by a one-feature
    logistic regression of "holds the answer" on w · x, so σ(…) is a probability; the
    span exponents are rescaled alike (the ranking by log σ + Σ e log factor is kept)."""
    w, e = conditional_logit(cases, l2)
    s, labels = [], []
    for case in cases:
        for i, (feats, _spans) in case.parsed.items():
            s.append(float(np.asarray(feature_vector(feats)) @ w))
            labels.append(int(case.gold(i)))
    model = LogisticRegression(C=100.0, max_iter=2000)
    model.fit(np.asarray(s)[:, None], np.asarray(labels))
    a, b = float(model.coef_[0][0]), float(model.intercept_[0])
    weights = {f"w_{name}": round(a * float(x), 3) for name, x in zip(FEATURES, w, strict=True)}
    exps = zip(FIT_FACTORS, e, strict=True)
    exponents = {f"e_{name}": round(a * float(x), 3) for name, x in exps}
    return weights | exponents | {"w_bias": round(b, 3), "fit_power": 1.0}


L2_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)


def fit_clogit(cases: list[Case], start: AnswerParams) -> AnswerParams:
    """The regularisation by two-fold cross-validation inside `cases` (every other
    question), then the weights refitted on all of them."""
    open_cut = replace(start, threshold=0.0)
    halves = cases[0::2], cases[1::2]
    best_l2, best_score = L2_GRID[0], -1.0
    for l2 in L2_GRID:
        score = sum(
            objective(held, replace(open_cut, **calibrated_logit(fitted, l2)))
            for fitted, held in (halves, halves[::-1])
        )
        if score > best_score + 1e-9:
            best_l2, best_score = l2, score
    best = replace(open_cut, **calibrated_logit(cases, best_l2))
    print(f"  L2 {best_l2} (two-fold inside the fitting questions)", file=sys.stderr)
    return calibrate(cases, best)


def fit(cases: list[Case], start: AnswerParams) -> AnswerParams:
    """Regularisation and span-fit exponent by the objective, with no threshold (every
    question answered) so the cut does not steer the ranking."""
    open_cut = replace(start, threshold=0.0)
    best, best_score = start, -1.0
    for c in C_GRID:
        weights = logistic(cases, c)
        for power in POWER_GRID:
            trial = replace(open_cut, **weights, fit_power=power)
            score = objective(cases, trial)
            if score > best_score + 1e-9:
                best, best_score = trial, score
    return calibrate(cases, best)


def threshold_table(cases: list[Case], params: AnswerParams) -> list[str]:
    rows = []
    for cut in CUT_GRID:
        trial = replace(params, threshold=cut)
        f = evaluate(cases, trial)
        rows.append(
            f"  shown from {cut:.2f}: F1 {f['f1']:.1f} ev@1 {f['evidence_at_1']:.1f}; "
            f"unanswerable left silent {f['abstained']}"
        )
    return rows


async def collect(items: list[dict[str, Any]], corpus_dir: Path, db: Path) -> list[Case]:
    settings = Settings(_env_file=None, corpus_dir=corpus_dir, database=db)
    desk = Newsdesk(settings, await Store.open(db))
    cases = []
    try:
        await desk.ingest()
        answerer = Answerer(desk.store, desk.analyser, settings)
        for item in items:
            seen = await answerer.read_offline(item["question"], parsed_passages=30)
            if seen is None:
                continue
            question, passages, inputs, reading = seen
            raw = [passage_features(question, p, params=DEFAULT) for p in inputs]
            parsed = {
                i: (feats, [(e.text, factors) for e, _fit, factors in spans])
                for i, feats, spans in reading.trace
            }
            sources = [p.source for p in passages]
            cases.append(Case(item, raw, parsed, sources, [p.text for p in passages]))
    finally:
        await desk.close()
    return cases


def load_cases(args: argparse.Namespace) -> list[Case]:
    if args.cache and args.cache.exists():
        return pickle.loads(args.cache.read_bytes())
    items = []
    for path in args.questions:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                items.append(json.loads(line) | {"file": path.stem})
    with tempfile.TemporaryDirectory(prefix="qa-fit-") as tmp:
        corpus = build_corpus(Path(tmp) / "corpus", args.corpus)
        db = args.db or Path(tmp) / "qa.sqlite3"
        cases = asyncio.run(collect(items, corpus, db))
    if args.cache:
        args.cache.write_bytes(pickle.dumps(cases))
    return cases


def report(cases: list[Case], fitted: AnswerParams, fit_on: set[str], check: set[str]) -> None:
    print(f"fitted on {sorted(fit_on)}:", file=sys.stderr)
    for name in sorted(fit_on | check):
        part = [c for c in cases if c.name == name]
        role = "fit  " if name in fit_on else "CHECK"
        print(
            f"  {role} {name}: current {evaluate(part, DEFAULT)} → fitted {evaluate(part, fitted)}",
            file=sys.stderr,
        )
    print("\n".join(threshold_table([c for c in cases if c.name in fit_on], fitted)))


def kfold(cases: list[Case], names: set[str], k: int, fitter: Any) -> None:
    """Each question scored by weights fitted on the other k − 1 folds (every k-th
    question of the pooled fitting splits), reported per split: figures not fitted on."""
    pool = [c for c in cases if c.name in names]
    held: dict[int, AnswerParams] = {}
    for fold in range(k):
        train = [c for j, c in enumerate(pool) if j % k != fold]
        print(f"fold {fold + 1}/{k}:", file=sys.stderr)
        held[fold] = fitter(train, DEFAULT)
    print(f"{k}-fold (each question scored by weights not fitted on it):", file=sys.stderr)
    for name in sorted(names):
        part = [(j, c) for j, c in enumerate(pool) if c.name == name]
        totals = {"n": 0, "f1": 0.0, "evidence_at_1": 0.0, "silent": 0, "none": 0}
        for fold in range(k):
            mine = [c for j, c in part if j % k == fold]
            if not mine:
                continue
            f = evaluate(mine, held[fold])
            silent, none = (int(x) for x in f["abstained"].split("/"))
            totals["n"] += f["n"]
            totals["f1"] += f["f1"] * f["n"]
            totals["evidence_at_1"] += f["evidence_at_1"] * f["n"]
            totals["silent"] += silent
            totals["none"] += none
        n = max(totals["n"], 1)
        print(
            f"  {name}: current {evaluate([c for _, c in part], DEFAULT)} → k-fold "
            f"{{'n': {totals['n']}, 'f1': {totals['f1'] / n:.1f}, "
            f"'evidence_at_1': {totals['evidence_at_1'] / n:.1f}, "
            f"'abstained': '{totals['silent']}/{totals['none']}'}}",
            file=sys.stderr,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, nargs="+", required=True)
    parser.add_argument("--fit", required=True, help="FILE_STEM:SPLIT,… to fit on")
    parser.add_argument("--check", default="", help="FILE_STEM:SPLIT,… to report only")
    parser.add_argument("--swap", action="store_true", help="also fit on --check")
    parser.add_argument(
        "--method", choices=("clogit", "logistic"), default="clogit", help="how to fit"
    )
    parser.add_argument("--cache", type=Path, help="keep the parsed passages here")
    parser.add_argument("--corpus", type=Path, help="a folder holding seed/ and gum-news/")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--json", type=Path, help="write the fitted weights here")
    parser.add_argument(
        "--kfold", type=int, default=0, help="also report K-fold figures over --fit"
    )
    args = parser.parse_args(argv)
    fit_on = set(filter(None, args.fit.split(",")))
    check = set(filter(None, args.check.split(",")))
    cases = load_cases(args)
    fitter = fit_clogit if args.method == "clogit" else fit
    if args.kfold > 1:
        kfold(cases, fit_on, args.kfold, fitter)
    fitted = fitter([c for c in cases if c.name in fit_on], DEFAULT)
    report(cases, fitted, fit_on, check)
    if args.swap and check:
        swapped = fitter([c for c in cases if c.name in check], DEFAULT)
        report(cases, swapped, check, fit_on)
        print("swapped weights:", json.dumps(_changed(swapped)), file=sys.stderr)
    print(json.dumps(_changed(fitted), indent=2))
    if args.json:
        args.json.write_text(json.dumps(_changed(fitted), indent=2), encoding="utf-8")
    return 0


def _changed(params: AnswerParams) -> dict[str, float]:
    names = [f"w_{n}" for n in FEATURES] + [f"e_{n}" for n in FIT_FACTORS]
    names += ["w_bias", "fit_power", "threshold", "conf_scale", "conf_shift"]
    return {n: getattr(params, n) for n in names}


if __name__ == "__main__":
    raise SystemExit(main())
