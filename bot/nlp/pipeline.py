"""The analysis one article goes through at ingest: sentences, entities, quotes,
sentence embeddings and the default summary. Synchronous and CPU-bound: callers run it
in a worker thread, never on the event loop.

A long article is parsed in chunks of whole paragraphs (`ChunkParams`), each analysed for
entities and quotes alone and the results joined with their offsets shifted, so one 2 MB
article costs time and memory in proportion to its size rather than to its square (a
spaCy Doc of the whole text, and entity passes over it, grew superlinearly). Articles
within one chunk, nearly all of them, are analysed exactly as before.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from bot.nlp.extractive import METHOD_VERSION as EXTRACTIVE_VERSION
from bot.nlp.extractive import extractive_model_name, extractive_summary, uses_title
from bot.nlp.spacy_model import load_spacy, package_version
from bot.nlp.summary_types import Summary, stored_text
from bot.records import (
    AnalysedArticle,
    Article,
    Entity,
    Mention,
    Quote,
    Sentence,
    SummaryRecord,
)
from bot.settings import Settings

if TYPE_CHECKING:  # spaCy imports torch: a warm restart with nothing to analyse needs neither
    from spacy.language import Language
    from spacy.tokens import Doc

    from bot.nlp.embeddings import Embedder
    from bot.nlp.onnx_embedder import OnnxEmbedder

# Bump when a code change alters what ingest stores, so every article is re-analysed.
PIPELINE_REVISION = "11"  # 7: common nouns are no people; 8: encoder groups; 9: who is who; 10
# 11: ONNX batches of 8 texts and no title vector (int8 sentence vectors change slightly);
# quote cues found on real news ("by saying", "…, said X" after a parse-hung clause);
# speakers: relatives, roles and ages, "and"-joined bodies, particles, monarchs, Dean Johnson
DEFAULT_LENGTH = "medium"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChunkParams:
    """How much text one spaCy Doc may hold. A chunk ends at a paragraph break (a line
    break, then any whitespace, when one paragraph is longer), so sentences never span
    two; 10,000 characters is about twice a typical news article."""

    max_chars: int = 10_000


@dataclass(frozen=True, slots=True)
class OverlapParams:
    """When and how the parse hands articles to the encoder beside it (`INGEST_OVERLAP`):
    in groups of about `group_texts` texts (titles and sentences), each sorted by tokens."""

    group_texts: int = 256
    # The load average must leave this much of a core free: with the cores busy (load 4-7
    # on 2), the overlap measured 12-25 % more CPU and no shorter wall time than serial.
    idle_core: float = 0.7


def chunk_spans(text: str, params: ChunkParams = ChunkParams()) -> list[tuple[int, int]]:
    """(start, end) of consecutive chunks covering `text` exactly, each at most
    `params.max_chars` long unless no break at all can be found."""
    limit = params.max_chars
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n\n") + 2
        if cut < 2:
            cut = window.rfind("\n") + 1
        if cut < 1:
            cut = max(window.rfind(" "), window.rfind("\t")) + 1
        if cut < 1:
            cut = limit
        spans.append((start, start + cut))
        start += cut
    spans.append((start, len(text)))
    return spans


@dataclass(slots=True)
class _Parsed:
    """One article's parse, assembled chunk by chunk."""

    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)

    def add(self, doc: Doc, offset: int) -> None:
        from bot.nlp.entities import analyse_entities
        from bot.nlp.quotes import extract_quotes

        for s in doc_sentences(doc):
            self.sentences.append(
                Sentence(len(self.sentences), s.start + offset, s.end + offset, s.text)
            )
        ents = analyse_entities(doc)
        quotes = extract_quotes(doc, ents)
        if not offset:
            self.mentions.extend(ents.mentions)
            self.quotes.extend(quotes)
        else:
            self.mentions.extend(
                dataclasses.replace(m, start=m.start + offset, end=m.end + offset)
                for m in ents.mentions
            )
            self.quotes.extend(_shift_quote(q, offset) for q in quotes)
        for name, entity in ents.entities.items():
            known = self.entities.get(name)
            if known is None:
                self.entities[name] = entity
            else:
                known.aliases |= entity.aliases
                known.role = known.role or entity.role


