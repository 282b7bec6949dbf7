"""Mixed quotes: a reported clause that carries some of the source's words in quotation
marks (Li Zhanshu told lawmakers that China “understands and supports Russia”).

Given the clause a cue reports, this step pulls in the quoted stretches that start inside
it (extending the clause to their end when the parse cut them short) and decides the kind:
all in marks → direct; quoted fragments of the source's words → mixed; only titles or
names in marks → indirect.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.nlp.quotes.context import Context, trim
from bot.nlp.quotes.marks import QuoteSpan
from bot.nlp.quotes.scare import is_title
from bot.records import QuoteKind


@dataclass(slots=True)
class Content:
    start: int
    end: int
    kind: QuoteKind
    marks: list[QuoteSpan]


def with_quotes(ctx: Context, start: int, end: int) -> Content:
    inner = [s for s in ctx.free_spans() if start - 1 <= s.outer_start and s.start < end]
    for s in inner:
        end = max(end, s.outer_end)
    start, end = trim(ctx.text, start, end)
    if len(inner) == 1:
        s = inner[0]
        outside = ctx.text[start : s.outer_start] + ctx.text[s.outer_end : end]
        if not any(c.isalnum() for c in outside):
            return Content(s.start, s.end, "direct", inner)
    if any(not is_title(ctx.text[s.start : s.end]) for s in inner):
        return Content(start, end, "mixed", inner)
    return Content(start, end, "indirect", inner)
