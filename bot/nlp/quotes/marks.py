"""Quotation-mark spans in raw text: any marks, paired robustly, paragraph by paragraph.

News text mixes straight, curly and guillemet marks, drops closing marks, glues marks to
the wrong word (`said," For example`) and uses the wrong curly glyph (`decision.“ However`).
The pairing therefore trusts where a mark sits (after a space it opens, before a space it
closes) over its glyph, restarts at every paragraph so one stray mark cannot swallow the
rest of the article, and resynchronises inside a paragraph when two openers meet.
Single quotes double as apostrophes, so they count only when both marks are unmistakable
and never inside a double-quoted span (where they are a quote within the quote).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_MARKS = frozenset('"“”„‟«»')
SINGLE_MARKS = frozenset("'‘’‚‛‹›")
ALL_MARKS = DOUBLE_MARKS | SINGLE_MARKS
_OPEN_GLYPHS = frozenset("“„‟«‘‚‛‹")
_CLOSE_GLYPHS = frozenset("”»’›")
_BEFORE_OPENER = frozenset("([{—–-/")  # characters after which a mark may open
_AFTER_CLOSER = frozenset(".,;:!?)]}—–-/…")  # characters before which a mark may close
_ELISIONS = re.compile(r"(?:\d|em\b|n\b|til\b|tis\b|twas\b|cause\b)", re.IGNORECASE)
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """One quoted stretch. `start`/`end` bound the content (marks excluded)."""

    start: int
    end: int
    open_at: int | None  # offset of the opening mark; None when opened in an earlier paragraph
    close_at: int | None  # offset of the closing mark; None when never closed
    single: bool = False
    continues: bool = False  # left open at the paragraph end; the quote runs on
    continued: bool = False  # closed in this paragraph but opened in the previous one

    @property
    def balanced(self) -> bool:
        return self.open_at is not None and self.close_at is not None

    @property
    def outer_start(self) -> int:
        return self.open_at if self.open_at is not None else self.start

    @property
    def outer_end(self) -> int:
        return self.close_at + 1 if self.close_at is not None else self.end


def _spaceish(ch: str) -> bool:
    return ch == "" or ch.isspace()


def orientation(text: str, i: int) -> int:
    """+1 when the mark at `i` opens, -1 when it closes, 0 when neither its place nor its
    glyph tells."""
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < len(text) else ""
    can_open = not _spaceish(nxt) and (
        _spaceish(prev) or prev in _BEFORE_OPENER or prev in ALL_MARKS
    )
    can_close = not _spaceish(prev) and (_spaceish(nxt) or nxt in _AFTER_CLOSER or nxt in ALL_MARKS)
    if can_open and not can_close:
        return 1
    if can_close and not can_open:
        return -1
    if text[i] in _OPEN_GLYPHS:
        return 1
    if text[i] in _CLOSE_GLYPHS:
        return -1
    return 0


def _trim_start(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _pair_doubles(text: str, p_start: int, p_end: int, carried: bool) -> list[QuoteSpan]:
    """Pair the double marks of one paragraph. `carried`: the previous paragraph left a
    quote open, so a lone closer here ends that quote."""
    marks = [i for i in range(p_start, p_end) if text[i] in DOUBLE_MARKS]
    orient = [orientation(text, i) for i in marks]
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for k, (pos, o) in enumerate(zip(marks, orient, strict=True)):
        if open_at is None:
            if o >= 0:
                open_at = pos
            elif k == 0 and carried:
                spans.append(QuoteSpan(p_start, pos, None, pos, continued=True))
            elif k + 1 < len(marks) and orient[k + 1] <= 0:
                open_at = pos  # a glued opener (`said," For`): the next mark closes it
            # else: a stray closer (often an apostrophe-like glyph); ignore it
        elif o <= 0:
            start = _trim_start(text, open_at + 1, pos)
            if start < pos:
                spans.append(QuoteSpan(start, pos, open_at, pos))
            open_at = None
        else:
            # Two openers in a row: the first was never closed. Keep it up to the second.
            end = _trim_end(text, open_at + 1, pos)
            if end > open_at + 1:
                spans.append(QuoteSpan(open_at + 1, end, open_at, None))
            open_at = pos
    if open_at is not None:
        end = _trim_end(text, open_at + 1, p_end)
        if end > open_at + 1:
            spans.append(QuoteSpan(open_at + 1, end, open_at, None, continues=True))
    return spans


def _inside(pos: int, spans: list[QuoteSpan]) -> bool:
    return any(s.outer_start <= pos < s.outer_end for s in spans)


def _pair_singles(text: str, p_start: int, p_end: int, doubles: list[QuoteSpan]) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for i in range(p_start, p_end):
        ch = text[i]
        if ch not in SINGLE_MARKS or _inside(i, doubles):
            continue
        prev = text[i - 1] if i > 0 else ""
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if prev.isalnum() and nxt.isalnum():
            continue  # an apostrophe: don't, Xi's, O'Brien
        o = orientation(text, i)
        if open_at is None:
            if o == 1 and not _ELISIONS.match(text, i + 1):
                open_at = i
        elif o == -1 and i > open_at + 1:
            if not _inside(open_at, doubles) and not any(
                open_at < s.outer_start < i for s in doubles
            ):
                spans.append(QuoteSpan(open_at + 1, i, open_at, i, single=True))
            open_at = None
        elif o == 1:
            open_at = i  # the earlier one was an apostrophe after all
    return spans


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of the paragraphs (lines with content)."""
    return [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def _join_runs(text: str, paras: list[tuple[int, int]], spans: list[QuoteSpan]) -> list[QuoteSpan]:
    """One quote that runs on over a paragraph break (left open, and the next paragraph
    opens with a mark or closes one) becomes one span."""
    para_starts = {p[0]: k for k, p in enumerate(paras)}
    first_in_para = {}
    for s in spans:
        k = _para_index(paras, s.start)
        first_in_para.setdefault(k, s)
    out: list[QuoteSpan] = []
    for s in spans:
        k = _para_index(paras, s.start)
        prev = out[-1] if out else None
        starts_para = s.continued or (s.open_at is not None and s.open_at in para_starts)
        if (
            prev is not None
            and prev.continues
            and not prev.single
            and not s.single
            and first_in_para.get(k) is s
            and starts_para
            and _para_index(paras, prev.start) == k - 1
        ):
            out[-1] = QuoteSpan(prev.start, s.end, prev.open_at, s.close_at, continues=s.continues)
        else:
            out.append(s)
    return out


def _para_index(paras: list[tuple[int, int]], pos: int) -> int:
    for k, (a, b) in enumerate(paras):
        if a <= pos <= b:
            return k
    return -1


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every quoted stretch in `text`, in order. A quote left open at a paragraph end runs
    to that end (`continues`), and on into the next paragraph when that one opens with a
    mark or closes the quote with a lone closer."""
    spans: list[QuoteSpan] = []
    carried = False
    paras = paragraphs(text)
    for p_start, p_end in paras:
        doubles = _pair_doubles(text, p_start, p_end, carried)
        carried = bool(doubles) and doubles[-1].continues
        spans.extend(doubles)
        spans.extend(_pair_singles(text, p_start, p_end, doubles))
    spans.sort(key=lambda s: s.start)
    return _join_runs(text, paras, spans)
