"""Person-name normalisation and matching: titles, possessives, surnames to full names.

No coreference model works offline, so "Yau" → "Niva Yau" and "Professor Elizabeth
Wishnick" → "Elizabeth Wishnick" are resolved with these string rules over the names an
article (or the corpus) has already introduced.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from nameparser.config import CONSTANTS

# A courtesy title says nothing of what a person does: "Dr. Elena Park, a hydrologist" has
# the role "hydrologist", not "Dr.".
HONORIFICS = frozenset(
    [
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "dr",
        "dr.",
        "prof",
        "prof.",
        "sir",
        "dame",
        "lord",
        "lady",
    ]
)
TITLES = HONORIFICS | frozenset(
    [
        "professor",
        "president",
        "vice-president",
        "premier",
        "chancellor",
        "minister",
        "secretary",
        "senator",
        "sen.",
        "sen",
        "rep.",
        "representative",
        "governor",
        "gov.",
        "gov",
        "mayor",
        "judge",
        "justice",
        "general",
        "gen.",
        "gen",
        "colonel",
        "col.",
        "captain",
        "capt.",
        "lieutenant",
        "lt.",
        "sergeant",
        "sgt.",
        "admiral",
        "chairman",
        "chairwoman",
        "chair",
        "ceo",
        "director",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ambassador",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "cardinal",
        "bishop",
        "archbishop",
        "rev.",
        "reverend",
        "father",
        "sister",
        "brother",
        "saint",
        "st.",
        "st",
        "officer",
        "detective",
        "inspector",
        "chief",
        "coach",
        "dean",
        "deputy",
        "commissioner",
        "councillor",
        "councilor",
        "leader",
    ]
)
# Surname particles: nameparser's list, less the words that open a place or a name of
# their own ("San Diego", "St Andrews", "Mac") or are English words ("do").
_NOT_PARTICLES = frozenset({"san", "santa", "st", "ste", "mac", "mc", "bon", "do", "vel", "dí"})
PARTICLES = (frozenset(CONSTANTS.prefixes) - _NOT_PARTICLES) | frozenset({"den", "das"})

_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")  # soft hyphens, zero widths


def strip_possessive(text: str) -> str:
    return _POSSESSIVE.sub("", text.strip())


def strip_titles(name: str) -> str:
    """Drop leading honorifics and titles: "Professor Elizabeth Wishnick" → "Elizabeth Wishnick"."""
    words = name.split()
    while len(words) > 1 and words[0].lower().rstrip(",") in TITLES:
        words.pop(0)
    return " ".join(words)


def normalise_name(text: str) -> str:
    """The form a name is stored under: single-spaced, no possessive, no leading article."""
    text = _INVISIBLE.sub("", text)  # "Ben\u00adnett" is "Bennett"
    text = _SPACES.sub(" ", strip_possessive(text)).strip(" ,.;:\"'“”‘’()[]")
    if text[:4].lower() == "the ":
        text = text[4:]
    return text


def name_tokens(name: str) -> list[str]:
    return [w.lower() for w in re.split(r"[\s]+", name) if w]


@functools.lru_cache(maxsize=8192)
def _cached_tokens(name: str) -> tuple[str, ...]:
    """name_tokens for the hot comparison loops (a long article compares every mention
    with every full name): split once per name."""
    return tuple(name_tokens(name))


def is_full_name(name: str) -> bool:
    return len(name_tokens(name)) >= 2


def matches_full_name(short: str, full: str) -> bool:
    """True when `short` names the same person as `full`: its surname, first name or a
    contiguous part of it ("Yau" ~ "Niva Yau", "Putin" ~ "Vladimir Putin")."""
    s, f = _cached_tokens(short), _cached_tokens(full)
    if not s or len(s) >= len(f):
        return False
    n = len(s)
    return any(f[i : i + n] == s for i in range(len(f) - n + 1))


def resolve_to_full(short: str, full_names: Iterable[str]) -> str | None:
    """The one full name `short` is part of, preferring surnames; None when none or ambiguous."""
    candidates = [f for f in dict.fromkeys(full_names) if matches_full_name(short, f)]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    by_surname = [f for f in candidates if name_tokens(f)[-1] == name_tokens(short)[-1]]
    if len(by_surname) == 1:
        return by_surname[0]
    return None


def acronym(name: str) -> str:
    """Initials of the capitalised words: "Shanghai Cooperation Organization" → "SCO"."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w[0].isupper()]
    return "".join(w[0] for w in words)
