"""`Answerer`: a question answered from the corpus, with the sentence and article it came from.

Retrieval is hybrid (BM25 + MiniLM); the answer comes from an extractive QA model when
QA_MODEL names one, else from the offline answerer. Every model call runs in a worker
thread, so the event loop never waits on NLP.
"""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from bot.errors import NotFound, echo
from bot.nlp.model_errors import ModelUnavailable
from bot.nlp.names import acronym
from bot.qa.answer import (
    Mention,
    PassageInput,
    Reading,
    extract_answer,
    in_context,
    prescore,
)
from bot.qa.params import DEFAULT, AnswerParams
from bot.qa.paraphrase import LEXICON
from bot.qa.question import Question, analyse_question, typed_wh
from bot.qa.rerank import confidence
from bot.qa.retrieval import Hit, HybridRetriever
from bot.settings import Settings
from bot.store import Store
from bot.text_limits import clean_query

if TYPE_CHECKING:
    import numpy as np

    from bot.nlp.pipeline import Analyser
    from bot.qa.reader import Reader

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
TOP_PASSAGES = 30  # ranked cheaply by the answerer, which parses the best few
READER_PASSAGES = 8  # read by a QA model
SHOWN_PASSAGES = 3  # the closest passages an answer lists
THRESHOLD = DEFAULT.threshold  # offline confidence below which the corpus "does not say"
READER_THRESHOLD = 0.1  # the QA model's start × end probability
NOT_SAID = "The corpus does not say."
EMPTY = "Ask a question about the articles, e.g. “Where is the SCO summit held?”"


@dataclass(frozen=True, slots=True)
class Passage:
    article: str  # article id
    source: str  # the article's path relative to the corpus folder
    title: str
    index: int  # the sentence's index in its article
    text: str
    score: float  # how well it matches the question, 0..1


@dataclass(slots=True)
class Answer:
    question: str
    answer: str
    found: bool
    source: str | None = None
    article: str | None = None
    title: str | None = None
    evidence: str | None = None  # the sentence the answer is in
    score: float = 0.0  # confidence, 0..1
    passages: list[Passage] = field(default_factory=list)  # the closest ones, best first
    method: str = "offline"  # offline | reader
    note: str | None = None  # e.g. why the configured QA model was not used
    best_match: bool = False  # just above the threshold: shown, as a guess

    def as_json(self) -> dict[str, Any]:
        """The CLI's one-line JSON: question, answer, source, article, title, evidence,
        score (and found)."""
        return {
            "question": self.question,
            "answer": self.answer,
            "source": self.source,
            "article": self.article,
            "title": self.title,
            "evidence": self.evidence,
            "score": round(self.score, 4),
            "found": self.found,
            "best_match": self.best_match,
        }


