"""Reported speech read off the parse: `X said (that) …`, `…, X said.`, `A, X said, but B`,
`As X told Y, …`, `according to X, …`, `in the words of X, …`, `…, quoting X, …`, and
directives with a to-infinitive (`asked the governments not to turn away boats`).

Nested attributions keep the innermost source when the outer one is a relay
("According to Moscow, Li Zhanshu told lawmakers that …" is Li Zhanshu's), and the outer
speaker when both are speech verbs ("Memon said she believed …" is one quote by Memon).
"""

from __future__ import annotations

from spacy.tokens import Token

from bot.nlp.quotes.context import Attribution, Context, token_range, trim
from bot.nlp.quotes.cues import (
    QUOTE_ONLY,
    SUBJECTS,
    content_children,
    cue_lemma,
    is_cue_verb,
    is_data,
    right_clause,
    subject_of,
)
from bot.nlp.quotes.marks import ALL_MARKS
from bot.nlp.quotes.mixed import with_quotes

RELAYS = frozenset({"according to", "in the words of", "quote", "as"})
# What may follow a cue that closes its sentence: `…, said Wilders, founder of …, on Friday.`
_TAIL_DEPS = frozenset({"aux", "neg", "advmod", "npadvmod", "prep", "punct", "dative", "prt"})
_ADDRESSED = frozenset({"tell", "inform", "remind", "assure", "warn", "advise"})
_MIN_CLAUSE = 4  # words of a clause that a closing cue reports on the surface
_FIRST_PERSON = frozenset({"i", "we"})


def _clause_head(tok: Token) -> Token:
    """The verb heading the clause `tok` modifies."""
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _minus(head: Token, cut: Token) -> list[Token]:
    removed = {t.i for t in cut.subtree}
    return [t for t in head.subtree if t.i not in removed and not t.is_space]


def _reported_tokens(ctx: Context, verb: Token, subj: Token) -> list[Token]:
    """The clause a cue reports, within the cue's paragraph and outside quotes already
    taken by the direct step."""
    cue_side = (
        {verb.i}
        | {t.i for t in subj.subtree}
        | {c.i for c in verb.children if c.dep_ in ("punct", "aux", "neg", "advmod")}
    )
    if verb.dep_ == "parataxis":
        # "Russia had similar goals, Yau said, but …": the sentence minus the cue
        tokens = [t for t in verb.head.subtree if t.i not in cue_side]
    elif verb.dep_ == "advcl" and any(c.lower_ == "as" and c.dep_ == "mark" for c in verb.children):
        tokens = _minus(verb.head, verb)  # "As Heald told The Huffington Post, …"
    else:
        children = [c for c in content_children(verb) if not _taken(ctx, c)]
        if any(c.i > verb.i for c in children):
            children = [c for c in children if c.i > verb.i]
        tokens = [t for c in children for t in c.subtree]
        if not tokens:
            tokens = right_clause(verb)
        if not tokens:
            tokens = _clause_before(verb, subj)
    para = ctx.para_of(verb.idx)
    return [
        t for t in tokens if not t.is_space and ctx.para_of(t.idx) == para and not _taken(ctx, t)
    ]


def _clause_before(verb: Token, subj: Token) -> list[Token]:
    """`The rejection signals "the beginning of the end" for the EU, said Geert Wilders,
    founder of …`: a cue that closes its sentence after a comma, with nothing of its own to
    report, reports the clause before the comma even when the parse hung that clause
    elsewhere (the small model read "signals" as a noun). Only a clause with a verb of its
    own, from the sentence's start."""
    sent, doc = verb.sent, verb.doc
    frame_start = min(verb.i, subj.left_edge.i)
    if frame_start - 1 <= sent.start or doc[frame_start - 1].text != ",":
        return []
    allowed = {verb.i} | {t.i for t in subj.subtree}
    for c in verb.children:
        if c.dep_ in _TAIL_DEPS or (c.dep_ == "dobj" and verb.lemma_ in _ADDRESSED):
            allowed.update(t.i for t in c.subtree)
    frame = [t for t in doc[frame_start : sent.end] if not t.is_space]
    last = max(k for k, t in enumerate(frame) if t.i in allowed)
    if not all(t.i in allowed for t in frame[: last + 1]):
        return []
    tail = frame[last + 1 :]  # ", founder of the party." that the parse hung elsewhere
    verbless = not any(t.pos_ in ("VERB", "AUX") for t in tail)
    appositive = bool(tail) and tail[0].text == "," and verbless
    if not (appositive or all(t.is_punct for t in tail)):
        return []
    clause = [t for t in doc[sent.start : frame_start - 1] if not t.is_space]
    words = [t for t in clause if not t.is_punct]
    # a clause with a verb, or one the parse made a second subject of the cue
    second_subject = any(c.dep_ in SUBJECTS and c.i < frame_start for c in verb.children)
    if len(words) < _MIN_CLAUSE or not (
        second_subject or any(t.pos_ in ("VERB", "AUX") for t in words)
    ):
        return []
    return clause


