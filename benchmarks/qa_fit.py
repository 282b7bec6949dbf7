"""Fit the offline answerer's passage re-ranker (the `w_*` weights of AnswerParams, the
two multiplicative checks and the span-fit exponent) on the dev split of one or more
question sets, and print the weights and the figures they give on every split.

    PYTHONPATH=. .venv/bin/python benchmarks/qa_fit.py --questions A.jsonl [B.jsonl]
        [--fit-splits dev] [--corpus DIR] [--db FILE]

Every passage the retriever returns is parsed once; the search then only re-scores the
cached features, so trying a weight costs microseconds. The search is coordinate ascent
over a grid, maximising mean token F1 plus evidence@1 over the answerable questions of
the fitting splits. Fitting splits are named per file: "dev" fits on both files' dev
questions and reports the others as held out.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from qa_eval import build_corpus, holds, token_f1

from bot.qa import Answerer
from bot.qa.answer import passage_features
from bot.qa.params import DEFAULT, AnswerParams
from bot.qa.rerank import Features, passage_score
from bot.service import Newsdesk
from bot.settings import Settings
from bot.store import Store

GRID = {
    "w_coverage": [0.2, 0.3, 0.4, 0.5, 0.6],
    "w_context": [0.0, 0.06, 0.12, 0.2, 0.3],
    "w_cosine": [0.1, 0.2, 0.28, 0.35, 0.45],
    "w_rank": [0.0, 0.1, 0.18, 0.3, 0.45, 0.6],
    "w_bm25": [0.0, 0.05, 0.1],
    "rank_scale": [1.0, 2.0, 3.0, 5.0, 10.0],
    "no_kind": [0.3, 0.5, 0.7, 1.0],
    "missing_number": [0.4, 0.6, 0.8, 1.0],
    "fit_power": [0.5, 0.75, 1.0, 1.5, 2.0],
}


@dataclass
class Case:
    item: dict[str, Any]
    raw: list[Features]  # per retrieved passage, before parsing
    parsed: dict[int, tuple[Features, list[tuple[str, float]]]]  # index → feats, spans
    sources: list[str]
    texts: list[str]


def _rescale(f: Features, params: AnswerParams) -> Features:
    """The rank feature again under another rank_scale (it is the only one that depends
    on a fitted constant)."""
    rank = round(1 + (1 / f.rank - 1) * DEFAULT.rank_scale) if f.rank else 1
    return replace(f, rank=1.0 / (1.0 + (rank - 1) / params.rank_scale))


def choose(case: Case, params: AnswerParams) -> tuple[int, str, float] | None:
    """(passage, answer, score) the answerer would give under `params`."""
    raw = [passage_score(_rescale(f, params), params) for f in case.raw]
    order = sorted(range(len(raw)), key=lambda i: -raw[i])[: params.parsed_passages]
    best = None
    for i in order:
        if i not in case.parsed:
            continue
        feats, spans = case.parsed[i]
        rel = passage_score(_rescale(feats, params), params)
        for text, fit in spans:
            score = rel * fit**params.fit_power + 1e-4 * len(text.split())
            if best is None or score > best[2]:
                best = (i, text, score)
    return best


def evaluate(cases: list[Case], params: AnswerParams) -> dict[str, float]:
    f1 = ev = 0.0
    n = 0
    for case in cases:
        answers = case.item["answers"]
        if not answers:
            continue
        n += 1
        got = choose(case, params)
        if got is None or got[2] < params.threshold - params.best_match:
            continue
        i, text, _ = got
        f1 += max(token_f1(text, a) for a in answers)
        ev += float(case.sources[i] == case.item["source"] and holds(case.texts[i], answers))
    return {"f1": 100 * f1 / max(n, 1), "evidence_at_1": 100 * ev / max(n, 1), "n": n}


def normalised(params: AnswerParams) -> AnswerParams:
    """The passage weights scaled to sum to 1, so the confidence threshold keeps its
    meaning (the ranking does not change unless a score was clipped)."""
    names = [f.name for f in fields(AnswerParams) if f.name.startswith("w_")]
    total = sum(getattr(params, n) for n in names) or 1.0
    return replace(params, **{n: round(getattr(params, n) / total, 3) for n in names})


def threshold_table(cases: list[Case], params: AnswerParams) -> list[str]:
    """For each threshold: F1 over the answerable questions (a "best match" counts as an
    answer) and how many unanswerable ones get nothing shown at all."""
    rows = []
    for t in (0.2, 0.24, 0.28, 0.32, 0.36, 0.4, 0.45, 0.5):
        trial = replace(params, threshold=t)
        answerable = evaluate(cases, trial)
        none = [c for c in cases if not c.item["answers"]]
        silent = 0
        for c in none:
            got = choose(c, trial)
            silent += got is None or got[2] < t - trial.best_match
        rows.append(
            f"  threshold {t:.2f}: F1 {answerable['f1']:.1f} ev@1 "
            f"{answerable['evidence_at_1']:.1f}; unanswerable left silent {silent}/{len(none)}"
        )
    return rows


def objective(cases: list[Case], params: AnswerParams) -> float:
    figures = evaluate(cases, params)
    return figures["f1"] + figures["evidence_at_1"]


def fit(cases: list[Case], start: AnswerParams, rounds: int = 4) -> AnswerParams:
    best, best_score = start, objective(cases, start)
    for _ in range(rounds):
        improved = False
        for name, grid in GRID.items():
            for value in grid:
                trial = replace(best, **{name: value})
                score = objective(cases, trial)
                if score > best_score + 1e-9:
                    best, best_score, improved = trial, score, True
        if not improved:
            break
    return best


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
                i: (feats, [(e.text, fit) for e, fit in spans]) for i, feats, spans in reading.trace
            }
            sources = [p.source for p in passages]
            cases.append(Case(item, raw, parsed, sources, [p.text for p in passages]))
    finally:
        await desk.close()
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=Path, nargs="+", required=True)
    parser.add_argument("--fit-splits", default="dev", help="comma-separated, e.g. dev")
    parser.add_argument("--corpus", type=Path, help="a folder holding seed/ and gum-news/")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--json", type=Path, help="write the fitted weights here")
    parser.add_argument("--restarts", type=int, default=0, help="random starting points")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    fit_splits = set(args.fit_splits.split(","))
    items = []
    for path in args.questions:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                if item["split"] in fit_splits:  # held-out splits are never even run
                    items.append(item | {"file": path.stem})
    with tempfile.TemporaryDirectory(prefix="qa-fit-") as tmp:
        corpus = build_corpus(Path(tmp) / "corpus", args.corpus)
        db = args.db or Path(tmp) / "qa.sqlite3"
        cases = asyncio.run(collect(items, corpus, db))
    before = evaluate(cases, DEFAULT)
    fitted = fit(cases, DEFAULT)
    rng = random.Random(args.seed)
    for _ in range(args.restarts):  # coordinate ascent from random grid points too
        start = replace(DEFAULT, **{name: rng.choice(grid) for name, grid in GRID.items()})
        trial = fit(cases, start)
        if objective(cases, trial) > objective(cases, fitted) + 1e-9:
            fitted = trial
    fitted = normalised(fitted)
    after = evaluate(cases, fitted)
    print(f"fitted on {len(cases)} questions ({args.fit_splits}):", file=sys.stderr)
    print(f"  current weights: {before}", file=sys.stderr)
    print(f"  fitted weights:  {after}", file=sys.stderr)
    for name in sorted({c.item["file"] for c in cases}):
        part = [c for c in cases if c.item["file"] == name]
        print(f"  {name}: {evaluate(part, DEFAULT)} → {evaluate(part, fitted)}", file=sys.stderr)
    print("\n".join(threshold_table(cases, fitted)), file=sys.stderr)
    changed = {
        f.name: getattr(fitted, f.name)
        for f in fields(AnswerParams)
        if getattr(fitted, f.name) != getattr(DEFAULT, f.name)
    }
    print(json.dumps(changed, indent=2))
    if args.json:
        args.json.write_text(json.dumps(changed, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
