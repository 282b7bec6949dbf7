"""Direct quotes: words in quotation marks tied to a cue next to them.

The cue may follow the quote (`"…," Yau said.`), precede it (`Razak said, "…"`,
`told GB News: "…"`, or a paragraph ending in `stated,` before a quoted paragraph), sit in
the middle of a quote in two parts (`"…," Noori told the press, "…"`), or be a dash and a
name (`"…" - Matthew Ingram`). A quote in two parts is one attribution covering both parts
and the cue between them. Words before the quote in its own clause (`Central Asia was
"at the center …," said Fallon`) make it a mixed quote, starting at those words.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from bot.nlp.names import TITLES
from bot.nlp.quotes.context import Attribution, Context
from bot.nlp.quotes.cues import (
    DESCRIBE,
    QUOTE_ONLY,
    SPEECH_LEMMAS,
    cue_lemma,
    is_cue_verb,
    particle,
    subject_of,
)
from bot.nlp.quotes.marks import QuoteSpan
from bot.nlp.quotes.scare import is_statement, is_title

_SENT_END = frozenset(".!?;")
_DASHES = frozenset("-—–")
_INTRO = frozenset({",", ":", "—", "–", "-", "that"})
_DISCOURSE = frozenset({"and", "but", "so", "yet", "or", "then", "also"})
# Verbs whose object is the person addressed, not what was said: "told the press, '…'".
ADDRESSED = frozenset({"tell", "inform", "remind", "assure", "ask", "warn", "advise", "urge"})
# What may follow a cue that stands as a sentence of its own: `…." Rathbun said on Friday.`
_BARE_CUE_DEPS = frozenset({"aux", "neg", "advmod", "prt", "prep", "npadvmod", "punct", "dative"})
# What may stand between a cue and the quote it introduces: `told reporters in Paris, "…"`.
_FRAME_DEPS = frozenset({"dative", "prep", "advmod", "npadvmod", "prt", "punct", "cc"})


def _inverted_subject(verb: Token) -> Token | None:
    """`…", added KCNA.`: the small model reads the source after the verb as its object."""
    after = [c for c in verb.children if c.i > verb.i and not c.is_punct]
    if (
        len(after) == 1
        and after[0].pos_ in ("PROPN", "NOUN")
        and after[0].left_edge.i == verb.i + 1
    ):
        return after[0]
    return None


def _sentence_floor(ctx: Context, pos: int) -> int:
    """Where the sentence holding `pos` starts, within its paragraph and after any quote
    that closes earlier in it."""
    sent = ctx.sentence_of(pos)
    p_start = ctx.paras[ctx.para_of(pos)][0]
    floor = max(p_start, sent.start_char if sent is not None else p_start)
    for s in ctx.spans:
        if s.close_at is not None and floor <= s.close_at < pos:
            floor = s.close_at + 1
    return floor


def _cue_after(ctx: Context, q: QuoteSpan) -> tuple[Token, Token, list[Token]] | None:
    """The cue verb and its subject right after the closing mark, with the frame's tokens.

    When the quote ends its sentence (`…." Rathbun said.`), the cue must be a sentence of
    its own with nothing else to report: `…". The reading said that …` is another quote.
    """
    if q.close_at is None:
        return None
    p_end = ctx.paras[ctx.para_of(q.close_at)][1]
    nxt = [s.open_at for s in ctx.spans if s.open_at is not None and s.open_at > q.close_at]
    stop = min([p_end, *[o for o in nxt if o < p_end]])
    toks = ctx.tokens_between(q.close_at + 1, stop)
    ended = ctx.text[q.start : q.end].rstrip()[-1:] in (".", "!", "?")
    lead = 0
    while lead < len(toks) and toks[lead].is_punct:
        ended = ended or toks[lead].text in (".", "!", "?")
        lead += 1
    frame: list[Token] = []
    closed = False
    for tok in toks[lead:]:
        if tok.text in _SENT_END:
            closed = True
            break
        frame.append(tok)
    if ended and not closed and stop < p_end:
        return None  # `…". X commented, "…"`: the cue introduces the next quote
    for k, tok in enumerate(frame[:20]):
        if not is_cue_verb(tok) or ctx.in_quotes(tok):
            continue
        subj = subject_of(tok) or _inverted_subject(tok)
        if subj is None or subj.idx < q.close_at:
            return None
        subject = {t.i for t in subj.subtree}
        allowed = subject | {c.i for c in tok.children if c.dep_ in ("aux", "neg", "advmod", "prt")}
        if not all(t.is_punct or t.i in allowed for t in frame[:k]):
            return None
        objects = [
            c
            for c in tok.children
            if c.i > tok.i
            and c.dep_ in ("ccomp", "dobj", "xcomp")
            and c.i != subj.i
            and not (c.dep_ == "dobj" and tok.lemma_ in ADDRESSED)  # "told the press"
        ]
        if any(not q.start <= c.idx < q.end for c in objects):
            return None  # `"…", the government recommending "…"`: the cue reports something else
        if ended:
            bare = subject | {
                t.i for c in tok.children if c.dep_ in _BARE_CUE_DEPS for t in c.subtree
            }
            if not all(t.i in bare or t.is_punct for t in frame[k + 1 :]):
                return None
        return tok, subj, frame
    return None


def _clause_start(ctx: Context, q: QuoteSpan) -> int | None:
    """Where the words before the quote in its own sentence start, if any."""
    if q.open_at is None:
        return None
    floor = _sentence_floor(ctx, q.open_at)
    words = [
        t
        for t in ctx.tokens_between(floor, q.open_at)
        if not t.is_punct and t.lower_ not in _DISCOURSE
    ]
    if not words:
        return None
    text = ctx.text[words[0].idx : q.open_at]
    cut = max(text.rfind(". "), text.rfind("? "), text.rfind("! "))
    if cut >= 0:
        rest = [t for t in words if t.idx > words[0].idx + cut]
        return rest[0].idx if rest else None
    return words[0].idx


def _next_free(ctx: Context, q: QuoteSpan) -> QuoteSpan | None:
    later = [s for s in ctx.free_spans() if s.start > q.end and s is not q and not s.single]
    return later[0] if later else None


def _joins(ctx: Context, q: QuoteSpan, q2: QuoteSpan, verb: Token) -> bool:
    """True when only the cue stands between two quotes: `"…," X said, "…"` or
    `"…," X said. "…"` (the second part has no cue of its own)."""
    if q.close_at is None or q2.open_at is None:
        return False
    if ctx.para_of(q.close_at) != ctx.para_of(q2.open_at):
        return False
    if not is_statement(ctx.doc, q2.start, q2.end):
        return False  # `Microsoft says on "The Internet Explorer 6 Countdown"`
    cue_side = {t.i for t in verb.subtree}
    between = ctx.tokens_between(q.close_at + 1, q2.open_at)
    if between and between[-1].pos_ == "ADP":
        return False
    if not all(t.is_punct or t.i in cue_side for t in between):
        return False
    if any(t.text == ";" or (t.pos_ == "CCONJ" and t.head.i == verb.i) for t in between):
        return False  # `"…", it added; and, later, "…"`: a second quote
    return _cue_after(ctx, q2) is None


def _after(ctx: Context, q: QuoteSpan) -> Attribution | None:
    found = _cue_after(ctx, q)
    if found is None:
        return None
    verb, subj, _ = found
    att = Attribution(q.start, q.end, "direct", cue_lemma(verb), "direct-after", verb, subj)
    att.marks.append(q)
    q2 = _next_free(ctx, q)
    if q2 is not None and _joins(ctx, q, q2, verb):
        att.end = q2.end
        att.marks.append(q2)
    lead = _clause_start(ctx, q)
    if lead is not None:
        att.start, att.kind, att.rule = lead, "mixed", "mixed-after"
    return att


def _frame_before(ctx: Context, q: QuoteSpan) -> list[Token]:
    """Tokens from the start of the quote's sentence to its opening mark; when the quote
    opens a paragraph that follows one ending in `,` or `:`, that paragraph's last sentence."""
    assert q.open_at is not None
    k = ctx.para_of(q.open_at)
    p_start = ctx.paras[k][0]
    if q.open_at == p_start:
        if k == 0:
            return []
        prev_start, prev_end = ctx.paras[k - 1]
        if ctx.text[prev_start:prev_end].rstrip()[-1:] not in (",", ":"):
            return []
        last = ctx.token_at(prev_end - 1)
        floor = max(prev_start, last.sent.start_char) if last is not None else prev_start
        return ctx.tokens_between(floor, prev_end)
    return ctx.tokens_between(_sentence_floor(ctx, q.open_at), q.open_at)


