"""The services every front end calls: the CLI, the console and the Discord cogs.

`Newsdesk` owns the store and the (lazily loaded) models; it knows nothing of Discord.
Results are plain dataclasses that each front end renders its own way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot import scope
from bot.errors import Ambiguous, NotFound, UserError, echo
from bot.ingest import IngestReport, ingest
from bot.labels import QUOTE_KINDS, SUMMARY_LENGTHS, parse_choice
from bot.lookup import NameEntry, NameMatcher, fold
from bot.nlp.model_errors import ModelUnavailable
from bot.nlp.pipeline import Analyser
from bot.records import SummaryRecord
from bot.settings import Settings
from bot.store import ArticleCounts, ArticleRow, QuoteRow, Store, fts_query
from bot.store_factory import open_store
from bot.text_limits import MAX_QUERY_CHARS, clean_query

if TYPE_CHECKING:
    from bot.feeds.service import FeedService
    from bot.nlp.summary_types import Summary
    from bot.qa import Answer, Answerer

log = logging.getLogger(__name__)

# Rows a page may skip: past any real corpus, and far inside SQLite's 64-bit integers (a
# page number of 10**20 from the CLI or a caller raised OverflowError in the query).
MAX_OFFSET = 10_000_000
WARM_UP_QUESTION = "Who said what, and where?"
CARD_ARTICLES = 25  # an entity card lists this many articles (and counts them all)


class NothingToSearch(UserError):
    """Something was typed, but nothing searchable is left once it is cleaned."""


def given_query(text: str | None, limit: int = MAX_QUERY_CHARS, *, words: bool = False) -> str:
    """`clean_query(text)`, "" when nothing was typed; raises NothingToSearch when
    something was typed but nothing searchable is left (only NULs or control characters,
    or, with `words`, no letters or digits): a filter that cleans to nothing must not
    quietly become no filter and answer with everything."""
    cleaned = clean_query(text, limit)
    if text and text.strip() and (not cleaned or (words and fts_query(cleaned) is None)):
        raise NothingToSearch("Nothing to search for: that has no letters or digits.")
    return cleaned


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
    articles: list[EntityArticle]  # the CARD_ARTICLES that mention it most
    sentences: list[tuple[ArticleRow, int, str]]
    total_sentences: int
    quotes: list[QuoteRow] = field(default_factory=list)
    sentence_offset: int = 0  # where `sentences` starts among the `total_sentences`
    total_articles: int = 0  # every article that mentions it
    role: str | None = None  # as the article that mentions it most gives it


@dataclass(slots=True)
class EntityCount:
    id: int
    name: str
    label: str
    mentions: int
    articles: int


@dataclass(slots=True)
class ArticleCard:
    article: ArticleRow
    counts: ArticleCounts
    top: list[EntityCount]  # the most mentioned names
    summary: str | None  # the short summary; None when no summarizer could make one


@dataclass(slots=True)
class CorpusChange:
    """A file added to or removed from the corpus folder, and the ingest that followed."""

    source: str  # the file's path in the corpus folder
    title: str | None  # None for an upload (a file may hold several articles)
    url: str | None
    site: str | None
    report: IngestReport


@dataclass(slots=True)
class QuoteResults:
    items: list[QuoteRow]
    total: int
    speaker: str | None = None  # the canonical speaker the search was narrowed to
    candidates: list[str] = field(default_factory=list)  # when the speaker name is ambiguous
    offset: int = 0  # where `items` starts among the `total`


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
class ModelStatus:
    role: str
    setting: str
    name: str
    loaded: bool | None  # None: optional, loads on first use


@dataclass(slots=True)
class Status:
    """`/status`: what the corpus holds, what was last done, which models are in use."""

    articles: int
    quotes: int
    speakers: int
    entities: int
    last_analysed: float | None  # Unix time of the newest stored analysis
    last_ingest: str | None  # this process's last ingest, as its summary line
    ingesting: bool
    models: list[ModelStatus]
    database: str
    database_bytes: int | None


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

    @property
    def points(self) -> tuple[str, ...]:
        """The summary's sentences (bullets' points), in order."""
        from bot.nlp.summary_types import text_points

        return text_points(self.text, self.length)

    @property
    def prose(self) -> str:
        """The sentences as one paragraph (how short, medium and long read)."""
        return " ".join(self.points)


class IngestBusy(UserError):
    """Another process holds the store's ingest lock."""


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
        self._feeds: FeedService | None = None
        self._ingest_lock = asyncio.Lock()
        self.ingesting = False
        self.last_ingest: IngestReport | None = None

    @classmethod
    async def open(cls, settings: Settings, *, analyser: Analyser | None = None) -> Newsdesk:
        """The service over `settings.database`; pass `analyser` to share loaded models.

        On a shared store (PostgreSQL) another process's ingest announces its commits;
        the caches built from the corpus are dropped then, so this process answers about
        the new articles without a restart."""
        desk = cls(settings, await open_store(settings.database), analyser)
        await desk.store.subscribe(desk.forget_corpus_caches)
        return desk

    async def close(self) -> None:
        await self.store.close()

    @property
    def corpus_dir(self) -> Path:
        return self.settings.corpus_dir

    # -- ingest -----------------------------------------------------------------------

    async def ingest(self, *, progress: bool = False) -> IngestReport:
        """Bring the store up to date with the folder. On a shared store one process at a
        time ingests; another's ingest in progress is `IngestBusy`."""
        async with self._ingest_lock, self.store.ingest_lock() as mine:
            if not mine:
                raise IngestBusy(
                    "Another process is ingesting into this database; its articles appear"
                    " here when it commits."
                )
            self.ingesting = True
            if self._answerer is not None:
                self._answerer.freeze()
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
                self.last_ingest = report
            finally:
                self.ingesting = False
                if self._answerer is not None:
                    self._answerer.freeze(False)
                if changed:  # a warm restart's no-op ingest keeps the caches just built
                    self.forget_corpus_caches()
        return report

    def forget_corpus_caches(self) -> None:
        """Drop what was built from the corpus (name matcher, speakers, QA matrix)."""
        self._names = None
        self._speakers = None
        if self._answerer is not None:
            self._answerer.invalidate()

    def models_loaded(self) -> bool:
        """spaCy and the encoder are in memory (cached properties: present = loaded)."""
        return {"nlp", "embedder"} <= self.analyser.__dict__.keys()

    async def status(self) -> Status:
        counts = await self.store.corpus_counts()
        loaded = self.analyser.__dict__  # the models are cached properties: present = loaded
        s = self.settings
        models = [
            ModelStatus("entities, quotes", "SPACY_MODEL", s.spacy_model, "nlp" in loaded),
            ModelStatus(
                "search, summaries", "EMBEDDING_MODEL", s.embedding_model, "embedder" in loaded
            ),
            ModelStatus(
                "summaries", "SUMMARIZER_MODEL", s.summarizer_model or "extractive only", None
            ),
            ModelStatus("answers", "QA_MODEL", s.qa_model or "built-in extractor", None),
        ]
        size = await self.store.size_bytes()
        return Status(
            articles=int(counts.articles or 0),
            quotes=int(counts.quotes or 0),
            speakers=int(counts.speakers or 0),
            entities=int(counts.entities or 0),
            last_analysed=counts.last_analysed,
            last_ingest=self.last_ingest.summary_line() if self.last_ingest else None,
            ingesting=self.ingesting,
            models=models,
            database=self.store.location,
            database_bytes=size or None,
        )

    # -- articles ---------------------------------------------------------------------

    async def resolve_article(self, ref: str) -> ArticleRow:
        """An article from its id, its path, or a unique part of its title or path."""
        ref = clean_query(ref, 300)
        if not ref:
            raise NotFound("Name an article: its id, its file name or words of its title.")
        rows = await self.store.find_articles(ref)
        if not rows:
            raise NotFound(f"No article matches “{echo(ref)}”.{await self._closest_titles(ref)}")
        if len(rows) > 1:
            raise Ambiguous("Article", ref, [f"{r.title} ({r.id})" for r in rows])
        return rows[0]

    async def _closest_titles(self, ref: str) -> str:
        """ " Did you mean …?" with the titles nearest a mistyped reference (an error path:
        the title list is read only when nothing matched)."""
        from rapidfuzz import fuzz, process

        titles = [r.title for r in await self.store.list_articles(limit=100_000)]
        close = process.extract(ref, titles, scorer=fuzz.WRatio, limit=3, score_cutoff=75)
        if not close:
            return ""
        return " Did you mean " + " or ".join(f"“{echo(t)}”" for t, _, _ in close) + "?"

    async def articles(self, query: str | None = None, limit: int = 25) -> list[ArticleRow]:
        """Articles matching `query`; every article when there is nothing to match (a
        listing, not a search)."""
        query = clean_query(query, 300)
        if not query:
            return await self.store.list_articles(limit=limit)
        return await self.store.find_articles(query, limit=limit)

    async def article_counts(self, article_id: str) -> ArticleCounts:
        """Sentences, entities and quotes of one article, for its card."""
        return await self.store.article_counts(article_id)

    async def article_card(self, ref: str) -> ArticleCard:
        """One article with its counts, its most mentioned names and its short summary."""
        row = await self.resolve_article(ref)
        counts = await self.store.article_counts(row.id)
        top = (await self.entities(row.id))[:10]
        try:
            summary: str | None = (await self.summary(row.id, "short")).prose
        except (UserError, ModelUnavailable) as exc:  # the card still shows without it
            log.warning("no summary for the card of %s: %s", row.id, exc)
            summary = None
        return ArticleCard(row, counts, top, summary)

    # -- editing the corpus folder (each change is followed by an ingest) ---------------

    def _folder_for(self, guild_id: int | None) -> Path:
        """Where an addition goes: a server's own part of the corpus (bot/scope.py), or the
        shared folder for the CLI, the console and DMs."""
        if guild_id is None:
            return self.corpus_dir
        return self.corpus_dir / scope.server_folder(guild_id)

    async def add_url(self, url: str, *, guild_id: int | None = None) -> CorpusChange:
        """Fetch one web article (public http(s) only, size/time/redirects capped), save it
        under web/ of the corpus (or of the server's part of it) and ingest."""
        from bot import fetch

        limits = fetch.FetchLimits.from_settings(self.settings)
        saved = await fetch.add_url(url, self._folder_for(guild_id), limits)
        report = await self.ingest()
        return CorpusChange(self._source(saved.path), saved.title, saved.url, saved.site, report)

    def check_upload_size(self, size: int) -> None:
        """Refuse an upload over ATTACHMENT_MAX_BYTES before anyone reads it."""
        if size > self.settings.attachment_max_bytes:
            raise UserError(
                f"That file is larger than {self.settings.attachment_max_bytes:,} bytes."
            )

    async def add_upload(
        self, filename: str, data: bytes, *, guild_id: int | None = None
    ) -> CorpusChange:
        """Save an article file under uploads/ of the corpus (or of the server's part of it),
        checked by the corpus loader first, and ingest."""
        from bot import uploads

        self.check_upload_size(len(data))
        path = await asyncio.to_thread(
            uploads.save_upload,
            self._folder_for(guild_id),
            filename,
            data,
            self.settings.attachment_max_bytes,
        )
        report = await self.ingest()
        return CorpusChange(self._source(path), None, None, None, report)

    async def remove_article(self, ref: str, *, only_guild: int | None = None) -> CorpusChange:
        """Delete an article's file (never outside the corpus folder, never a file that holds
        other articles too) and ingest; with `only_guild`, only that server's own article."""
        from bot import uploads

        row = await self.resolve_article(ref)
        if only_guild is not None and scope.owner_of(row.source) != only_guild:
            raise UserError(
                "That article is in the shared corpus; changes to it come from the servers in"
                " the bot's ADMIN_GUILDS setting, or from its owner. This server may remove"
                " the articles it added."
            )
        if len(await self.articles(row.source, limit=2)) > 1:
            raise UserError(
                f"{row.source} holds several articles; edit or delete it in the folder instead."
            )
        await asyncio.to_thread(uploads.remove_source, self.corpus_dir, row.source)
        report = await self.ingest()
        return CorpusChange(row.source, row.title, row.url, row.site, report)

    def _source(self, path: Path) -> str:
        return path.relative_to(self.corpus_dir).as_posix()

    # -- entities ---------------------------------------------------------------------

    async def name_matcher(self) -> NameMatcher:
        if self._names is None:
            token = scope.view_everything()  # the shared cache: built from every article
            try:
                rows = await self.store.entity_names()
                ranked = await self.store.ranked_entities(limit=1_000_000)
            finally:
                scope.reset(token)
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
            raise NotFound(f"No person, place or organisation called “{echo(name)}” in the corpus.")
        hit = _pick(hits, name)
        rows = await self.store.entity_articles(hit.key, CARD_ARTICLES)
        articles = [EntityArticle(*row) for row in rows]
        if not articles and scope.scoped():  # named only in another server's articles
            raise NotFound(f"No person, place or organisation called “{name}” in the corpus.")
        by_id = {a.article.id: a.article for a in articles}
        per_page = max(1, min(per_page, 100))
        offset = min(max(page, 0) * per_page, MAX_OFFSET)
        page_rows = await self.store.entity_sentences(hit.key, per_page, offset)
        for aid in {aid for aid, _, _ in page_rows} - by_id.keys():
            if (row := await self.store.get_article(aid)) is not None:
                by_id[aid] = row
        sentences = [(by_id[aid], idx, text) for aid, idx, text in page_rows if aid in by_id]
        return EntityCard(
            id=hit.key,
            name=hit.name,
            label=hit.label,
            aliases=[a for a in await self.store.entity_aliases(hit.key) if a != hit.name],
            articles=articles,
            sentences=sentences,
            total_sentences=await self.store.count_entity_sentences(hit.key),
            quotes=await self.store.search_quotes(speaker_ids=[hit.key], limit=25),
            sentence_offset=offset,
            total_articles=await self.store.count_entity_articles(hit.key),
            role=await self.store.entity_role(hit.key),
        )

    async def entities(self, article: str | None = None, limit: int = 200) -> list[EntityCount]:
        article_id = (await self.resolve_article(article)).id if given_query(article) else None
        rows = await self.store.ranked_entities(article_id, limit)
        return [EntityCount(*r) for r in rows]

    # -- quotes -----------------------------------------------------------------------

    async def _all_speakers(self) -> list[tuple[str, int, int | None]]:
        if scope.scoped():  # one server's view: not the cache of everyone's
            return await self.store.speakers()
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
        speaker, text = given_query(speaker, 200), given_query(text, words=True)
        kind = parse_choice(clean_query(kind, 40), QUOTE_KINDS, "Kind")
        filters: dict[str, Any] = {"text": text or None, "kind": kind}
        if given_query(article):
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
        return QuoteResults(items, total, resolved, offset=offset)

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
        raise NotFound(f"No quotes from “{echo(speaker)}” in the corpus.")

    # -- summaries --------------------------------------------------------------------

    async def summary(self, article: str, length: str = "medium") -> SummaryResult:
        """The cached summary when there is one (no model loads); else made and cached."""
        length = parse_choice(clean_query(length, 40), SUMMARY_LENGTHS, "Length") or "medium"
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
        from bot.nlp.summary_types import stored_text

        text = stored_text(made.points, made.length, made.text)
        record = SummaryRecord(made.method, made.length, made.model, text, made.sentences)
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
            self._answerer.freeze(self.ingesting)
        return self._answerer

    async def warm_up(self) -> float:
        """Load what the first question needs (spaCy, the encoder, the sentence matrix,
        the reader) by asking one, so a user's first /ask costs what the tenth does.
        Returns the seconds it took; meant for a background task after ready."""
        started = time.perf_counter()
        await self.answerer.ask(WARM_UP_QUESTION)
        seconds = time.perf_counter() - started
        log.info("models warmed in %.1f s", seconds)
        return seconds

    async def ask(self, question: str, article: str | None = None) -> Answer:
        """A question answered from the corpus, with the sentence and article it came from."""
        article_id = (await self.resolve_article(article)).id if given_query(article) else None
        return await self.answerer.ask(question, article_id)

    # -- feeds ------------------------------------------------------------------------

    @property
    def feeds(self) -> FeedService:
        """Subscriptions, polling and briefs (bot/feeds/), over this service's store."""
        if self._feeds is None:
            from bot.feeds.service import FeedService

            self._feeds = FeedService(self)
        return self._feeds

    # -- export -----------------------------------------------------------------------

    async def _export_summary(self, row: ArticleRow) -> tuple[str, ...] | None:
        """The medium summary's sentences (None when the article has no text)."""
        try:
            return (await self.summary(row.id, "medium")).points
        except NotFound:
            return None

    async def export_rows(self) -> list[dict[str, Any]]:
        rows = []
        for a in await self.store.list_articles(limit=10_000_000):
            text = await self.store.article_text(a.id) or ""
            summary = await self._export_summary(a)
            rows.append(
                {
                    "id": a.id,
                    "title": a.title,
                    "source": a.source,
                    "site": a.site,
                    "url": a.url,
                    "date": a.date,
                    "author": a.author,
                    "text": text,
                    "entities": [
                        {"text": t, "label": lab, "start": s, "end": e, "canonical": c}
                        for t, lab, s, e, c in await self.store.article_mentions(a.id)
                    ],
                    # One sentence a line, as ROUGE-Lsum and a reader of a brief expect.
                    "summary": "\n".join(summary) if summary is not None else None,
                    "summary_sentences": list(summary) if summary is not None else None,
                    "quotes": [
                        {k: getattr(q, k) for k in QUOTE_EXPORT_KEYS}
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


__all__ = [
    "Ambiguous",
    "EntityCard",
    "EntityCount",
    "Newsdesk",
    "NotFound",
    "NothingToSearch",
    "UserError",
]
