"""The quoted pieces of one quote: what annotators (GGT, PARC, PolNeAR) mark one by one.

A quote keeps one display span; its `segments` are the stretches of the source's words in
it, quotation marks excluded. A quote interrupted by its cue (`"A," X said. "B."`) or a
reported clause split by one (`A, X said, but B`) has two; every other quote has one.
The hole between two pieces is the cue's frame: the cue verb, its auxiliaries and
adverbs, and the speaker's phrase, when they sit inside the quote's span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from bot.nlp.quotes.context import Attribution, Context
from bot.nlp.quotes.marks import ALL_MARKS


@dataclass(frozen=True, slots=True)
class SegmentParams:
    min_words: int = 2  # a piece beside a cue has at least this many words


SEGMENTS = SegmentParams()
_LEAD_INS = frozenset({"as", "according"})
_FRAME_DEPS = frozenset({"aux", "auxpass", "neg", "advmod", "npadvmod", "dative", "punct", "prt"})
_EDGE = frozenset(" \t\n,;:—–-") | ALL_MARKS
_LEAD = _EDGE | frozenset(".!?…")  # `"A," X said. "B."`: the stop after the cue


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _LEAD:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _frame(ctx: Context, att: Attribution) -> tuple[int, int] | None:
    """[lo, hi) of the cue and speaker words strictly inside the quote's span."""
    pieces = []
    if att.cue_token is not None and att.inherit is None:
        verb = att.cue_token
        pieces.append(verb)
        pieces += [
            t
            for c in verb.children
            if c.dep_ in _FRAME_DEPS or (c.dep_ == "prep" and c.i > verb.i and not _holds(att, c))
            for t in c.subtree
        ]
    if att.source is not None and att.inherit is None:
        cue = att.cue_token
        skip = {
            t.i
            for c in att.source.children
            if cue is not None and any(t.i == cue.i for t in c.subtree)
            for t in c.subtree
        }  # "a message saying …": the clause the source heads is not the speaker's name
        pieces += [t for t in att.source.subtree if t.i not in skip]
    inside = [
        t
        for t in pieces
        if att.start < t.idx < att.end and ctx.in_span(t.idx) is None and not t.is_space
    ]
    words = [t for t in inside if not t.is_punct]
    if not words:
        return None
    lo = min(t.idx for t in words)
    hi = max(t.idx + len(t) for t in words)
    # `"A," X told the press, "B"`: everything from the cue to the next opening mark
    nxt = [m.open_at for m in att.marks if m.open_at is not None and m.open_at >= hi]
    if nxt and not any(ch in ALL_MARKS for ch in ctx.text[hi : min(nxt)]):
        hi = min(nxt)
    prev = [m.close_at for m in att.marks if m.close_at is not None and m.close_at < lo]
    if prev and not any(ch in ALL_MARKS for ch in ctx.text[max(prev) + 1 : lo]):
        lo = max(prev) + 1
    return lo, hi


def _holds(att: Attribution, tok: Token) -> bool:
    """A prepositional phrase that runs past the quote's end holds content, not frame."""
    return any(t.idx >= att.end for t in tok.subtree)


def segments(ctx: Context, att: Attribution) -> list[tuple[int, int]]:
    """The quote's pieces as (start, end) character offsets, in text order."""
    text = ctx.text
    spans = [(att.start, att.end)]
    hole = _frame(ctx, att)
    if hole is not None:
        lo, hi = hole
        spans = [(att.start, lo), (hi, att.end)]
    out = []
    for start, end in spans:
        start, end = _trim(text, start, end)
        piece = text[start:end]
        if len(spans) > 1 and not _piece_worthy(piece):
            continue
        if any(c.isalnum() for c in piece):
            out.append((start, end))
    if not out:
        out = [_trim(text, att.start, att.end)]
    return out


def _piece_worthy(piece: str) -> bool:
    """What the parse leaves beside a cue is a piece only when it holds words of the
    content: not one word ("the", "he"), not a relay's lead-in ("Of course, as")."""
    words = re.findall(r"\w+", piece)
    return len(words) >= SEGMENTS.min_words and words[-1].lower() not in _LEAD_INS