class Answerer:
    """Answers questions over `store`; `analyser` lends its spaCy pipeline and embedder."""

    def __init__(
        self,
        store: Store,
        analyser: Analyser,
        settings: Settings,
        *,
        threshold: float | None = None,
        reader_threshold: float = READER_THRESHOLD,
        params: AnswerParams = DEFAULT,
    ) -> None:
        self.store = store
        self.analyser = analyser
        self.settings = settings
        self.params = params
        self.threshold = params.threshold if threshold is None else threshold
        self.reader_threshold = reader_threshold
        self.retriever = HybridRetriever(store, self._embed)
        self._reader: Reader | None = None
        self._reader_error: str | None = None
        # spaCy makes no promise of thread safety: this answerer's own parses take turns.
        self._nlp_lock = threading.Lock()

    def _embed(self, text: str) -> np.ndarray:
        return self.analyser.embedder.encode([text])[0]

    def invalidate(self) -> None:
        """Reload the sentence matrix on the next question (after an ingest, say)."""
        self.retriever.invalidate()

    def freeze(self, frozen: bool = True) -> None:
        """Serve the sentence matrix as loaded while an ingest runs (see HybridRetriever)."""
        if frozen:
            self.retriever.freeze()
        else:
            self.retriever.thaw()

    async def ask(self, question: str, article_id: str | None = None) -> Answer:
        """The answer to `question` from the whole corpus, or from one article (by id;
        NotFound when there is none). Any text gets an Answer: empty, huge, FTS syntax…"""
        text = clean_query(question, MAX_QUESTION_CHARS)
        if not any(c.isalnum() for c in text):
            return Answer(question=text, answer=EMPTY, found=False)
        if article_id is not None and await self.store.get_article(article_id) is None:
            raise NotFound(f"No article with id “{echo(clean_query(article_id, 100))}”.")
        vector, parsed = await asyncio.gather(
            asyncio.to_thread(self._embed, text), asyncio.to_thread(self._parse, text)
        )
        hits = await self.retriever.search(
            text, parsed.keywords, k=TOP_PASSAGES, article_id=article_id, vector=vector
        )
        if not hits:
            return Answer(question=text, answer=NOT_SAID, found=False)
        passages, inputs = await self._passages(hits)
        inputs = await self._spelled_out(text, parsed, inputs)
        inputs = in_context(inputs, [p.article for p in passages])
        reader, note = await self._get_reader()
        if reader is not None:
            ranks = [prescore(parsed, p, self.params) for p in inputs]
            order = sorted(range(len(passages)), key=lambda i: -ranks[i])[:READER_PASSAGES]
            shown = [replace(passages[i], score=round(ranks[i], 4)) for i in order]
            return await self._read(reader, text, shown)
        reading = await asyncio.to_thread(self._extract, parsed, inputs)
        answer = self._offline(text, passages, reading)
        answer.note = note
        return answer

    async def read_offline(
        self, question: str, parsed_passages: int | None = None
    ) -> tuple[Question, list[Passage], list[PassageInput], Reading] | None:
        """What the offline answerer saw and made of `question` (benchmarks/qa_fit.py
        fits the re-ranker on it); None when nothing was retrieved."""
        text = clean_query(question, MAX_QUESTION_CHARS)
        vector, parsed = await asyncio.gather(
            asyncio.to_thread(self._embed, text), asyncio.to_thread(self._parse, text)
        )
        hits = await self.retriever.search(text, parsed.keywords, k=TOP_PASSAGES, vector=vector)
        if not hits:
            return None
        passages, inputs = await self._passages(hits)
        inputs = await self._spelled_out(text, parsed, inputs)
        inputs = in_context(inputs, [p.article for p in passages])
        reading = await asyncio.to_thread(self._extract, parsed, inputs, parsed_passages)
        return parsed, passages, inputs, reading

    async def _spelled_out(
        self, text: str, parsed: Question, inputs: list[PassageInput]
    ) -> list[PassageInput]:
        """The cosine again with the question's acronyms spelled out as the passages'
        names spell them ("SCO" → "Shanghai Cooperation Organization"): MiniLM does not
        know one is the other, and the sentence that names the summit in full would
        otherwise look unrelated. Each passage keeps the better of its two cosines."""
        if not parsed.acronyms:
            return inputs
        names = {m.canonical for p in inputs for m in p.mentions if " " in m.canonical}
        spelled = text
        for short in parsed.acronyms:
            full = next((n for n in sorted(names) if acronym(n) == short), None)
            if full is not None:
                spelled = re.sub(rf"\b{re.escape(short)}\b", full, spelled)
        if spelled == text:
            return inputs
        vector = await asyncio.to_thread(self._embed, spelled)
        matrix = await self.retriever.matrix()
        cosines = await asyncio.to_thread(matrix.cosines, vector, [p.sentence_id for p in inputs])
        return [
            replace(p, cosine=max(p.cosine, cosines.get(p.sentence_id, p.cosine))) for p in inputs
        ]

    def _parse(self, text: str) -> Question:
        nlp = self.analyser.nlp
        with self._nlp_lock:
            return analyse_question(nlp(typed_wh(text)), LEXICON, self.params)

    def _extract(
        self, parsed: Question, inputs: list[PassageInput], keep: int | None = None
    ) -> Reading:
        nlp = self.analyser.nlp
        with self._nlp_lock:
            return extract_answer(nlp, parsed, inputs, self.params, keep)

    async def _passages(self, hits: list[Hit]) -> tuple[list[Passage], list[PassageInput]]:
        """The hits' sentences with their article, mentions and neighbouring sentences
        (three queries, whatever the number of articles)."""
        ids = [h.sentence_id for h in hits]
        rows = await self.store.passages(ids)
        neighbours = await self.store.passage_neighbours(ids)
        mentions: dict[int, list[Mention]] = {}
        for sid, start, end, _text, label, canonical in await self.store.passage_mentions(ids):
            mentions.setdefault(sid, []).append(Mention(start, end, label, canonical))
        hits = [h for h in hits if h.sentence_id in rows]
        top = max((h.score for h in hits), default=1.0) or 1.0
        passages, inputs = [], []
        for rank, h in enumerate(hits, 1):
            article_id, idx, sentence, title, source = rows[h.sentence_id]
            before, after = neighbours.get(h.sentence_id, ("", ""))
            passages.append(Passage(article_id, source, title, idx, sentence, h.score / top))
            inputs.append(
                PassageInput(
                    sentence,
                    " ".join((title, before, after)),
                    h.score / top,
                    h.cosine,
                    tuple(mentions.get(h.sentence_id, ())),
                    rank=rank,
                    bm25=h.bm25_rank is not None,
                    before=before or "",
                    after=after or "",
                    title=title or "",
                    sentence_id=h.sentence_id,
                )
            )
        return passages, inputs

    def _offline(self, question: str, passages: list[Passage], reading: Reading) -> Answer:
        ranked = sorted(
            (
                Passage(p.article, p.source, p.title, p.index, p.text, round(r, 4))
                for p, r in zip(passages, reading.relevance, strict=True)
            ),
            key=lambda p: -p.score,
        )
        best = reading.best
        sure = confidence(best.score, self.params) if best is not None else 0.0
        if best is None or sure < self.threshold:
            return Answer(question, NOT_SAID, False, score=sure, passages=ranked[:SHOWN_PASSAGES])
        p = passages[best.passage]
        shown = [x for x in ranked if (x.article, x.index) != (p.article, p.index)]
        return Answer(
            question=question,
            answer=best.text,
            found=True,
            source=p.source,
            article=p.article,
            title=p.title,
            evidence=p.text,
            score=sure,
            passages=shown[: SHOWN_PASSAGES - 1],
            best_match=sure < self.threshold + self.params.best_match,
        )

    # -- the QA model -----------------------------------------------------------------

    async def _get_reader(self) -> tuple[Reader | None, str | None]:
        """The configured QA model, loaded once; (None, why) when there is none to use."""
        if not self.settings.qa_model:
            return None, None
        if self._reader is None and self._reader_error is None:
            from bot.qa.reader import Reader

            try:
                self._reader = await asyncio.to_thread(Reader.from_settings, self.settings)
            except ModelUnavailable as exc:
                log.warning("%s", exc)
                self._reader_error = f"{exc} Answered offline instead."
        return self._reader, self._reader_error

    async def _read(self, reader: Reader, question: str, passages: list[Passage]) -> Answer:
        spans = await asyncio.to_thread(reader.read, question, [p.text for p in passages])
        best = spans[0] if spans else None
        if best is None or best.score < self.reader_threshold:
            return Answer(
                question,
                NOT_SAID,
                False,
                score=best.score if best else 0.0,
                passages=passages[:SHOWN_PASSAGES],
                method="reader",
            )
        p = passages[best.passage]
        return Answer(
            question=question,
            answer=best.text.strip(),
            found=True,
            source=p.source,
            article=p.article,
            title=p.title,
            evidence=p.text,
            score=best.score,
            passages=[x for x in passages if x is not p][: SHOWN_PASSAGES - 1],
            method="reader",
        )
