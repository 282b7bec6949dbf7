"""Which of an article's sentences may appear in an extractive summary.

Scraped news carries furniture a summary must never quote: datelines, bylines, photo
captions and credits, share/comment prompts, headings, and fragments left by a sentence
splitter. Rules here are plain text rules so they work on stored sentences; when the
caller passes spaCy spans, their part-of-speech tags decide "has a verb".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MIN_WORDS = 6
MAX_WORDS = 65
GUESS_VERB_MAX_WORDS = 8

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue(?:s)?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DATELINE = re.compile(
    rf"^(?:(?:published|updated|posted)(?: on)?:?\s*)?(?:{_WEEKDAY},?\s*)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s*\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s*\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})(?:[,\s]+\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?.*)?\W*$",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"^\W*(?:leave a (?:comment|reply)|share (?:this|on|via)|click here|subscribe\b|sign up\b"
    r"|follow us\b|read more\b|related(?: articles| stories| posts)?\s*:|advertisement\b"
    r"|comments?\b|print\b|e-?mail this|tweet\b|posted (?:in|on|by)\b|filed under\b|tags?\s*:"
    r"|you may also like|back to top|sources?\s*:|see also\b|external links?\b"
    r"|this (?:article|story) (?:was|is|has been) (?:originally|first)? ?(?:published|updated))",
    re.IGNORECASE,
)
_ANYWHERE_BOILERPLATE = re.compile(
    r"all rights reserved|©|\bcopyright\b|cookies? polic|privacy policy|terms of (?:use|service)"
    r"|newsletter|https?://|www\.",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"(?:^|[\s.(])(?:image|photo(?:graph)?|picture|pictured|credit|caption|file photo|video"
    r"|audio|illustration|graphic)s?\s*(?:by)?\s*:",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\W*(?i:by|reporting by|written by|edited by|editing by|additional reporting by|"
    r"story by|words by)\s+[A-Z]",
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.:%-]*")
_COMMON_VERB_WORDS = """
    is are was were be been being am has have had do does did will would can could may
    might must shall should say says said tell tells told go goes went come comes came get
    gets got make makes made take takes took give gives gave see sees saw know knew find
    found think thought become became leave left meet met hold held win won lose lost lead
    led begin began run ran fall fell rise rose put set cut keep kept send sent build built
    bring brought pay paid speak spoke write wrote grow grew draw drew choose chose flee fled
    fight fought sell sold stand stood strike struck mean meant feel felt sit sat shoot shot
    spend spent throw threw wear wore break broke buy bought catch caught hit hurt let read
    seek sought show shows shown teach taught"""
_COMMON_VERBS = frozenset(_COMMON_VERB_WORDS.split())
_VERB_SUFFIX = re.compile(r"^[a-z]{2,}(?:ed|ing|ied|izes|ises|ates)$")
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$|[\"”’]$")


@dataclass(frozen=True, slots=True)
class Candidate:
    index: int  # position in the caller's sentence list
    text: str  # whitespace-normalised, leading dateline/heading fragment removed


def _text(sentence: Any) -> str:
    return sentence if isinstance(sentence, str) else str(sentence.text)


def _span_has_verb(sentence: Any) -> bool | None:
    """The parse's answer for a spaCy span (None for a plain string or an untagged doc)."""
    if isinstance(sentence, str):
        return None
    tags = [getattr(token, "pos_", "") for token in sentence]
    if not any(tags):
        return None
    return any(tag in ("VERB", "AUX") for tag in tags)


def _guess_has_verb(words: list[str]) -> bool:
    lowered = [word.lower() for word in words]
    return any(w in _COMMON_VERBS or _VERB_SUFFIX.match(w) for w in lowered)


def normalise(text: str) -> str:
    """Collapse whitespace; when a splitter glued paragraphs together (a dateline or
    heading then the lead), keep only what follows the last fragment paragraph."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    while len(paragraphs) > 1 and reject_reason(paragraphs[0]) is not None:
        paragraphs.pop(0)
    return " ".join(" ".join(paragraphs).split())


def reject_reason(text: str, has_verb: bool | None = None) -> str | None:
    """Why `text` can't be a summary sentence on its own, or None when it can."""
    text = " ".join(text.split())
    words = _WORD.findall(text)
    if not words:
        return "empty"
    if _DATELINE.match(text):
        return "dateline"
    if _BOILERPLATE.match(text) or _ANYWHERE_BOILERPLATE.search(text):
        return "boilerplate"
    if _CREDIT.search(text):
        return "caption"
    if _BYLINE.match(text):
        return "byline"
    if len(words) < MIN_WORDS:
        return "too short"
    if len(words) > MAX_WORDS:
        return "too long"
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 10 and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        return "all caps"
    first = next((c for c in text if c.isalnum()), "")
    if first.islower():
        return "fragment"
    if has_verb is None:  # the word-list guess misses many verbs: trust it on short ones only
        has_verb = _guess_has_verb(words) or len(words) > GUESS_VERB_MAX_WORDS
    if not has_verb:
        return "no verb"
    if len(words) < 12 and not _TERMINAL.search(text):
        return "heading"
    return None


def candidates(sentences: Sequence[Any]) -> list[Candidate]:
    """The sentences (str or spaCy spans) fit for a summary, in article order.

    A sentence directly followed by a photo credit ("Image: NASA.") in the same paragraph
    is that photo's caption and is dropped with it.
    """
    texts = [_text(s) for s in sentences]
    kept: list[Candidate] = []
    for i, raw in enumerate(texts):
        text = normalise(raw)
        # A span's tags describe the whole span: unusable once a glued fragment is cut off.
        whole = text == " ".join(raw.split())
        if reject_reason(text, _span_has_verb(sentences[i]) if whole else None) is not None:
            continue
        following = texts[i + 1] if i + 1 < len(texts) else ""
        same_paragraph = not re.search(r"\n\s*\n\s*$", raw)
        if same_paragraph and following and _CREDIT.match(" " + following.strip()):
            continue
        kept.append(Candidate(i, text))
    return kept