def _relay_as(verb: Token) -> bool:
    """`As Heald told The Huffington Post, …`, `…, as X observed, …`: an as-clause that
    reports, set off by a comma and with nothing to report of its own. Not the temporal
    "as" ("as he explained how tough it is", "just as the band announced")."""
    if any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        return False
    if any(c.dep_ == "dobj" for c in verb.children) and verb.lemma_ != "tell":
        return False
    clause = sorted(t.i for t in verb.subtree)
    doc = verb.doc
    before = doc[clause[0] - 1] if clause[0] > 0 else None
    after = doc[clause[-1] + 1] if clause[-1] + 1 < len(doc) else None
    opens = (
        before is None
        or before.is_space
        or before.text in (",", "—", "–", ".")
        or doc[clause[0]].is_sent_start
    )
    return opens and (after is None or after.text in (",", "—", "–", ":"))


def _taken(ctx: Context, tok: Token) -> bool:
    span = ctx.in_span(tok.idx)
    return span is not None and id(span) in ctx.used_spans


def _strip_that(tokens: list[Token]) -> list[Token]:
    """Sorted, without a leading complementiser ("that", not "whether") and without
    punctuation at either end."""
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and (
        tokens[0].is_punct or (tokens[0].dep_ == "mark" and tokens[0].lower_ == "that")
    ):
        tokens.pop(0)
    while tokens and tokens[-1].is_punct and not _is_mark(tokens[-1]):
        tokens.pop()
    return tokens


def _is_mark(tok: Token) -> bool:
    return any(ch in ALL_MARKS for ch in tok.text)


def _make(
    ctx: Context, tokens: list[Token], cue: str, rule: str, verb: Token | None, source: Token
) -> Attribution | None:
    tokens = _strip_that(tokens)
    if not tokens:
        return None
    start, end = trim(ctx.text, *token_range(tokens))
    if end - start < 3:
        return None
    content = with_quotes(ctx, start, end)
    att = Attribution(content.start, content.end, content.kind, cue, rule, verb, source)
    att.marks.extend(content.marks)
    return att


def _verb_cues(ctx: Context) -> list[Attribution]:
    out = []
    for tok in ctx.doc:
        if tok.i in ctx.used_cues or not is_cue_verb(tok) or ctx.in_quotes(tok):
            continue
        if tok.lemma_ in QUOTE_ONLY:
            continue  # only ever introduce words in marks: the direct step's job
        subj = subject_of(tok)
        if subj is None or subj.lower_ in _FIRST_PERSON:
            continue
        tokens = [t for t in _reported_tokens(ctx, tok, subj) if t.i != subj.i]
        if not tokens:
            continue
        as_clause = tok.dep_ == "advcl" and any(c.lower_ == "as" for c in tok.children)
        if as_clause and not _relay_as(tok):
            continue  # "as he urges conservatives to unite": "as" is "while"
        rule = "relay-as" if as_clause else "reported"
        att = _make(ctx, tokens, cue_lemma(tok), rule, tok, subj)
        if att is None:
            continue
        out.append(att)
    return out


