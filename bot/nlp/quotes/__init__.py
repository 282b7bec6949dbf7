"""Who said what: direct, mixed and reported quotes with their speakers named in full.

`extract_quotes(doc, entities)` runs small steps over one parsed article body:

1. marks: quotation-mark spans, paired robustly paragraph by paragraph;
2. direct: marked quotes tied to a cue before, after or in the middle;
3. reported (with mixed): reported clauses of speech verbs and relays
   ("according to X"), pulling in the quoted fragments they carry;
4. continuation: uncued quotations that carry on the last speaker's words;
5. scare quotes and titles are whatever marks nothing attributed; headlines, captions,
   credits and "READ MORE:" links quote nobody (furniture.py);
6. speakers: canonical full names, pronouns resolved, roles.

Representation of a quote split by its cue (`"…," Yau said, "…"`): one `Quote` whose
`start`/`end` run from the first part's content start to the second part's content end,
and whose `text` is exactly `doc.text[start:end]` (so the cue in the middle is inside it);
its `segments` list the two parts (segments.py). Every other quote covers its content
only and has one segment.
"""

from __future__ import annotations

from spacy.tokens import Doc

from bot.nlp.entities import ArticleEntities
from bot.nlp.quotes.context import Attribution, Context, anchor
from bot.nlp.quotes.continuation import attribute_continuations
from bot.nlp.quotes.direct import attribute_direct
from bot.nlp.quotes.furniture import drop_furniture
from bot.nlp.quotes.reported import attribute_reported
from bot.nlp.quotes.segments import segments
from bot.nlp.quotes.speakers import SpeakerResolver
from bot.records import Quote

__all__ = ["extract_quotes", "find_attributions"]


def _overlap(a: Attribution, b: Attribution) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _dedupe(atts: list[Attribution]) -> list[Attribution]:
    """Earlier steps win: drop an attribution mostly covered by one already kept (a
    reported clause that contains someone else's direct quote stays)."""
    kept: list[Attribution] = []
    for att in atts:
        size = max(1, att.end - att.start)
        if any(_overlap(att, k) > 0.5 * size for k in kept):
            continue
        kept.append(att)
    return kept


def _attribute(ctx: Context) -> list[Attribution]:
    atts = attribute_direct(ctx)
    atts += attribute_reported(ctx, atts)
    atts += attribute_continuations(ctx, atts)
    return drop_furniture(ctx, _dedupe(atts))


def find_attributions(doc: Doc, entities: ArticleEntities) -> list[Attribution]:
    """The extraction steps' output, before speakers are named (to test each rule)."""
    return _attribute(Context.build(doc, entities))


def extract_quotes(doc: Doc, entities: ArticleEntities) -> list[Quote]:
    """Every quote in the article body `doc`, in text order, offsets into `doc.text`.

    `entities` is `analyse_entities(doc)`: its people give speakers their full names.
    A quote whose speaker can't be named (a pronoun with no antecedent) is left out.
    """
    ctx = Context.build(doc, entities)
    resolver = SpeakerResolver(ctx)
    quotes: list[Quote] = []
    for att in sorted(_attribute(ctx), key=anchor):  # in reading order, for pronouns
        speaker = resolver.resolve(att)
        if speaker is None or att.end <= att.start:
            continue
        quotes.append(
            Quote(
                text=ctx.text[att.start : att.end],
                start=att.start,
                end=att.end,
                speaker=speaker.name,
                speaker_text=speaker.text,
                cue=att.cue,
                kind=att.kind,
                role=speaker.role if speaker.is_person else None,
                speaker_start=speaker.start,
                speaker_end=speaker.end,
                speaker_is_person=speaker.is_person,
                segments=tuple(segments(ctx, att)),
            )
        )
    quotes.sort(key=lambda q: q.start)
    return quotes