def _before(ctx: Context, q: QuoteSpan) -> Attribution | None:
    if q.open_at is None or q.continued:
        return None
    frame = [t for t in _frame_before(ctx, q) if not ctx.in_quotes(t)]
    if not frame:
        return None
    prev = frame[-1]
    if prev.text.endswith(":"):
        return None if is_title(ctx.text[q.start : q.end]) else _from_colon(ctx, q)
    verbs = [t for t in frame if is_cue_verb(t) and t.lemma_ != "quote"]
    if not verbs:
        return None
    verb = verbs[-1]
    if ctx.para_of(verb.idx) != ctx.para_of(q.start):
        return _direct(q, verb, subject_of(verb), "direct-before")  # `Rathbun stated,` ¶ "…"
    between = [t for t in frame if t.i > verb.i]
    return _from_verb(ctx, q, verb, between, prev)


def _direct(q: QuoteSpan, verb: Token, subj: Token | None, rule: str) -> Attribution | None:
    if subj is None:
        return None
    att = Attribution(q.start, q.end, "direct", cue_lemma(verb), rule, verb, subj)
    att.marks.append(q)
    return att


def _child_of(tok: Token, verb: Token) -> Token | None:
    """The verb's child whose subtree holds `tok`."""
    while tok.head.i != tok.i:
        if tok.head.i == verb.i:
            return tok
        tok = tok.head
    return None


