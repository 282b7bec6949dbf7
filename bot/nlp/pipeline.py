"""The analysis one article goes through at ingest: sentences, entities, quotes,
sentence embeddings and the default summary. Synchronous and CPU-bound: callers run it
in a worker thread, never on the event loop.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from bot.nlp.entities import ArticleEntities, analyse_entities
from bot.nlp.extractive import METHOD_VERSION as EXTRACTIVE_VERSION
from bot.nlp.extractive import extractive_summary
from bot.nlp.quotes import extract_quotes
from bot.nlp.spacy_model import load_spacy, package_version
from bot.nlp.summary_types import Summary
from bot.records import AnalysedArticle, Article, Quote, Sentence, SummaryRecord
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.nlp.embeddings import Embedder

# Bump when a code change alters what ingest stores, so every article is re-analysed.
PIPELINE_REVISION = "3"
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
            return [self._analyse(a, doc) for a, doc in zip(articles, docs, strict=True)]

    def _analyse(self, article: Article, doc: Doc) -> AnalysedArticle:
        from bot.nlp.embeddings import to_blob
        from bot.nlp.summarize import extractive_model_name

        sentences = doc_sentences(doc)
        ents = analyse_entities(doc)
        # The title is encoded in the same batch: the summary ranks sentences against it.
        encoded = self.embedder.encode([article.title] + [s.text for s in sentences])
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
            quotes=_with_roles(extract_quotes(doc, ents), ents),
            embeddings=blobs,
            summaries=summaries,
        )


def _with_roles(quotes: list[Quote], ents: ArticleEntities) -> list[Quote]:
    """A speaker's role from the article's entities where the quote itself names none."""
    out = []
    for q in quotes:
        entity = ents.entities.get(q.speaker)
        if q.role is None and entity is not None and entity.role:
            q = dataclasses.replace(q, role=entity.role)
        out.append(q)
    return out


def summary_record(s: Summary) -> SummaryRecord:
    return SummaryRecord(s.method, s.length, s.model, s.text, s.sentences)
