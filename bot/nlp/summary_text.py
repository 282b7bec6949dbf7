"""What a sentence brings to an extractive summary: how much of it is quotation, and the
words a highlight writer would leave out.

Editors' highlights (CNN/DailyMail's, a wire desk's) paraphrase: a sentence that is mostly
a direct quote shares about half as many words with them as the narrator's sentence
beside it. They also drop the relative day ("said on Wednesday", "late Tuesday", "On
Saturday night he scored"): the article card carries the date, and "Tuesday" means
nothing to a reader a week later. Quoted words are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.nlp.sentence_filter import word_count

_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
# "Black Friday", "Super Tuesday": names, not dates.
_NAMES = ("black", "good", "super", "cyber", "ash", "holy", "palm", "easter")
_NAMED = "".join(rf"(?<!\b{w})" for w in _NAMES)
_OPENING_DAY = re.compile(rf"^(?:(?:on|late|early)\s+)?{_DAY}{_PART}\s*,?\s+(?=[a-z])", re.I)
_DAY_AFTER_PREPOSITION = re.compile(
    rf"{_NAMED}\s+(?:on|late|early)\s+{_DAY}{_PART}\b(?!\s*['’]\s*s\b)", re.I
)
# A bare day is dropped only before punctuation or a function word ("sentenced Thursday
# to", "said Monday, with"), so "Sunday dinner" and "Monday's vote" keep theirs.
# ... and never after a word it belongs to ("scheduled for Thursday", "until Monday").
_GOVERNED = "".join(
    rf"(?<!\b{w})"
    for w in [
        "on",
        "late",
        "early",
        "for",
        "until",
        "till",
        "by",
        "since",
        "next",
        "last",
        "this",
        "that",
        "every",
        "each",
        "from",
        "to",
        "of",
        "before",
        "after",
        "between",
        "through",
        "and",
        "or",
    ]
)
_BARE_DAY = re.compile(
    rf"{_NAMED}{_GOVERNED}\s+{_DAY}{_PART}(?=\s*[,.;]|\s+(?:to|after|before"
    r"|at|in|with|as|when|that|for|from|following|amid|while|but|and|over|against|near|into)\b)",
    re.I,
)


def _plain(text: str) -> str:
    """Tokenised text's `` and '' as the double marks the quote finder knows (same length)."""
    return text.replace("``", '" ').replace("''", ' "')


def quoted_share(text: str) -> float:
    """The share (0-1) of the words of `text` inside quotation marks; an opening mark
    never closed (a quote the splitter cut) quotes the rest of the sentence."""
    words = word_count(text)
    if not words:
        return 0.0
    from bot.nlp.quotes.marks import find_quote_spans  # see _outside_quotes

    plain = _plain(text)
    quoted = sum(word_count(plain[s.start : s.end]) for s in find_quote_spans(plain))
    return min(1.0, quoted / words)


def _outside_quotes(text: str, edit: Callable[[str], str]) -> str:
    # Imported here: bot.nlp.quotes's package imports spaCy, hence torch, and a warm
    # restart reaches this module (service -> pipeline -> extractive) with no NLP to do.
    from bot.nlp.quotes.marks import find_quote_spans

    pieces, last = [], 0
    for span in find_quote_spans(_plain(text)):
        pieces += [edit(text[last : span.outer_start]), text[span.outer_start : span.outer_end]]
        last = span.outer_end
    pieces.append(edit(text[last:]))
    return "".join(pieces)


def drop_weekdays(text: str) -> str:
    """`text` without its relative days ("on Friday", "late Tuesday", "Thursday night"),
    outside quotes; a sentence opened by one starts with the next word (capitalised when
    the text has case)."""
    opening = _OPENING_DAY.match(text)
    if opening and word_count(text[opening.end() :]) >= 3:
        rest = text[opening.end() :]
        text = rest[0].upper() + rest[1:] if text[0].isupper() else rest
    return _outside_quotes(
        text, lambda part: _BARE_DAY.sub("", _DAY_AFTER_PREPOSITION.sub("", part))
    )
