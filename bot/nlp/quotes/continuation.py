"""Quotes with no cue of their own that continue someone's words.

- A paragraph that is only a quotation, right after a paragraph with an attributed quote,
  is that speaker's (its own entry: the previous quote was closed).
- In a paragraph with an attributed quote, a later quotation that stands as its own
  sentence, or follows with nothing but connectives in between (`…", it added; and,
  later, "…"`), is the same speaker's.
- A quotation of several words with no cue, in a paragraph (or opening the paragraph
  after one) whose only person is the subject of its sentences, is that person's.
Short phrases and titles in marks never continue anything (scare quotes stay dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from bot.nlp.quotes.context import Attribution, Context
from bot.nlp.quotes.cues import cue_lemma, makes_statement, subject_of
from bot.nlp.quotes.lexicon import personal
from bot.nlp.quotes.marks import QuoteSpan
from bot.nlp.quotes.scare import is_statement, words


@dataclass(frozen=True, slots=True)
class ContinuationParams:
    about_min_words: int = 6  # a cue-less quotation given to the paragraph's one person


CONTINUATION = ContinuationParams()

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_CONNECTIVE = re.compile(r"^[\s,;:.—–-]*(?:(?:and|but|then|later|also|adding)[\s,;:.—–-]*)*$", re.I)


def _outside(ctx: Context, q: QuoteSpan) -> tuple[str, str]:
    p_start, p_end = ctx.paras[ctx.para_of(q.outer_start)]
    q_end_para = ctx.paras[ctx.para_of(max(q.outer_end - 1, q.outer_start))][1]
    return ctx.text[p_start : q.outer_start], ctx.text[q.outer_end : max(p_end, q_end_para)]


def _only_quote(ctx: Context, q: QuoteSpan) -> bool:
    before, after = _outside(ctx, q)
    rest = _BRACKETED.sub("", before + after)
    return not any(c.isalpha() for c in rest)


def _starts_sentence(ctx: Context, q: QuoteSpan, floor: int) -> bool:
    before = ctx.text[floor : q.outer_start].rstrip()
    return not before or before[-1] in ".!?" or before[-2:] in ('."', ".”", '?"', "?”", '!"', "!”")


def _ends_sentence(ctx: Context, q: QuoteSpan) -> bool:
    p_end = ctx.paras[ctx.para_of(max(q.outer_end - 1, q.outer_start))][1]
    after = _BRACKETED.sub("", ctx.text[q.outer_end : p_end]).lstrip()
    return not after or after[0] in ".!?" or after[0].isupper()


def _tail(att: Attribution) -> int:
    """Where an attribution's words end, with its cue and speaker when they follow the
    quote (`"…", it added; and, later, "…"`)."""
    end = att.end
    for tok in (att.cue_token, att.source):
        if tok is not None and tok.idx >= att.end:
            end = max(end, *(t.idx + len(t) for t in tok.subtree if t.idx >= att.end))
    return end


def _inherit(q: QuoteSpan, parent: Attribution, rule: str) -> Attribution:
    att = Attribution(q.start, q.end, "direct", parent.cue, rule, parent.cue_token, parent.source)
    att.inherit = parent
    att.marks.append(q)
    return att


def _left_open(ctx: Context, earlier: list[Attribution], k: int) -> Attribution | None:
    """The attribution two paragraphs up whose quote was never closed."""
    for att in reversed(earlier):
        if ctx.para_of(att.end - 1) < k - 2:
            break
        if att.marks and att.marks[-1].continues:
            return att
    return None


def _after_statement(ctx: Context, q: QuoteSpan, k: int) -> Attribution | None:
    """`Cornyn issued a statement regarding …. "Like many Texans, …"`: a sentence that is
    only a quotation, after a sentence of the paragraph where someone made a statement."""
    for tok in reversed(ctx.tokens_between(ctx.paras[k][0], q.outer_start)):
        if not makes_statement(tok) or ctx.in_quotes(tok):
            continue
        subj = subject_of(tok)
        if subj is None:
            return None
        rule = "continuation-statement"
        att = Attribution(q.start, q.end, "direct", cue_lemma(tok), rule, tok, subj)
        att.marks.append(q)
        return att
    return None


def _opens_paragraph(ctx: Context, q: QuoteSpan) -> bool:
    """A paragraph that opens with a quotation (more may follow it)."""
    return q.open_at is not None and q.open_at == ctx.paras[ctx.para_of(q.open_at)][0]


def _about_one(ctx: Context, q: QuoteSpan, k: int) -> Attribution | None:
    """A quotation with no cue in a paragraph about one person, or opening a paragraph
    after one: the only person who is a subject there (outside quotation marks) said it.
    `Valastro praised Christie's record. ¶ "We need someone who …"`."""
    if len(words(ctx.text[q.start : q.end])) < CONTINUATION.about_min_words:
        return None
    lo = ctx.paras[k - 1][0] if _opens_paragraph(ctx, q) and k > 0 else ctx.paras[k][0]
    people = [m for m in ctx.entities.mentions if m.label == "PERSON" or personal(m.text)]
    subjects: dict[str, Token] = {}
    for m in people:
        if not lo <= m.start < q.outer_start or ctx.in_span(m.start):
            continue
        span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None and span.root.dep_ in ("nsubj", "nsubjpass"):
            subjects[m.canonical] = span.root
    others = [m for m in people if lo <= m.start < q.outer_start and m.canonical not in subjects]
    if len(subjects) != 1 or others:
        return None
    source = next(iter(subjects.values()))
    att = Attribution(q.start, q.end, "direct", "", "continuation-about", None, source)
    att.marks.append(q)
    return att


def attribute_continuations(ctx: Context, accepted: list[Attribution]) -> list[Attribution]:
    out: list[Attribution] = []
    for q in ctx.free_spans():
        if (q.open_at is None and not q.continued) or not is_statement(ctx.doc, q.start, q.end):
            continue
        if any(a.start <= q.start < a.end for a in accepted + out):
            continue  # inside a quote already attributed
        k = ctx.para_of(q.outer_start)
        earlier = sorted((a for a in accepted + out if a.end <= q.outer_start), key=lambda a: a.end)
        same_para = [a for a in earlier if ctx.para_of(a.end - 1) == k]
        prev_para = [a for a in earlier if ctx.para_of(a.end - 1) == k - 1]
        att = None
        if same_para:
            parent = same_para[-1]
            gap = ctx.text[_tail(parent) : q.outer_start].lstrip("\"”’'")
            if _CONNECTIVE.match(gap) or (
                _starts_sentence(ctx, q, parent.end) and _ends_sentence(ctx, q)
            ):
                att = _inherit(q, parent, "continuation-sentence")
        elif prev_para and (
            _only_quote(ctx, q) or (_opens_paragraph(ctx, q) and _ends_sentence(ctx, q))
        ):
            att = _inherit(q, prev_para[-1], "continuation-paragraph")
        elif _only_quote(ctx, q) and (opened := _left_open(ctx, earlier, k)) is not None:
            # a quote left open, a caption in between, the quote carries on
            att = _inherit(q, opened, "continuation-paragraph")
        elif _starts_sentence(ctx, q, ctx.paras[k][0]) and _ends_sentence(ctx, q):
            att = _after_statement(ctx, q, k) or _about_one(ctx, q, k)
        if att is not None:
            ctx.use(q)
            out.append(att)
    return out
