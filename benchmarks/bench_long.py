"""Long articles: time per KB of one article at 10 KB and at 1 MB, by stage.

A step whose cost grows with the square of an article's length (reading `doc.text` per
entity did) is invisible on news-sized articles and takes minutes on a 1 MB one; the
per-KB ratio between the two sizes catches it. The long article is the corpus's articles
run together (real prose, so entities and quotes recur as in a long report).

    python benchmarks/bench_long.py CORPUS [--sizes 10000 1000000]
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path
from typing import Any

from bench_cold import StageTimer
from bench_common import emit, peak_rss_mb, settings


def long_text(corpus: Path, size: int, max_bytes: int) -> str:
    """The corpus's article bodies joined by blank lines, repeated, cut at a paragraph
    boundary at about `size` characters."""
    from bot.corpus import load_corpus

    bodies = [a.text for a in load_corpus(corpus, max_bytes).articles if a.text.strip()]
    if not bodies:
        raise SystemExit(f"no articles in {corpus}")
    paragraphs: list[str] = []
    total = 0
    while total < size:
        for body in bodies:
            for para in body.split("\n\n"):
                paragraphs.append(para)
                total += len(para) + 2
                if total >= size:
                    return "\n\n".join(paragraphs)
    return "\n\n".join(paragraphs)


def run(corpus: Path, sizes: list[int]) -> dict[str, Any]:
    from bot.nlp.pipeline import Analyser
    from bot.records import Article

    config = settings(corpus, corpus / "unused.sqlite3")
    analyser = Analyser(config)
    nlp = analyser.nlp
    analyser.embedder.encode(["Warming up the encoder."])
    list(nlp.pipe(["Warming up spaCy, said the benchmark."]))
    timer = StageTimer()
    nlp.pipe = timer.wrap("spacy", nlp.pipe, materialise=True)  # type: ignore[method-assign]
    analyser.embedder.encode = timer.wrap("encode", analyser.embedder.encode)  # type: ignore[method-assign]
    figures: dict[str, Any] = {"sizes": {}}
    for size in sizes:
        text = long_text(corpus, size, config.max_file_bytes)
        digest = hashlib.sha256(text.encode()).hexdigest()
        article = Article(f"long-{size}", f"long-{size}.txt", "A long report", text, digest)
        timer.seconds.clear()
        started = time.perf_counter()
        [analysed] = analyser.analyse_batch([article])
        seconds = time.perf_counter() - started
        stages = {k: round(v, 3) for k, v in timer.seconds.items()}
        stages["rest"] = round(seconds - sum(timer.seconds.values()), 3)
        kb = len(text.encode()) / 1000
        figures["sizes"][str(size)] = {
            "kb": round(kb, 1),
            "seconds": round(seconds, 3),
            "ms_per_kb": round(seconds * 1000 / kb, 2),
            "rest_ms_per_kb": round(stages["rest"] * 1000 / kb, 3),
            "stages_s": stages,
            "sentences": len(analysed.sentences),
            "quotes": len(analysed.quotes),
            "peak_rss_mb": peak_rss_mb(),
        }
    small, large = (figures["sizes"][str(s)] for s in (min(sizes), max(sizes)))
    figures["per_kb_ratio"] = round(large["ms_per_kb"] / small["ms_per_kb"], 2)
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    args = parser.parse_args()
    emit(run(args.corpus, sorted(args.sizes)))


if __name__ == "__main__":
    main()
