"""The analysis one article goes through at ingest: sentences, entities, quotes,
sentence embeddings and the default summary. Synchronous and CPU-bound: callers run it
in a worker thread, never on the event loop.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from bot.nlp.extractive import METHOD_VERSION as EXTRACTIVE_VERSION
from bot.nlp.extractive import extractive_model_name, extractive_summary
from bot.nlp.spacy_model import load_spacy, package_version
from bot.nlp.summary_types import Summary
from bot.records import AnalysedArticle, Article, Sentence, SummaryRecord
from bot.settings import Settings

if TYPE_CHECKING:  # spaCy imports torch: a warm restart with nothing to analyse needs neither
    from spacy.language import Language
    from spacy.tokens import Doc

    from bot.nlp.embeddings import Embedder

# Bump when a code change alters what ingest stores, so every article is re-analysed.
PIPELINE_REVISION = "5"  # 5: quote segments
DEFAULT_LENGTH = "medium"


def doc_sentences(doc: Doc) -> list[Sentence]:
    """Sentences with surrounding whitespace trimmed; whitespace-only ones dropped."""
    out: list[Sentence] = []
    for sent in doc.sents:
        raw = sent.text
        stripped = raw.strip()
        if not stripped:
            continue
        start = sent.start_char + (len(raw) - len(raw.lstrip()))
        out.append(Sentence(len(out), start, start + len(stripped), stripped))
    return out


class Analyser:
    """Holds the models (loaded once, lazily) and analyses batches of articles."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()

    @cached_property
    def nlp(self) -> Language:
        return load_spacy(self.settings.spacy_model)

    @cached_property
    def embedder(self) -> Embedder:
        # Imported here: torch takes seconds to import and a warm restart needs none of it.
        from bot.nlp.embeddings import Embedder

        return Embedder.from_settings(self.settings)

    @cached_property
    def pipeline_version(self) -> str:
        """Known without loading a model, so an unchanged corpus restarts with no NLP."""
        return "|".join(
            (
                PIPELINE_REVISION,
                package_version(self.settings.spacy_model),
                self.settings.embedding_model,
                EXTRACTIVE_VERSION,
            )
        )

    def analyse_batch(self, articles: Sequence[Article]) -> list[AnalysedArticle]:
        with self._lock:
            docs = list(self.nlp.pipe((a.text for a in articles), batch_size=8))
            sentences = [doc_sentences(doc) for doc in docs]
            # One encode for the whole batch (each title, then its sentences): the encoder
            # sorts by length, so its batches are full and barely padded. Per article they
            # were small and ragged, and encoding is most of an ingest's time.
            texts = [t for a, ss in zip(articles, sentences, strict=True) for t in _texts(a, ss)]
            encoded = self.embedder.encode(texts)
            out, at = [], 0
            for article, doc, ss in zip(articles, docs, sentences, strict=True):
                n = len(ss) + 1
                out.append(self._analyse(article, doc, ss, encoded[at : at + n]))
                at += n
            return out

    def _analyse(
        self, article: Article, doc: Doc, sentences: list[Sentence], encoded: np.ndarray
    ) -> AnalysedArticle:
        """`encoded`: the title's embedding, then one per sentence."""
        from bot.nlp.embeddings import to_blob
        from bot.nlp.entities import analyse_entities
        from bot.nlp.quotes import extract_quotes

        ents = analyse_entities(doc)
        vectors = encoded[1:]
        blobs = [to_blob(v) for v in vectors]
        summaries = []
        if sentences:
            summary = extractive_summary(
                article.title,
                [s.text for s in sentences],
                vectors,
                DEFAULT_LENGTH,
                title_embedding=encoded[0],
                model=extractive_model_name(self.settings.embedding_model),
            )
            summaries.append(summary_record(summary))
        return AnalysedArticle(
            article=article,
            pipeline_version=self.pipeline_version,
            sentences=sentences,
            mentions=ents.mentions,
            entities=ents.entities,
            quotes=extract_quotes(doc, ents),
            embeddings=blobs,
            summaries=summaries,
        )


def _texts(article: Article, sentences: list[Sentence]) -> list[str]:
    """What is embedded for an article: its title (the summary ranks sentences against
    it), then each sentence."""
    return [article.title] + [s.text for s in sentences]


def summary_record(s: Summary) -> SummaryRecord:
    return SummaryRecord(s.method, s.length, s.model, s.text, s.sentences)
