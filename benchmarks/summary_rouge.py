"""ROUGE of the extractive summarizer against the GUM news articles' human summaries.

Compares, in one run and one table, our method (short and medium) with lead-1, lead-3
(the first sentences as split, and the first sentences that pass the boilerplate filter)
and TextRank (pytextrank). Each GUM article has a one-sentence human summary, so the
one-sentence methods are the fair comparison; the multi-sentence rows show the trade-off.

    .venv/bin/python benchmarks/summary_rouge.py [--corpus DIR] [--json FILE]

Texts: Wikinews (CC BY 2.5), annotations from GUM (Zeldes 2017, CC BY 4.0).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from rouge_score import rouge_scorer

from bot.nlp.embeddings import load_embedder
from bot.nlp.extractive import DEFAULT_PARAMS, METHOD_VERSION, extractive_summary
from bot.nlp.pipeline import doc_sentences
from bot.nlp.sentence_filter import candidates
from bot.nlp.spacy_model import load_spacy
from bot.settings import Settings

with contextlib.redirect_stdout(io.StringIO()):  # pytextrank prints a path on import
    import pytextrank  # noqa: F401  (registers the "textrank" pipe)

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gum-news"
METRICS = ("rouge1", "rouge2", "rougeLsum")


def load_articles(folder: Path) -> list[dict]:
    """The GUM files as (title, body, gold summary); body is the text after the first
    blank line, exactly the span the gold offsets point into."""
    gold = {}
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            gold[record["file"]] = record
    articles = []
    for path in sorted(folder.glob("*.txt")):
        if path.name not in gold:
            continue
        text = path.read_text(encoding="utf-8")
        title, _, body = text.partition("\n\n")
        articles.append(
            {
                "file": path.name,
                "title": title.strip(),
                "body": body,
                "summary": gold[path.name]["summary"],
            }
        )
    return articles


def clean(text: str) -> str:
    return " ".join(text.split())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    articles = load_articles(args.corpus)
    nlp = load_spacy()  # the ingest's pipeline: paragraph breaks end sentences
    nlp.add_pipe("textrank")
    embedder = load_embedder(Settings())  # EMBEDDING_BACKEND picks torch or ONNX
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)

    systems: dict[str, list[list[str]]] = {}
    encode_seconds = 0.0
    encoded = 0
    add: Callable[[str, list[str]], None] = lambda name, sents: systems.setdefault(  # noqa: E731
        name, []
    ).append([clean(s) for s in sents])

    for article in articles:
        doc = nlp(article["body"])
        texts = [sentence.text for sentence in doc_sentences(doc)]  # as ingest stores them
        started = time.perf_counter()
        vectors = embedder.encode(texts)
        title_vector = embedder.encode([article["title"]])[0]
        encode_seconds += time.perf_counter() - started
        encoded += len(texts) + 1
        for length in ("short", "medium"):
            summary = extractive_summary(
                article["title"], texts, vectors, length, title_embedding=title_vector
            )
            add(f"ours {length}", list(summary.points))
        filtered = [c.text for c in candidates(texts)]
        add("lead-1", texts[:1])
        add("lead-3", texts[:3])
        add("lead-1 filtered", filtered[:1])
        add("lead-3 filtered", filtered[:3])
        # The first filtered sentences under the same 1-2 sentence word budget as "short".
        budget = DEFAULT_PARAMS.short_budget
        two = len(" ".join(filtered[:2]).split()) <= budget and len(filtered) > 1
        add("lead-1/2 filtered", filtered[: 2 if two else 1])
        for k in (1, 3):
            ranked = doc._.textrank.summary(
                limit_phrases=15, limit_sentences=k, preserve_order=True
            )
            add(f"textrank-{k}", [span.text for span in ranked])

    references = [a["summary"] for a in articles]
    results: dict[str, dict[str, float]] = {}
    for name, outputs in systems.items():
        totals = dict.fromkeys(METRICS, 0.0)
        for reference, sentences in zip(references, outputs, strict=True):
            scores = scorer.score(reference, "\n".join(sentences))
            for metric in METRICS:
                totals[metric] += scores[metric].fmeasure
        results[name] = {m: 100 * totals[m] / len(outputs) for m in METRICS}
        results[name]["words"] = float(np.mean([len(" ".join(s).split()) for s in outputs]))

    print(f"{len(articles)} articles from {args.corpus}; method {METHOD_VERSION}")
    print(f"{'system':<18}{'R-1':>7}{'R-2':>7}{'R-Lsum':>8}{'words':>7}")
    for name, row in results.items():
        print(
            f"{name:<18}{row['rouge1']:7.2f}{row['rouge2']:7.2f}"
            f"{row['rougeLsum']:8.2f}{row['words']:7.1f}"
        )
    rate = encoded / encode_seconds if encode_seconds else 0.0
    print(f"encode: {encoded} texts in {encode_seconds:.1f} s ({rate:.0f} texts/s)")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "method": METHOD_VERSION,
                    "articles": len(articles),
                    "results": results,
                    "encode_texts_per_s": rate,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