def _from_verb(
    ctx: Context, q: QuoteSpan, verb: Token, between: list[Token], prev: Token
) -> Attribution | None:
    prt = particle(verb)
    if prev.pos_ == "ADP" and prev.lower_ not in ("as", prt):
        return None  # `says on "The Internet Explorer 6 Countdown"`: a title
    att = _direct(q, verb, subject_of(verb), "direct-before")
    if att is None:
        return None
    words = [t for t in between if not t.is_punct and t.lower_ not in _INTRO and t.lower_ != prt]
    if words and verb.lemma_ in QUOTE_ONLY and verb.lemma_ not in DESCRIBE:
        return None  # `checks will continue, officials will … "streamline"`: not its words
    if words and verb.lemma_ in DESCRIBE:
        # `described Montalvo as an individual, "facing …"`, `called the sentence "dangerous"`
        as_word = [t for t in between if t.lower_ == "as"]
        rest = [t for t in words if not as_word or t.i > as_word[-1].i]
        if rest:
            att.start, att.kind, att.rule = rest[0].idx, "mixed", "mixed-before"
    elif words:
        for t in words:
            child = _child_of(t, verb)
            if child is None:
                return None
            ok = child.dep_ in _FRAME_DEPS or (verb.lemma_ in ADDRESSED and child.dep_ == "dobj")
            if not ok or (t.pos_ in ("VERB", "AUX") and t is not child):
                return None  # a reported clause starts before the quote: mixed, not direct
    if att.kind == "direct" and is_title(ctx.text[q.start : q.end]):
        return None
    return att


def _from_colon(ctx: Context, q: QuoteSpan) -> Attribution | None:
    """`told GB News: "…"`, `Sunak defended the record …: "…"`, `tweeted using his
    account:` ¶ `"…"`: the colon hands the quote to the last cue of its sentence, or else
    to the subject of the sentence's main verb. The cue stays free for a reported clause
    of its own (`told Sky News any process "must be …": "…"`)."""
    assert q.open_at is not None
    colon = ctx.token_at(q.open_at - 1)
    while colon is not None and not colon.text.endswith(":") and colon.i > 0:
        colon = colon.doc[colon.i - 1]
    if colon is None:
        return None
    sent = [t for t in colon.sent if t.i < colon.i and not ctx.in_quotes(t)]
    for verb in reversed([t for t in sent if is_cue_verb(t) and t.lemma_ != "quote"]):
        att = _direct(q, verb, subject_of(verb), "direct-colon")
        if att is not None:
            return att
    # the main verb before the colon: the one highest in the tree (the parser may hang it
    # under the quote's verb)
    verbs = [t for t in sent if t.pos_ in ("VERB", "AUX")]
    for verb in sorted(verbs, key=lambda t: len(list(t.ancestors))):
        att = _direct(q, verb, subject_of(verb), "direct-colon")
        if att is not None:
            return att
    return None


