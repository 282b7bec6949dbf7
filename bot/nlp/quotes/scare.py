"""Quotation marks that quote nobody: scare quotes, coined terms and titles.

A “quiet rivalry”, “belt and road”, "parole", "The Internet Explorer 6 Countdown": short
phrases with no verb, or names in title case. They stay quotes only when a cue attributes
them as part of someone's words (a mixed quote); on their own they are dropped.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from bot.nlp.quotes.cues import word_set

_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_SMALL = word_set("""a an the of and or in on for to at by with from vs vs. de la""")
_TERMINAL = re.compile(r"[.!?][\s\"”’]*$")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_title(text: str) -> bool:
    """Title case with no sentence punctuation: "Better Idea of Afghan Girls"."""
    ws = [w for w in words(text) if w.lower() not in _SMALL]
    if not ws or len(ws) > 10 or re.search(r"[.!?;]\s", text.strip()):
        return False
    caps = sum(1 for w in ws if w[0].isupper())
    return caps == len(ws) or (len(ws) >= 3 and caps / len(ws) >= 0.75)


def has_verb(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(
        t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBN", "VBG") for t in span
    )


def _text(doc: Doc, start: int, end: int) -> str:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.text if span is not None else ""


def is_scare(doc: Doc, start: int, end: int) -> bool:
    """A few words with no finite verb, or a title: a term, not someone's statement."""
    text = _text(doc, start, end)
    if is_title(text):
        return True
    n = len(words(text))
    return n <= 4 and not has_verb(doc, start, end) and not _TERMINAL.search(text)


def is_statement(doc: Doc, start: int, end: int) -> bool:
    """Enough to stand alone as someone's words: a clause, or a full sentence."""
    return not is_scare(doc, start, end) and (
        len(words(_text(doc, start, end))) >= 4 or has_verb(doc, start, end)
    )
