"""First names and name parts from libraries, not hand-grown lists.

- `gender-guesser` (a first-name lexicon of ~40,000 names by country): the likely gender
  of a first name, and whether a word is a first name at all.
- `nameparser`: titles, suffixes and particles ("Dr.", "Jr.", "al-", "van").
"""

from __future__ import annotations

import re
from functools import lru_cache

from nameparser import HumanName

from bot.nlp.names import TITLES

_GENDER = {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}
_JUNK = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")  # soft hyphens, zero-width marks
# ",60", a possessive, "(R-SC)", a relative clause glued on (", who co-founded")
_TRAILING = re.compile(r"(?:\s*,\s*\d+|['’]s?|\s*\(.*\)|\s*,\s*(?:who|whose|which)\b.*)$")
_POSSESSOR = re.compile(r"\w['’]s?$")
_NICKNAME = re.compile(r"\s+[“\"‘][^“”\"‘’]{1,20}[”\"’](?=\s)")  # Marguerite “Margo” Bellefleur


@lru_cache(maxsize=1)
def _detector():  # gender_guesser has no type hints
    import gender_guesser.detector as gender

    return gender.Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def first_name_gender(word: str) -> str | None:
    """ "m", "f", or None (androgynous or unknown) for a first name."""
    if not word[:1].isupper() or len(word) < 2:
        return None
    return _GENDER.get(_detector().get_gender(word.strip(".")))


def sure_gender(name: str) -> str | None:
    """ "m"/"f" when the lexicon is sure of the name's first word (not "mostly")."""
    word = name.split()[0] if name.split() else ""
    if not word[:1].isupper():
        return None
    return {"male": "m", "female": "f"}.get(_detector().get_gender(word.strip(".")))


@lru_cache(maxsize=4096)
def is_first_name(word: str) -> bool:
    return word[:1].isupper() and _detector().get_gender(word.strip(".")) != "unknown"


# Words that describe a person and get glued to the name by NER; with the titles.
_ROLE_WORDS = TITLES | frozenset(
    """billionaire businessman businesswoman veteran rookie former actor actress singer
    striker defenceman defenseman goalie goalkeeper forward midfielder manager lawyer
    attorney doctor republican democrat democratic conservative liberal labour tory
    independent sheikh prime candidate hopeful frontrunner nominee activist""".split()  # noqa: SIM905
)


def personal(text: str) -> bool:
    """A person's name by its shape, whatever the NER said: two to four capitalised words
    opening with a known first name ("Buddy Valastro" tagged an organisation)."""
    words = text.split()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and is_first_name(words[0])
        and not any(_role_word(w) for w in words)
    )


@lru_cache(maxsize=4096)
def _common_noun(word: str) -> bool:
    """A word WordNet knows only as a lower-case noun ("analyst", "trustee"): no name."""
    from bot.qa.paraphrase import LEXICON  # WordNet's files, shared with entities.py

    return LEXICON.only_common_noun(word)


_NOUN_PERSON = 18  # WordNet's lexicographer file noun.person


@lru_cache(maxsize=4096)
def person_noun(word: str) -> bool:
    """A noun WordNet files among people in one of its senses ("farmer", "officer",
    "seed" the player), unlike "government" or "reading"; the titles count too."""
    from bot.qa.paraphrase import LEXICON

    w = word.lower().strip(".")
    if w in _ROLE_WORDS:
        return True
    files = LEXICON._open()  # the parsed files: the lexicon has no public lookup by sense
    if files is None or not w.replace("-", "").isalpha():
        return False
    data = files.data["noun"]
    for offset in files.offsets(w, "noun"):
        fields = data[offset : data.find(b"\n", offset)].split(maxsplit=2)
        if int(fields[1]) == _NOUN_PERSON:
            return True
    return False


ROYAL_TITLES = frozenset(
    ["king", "queen", "prince", "princess", "emperor", "empress", "sultan", "pope"]
)


def _role_word(word: str) -> bool:
    """ "Mayor", "Capt.", "Secretary-Treasurer" (either half)."""
    w = word.lower().rstrip(".,")
    return w in _ROLE_WORDS or ("-" in w and any(p in _ROLE_WORDS for p in w.split("-")))


def tidy_name(name: str) -> str:
    """A person's name without junk around it: zero-width characters, a trailing age or
    possessive, titles (nameparser's list), and role words glued before a first name
    ("Billionaire Donald Trump" → "Donald Trump")."""
    name = _JUNK.sub("", name).strip()
    name = _TRAILING.sub("", name).strip(" ,")
    name = _NICKNAME.sub("", name)
    words = name.split()
    if len(words) < 2:
        return name
    if len(words) == 2 and words[0].lower() in ROYAL_TITLES:
        return words[1]  # a monarch goes by given name: "Queen Sofia" → "Sofia"
    owner = max((k for k, w in enumerate(words[:-2]) if _POSSESSOR.search(w)), default=-1)
    words = words[owner + 1 :]  # "Breitbart’s Joel Pollak" → "Joel Pollak"
    titled = [k for k, w in enumerate(words[:-2]) if _role_word(w)]
    if titled and is_first_name(words[titled[-1] + 1]):
        words = words[titled[-1] + 1 :]  # "Phoenix Mayor Greg Stanton", "Army Capt. Chris Pardo"
    while (
        len(words) > 2
        and not is_first_name(words[0])
        and _common_noun(words[0])
        and not _common_noun(words[1])  # not "Right Wing Watch"
    ):
        words.pop(0)  # "Analyst Beatriz Ocampo-Lindgren", "Trustee Abimbola Fairweather-Sato"
    name = " ".join(words)
    parsed = HumanName(name)
    if parsed.title and parsed.first and parsed.last:
        rest = " ".join(p for p in (parsed.first, parsed.middle, parsed.last) if p).split()
        if len(rest) >= 2 and name.endswith(rest[-1]):
            words = words[len(words) - len(rest) :]
    while len(words) > 2 and _role_word(words[0]) and is_first_name(words[1]):
        words.pop(0)
    return " ".join(words)
