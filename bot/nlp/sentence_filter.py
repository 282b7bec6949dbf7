"""Which of an article's sentences may appear in an extractive summary.

Scraped news carries furniture a summary must never quote: datelines, bylines, photo
captions and credits, share/comment prompts, headings, and fragments left by a sentence
splitter. Rules here are plain text rules so they work on stored sentences; when the
caller passes spaCy spans, their part-of-speech tags decide "has a verb".

The rules degrade gracefully. Rules about letter case (a lowercase start is a fragment,
shouting is a heading) are off for an article with no case to go by (lower-cased,
tokenised text such as research releases of news corpora). And a rule that would reject
every sentence of an article is skipped for that article, with a debug log: a filter that
rejects everything must not silently become no filter at all.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

MIN_WORDS = 6
MAX_WORDS = 65
GUESS_VERB_MAX_WORDS = 8

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tue(?:s)?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_CLOCK = r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s?m\.?|est|edt|gmt|bst|cet|utc|et|pt)?"
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\s*,?\s*\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s*,?\s*\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
)
# "Published: 05:47 EST, 3 October 2013", "Wednesday, April 13, 2011", "last updated at
# 5:47 PM on 3rd October 2011"; tokenised text puts spaces around the punctuation.
_STAMP = (
    rf"(?:(?:last\s+)?(?:published|updated|posted)(?:\s+(?:on|at))?\s*:?\s*\.?\s*)?"
    rf"(?:{_WEEKDAY}\s*,?\s*)?(?:{_CLOCK}\s*(?:,|on)?\s*)?(?:{_WEEKDAY}\s*,?\s*)?{_DATE}"
    rf"(?:\s*,?\s*(?:at\s+)?{_CLOCK})?"
)
_DATELINE = re.compile(rf"^{_STAMP}(?:[,\s]+\d{{1,2}}[:.]\d{{2}}.*)?\W*$", re.IGNORECASE)
# Furniture a splitter may glue in front of the lead: "by . Sam Webb . published : . 05:47
# est , 3 october 2013 . | . updated : . ...", or a wire dateline "LONDON (CNN) --".
_LEADING_STAMP = re.compile(rf"^{_STAMP}\s*[.|]\s*(?:\|\s*\.?\s*)?", re.IGNORECASE)
_LEADING_BYLINE = re.compile(r"^by\s*\.\s+[^.|]{1,60}?\s*\.\s+", re.IGNORECASE)
_LEADING_AGENCY = re.compile(
    r"^(?:[\w.,'’ -]{0,40}?\s)?\(\s*(?:cnn|ap|reuters|afp|upi|bloomberg|xinhua|cnn ?money)"
    r"\s*\)\s*(?:--|—|–|-|:)?\s*",
    re.IGNORECASE,
)
_LEADING_WIRE = re.compile(r"^[A-Z][A-Z.,' -]{1,40}\(\s*[\w.]{2,15}\s*\)\s*(?:--|—|–|-)\s+")
# Any agency in brackets before a dash: "hamilton , ont . ( cp ) - police said".
_LEADING_BRACKETED_AGENCY = re.compile(
    r"^(?:[\w.,'’ -]{0,40}?\s)?\(\s*[a-z][\w.]{1,14}\s*\)\s*(?:--|—|–|-)\s+", re.IGNORECASE
)
_LEADING_DASH = re.compile(r"^(?:--|—|–|-)\s+")  # what a split after "LAKESHORE, Ont." leaves
_LEADING_FURNITURE = (
    _LEADING_BYLINE,
    _LEADING_STAMP,
    _LEADING_AGENCY,
    _LEADING_WIRE,
    _LEADING_BRACKETED_AGENCY,
    _LEADING_DASH,
)
# A place dateline with no agency ("VICTORIA —", "KELOWNA, B.C. —"; lower-cased
# "kelowna , b.c. —"): only in an article's first sentences, where datelines stand (later,
# "NASA — the agency said" is prose).
_OPENING_PLACE = re.compile(r"^[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][\w.'’-]*){0,4},?\s*(?:--|—|–)\s+")
_OPENING_PLACE_UNCASED = re.compile(
    r"^[a-z][a-z.'’-]+(?:\s*,?\s*[a-z][a-z.'’-]*){0,3}\s*(?:--|—|–)\s+"
)
# A date glued to the lead without a full stop ("friday , july 21 , 2017 a group of").
_GLUED_STAMP = re.compile(rf"^{_STAMP}\s*[,|]?\s+(?=\S)", re.IGNORECASE)
OPENING_SENTENCES = 3  # how many of an article's first sentences may carry a dateline
_BOILERPLATE = re.compile(
    r"^\W*(?:leave a (?:comment|reply)|share (?:this|on|via)|click here|subscribe\b|sign up\b"
    r"|follow us\b|read more\b|related(?: articles| stories| posts)?\s*:|advertisement\b"
    r"|comments?\b|print\b|e-?mail this|tweet\b|posted (?:in|on|by)\b|filed under\b|tags?\s*:"
    r"|you may also like|back to top|sources?\s*:|see also\b|external links?\b"
    r"|scroll down\b|watch the video\b|follow\s+@"
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


# Rules that can't be wrong about furniture, and those that judge "is it a sentence" and
# may all fail on an odd article (a transcript, a lower-cased release): only the latter
# are relaxed when nothing passes.
HARD_RULES = ("empty", "dateline", "boilerplate", "caption", "byline")
CASE_RULES = ("all caps", "fragment")


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


def _strip_leading_furniture(text: str, opening: bool = False, cased: bool = True) -> str:
    """`text` without the bylines, stamps and datelines glued in front of its first words;
    `opening`: it is one of the article's first sentences (where a bare place dateline
    may stand)."""
    patterns = _LEADING_FURNITURE
    if opening:
        patterns += (_OPENING_PLACE if cased else _OPENING_PLACE_UNCASED,)
    while True:
        for pattern in patterns:
            found = pattern.match(text)
            if found and found.end() < len(text):
                text = text[found.end() :]
                break
        else:
            glued = _GLUED_STAMP.match(text)
            if glued and len(_WORD.findall(text[glued.end() :])) >= MIN_WORDS:
                text = text[glued.end() :]
                continue
            return text


def word_count(text: str) -> int:
    """Words and numbers, not punctuation: the same count for "said, " and "said ,"."""
    return len(_WORD.findall(text))


def normalise(text: str, *, opening: bool = False, cased: bool = True) -> str:
    """Collapse whitespace; when a splitter glued paragraphs together (a dateline or
    heading then the lead), keep only what follows the last fragment paragraph; drop a
    byline, time stamp or wire dateline glued in front of the first words (a bare place
    dateline too when `opening`: the text is one of the article's first sentences)."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    while len(paragraphs) > 1 and reject_reason(paragraphs[0]) is not None:
        paragraphs.pop(0)
    return _strip_leading_furniture(" ".join(" ".join(paragraphs).split()), opening, cased)


def is_cased(texts: Sequence[str]) -> bool:
    """Whether the text keeps letter case: at least a third of its sentences open with a
    capital (lower-cased corpora have none; real news has nearly all)."""
    firsts = [next((c for c in t if c.isalpha()), "") for t in texts]
    firsts = [c for c in firsts if c]
    return bool(firsts) and 3 * sum(c.isupper() for c in firsts) >= len(firsts)


def reject_reasons(text: str, has_verb: bool | None = None, *, cased: bool = True) -> list[str]:
    """Every rule `text` fails as a summary sentence on its own (empty when it passes).
    With `cased=False` the rules about letter case say nothing."""
    text = " ".join(text.split())
    words = _WORD.findall(text)
    if not words:
        return ["empty"]
    reasons = []
    if _DATELINE.match(text):
        reasons.append("dateline")
    if _BOILERPLATE.match(text) or _ANYWHERE_BOILERPLATE.search(text):
        reasons.append("boilerplate")
    if _CREDIT.search(text):
        reasons.append("caption")
    if _BYLINE.match(text):
        reasons.append("byline")
    if len(words) < MIN_WORDS:
        reasons.append("too short")
    if len(words) > MAX_WORDS:
        reasons.append("too long")
    letters = [c for c in text if c.isalpha()]
    if cased and len(letters) >= 10 and sum(c.isupper() for c in letters) / len(letters) > 0.8:
        reasons.append("all caps")
    first = next((c for c in text if c.isalnum()), "")
    if cased and first.islower():
        reasons.append("fragment")
    if has_verb is None:  # the word-list guess misses many verbs: trust it on short ones only
        has_verb = _guess_has_verb(words) or len(words) > GUESS_VERB_MAX_WORDS
    if not has_verb:
        reasons.append("no verb")
    if len(words) < 12 and not _TERMINAL.search(text):
        reasons.append("heading")
    return reasons


def reject_reason(text: str, has_verb: bool | None = None, *, cased: bool = True) -> str | None:
    """Why `text` can't be a summary sentence on its own (the first rule it fails), or None."""
    reasons = reject_reasons(text, has_verb, cased=cased)
    return reasons[0] if reasons else None


def candidates(sentences: Sequence[Any]) -> list[Candidate]:
    """The sentences (str or spaCy spans) fit for a summary, in article order.

    A sentence directly followed by a photo credit ("Image: NASA.") in the same paragraph
    is that photo's caption and is dropped with it. A rule that rejects every sentence
    is skipped (logged at debug level); if the rules together still reject everything,
    only the furniture rules (`HARD_RULES`) apply.
    """
    texts = [_text(s) for s in sentences]
    cased = is_cased(texts)
    if not cased and texts:
        log.debug("sentence filter: no letter case to go by; rules %s skipped", CASE_RULES)
    judged: list[tuple[int, str, set[str]]] = []
    for i, raw in enumerate(texts):
        text = normalise(raw, opening=i < OPENING_SENTENCES, cased=cased)
        # A span's tags describe the whole span: unusable once a glued fragment is cut off.
        whole = text == " ".join(raw.split())
        has_verb = _span_has_verb(sentences[i]) if whole else None
        reasons = set(reject_reasons(text, has_verb, cased=cased))
        following = texts[i + 1] if i + 1 < len(texts) else ""
        same_paragraph = not re.search(r"\n\s*\n\s*$", raw)
        if same_paragraph and following and _CREDIT.match(" " + following.strip()):
            reasons.add("caption")
        if "empty" not in reasons:
            judged.append((i, text, reasons))
    if not judged:
        return []
    skipped = {
        rule
        for rule in {r for _, _, rs in judged for r in rs} - set(HARD_RULES)
        if all(rule in rs for _, _, rs in judged)
    }
    for rule in sorted(skipped):
        log.debug("sentence filter: %r would reject all %d sentences; skipped", rule, len(judged))
    kept = [Candidate(i, text) for i, text, rs in judged if not rs - skipped]
    if not kept:
        log.debug("sentence filter: the rules together reject every sentence; furniture only")
        kept = [Candidate(i, text) for i, text, rs in judged if not rs & set(HARD_RULES)]
    return kept
