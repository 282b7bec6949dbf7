"""What a question asks for: the kind of answer, and the words it already names.

The kind decides which spans can answer it (who → a person, when → a date, …); the
question's own content words are what the answerer looks for around a candidate, and what
a candidate must not merely repeat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from bot.nlp.entities import ROLE_NOUNS

WH_WORDS = frozenset({"who", "whom", "whose", "where", "when", "what", "which", "how", "why"})
# Stop words that still say what a question is about ("the first meeting", "named").
_MEANINGFUL = frozenset({"first", "last", "name", "named", "top", "front", "back", "call"})
STOP = frozenset(STOP_WORDS) - _MEANINGFUL

PERSON_NOUNS = ROLE_NOUNS | {
    "person",
    "man",
    "woman",
    "boy",
    "girl",
    "founder",
    "co-founder",
    "prosecutor",
    "administrator",
    "chancellor",
    "king",
    "queen",
    "pope",
    "singer",
    "actor",
    "actress",
    "artist",
    "writer",
    "scorer",
    "goalkeeper",
    "defender",
    "striker",
    "winner",
    "musician",
}
PLACE_NOUNS = frozenset(
    {
        "country",
        "city",
        "town",
        "village",
        "place",
        "region",
        "state",
        "province",
        "sea",
        "ocean",
        "river",
        "lake",
        "road",
        "street",
        "venue",
        "stadium",
        "arena",
        "location",
        "island",
        "continent",
        "area",
        "district",
        "capital",
        "building",
        "port",
        "airport",
        "bridge",
        "mountain",
        "county",
        "neighbourhood",
        "neighborhood",
    }
)
ORG_NOUNS = frozenset(
    {
        "organisation",
        "organization",
        "company",
        "agency",
        "group",
        "party",
        "newspaper",
        "paper",
        "team",
        "firm",
        "university",
        "college",
        "club",
        "band",
        "magazine",
        "publication",
        "institution",
        "institute",
        "ministry",
        "department",
        "body",
        "charity",
        "network",
        "broadcaster",
        "channel",
        "journal",
        "church",
        "foundation",
        "government",
        "council",
        "court",
        "union",
        "association",
        "bank",
        "corporation",
        "outlet",
        "museum",
        "school",
    }
)
TIME_NOUNS = frozenset(
    {"year", "date", "day", "month", "time", "century", "decade", "week", "season", "hour"}
)
PERCENT_NOUNS = frozenset({"percentage", "percent", "share", "proportion", "rate", "fraction"})
NUMBER_NOUNS = frozenset({"number", "amount", "total", "count", "figure", "score", "toll"})
MONEY_NOUNS = frozenset(
    {"cost", "price", "sum", "fine", "bail", "salary", "fee", "budget", "prize", "money"}
)
MEASURE_WORDS = frozenset(
    {"tall", "high", "far", "big", "large", "heavy", "deep", "wide", "long", "short", "fast"}
)

# Entity labels that can answer each kind of question, with how well they fit.
PERSON = {"PERSON": 1.0, "ORG": 0.6, "NORP": 0.5}
PLACE = {"GPE": 1.0, "LOC": 1.0, "FAC": 1.0, "ORG": 0.7, "EVENT": 0.6}
PLACE_NOUN = {"GPE": 1.0, "LOC": 1.0, "FAC": 1.0, "ORG": 0.7}
TIME = {"DATE": 1.0, "TIME": 0.9}
NUMBER = {"CARDINAL": 1.0, "QUANTITY": 1.0, "MONEY": 1.0, "PERCENT": 1.0}
MONEY = {"MONEY": 1.0, "CARDINAL": 0.8, "QUANTITY": 0.6, "PERCENT": 0.5}
PERCENT = {"PERCENT": 1.0, "CARDINAL": 0.6}
AGE = {"DATE": 1.0, "CARDINAL": 0.9}
DURATION = {"DATE": 1.0, "TIME": 1.0, "QUANTITY": 0.8, "CARDINAL": 0.6}
MEASURE = {"QUANTITY": 1.0, "CARDINAL": 0.8}
ORG = {"ORG": 1.0, "WORK_OF_ART": 0.7, "NORP": 0.6, "PRODUCT": 0.6}
THING: dict[str, float] = {}

_WORD = re.compile(r"\w", re.UNICODE)
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")


@dataclass(slots=True)
class Question:
    """A parsed question: its kind, the entity labels that fit (best first), its content
    terms with weights (by lemma and by lower-cased form), and an FTS-friendly query."""

    text: str
    kind: str  # person | place | time | number | org | thing
    labels: dict[str, float]  # entity label → how well it fits
    focus: str | None = None  # the noun asked about: "which cruise [ship]", "the [mayor]"
    acronyms: frozenset[str] = frozenset()  # "SCO": matches "Shanghai Cooperation …"
    terms: dict[str, float] = field(default_factory=dict)  # lemma → weight
    aliases: dict[str, str] = field(default_factory=dict)  # inflected form → lemma
    words: frozenset[str] = frozenset()  # every lower-cased word and lemma of the question
    keywords: str = ""

    def key(self, token: Token) -> str | None:
        """The question term `token` stands for, by lemma or by form, or None."""
        lemma = token.lemma_.lower()
        if lemma in self.terms:
            return lemma
        return self.aliases.get(token.lower_) or self.aliases.get(lemma)

    @property
    def total_weight(self) -> float:
        return sum(self.terms.values())


def _focus(doc: Doc, wh: Token) -> Token | None:
    """The noun a which/what question asks about: "which [cruise ship]", "what was the
    [turnout rate]" → the last noun of that run."""
    i = wh.i + 1
    while i < len(doc) and doc[i].pos_ in ("AUX", "DET"):
        i += 1
    skipped_verb = i > wh.i + 1
    run: list[Token] = []
    while i < len(doc):
        token = doc[i]
        if token.pos_ in ("NOUN", "PROPN", "ADJ") or token.text == "-":
            run.append(token)
        elif skipped_verb and token.lower_ in ("'s", "’s"):
            run = []  # "what was this year's theme": the possessed noun is asked about
        else:
            break
        i += 1
    while run and not _nounish(run[-1]):  # "which Google co-founder", not "what did Sam"
        run.pop()
    return run[-1] if run else None