def _relay_cues(ctx: Context) -> list[Attribution]:
    """`according to X`, `in the words of X`, `quoting X`."""
    out = []
    for tok in ctx.doc:
        if ctx.in_quotes(tok):
            continue
        source: Token | None = None
        cue = ""
        if tok.lower_ == "according":
            to = [c for c in tok.children if c.lower_ == "to"] or (
                [tok.nbor()] if tok.i + 1 < len(tok.doc) and tok.nbor().lower_ == "to" else []
            )
            objs = [c for t in to for c in t.children if c.dep_ == "pobj"]
            source, cue, phrase = (objs[0] if objs else None), "according to", tok
            if source is None:
                fallback = _surface_relay(ctx, tok)
                if fallback is not None:
                    out.append(fallback)
                continue
        elif tok.lower_ == "words" and tok.i >= 2 and tok.doc[tok.i - 2].lower_ == "in":
            objs = [
                c for p in tok.children if p.lower_ == "of" for c in p.children if c.dep_ == "pobj"
            ]
            source, cue, phrase = (objs[0] if objs else None), "in the words of", tok.head
        elif tok.lemma_ == "quote" and tok.tag_ == "VBG":
            objs = [c for c in tok.children if c.dep_ == "dobj"]
            source, cue, phrase = (objs[0] if objs else None), "quote", tok
        if source is None or is_data(source):
            continue  # "according to FEC records": data, not anyone's words
        head = _clause_head(phrase.head if phrase.head.i != phrase.i else phrase)
        span = ctx.in_span(head.idx)
        if span is not None and id(span) not in ctx.used_spans:
            att = Attribution(span.start, span.end, "direct", cue, "relay-direct", None, source)
            att.marks.append(span)
            out.append(att)
            continue
        # the relay phrase runs from its first word to the end of the source's phrase
        lo, hi = phrase.i, max(t.i for t in (*source.subtree, *phrase.subtree))
        tokens = [t for t in _minus(head, phrase) if t.sent == tok.sent and not lo <= t.i <= hi]
        if phrase.i < head.i:
            tokens = [t for t in tokens if t.i > hi]
        att = _make(ctx, tokens, cue, "relay", None, source)
        if att is not None:
            out.append(att)
    return out


def _surface_relay(ctx: Context, according: Token) -> Attribution | None:
    """`According to Rathbun the property …` when the parse lost the phrase (the small
    model reads "Rathbun" as a verb): the capitalised words after "to" are the source,
    the rest of the sentence on the other side of them the content."""
    doc, sent = according.doc, according.sent
    i = according.i + 2
    if i >= sent.end or doc[i - 1].lower_ != "to":
        return None
    run = []
    while i < sent.end and doc[i].text[:1].isupper() and not doc[i].is_punct:
        run.append(doc[i])
        i += 1
    if not run:
        return None
    before = [t for t in doc[sent.start : according.i] if not t.is_punct]  # "…, according to X."
    tokens = before or [t for t in doc[i : sent.end] if not t.is_space]
    return _make(ctx, tokens, "according to", "relay", None, run[-1])


def _nested(inner: Attribution, outer: Attribution) -> bool:
    tok = inner.cue_token or inner.source
    return tok is not None and outer.covers(tok.idx) and inner is not outer


def _is_relay(att: Attribution) -> bool:
    return att.cue in RELAYS or att.rule.startswith("relay")


def attribute_reported(ctx: Context, accepted: list[Attribution]) -> list[Attribution]:
    """Reported and mixed quotes from the cues the direct step left, nested ones resolved."""
    cands = _verb_cues(ctx) + _relay_cues(ctx)
    keep: list[Attribution] = []
    for att in cands:
        if any(_nested(att, d) for d in accepted):
            continue  # a cue inside a quote already taken
        dropped = False
        for other in cands:
            if other is att:
                continue
            if _nested(att, other) and not _is_relay(other):
                dropped = True  # inner speech verb inside an outer one: keep the outer
            if _nested(other, att) and _is_relay(att):
                dropped = True  # a relay around an inner source: keep the inner
            overlaps = other.start < att.end and att.start < other.end
            if overlaps and _is_relay(att) and other.cue == "quote" and att.cue != "quote":
                dropped = True  # "According to Yonhap, quoting KCNA, …" is KCNA's
        if not dropped:
            keep.append(att)
    for att in keep:
        ctx.use(*att.marks)
        if att.cue_token is not None:
            ctx.used_cues.add(att.cue_token.i)
    return keep
