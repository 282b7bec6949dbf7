"""The services every front end calls: the CLI, the console and the Discord cogs.

`Newsdesk` owns the store and the (lazily loaded) models; it knows nothing of Discord.
Results are plain dataclasses that each front end renders its own way.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.errors import Ambiguous, NotFound, UserError
from bot.ingest import IngestReport, ingest
from bot.lookup import NameEntry, NameMatcher, fold
from bot.nlp.pipeline import Analyser
from bot.records import SummaryRecord
from bot.settings import Settings
from bot.store import ArticleRow, Store

if TYPE_CHECKING:
    from bot.nlp.summary_types import Summary
    from bot.qa import Answer, Answerer

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 500
# Rows a page may skip: past any real corpus, and far inside SQLite's 64-bit integers (a
# page number of 10**20 from the CLI or a caller raised OverflowError in the query).
MAX_OFFSET = 10_000_000


def clean_query(text: str | None, limit: int = MAX_QUERY_CHARS) -> str:
    """User text made safe to search: no NULs or control characters, bounded length."""
    if not text:
        return ""
    cleaned = "".join(c if c.isprintable() or c in " \t" else " " for c in text)
    return " ".join(cleaned.split())[:limit]


@dataclass(slots=True)
class EntityArticle:
    article: ArticleRow
    mentions: int
    role: str | None


@dataclass(slots=True)
class EntityCard:
    id: int
    name: str
    label: str
    aliases: list[str]
    articles: list[EntityArticle]
    sentences: list[tuple[ArticleRow, int, str]]
    total_sentences: int
    quotes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def role(self) -> str | None:
        return next((a.role for a in self.articles if a.role), None)


@dataclass(slots=True)
class EntityCount:
    id: int
    name: str
    label: str
    mentions: int
    articles: int


@dataclass(slots=True)
class QuoteResults:
    items: list[dict[str, Any]]
    total: int
    speaker: str | None = None  # the canonical speaker the search was narrowed to
    candidates: list[str] = field(default_factory=list)  # when the speaker name is ambiguous


QUOTE_KINDS = ("direct", "mixed", "indirect")
QUOTE_EXPORT_KEYS = (
    "text",
    "start",
    "end",
    "segments",
    "speaker",
    "speaker_text",
    "role",
    "cue",
    "kind",
)


@dataclass(slots=True)
class SummaryResult:
    article: ArticleRow
    text: str
    sentences: tuple[int, ...]
    method: str
    length: str
    model: str
    cached: bool
    note: str | None = None


class Newsdesk:
    def __init__(self, settings: Settings, store: Store, analyser: Analyser | None = None) -> None:
        self.settings = settings
        self.store = store
        self.analyser = analyser or Analyser(settings)
        self._names: NameMatcher | None = None
        # Every speaker with a count: a GROUP BY over all quotes (~20 ms at a few thousand
        # articles) that each quotes-by-speaker lookup needs; kept until the next ingest.
        self._speakers: list[tuple[str, int, int | None]] | None = None
        self._answerer: Answerer | None = None
        self._ingest_lock = asyncio.Lock()
        self.ingesting = False

    @classmethod
    async def open(cls, settings: Settings) -> Newsdesk:
        return cls(settings, await Store.open(settings.database))

    async def close(self) -> None:
        await self.store.close()

    @property
    def corpus_dir(self) -> Path:
        return self.settings.corpus_dir

    # -- ingest -----------------------------------------------------------------------

    async def ingest(self, *, progress: bool = False) -> IngestReport:
        async with self._ingest_lock:
            self.ingesting = True
            changed = True  # unless the ingest says otherwise (an error may leave writes)
            try:
                report = await ingest(
                    self.store,
                    self.analyser,
                    self.settings.corpus_dir,
                    max_bytes=self.settings.max_file_bytes,
                    batch_size=self.settings.batch_size,
                    progress=progress,
                )
                changed = bool(report.analysed or report.removed)
            finally:
                self.ingesting = False
                if changed:  # a warm restart's no-op ingest keeps the caches just built
                    self._names = None
                    self._speakers = None
                    if self._answerer is not None:
                        self._answerer.invalidate()
        return report

    # -- articles ---------------------------------------------------------------------

    async def resolve_article(self, ref: str) -> ArticleRow:
        """An article from its id, its path, or a unique part of its title or path."""
        ref = clean_query(ref, 300)
        if not ref:
            raise NotFound("Name an article: its id, its file name or words of its title.")
        rows = await self.store.find_articles(ref)
        if not rows:
            raise NotFound(f"No article matches “{ref}”.")
        if len(rows) > 1:
            raise Ambiguous("Article", ref, [f"{r.title} ({r.id})" for r in rows])
        return rows[0]

    async def articles(self, query: str | None = None, limit: int = 25) -> list[ArticleRow]:
        query = clean_query(query, 300)
        if not query:
            return await self.store.list_articles(limit=limit)
        return await self.store.find_articles(query, limit=limit)

    async def article_counts(self, article_id: str) -> dict[str, int]:
        """Sentences, entities and quotes of one article, for its card."""
        return await self.store.article_counts(article_id)

    # -- entities ---------------------------------------------------------------------

    async def name_matcher(self) -> NameMatcher:
        if self._names is None:
            rows = await self.store.entity_names()
            ranked = await self.store.ranked_entities(limit=1_000_000)
            weights = {eid: n for eid, _, _, n, _ in ranked}
            entries = [NameEntry(*r) for r in rows]
            # Folding every alias takes ~0.1 s at a few thousand articles: off the loop.
            self._names = await asyncio.to_thread(NameMatcher, entries, weights)
        return self._names

    async def find_entities(self, name: str, label: str | None = None) -> list[NameEntry]:
        matcher = await self.name_matcher()
        hits = matcher.match(clean_query(name, 200))
        return [h for h in hits if label is None or h.label == label]

    async def entity(self, name: str, *, page: int = 0, per_page: int = 10) -> EntityCard:
        name = clean_query(name, 200)
        if not name:
            raise NotFound("Give a name to look up.")
        hits = await self.find_entities(name)
        if not hits:
            raise NotFound(f"No person, place or organisation called “{name}” in the corpus.")
        hit = _pick(hits, name)
        articles = [EntityArticle(*row) for row in await self.store.entity_articles(hit.key)]
        by_id = {a.article.id: a.article for a in articles}
        per_page = max(1, min(per_page, 100))
        offset = min(max(page, 0) * per_page, MAX_OFFSET)
        rows = await self.store.entity_sentences(hit.key, per_page, offset)
        sentences = [(by_id[aid], idx, text) for aid, idx, text in rows if aid in by_id]
        return EntityCard(
            id=hit.key,
            name=hit.name,
            label=hit.label,
            aliases=[a for a in await self.store.entity_aliases(hit.key) if a != hit.name],
            articles=articles,
            sentences=sentences,
            total_sentences=await self.store.count_entity_sentences(hit.key),
            quotes=await self.store.search_quotes(speaker_ids=[hit.key], limit=25),
        )

    async def entities(self, article: str | None = None, limit: int = 200) -> list[EntityCount]:
        article_id = (await self.resolve_article(article)).id if clean_query(article) else None
        rows = await self.store.ranked_entities(article_id, limit)
        return [EntityCount(*r) for r in rows]

    # -- quotes -----------------------------------------------------------------------

    async def _all_speakers(self) -> list[tuple[str, int, int | None]]:
        if self._speakers is None:
            self._speakers = await self.store.speakers()
        return self._speakers

    async def speakers(self) -> list[tuple[str, int]]:
        return [(name, n) for name, n, _ in await self._all_speakers()]

    async def quotes(
        self,
        speaker: str | None = None,
        article: str | None = None,
        text: str | None = None,
        kind: str | None = None,
        limit: int = 10,
        offset: int = 0,
    ) -> QuoteResults:
        """Quotes by speaker (any case, surname, near miss), article, words and kind."""
        speaker, text = clean_query(speaker, 200), clean_query(text)
        kind = clean_query(kind, 20).lower() or None
        if kind is not None and kind not in QUOTE_KINDS:
            raise UserError(f"Kind must be one of {', '.join(QUOTE_KINDS)}.")
        filters: dict[str, Any] = {"text": text or None, "kind": kind}
        if clean_query(article):
            filters["article_id"] = (await self.resolve_article(article or "")).id
        resolved: str | None = None
        if speaker:
            found = await self._speaker_filter(speaker)
            if isinstance(found, list):
                return QuoteResults([], 0, candidates=found)
            resolved, extra = found
            filters.update(extra)
        limit, offset = max(1, min(limit, 100)), min(max(offset, 0), MAX_OFFSET)
        items = await self.store.search_quotes(**filters, limit=limit, offset=offset)
        total = await self.store.count_quotes(**filters)
        return QuoteResults(items, total, resolved)

    async def _speaker_filter(self, speaker: str) -> tuple[str, dict[str, Any]] | list[str]:
        """Store filters for a typed speaker name, or the candidate names when ambiguous."""
        speakers = await self._all_speakers()
        by_id = {eid: name for name, _, eid in speakers if eid is not None}
        hits = [h for h in await self.find_entities(speaker) if h.key in by_id]
        if hits:
            try:
                hit = _pick(hits, speaker)
            except Ambiguous:
                return [h.name for h in hits]
            return hit.name, {"speaker_ids": [hit.key]}
        plain = [name for name, _, eid in speakers if eid is None and fold(name) == fold(speaker)]
        if plain:
            return plain[0], {"speaker_name": plain[0]}
        raise NotFound(f"No quotes from “{speaker}” in the corpus.")

    # -- summaries --------------------------------------------------------------------

    async def summary(self, article: str, length: str = "medium") -> SummaryResult:
        """The cached summary when there is one (no model loads); else made and cached."""
        from bot.nlp.summary_types import LENGTHS

        length = clean_query(length, 20).lower() or "medium"
        if length not in LENGTHS:
            raise UserError(f"Length must be one of {', '.join(LENGTHS)}.")
        row = await self.resolve_article(article)
        from bot.nlp.extractive import extractive_model_name

        keys = [("extractive", extractive_model_name(self.settings.embedding_model))]
        if self.settings.summarizer_model:
            keys.insert(0, ("abstractive", self.settings.summarizer_model))
        for method, model in keys[:1]:
            cached = await self.store.get_summary(row.id, row.content_hash, method, length, model)
            if cached is not None:
                return _summary_result(row, cached, cached=True)
        made = await self._make_summary(row, length)
        if made.note is not None:  # the abstractive model failed; serve the extractive cache
            method, model = keys[-1]
            cached = await self.store.get_summary(row.id, row.content_hash, method, length, model)
            if cached is not None:
                return _summary_result(row, cached, cached=True, note=made.note)
        record = SummaryRecord(made.method, made.length, made.model, made.text, made.sentences)
        await self.store.put_summary(row.id, row.content_hash, record)
        return _summary_result(row, record, cached=False, note=made.note)

    async def _make_summary(self, row: ArticleRow, length: str) -> Summary:
        from bot.nlp.embeddings import from_blob
        from bot.nlp.summarize import Summarizer

        sentences = [text for _, _, _, text in await self.store.sentences(row.id)]
        if not sentences:
            raise NotFound(f"“{row.title}” has no text to summarise.")
        blobs = await self.store.article_embeddings(row.id)
        vectors = (
            np.stack([from_blob(b) for b in blobs]) if all(b is not None for b in blobs) else None
        )

        def work() -> Summary:
            summarizer = Summarizer.from_settings(self.settings, self.analyser.embedder)
            return summarizer.summarize(row.title, sentences, length, embeddings=vectors)  # type: ignore[arg-type]

        return await asyncio.to_thread(work)

    # -- questions --------------------------------------------------------------------

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            from bot.qa import Answerer

            self._answerer = Answerer(self.store, self.analyser, self.settings)
        return self._answerer

    async def ask(self, question: str, article: str | None = None) -> Answer:
        """A question answered from the corpus, with the sentence and article it came from."""
        article_id = (await self.resolve_article(article)).id if clean_query(article) else None
        return await self.answerer.ask(question, article_id)

    # -- export -----------------------------------------------------------------------

    async def _export_summary(self, row: ArticleRow) -> str | None:
        try:
            return (await self.summary(row.id, "medium")).text
        except NotFound:
            return None

    async def export_rows(self) -> list[dict[str, Any]]:
        rows = []
        for a in await self.store.list_articles(limit=10_000_000):
            text = await self.store.article_text(a.id) or ""
            rows.append(
                {
                    "id": a.id,
                    "title": a.title,
                    "source": a.source,
                    "site": a.site,
                    "url": a.url,
                    "date": a.date,
                    "text": text,
                    "entities": [
                        {"text": t, "label": lab, "start": s, "end": e, "canonical": c}
                        for t, lab, s, e, c in await self.store.article_mentions(a.id)
                    ],
                    "summary": await self._export_summary(a),
                    "quotes": [
                        {k: q[k] for k in QUOTE_EXPORT_KEYS}
                        for q in await self.store.article_quotes(a.id)
                    ],
                }
            )
        return rows


def _summary_result(
    row: ArticleRow, s: SummaryRecord, *, cached: bool, note: str | None = None
) -> SummaryResult:
    return SummaryResult(row, s.text, s.sentences, s.method, s.length, s.model, cached, note)


def _pick(hits: list[NameEntry], query: str) -> NameEntry:
    """The one entity meant: the only hit, or the only one whose full name was typed."""
    if len(hits) == 1:
        return hits[0]
    exact = [h for h in hits if fold(h.name) == fold(query)]
    if len(exact) == 1:
        return exact[0]
    raise Ambiguous("Name", query, [f"{h.name} ({h.label})" for h in hits])


__all__ = ["Ambiguous", "EntityCard", "EntityCount", "Newsdesk", "NotFound", "UserError"]