def _shift_quote(q: Quote, offset: int) -> Quote:
    return dataclasses.replace(
        q,
        start=q.start + offset,
        end=q.end + offset,
        speaker_start=None if q.speaker_start is None else q.speaker_start + offset,
        speaker_end=None if q.speaker_end is None else q.speaker_end + offset,
    )


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

    def __init__(
        self,
        settings: Settings,
        chunk_params: ChunkParams | None = None,
        overlap_params: OverlapParams | None = None,
    ) -> None:
        self.settings = settings
        self.chunk_params = chunk_params or ChunkParams()
        self.overlap_params = overlap_params or OverlapParams()
        self._lock = threading.Lock()

    @cached_property
    def nlp(self) -> Language:
        return load_spacy(self.settings.spacy_model)

    @cached_property
    def embedder(self) -> Embedder | OnnxEmbedder:
        # Imported here: torch takes seconds to import and a warm restart needs none of it.
        from bot.nlp.embeddings import load_embedder

        return load_embedder(self.settings)

    def load_models(self) -> None:
        """Load spaCy and the encoder now (each raises `ModelUnavailable` with its fix)."""
        _ = self.nlp, self.embedder

    @cached_property
    def pipeline_version(self) -> str:
        """Known without loading a model, so an unchanged corpus restarts with no NLP.
        torch and ONNX fp32 compute the same vectors; int8 ones differ, so they count."""
        from bot.nlp.embeddings import embedding_variant

        variant = embedding_variant(self.settings)
        return "|".join(
            (
                PIPELINE_REVISION,
                package_version(self.settings.spacy_model),
                self.settings.embedding_model + ("+int8" if variant == "onnx-int8" else ""),
                EXTRACTIVE_VERSION,
            )
        )

    def analyse_batch(self, articles: Sequence[Article]) -> list[AnalysedArticle]:
        with self._lock:
            groups = self._groups(articles)
            if not self._overlap():
                return [item for group in groups for item in self._finish(group)]
            return self._finish_beside(groups)

    def _overlap(self) -> bool:
        """INGEST_OVERLAP, or when unset, whether a core is idle now (the 1-minute load
        average, our own parse included, leaves one free)."""
        chosen = self.settings.ingest_overlap
        if chosen is not None:
            return chosen
        cores = os.cpu_count() or 1
        return cores > 1 and os.getloadavg()[0] <= cores - self.overlap_params.idle_core

    def _groups(self, articles: Sequence[Article]) -> Iterator[list[tuple[Article, _Parsed]]]:
        """Parsed articles in groups of about `group_texts` texts, as the parse goes. The
        groups are the same with or without the overlap, so are the vectors (int8 ONNX
        quantises each encoder batch as a whole)."""
        limit = self.overlap_params.group_texts
        group: list[tuple[Article, _Parsed]] = []
        size = 0
        for i, parsed in self._parse(articles):
            group.append((articles[i], parsed))
            size += len(parsed.sentences) + 1
            if size >= limit:
                yield group
                group, size = [], 0
        if group:
            yield group

    def _finish_beside(
        self, groups: Iterator[list[tuple[Article, _Parsed]]]
    ) -> list[AnalysedArticle]:
        """spaCy in this thread, the encoder (and the summaries) in another, fed each group
        as it is parsed: ONNX Runtime and the tokenizer release the GIL, so with a core to
        spare the wall time nears the slower stage instead of the sum."""
        futures: list[Future[list[AnalysedArticle]]] = []
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="encode") as pool:
            try:
                for group in groups:
                    futures.append(pool.submit(self._finish, group))
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
            return [item for f in futures for item in f.result()]

    def _finish(self, group: Sequence[tuple[Article, _Parsed]]) -> list[AnalysedArticle]:
        """Embeddings and summaries of parsed articles. One encode for the whole group
        (each title when the summary reads it, then its sentences): the encoder sorts by
        token count, so its batches are full and barely padded. Per article they were
        small and ragged."""
        titled = uses_title()
        texts = [t for a, p in group for t in _texts(a, p.sentences, titled)]
        encoded = self.embedder.encode(texts)
        out, at = [], 0
        for article, parsed in group:
            n = len(parsed.sentences) + titled
            out.append(self._analyse(article, parsed, encoded[at : at + n], titled))
            at += n
        return out

    def _parse(self, articles: Sequence[Article]) -> Iterator[tuple[int, _Parsed]]:
        """(index, parse) of each article as its last chunk comes out of spaCy; each Doc
        is analysed and dropped at once, so only a batch's worth of chunks is ever held."""
        chunks: list[tuple[int, int]] = []  # (article index, offset) of each chunk
        for i, article in enumerate(articles):
            spans = chunk_spans(article.text, self.chunk_params)
            if len(spans) > 1:
                log.info(
                    "%s: %d characters, analysed in %d chunks",
                    article.source,
                    len(article.text),
                    len(spans),
                )
            chunks.extend((i, start) for start, _ in spans)
        texts = self._chunk_texts(articles)
        current, parsed = -1, _Parsed()
        for (i, offset), doc in zip(chunks, self.nlp.pipe(texts, batch_size=8), strict=True):
            if i != current:
                if current >= 0:
                    yield current, parsed
                current, parsed = i, _Parsed()
            parsed.add(doc, offset)
        if current >= 0:
            yield current, parsed

    def _chunk_texts(self, articles: Sequence[Article]) -> Iterator[str]:
        for article in articles:
            for start, end in chunk_spans(article.text, self.chunk_params):
                yield article.text[start:end]

    def _analyse(
        self, article: Article, parsed: _Parsed, encoded: np.ndarray, titled: bool
    ) -> AnalysedArticle:
        """`encoded`: the title's embedding when `titled`, then one per sentence."""
        from bot.nlp.embeddings import to_blob

        sentences = parsed.sentences
        vectors = encoded[1:] if titled else encoded
        blobs = [to_blob(v) for v in vectors]
        summaries = []
        if sentences:
            summary = extractive_summary(
                article.title,
                [s.text for s in sentences],
                vectors,
                DEFAULT_LENGTH,
                title_embedding=encoded[0] if titled else None,
                model=extractive_model_name(self.settings.embedding_model),
            )
            summaries.append(summary_record(summary))
        return AnalysedArticle(
            article=article,
            pipeline_version=self.pipeline_version,
            sentences=sentences,
            mentions=parsed.mentions,
            entities=parsed.entities,
            quotes=parsed.quotes,
            embeddings=blobs,
            summaries=summaries,
        )


def _texts(article: Article, sentences: list[Sentence], titled: bool) -> list[str]:
    """What is embedded for an article: its title when the summary ranks sentences
    against it, then each sentence."""
    return ([article.title] if titled else []) + [s.text for s in sentences]


def summary_record(s: Summary) -> SummaryRecord:
    return SummaryRecord(
        s.method, s.length, s.model, stored_text(s.points, s.length, s.text), s.sentences
    )
