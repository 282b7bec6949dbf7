"""The sentence encoders side by side: torch fp32, ONNX Runtime fp32 and int8.

Sentences/s on the corpus's sentences and the cosine of each variant's vectors to
torch's (mean and min), at 1 and 2 threads, optionally with a busy process on each of
`--busy` cores (the machine is shared: spaCy and the event loop hold a core during an
ingest). Variants run interleaved, round by round, so a change of load hits them all.

    python benchmarks/bench_encoders.py CORPUS [--sentences 1000] [--rounds 2] [--busy 1]
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from pathlib import Path
from typing import Any

import numpy as np
from bench_common import ROOT, emit, settings


def corpus_sentences(corpus: Path, limit: int) -> list[str]:
    from bot.corpus import load_corpus
    from bot.nlp.pipeline import doc_sentences
    from bot.nlp.spacy_model import load_spacy

    config = settings(corpus, corpus / "unused.sqlite3")
    nlp = load_spacy(config.spacy_model)
    out: list[str] = []
    for article in load_corpus(corpus, config.max_file_bytes).articles:
        out.append(article.title)
        out += [s.text for s in doc_sentences(nlp(article.text))]
        if len(out) >= limit:
            break
    return out[:limit]


def _spin(stop: Any) -> None:
    while not stop.is_set():
        sum(range(10_000))


def encoders(threads: int, with_torch: bool) -> dict[str, Any]:
    import torch

    from bot.nlp.embeddings import Embedder
    from bot.nlp.onnx_embedder import OnnxEmbedder, OnnxParams

    cache = ROOT / "data" / "models"
    torch.set_num_threads(threads)
    found: dict[str, Any] = {f"torch fp32 ({threads}t)": Embedder()} if with_torch else {}
    return found | {
        f"onnx fp32 ({threads}t)": OnnxEmbedder(cache, OnnxParams("fp32", threads)),
        f"onnx int8 ({threads}t)": OnnxEmbedder(cache, OnnxParams("int8", threads)),
    }


def run(
    corpus: Path, n: int, rounds: int, busy: int, thread_counts: list[int], with_torch: bool
) -> dict[str, Any]:
    texts = corpus_sentences(corpus, n)
    stop = multiprocessing.Event()
    spinners = [multiprocessing.Process(target=_spin, args=(stop,)) for _ in range(busy)]
    for p in spinners:
        p.start()
    figures: dict[str, Any] = {"sentences": len(texts), "busy_processes": busy, "variants": {}}
    reference: np.ndarray | None = None
    try:
        for threads in thread_counts:
            found = encoders(threads, with_torch)
            for enc in found.values():
                enc.encode(texts[:8])  # warm up
            seconds: dict[str, list[float]] = {name: [] for name in found}
            vectors: dict[str, np.ndarray] = {}
            for _ in range(rounds):
                for name, enc in found.items():
                    import torch

                    torch.set_num_threads(threads)
                    started = time.perf_counter()
                    vectors[name] = enc.encode(texts)
                    seconds[name].append(time.perf_counter() - started)
            if reference is None:  # torch's vectors (ONNX fp32's, which equal them, without)
                reference = vectors[next(iter(found))]
            for name in found:
                cosine = np.sum(vectors[name] * reference, axis=1)
                figures["variants"][name] = {
                    "sentences_per_s": round(len(texts) / min(seconds[name]), 1),
                    "cosine_mean": round(float(cosine.mean()), 5),
                    "cosine_min": round(float(cosine.min()), 5),
                }
    finally:
        stop.set()
        for p in spinners:
            p.join()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sentences", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--busy", type=int, default=0, help="busy processes beside the encoder")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-torch", action="store_true", help="ONNX variants only")
    args = parser.parse_args()
    figures = run(
        args.corpus, args.sentences, args.rounds, args.busy, args.threads, not args.no_torch
    )
    for name, d in figures["variants"].items():
        print(
            f"{name:20} {d['sentences_per_s']:8.1f} sentences/s  "
            f"cosine to torch mean {d['cosine_mean']:.4f} min {d['cosine_min']:.4f}"
        )
    emit(figures)


if __name__ == "__main__":
    main()
