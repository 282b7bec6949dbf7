"""Speaker phrases on the parse: the words of a name, and how a source is written.

The small model's tags and NER are often wrong around names ("Rathbun" a verb, "Valeska"
a place, "the Refugee Council Enver" an organisation), so names are read off runs of
capitalised proper nouns, cut at words that belong to titles or organisations.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from bot.nlp.entities import NOT_PERSON_WORDS
from bot.nlp.names import PARTICLES, TITLES
from bot.nlp.quotes.cues import word_set
from bot.nlp.quotes.lexicon import is_first_name

QUANTIFIERS = word_set(
    """some many several most other various few numerous certain both all each either"""
)
# Words that end a person's name when the parse glues an organisation to it.
ORG_WORDS = NOT_PERSON_WORDS | word_set(
    """relations affairs foundation society museum news agency times post press office
    service services board commission program programme project conference network
    authority forces force army navy police school district fund trust local union inc
    ltd corp llc plc group association federation party council department ministry"""
)
# Bodies whose name runs on through "for" ("Ministry for Women"); not "Center for …",
# which PolNeAR's annotators name by its head.
PUBLIC_BODIES = word_set("""department ministry office council commission agency committee""")
PERSON_TITLES = word_set("""mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sir dame""")


def span_text(tokens: list[Token]) -> tuple[str, int, int]:
    doc = tokens[0].doc
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return doc[tokens[0].i : tokens[-1].i + 1].text, start, end


def name_run(head: Token) -> list[Token]:
    """The run of capitalised proper nouns ending at `head`, cut after any title or
    organisation word: "Refugee Council Enver Solomon" → "Enver Solomon"."""
    doc = head.doc
    lo = head.i
    while lo > 0:
        if lo > 1 and joined(doc, lo - 1) and _name_part(doc[lo - 2]):
            lo -= 2  # "Tremblay-Osei", whatever the tag of "Tremblay"
        elif doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].text[:1].isupper():
            lo -= 1
        else:
            break
    lo = _with_particles(doc, lo)
    hi = head.i
    while hi + 1 < len(doc) and doc[hi + 1].pos_ == "PROPN" and doc[hi + 1].head.i == head.i:
        hi += 1
    tokens = [doc[i] for i in range(lo, hi + 1)]
    places = [k for k, t in enumerate(tokens) if t.ent_type_ in _NOT_NAME_ENTS]
    if places and places[-1] + 1 < len(tokens):
        rest = tokens[places[-1] + 1 :]
        if all(t.ent_type_ == "PERSON" for t in rest):
            tokens = rest  # "Washington Chris Gregoire" → "Chris Gregoire"
    for k in range(len(tokens) - 1, -1, -1):
        word = tokens[k].lower_
        if k + 1 < len(tokens) and joined(doc, tokens[k + 1].i):
            continue  # "St-Pierre", "Vice-Admiral" is one word
        if word in ORG_WORDS or (word in TITLES and word not in PERSON_TITLES):
            return tokens[k + 1 :] or [head]
        if word in PERSON_TITLES:
            return tokens[k:]  # "Education Mr. Toccafondi" → "Mr. Toccafondi"
    return tokens


_NOT_NAME_ENTS = frozenset({"GPE", "ORG", "NORP", "LOC", "FAC"})


def clean_name(name: str) -> bool:
    """A name of capitalised words (and particles): not "of Washington Chris Gregoire"."""
    return all(
        w[:1].isupper() or w.lower().split("-")[0].rstrip("'’") in PARTICLES for w in name.split()
    )


def _name_part(tok: Token) -> bool:
    """A word a hyphen joins into a name: "Tremblay"-Osei, "al"-Hassan."""
    return tok.text[:1].isupper() or tok.lower_ in PARTICLES


def _with_particles(doc: Doc, lo: int) -> int:
    """Back over a surname's particles and the first name before them: "the younger van
    der Berg" → "van der Berg", "Tomasz van der Berg" whole (the small model tags
    "der" a noun and "Tomasz" anything)."""
    i = lo
    while i > 0 and doc[i - 1].lower_ in PARTICLES and doc[i - 1].whitespace_:
        i -= 1
    if i == lo:
        return lo
    if i > 0 and doc[i - 1].text[:1].isupper() and is_first_name(doc[i - 1].text):
        i -= 1
    return i


def joined(doc: Doc, i: int) -> bool:
    """A hyphen inside a name: "El-Hassan"."""
    t = doc[i]
    return t.text == "-" and not t.whitespace_ and i > 0 and not doc[i - 1].whitespace_


def no_parens(name: str) -> str:
    """ "World Health Organisation (WHO)" → "World Health Organisation"."""
    return re.sub(r"\s*\(.*$", "", name).strip()


def with_of(head: Token, tokens: list[Token]) -> list[Token]:
    """An organisation's name runs on through "of" (or a public body's through "for"):
    "Union of Rationalist Atheists and Agnostics", "Department for Environment, Food and
    Rural Affairs"."""
    for child in head.children:
        through = ("of", "for") if head.lower_ in PUBLIC_BODIES else ("of",)
        if child.dep_ == "prep" and child.lower_ in through and child.i == tokens[-1].i + 1:
            sub = list(child.subtree)
            listed = [t for t in sub if t.text != ","]  # a list of names, not a clause
            if sub[-1].text != "," and all(
                t.pos_ in ("PROPN", "CCONJ", "ADP", "DET") for t in listed
            ):
                return tokens + sub
    return tokens


def looks_like_name(tokens: list[Token]) -> bool:
    words = [t for t in tokens if t.lower_ not in PERSON_TITLES and t.text != "-"]
    return len(words) >= 2 and all(
        t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in ORG_WORDS for t in words
    )