def _nounish(token: Token) -> bool:
    """A common noun, or a capitalised role word ("the NASA Administrator")."""
    return token.pos_ == "NOUN" or (token.pos_ == "PROPN" and token.lemma_.lower() in PERSON_NOUNS)


def _kind(doc: Doc) -> tuple[str, dict[str, float], str | None]:
    wh = next((t for t in doc if t.lower_ in WH_WORDS), None)
    if wh is None:
        return "thing", THING, None
    word = wh.lower_
    nxt = doc[wh.i + 1].lower_ if wh.i + 1 < len(doc) else ""
    if word in ("who", "whom", "whose"):
        role = _focus(doc, wh)  # "who is the [director] of …"
        return "person", PERSON, role.lemma_.lower() if role is not None else None
    if word == "where":
        return "place", PLACE, None
    if word == "when":
        return "time", TIME, None
    if word == "how":
        if nxt in ("many", "much"):
            rest = {t.lemma_.lower() for t in doc[wh.i + 2 :]}
            counted = _focus(doc, doc[wh.i + 1])  # "how many [schoolchildren]"
            noun = counted.lemma_.lower() if counted is not None else None
            if rest & MONEY_NOUNS or "$" in doc.text:
                return "number", MONEY, noun
            return "number", NUMBER, noun
        if nxt == "old":
            return "number", AGE, None
        if nxt == "long":
            return "number", DURATION, None
        if nxt in MEASURE_WORDS:
            return "number", MEASURE, None
        return "thing", THING, None
    if word in ("what", "which"):
        focus = _focus(doc, wh)
        if focus is None:
            return "thing", THING, None
        lemma = focus.lemma_.lower()
        if lemma in PERSON_NOUNS:
            return "person", PERSON, lemma
        if lemma == "age":
            return "number", AGE, lemma
        if lemma in TIME_NOUNS:
            return "time", TIME, lemma
        if lemma in PERCENT_NOUNS:
            return "number", PERCENT, lemma
        if lemma in MONEY_NOUNS:
            return "number", MONEY, lemma
        if lemma in NUMBER_NOUNS:
            return "number", NUMBER, lemma
        if lemma in PLACE_NOUNS:
            return "place", PLACE_NOUN, lemma
        if lemma in ORG_NOUNS:
            return "org", ORG, lemma
        return "thing", THING, lemma
    return "thing", THING, None


def _term_weight(token: Token) -> float:
    if token.pos_ == "PROPN" or token.like_num:
        return 2.0
    if token.pos_ == "NOUN":
        return 1.0
    if token.pos_ == "ADJ":
        return 0.8
    return 0.6


def analyse_question(doc: Doc) -> Question:
    """The kind, focus and weighted terms of a parsed question."""
    kind, labels, focus = _kind(doc)
    terms: dict[str, float] = {}
    aliases: dict[str, str] = {}
    words: set[str] = set()
    keywords: list[str] = []
    for token in doc:
        if not _WORD.search(token.text):
            continue
        words.update((token.lower_, token.lemma_.lower()))
        lower = token.lower_
        if lower in WH_WORDS or lower in STOP or token.pos_ in ("AUX", "PUNCT", "DET"):
            continue
        keywords.append(token.text)
        lemma = token.lemma_.lower()
        weight = _term_weight(token)
        terms[lemma] = max(terms.get(lemma, 0.0), weight)
        if lower != lemma:
            aliases[lower] = lemma
    words.discard("")
    if focus in terms:  # what is asked about counts double: "which [ship]", "the [mayor]"
        terms[focus] *= 2
    query = " ".join(keywords) or " ".join(t.text for t in doc if _WORD.search(t.text))
    return Question(
        text=doc.text,
        kind=kind,
        labels=labels,
        focus=focus,
        terms=terms,
        aliases=aliases,
        words=frozenset(words),
        acronyms=frozenset(t.text for t in doc if _ACRONYM.match(t.text)),
        keywords=query,
    )
