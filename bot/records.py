"""Plain records passed between the corpus loader, the NLP services and the store.

Offsets (`start`, `end`) are character offsets into `Article.text`, the body exactly as
analysed, so whatever is exported or shown can be traced back to the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

QuoteKind = Literal["direct", "mixed", "indirect"]


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    source: str  # path relative to the corpus folder, with forward slashes
    title: str
    text: str  # the body, exactly as analysed
    content_hash: str
    site: str | None = None
    url: str | None = None
    date: str | None = None
    author: str | None = None
    # The file's stat when it was read: a restart re-reads only files whose stat changed.
    file_size: int | None = field(default=None, compare=False)
    file_mtime_ns: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, ... (spaCy labels)
    start: int
    end: int
    canonical: str  # the canonical name of the entity this mention belongs to


@dataclass(slots=True)
class Entity:
    """One canonical entity within an article (merged across the corpus by the store)."""

    name: str
    label: str
    aliases: set[str] = field(default_factory=set)
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    text: str  # the quoted (or reported) content only, no cue and no speaker
    start: int
    end: int
    speaker: str  # canonical full name, or the source as written ("analysts")
    speaker_text: str  # the words in the text that name the speaker ("Yau", "she")
    cue: str  # the cue verb's lemma ("say", "tell", "according to")
    kind: QuoteKind
    role: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_is_person: bool = True
    # The quoted pieces, quotation marks excluded: two for a quote interrupted by its cue.
    segments: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class SummaryRecord:
    method: str  # "extractive" or "abstractive"
    length: str  # short | medium | long | bullets
    model: str  # the model that made it ("" when none)
    text: str
    sentences: tuple[int, ...] = ()  # indices of the article's sentences, when extractive


@dataclass(slots=True)
class AnalysedArticle:
    """Everything the NLP pipeline produced for one article, written in one transaction."""

    article: Article
    pipeline_version: str
    sentences: list[Sentence]
    mentions: list[Mention]
    entities: dict[str, Entity]
    quotes: list[Quote] = field(default_factory=list)
    embeddings: list[bytes] | None = None  # one float16 vector per sentence
    summaries: list[SummaryRecord] = field(default_factory=list)