def _dash(ctx: Context, q: QuoteSpan) -> Attribution | None:
    """`"…" - Matthew Ingram`: a pull quote signed with a dash and a person's name."""
    if q.close_at is None:
        return None
    p_end = ctx.paras[ctx.para_of(q.close_at)][1]
    toks = ctx.tokens_between(q.close_at + 1, p_end)
    if len(toks) < 2 or toks[0].text not in _DASHES:
        return None
    name = toks[1:]
    while name and name[-1].is_punct:
        name.pop()
    if not name or not all(t.pos_ == "PROPN" for t in name):
        return None
    head = name[-1]
    if head.ent_type_ != "PERSON" and ctx.entities.canonical_person(head.text) is None:
        return None
    att = Attribution(q.start, q.end, "direct", "", "direct-dash", None, head)
    att.marks.append(q)
    return att


@dataclass(frozen=True, slots=True)
class SurfaceParams:
    max_frame: int = 10  # words between the closing mark and the cue, speaker included
    max_speaker: int = 7  # words of the speaker's phrase
    max_after: int = 4  # words after a cue that follows its speaker ("told reporters")


SURFACE = SurfaceParams()


def _surface_after(ctx: Context, q: QuoteSpan) -> Attribution | None:
    """`"…," the 52-year-old told reporters.`, `"…," said Environment Canada meteorologist
    Paul Hébert.`: the small model's parse of the cue sentence is broken (the cue an
    adjective, the name an object), but its surface is plain: a quote ending in a comma
    (or ? !), then a speaker and a speech verb, or the verb and the speaker, then a stop."""
    if q.close_at is None or ctx.text[q.start : q.end].rstrip()[-1:] not in (",", "?", "!"):
        return None
    p_end = ctx.paras[ctx.para_of(q.close_at)][1]
    frame = []
    for tok in ctx.tokens_between(q.close_at + 1, p_end):
        if tok.text == "." and frame and frame[-1].lower_ + "." in TITLES:
            continue  # "Sgt. Dana Moreau": the stop of an abbreviated title
        if tok.text in (".", ";") or ctx.is_mark(tok) or ctx.in_quotes(tok):
            break
        frame.append(tok)
    while frame and frame[0].is_punct:
        frame.pop(0)
    cues = [
        k
        for k, t in enumerate(frame[: SURFACE.max_frame])
        if t.lemma_.lower() in SPEECH_LEMMAS
        and t.pos_ in ("VERB", "ADJ", "NOUN", "AUX")
        and t.tag_ not in ("VBG", "VB")  # "claiming that …", "to say": not this quote's cue
    ]
    if not cues:
        return None
    k = cues[0]
    if k == 0:  # "said Paul Hébert, …": the speaker runs to the first comma
        speaker = []
        for t in frame[1:]:
            if t.is_punct:
                break
            speaker.append(t)
    else:
        speaker = [t for t in frame[:k] if not t.is_punct]
        if len(frame) - k - 1 > SURFACE.max_after:
            return None  # `"…," Issa said Democratic …`: the cue reports something else
    if not speaker or len(speaker) > SURFACE.max_speaker:
        return None
    if any(t.pos_ in ("SCONJ", "AUX", "PART", "PRON") or t.lower_ == "that" for t in speaker):
        return None  # "though voters are generally more likely to say": a clause
    head = speaker[-1]
    if head.pos_ not in ("PROPN", "NOUN") and head.lower_ != "old":
        return None
    att = Attribution(q.start, q.end, "direct", frame[k].lemma_, "direct-surface", frame[k], head)
    att.marks.append(q)
    q2 = _next_free(ctx, q)
    if q2 is not None and q2.open_at is not None and frame:
        gap = ctx.text[frame[-1].idx + len(frame[-1]) : q2.open_at]
        own_cue = gap.strip() == "." and (
            _cue_after(ctx, q2) is not None or _surface_after(ctx, q2) is not None
        )
        same_para = ctx.para_of(q2.open_at) == ctx.para_of(q.close_at)
        if same_para and gap.strip() in (",", "", ".") and not own_cue:
            att.end = q2.end  # `"A," X told the press, "B"` or `"A," said X. "B"`: one quote
            att.marks.append(q2)
    return att


def attribute_direct(ctx: Context) -> list[Attribution]:
    out: list[Attribution] = []
    for q in list(ctx.spans):
        if id(q) in ctx.used_spans or (q.single and not q.balanced):
            continue
        att = _after(ctx, q) or _before(ctx, q) or _dash(ctx, q) or _surface_after(ctx, q)
        if att is None:
            continue
        ctx.use(*att.marks)
        if att.cue_token is not None and att.rule != "direct-colon":
            ctx.used_cues.add(att.cue_token.i)
        out.append(att)
    return out
