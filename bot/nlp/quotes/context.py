"""What every extraction step shares: the parsed article, its quotation marks, and the
attribution record the steps hand to the speaker resolver."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import pairwise

from spacy.tokens import Doc, Span, Token

from bot.nlp.entities import ArticleEntities
from bot.nlp.quotes.marks import QuoteSpan, find_quote_spans, paragraphs
from bot.records import QuoteKind


@dataclass(slots=True)
class Attribution:
    """One quote before its speaker is named.

    `start`/`end` cover the content only; a quote split by its cue ("…," Yau said, "…")
    covers both parts and the cue between them. The speaker is the noun phrase headed by
    `source`, or, for a continuation, whoever `inherit` is attributed to.
    """

    start: int
    end: int
    kind: QuoteKind
    cue: str  # the cue's lemma ("say", "call for") or "according to"
    rule: str  # which step produced it, for tests and debugging
    cue_token: Token | None = None
    source: Token | None = None
    inherit: Attribution | None = None
    marks: list[QuoteSpan] = field(default_factory=list)

    def covers(self, pos: int) -> bool:
        return self.start <= pos < self.end


@dataclass(slots=True)
class Speaker:
    name: str
    text: str
    start: int | None
    end: int | None
    is_person: bool
    role: str | None = None
    plural: bool = False


def anchor(att: Attribution) -> int:
    """Where an attribution is made: its speaker's words, else its content."""
    if att.source is not None and att.inherit is None:
        return att.source.idx
    return att.start


@dataclass(slots=True)
class Context:
    doc: Doc
    entities: ArticleEntities
    spans: list[QuoteSpan]
    paras: list[tuple[int, int]]
    text: str = ""  # doc.text, built once: spaCy rebuilds it on every access
    used_spans: set[int] = field(default_factory=set)  # ids of consumed QuoteSpans
    used_cues: set[int] = field(default_factory=set)  # token indices of consumed cues
    _starts: list[int] = field(default_factory=list)
    _para_starts: list[int] = field(default_factory=list)
    _span_starts: list[int] | None = None  # when spans are sorted and disjoint (in_span)

    @classmethod
    def build(cls, doc: Doc, entities: ArticleEntities) -> Context:
        text = doc.text
        ctx = cls(doc, entities, find_quote_spans(text), paragraphs(text), text)
        ctx._starts = [t.idx for t in doc]
        ctx._para_starts = [p[0] for p in ctx.paras]
        spans = ctx.spans
        if all(a.start <= a.end <= b.start for a, b in pairwise(spans)):
            ctx._span_starts = [s.start for s in spans]
        return ctx

    # -- positions -------------------------------------------------------------------
    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self._para_starts, pos) - 1)

    def token_at(self, pos: int) -> Token | None:
        """The token starting at or covering char `pos`."""
        i = bisect.bisect_right(self._starts, pos) - 1
        return self.doc[i] if 0 <= i < len(self.doc) else None

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """Tokens (no whitespace tokens) whose first char lies in [start, end)."""
        lo = bisect.bisect_left(self._starts, start)
        hi = bisect.bisect_left(self._starts, end)
        return [t for t in self.doc[lo:hi] if not t.is_space]

    def sentence_of(self, pos: int) -> Span | None:
        tok = self.token_at(pos)
        return tok.sent if tok is not None else None

    # -- quotation marks -------------------------------------------------------------
    def in_span(self, pos: int) -> QuoteSpan | None:
        """The quoted stretch whose content contains char `pos`."""
        if self._span_starts is not None:  # sorted and disjoint: at most one holds pos
            i = bisect.bisect_right(self._span_starts, pos) - 1
            if i >= 0 and self.spans[i].start <= pos < self.spans[i].end:
                return self.spans[i]
            return None
        for s in self.spans:
            if s.start <= pos < s.end:
                return s
        return None

    def in_quotes(self, tok: Token) -> bool:
        return self.in_span(tok.idx) is not None

    def is_mark(self, tok: Token) -> bool:
        return any(tok.idx in (s.open_at, s.close_at) for s in self.spans)

    def free_spans(self) -> list[QuoteSpan]:
        return [s for s in self.spans if id(s) not in self.used_spans]

    def use(self, *spans: QuoteSpan) -> None:
        self.used_spans.update(id(s) for s in spans)

    def spans_within(self, start: int, end: int) -> list[QuoteSpan]:
        """Free quoted stretches that start inside [start, end)."""
        return [s for s in self.free_spans() if start <= s.start < end]


def trim(text: str, start: int, end: int, chars: str = " \t\n,;:.—–-") -> tuple[int, int]:
    """Shrink [start, end) past surrounding whitespace and punctuation."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def token_range(tokens: list[Token]) -> tuple[int, int]:
    first = min(tokens, key=lambda t: t.i)
    last = max(tokens, key=lambda t: t.i)
    return first.idx, last.idx + len(last)
