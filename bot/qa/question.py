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
from bot.qa.params import DEFAULT, AnswerParams
from bot.qa.paraphrase import LEXICON, Lexicon

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
    # family and everyday roles people ask about: "what's ahmed's dad's name"
    "dad",
    "father",
    "mother",
    "mom",
    "mum",
    "parent",
    "wife",
    "husband",
    "son",
    "daughter",
    "brother",
    "sister",
    "pm",
    "lawyer",
    "attorney",
    "teacher",
    "instructor",
    "coach",
    "manager",
    "captain",
    "player",
    "judge",
    "author",
    "student",
    "pilot",
    "astronaut",
    "governor",
    "mayor",
    "senator",
    "candidate",
    "victim",
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
# Units a count is given in: the answer names them ("only one day", "six minutes").
UNIT_NOUNS = frozenset(
    {
        "second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
        "mile", "kilometre", "kilometer", "km", "metre", "meter", "foot", "feet", "inch",
        "percent", "point", "page", "ton", "tonne", "kilogram", "kg", "pound", "dollar",
    }
)  # fmt: skip
# "how many seconds/years …": a length of time, which spaCy tags TIME or DATE.
DURATION_UNITS = frozenset(
    {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}
)
LAW_NOUNS = frozenset(
    {"law", "act", "bill", "legislation", "statute", "treaty", "regulation", "amendment"}
)
PUBLICATION_NOUNS = frozenset(
    {"newspaper", "paper", "magazine", "journal", "publication", "outlet", "tabloid", "daily"}
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
ORDINAL_NUMBER = {"ORDINAL": 1.0, "CARDINAL": 0.8, "DATE": 0.5}
AGE = {"DATE": 1.0, "CARDINAL": 0.9}
DURATION = {"DATE": 1.0, "TIME": 1.0, "QUANTITY": 0.8, "CARDINAL": 0.6}
MEASURE = {"QUANTITY": 1.0, "CARDINAL": 0.8}
ORG = {"ORG": 1.0, "WORK_OF_ART": 0.7, "NORP": 0.6, "PRODUCT": 0.6}
PUBLICATION = {"ORG": 1.0, "WORK_OF_ART": 1.0, "PRODUCT": 0.6, "NORP": 0.3}
LAW = {"LAW": 1.0, "WORK_OF_ART": 0.6, "ORG": 0.3, "EVENT": 0.3}
SPAN_OF_TIME = {"TIME": 1.0, "DATE": 1.0, "QUANTITY": 0.9, "CARDINAL": 0.8}
THING: dict[str, float] = {}
NAME_NOUNS = frozenset({"name", "title"})
PARTICLES = frozenset({"out", "off", "up", "down", "in", "on", "over", "away", "back"})
# Relative pronouns open a clause about a noun: their wh-word is not what is asked.
_RELATIVE_DEPS = frozenset({"relcl", "acl"})

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
    role: str | None = None  # the wh-word's role: "what did X [use]" → dobj of "use"
    role_head: str | None = None  # the lemma of the word it hangs off ("use")
    unit: str | None = None  # "how many [days]": a unit the answer should name
    plural: bool = False  # the noun asked about is plural: "what [languages]" wants all
    acronyms: frozenset[str] = frozenset()  # "SCO": matches "Shanghai Cooperation …"
    terms: dict[str, float] = field(default_factory=dict)  # lemma → weight
    aliases: dict[str, str] = field(default_factory=dict)  # inflected form → lemma
    words: frozenset[str] = frozenset()  # every lower-cased word and lemma of the question
    keywords: str = ""
    # word or lemma that may stand for a question term → (that term, partial credit)
    related: dict[str, tuple[str, float]] = field(default_factory=dict)
    # the terms that name something: proper nouns, numbers, and words no dictionary has
    # ("valeska", "montalvo" typed in lower case); a passage about the question has them
    anchors: frozenset[str] = frozenset()

    def key(self, token: Token) -> str | None:
        """The question term `token` stands for, by lemma or by form, or None."""
        lemma = token.lemma_.lower()
        if lemma in self.terms:
            return lemma
        return self.aliases.get(token.lower_) or self.aliases.get(lemma)

    def graded(self, token: Token) -> tuple[str, float] | None:
        """The question term `token` stands for with its credit: 1 for the word itself,
        less for a synonym or related word ("wounding" for "injured"), or None."""
        key = self.key(token)
        if key is not None:
            return key, 1.0
        if token.is_stop or token.is_punct:
            return None
        return self.related.get(token.lemma_.lower()) or self.related.get(token.lower_)

    @property
    def total_weight(self) -> float:
        return sum(self.terms.values())


def _focus(doc: Doc, wh: Token) -> Token | None:
    """The noun a which/what question asks about: "which [cruise ship]", "what was the
    [turnout rate]" → the last noun of that run."""
    i = wh.i + 1
    while i < len(doc) and doc[i].pos_ in ("AUX", "DET"):
        if doc[i].pos_ == "AUX" and doc[i].lemma_ != "be":
            return None  # "what did [the company] unveil": the subject, not what is asked
        i += 1
    skipped_verb = i > wh.i + 1
    run: list[Token] = []
    while i < len(doc):
        token = doc[i]
        if token.pos_ in ("NOUN", "PROPN", "ADJ") or token.text == "-" or token.dep_ == "poss":
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


def _relative(token: Token) -> bool:
    """A wh-word opening a relative clause: "X, [who] commented on …, is editor at …"."""
    if any(t.dep_ in _RELATIVE_DEPS for t in (token, *token.ancestors)):
        return True
    prev = token.doc[token.i - 1] if token.i > 0 else None
    return prev is not None and (prev.text == "," or prev.pos_ in ("NOUN", "PROPN"))


def main_wh(doc: Doc) -> Token | None:
    """The wh-word of the main clause: the first that does not open a relative clause."""
    whs = [t for t in doc if t.lower_ in WH_WORDS]
    if not whs:
        return None
    return next((t for t in whs if not _relative(t)), whs[0])


def _role(wh: Token) -> tuple[str | None, str | None]:
    """What the wh-word (or the phrase it opens) is to its verb: "what did X use" → dobj of
    "use"; "what is X" → attr of "be"."""
    token = wh
    if wh.dep_ in ("det", "amod", "advmod") and wh.head.pos_ in ("NOUN", "PROPN"):
        token = wh.head  # "which newspaper [does she write for]"
    if token.dep_ == "pobj" and token.head.dep_ == "prep":
        return "pobj", token.head.head.lemma_.lower()
    return token.dep_ or None, token.head.lemma_.lower() if token.head is not token else None


def _named(doc: Doc, focus: Token) -> Token | None:
    """What "the name of X" / "X's name" asks the name of: "the name of malaysia's [PM]",
    "ahmed's [dad]'s name"."""
    of = next((c for c in focus.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is not None:
        obj = next((c for c in of.children if c.dep_ == "pobj"), None)
        if obj is not None and obj.pos_ in ("NOUN", "PROPN"):
            return obj
    owner = next((c for c in focus.children if c.dep_ == "poss"), None)
    if owner is not None and owner.pos_ == "NOUN":
        return owner
    prev = focus.i - 1  # "dad's name" parsed flat
    if prev >= 1 and doc[prev].lower_ in ("'s", "’s") and doc[prev - 1].pos_ == "NOUN":
        return doc[prev - 1]
    return None


def _by_noun(lemma: str) -> tuple[str, dict[str, float]] | None:
    if lemma in PERSON_NOUNS:
        return "person", PERSON
    if lemma in PLACE_NOUNS:
        return "place", PLACE_NOUN
    if lemma in PUBLICATION_NOUNS:
        return "org", PUBLICATION
    if lemma in ORG_NOUNS:
        return "org", ORG
    return None


def names_people(tok: Token) -> bool:
    """A common noun for a kind of person in its commonest sense (WordNet's
    noun.person): "lawyer", "student", "fishermen" — whatever PERSON_NOUNS lists."""
    return tok.pos_ == "NOUN" and LEXICON.names_people(tok.lemma_.lower())


def _kind(doc: Doc) -> tuple[str, dict[str, float], str | None]:
    wh = main_wh(doc)
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
            if noun in DURATION_UNITS:
                return "number", SPAN_OF_TIME, noun
            return "number", NUMBER, noun
        if nxt == "old":
            return "number", AGE, None
        if nxt in ("long", "often"):  # "how often": "every ten years"
            return "number", DURATION, None
        if nxt in MEASURE_WORDS:
            return "number", MEASURE, None
        return "thing", THING, None
    if word in ("what", "which"):
        if nxt in ("%", "percent", "percentage"):  # "what % of …"
            return "number", PERCENT, None
        if nxt == "number" and wh.i + 2 < len(doc) and doc[wh.i + 2].pos_ == "NOUN":
            return "number", ORDINAL_NUMBER, doc[wh.i + 2].lemma_.lower()  # "what number edition"
        focus = _focus(doc, wh)
        if focus is None:
            return "thing", THING, None
        lemma = focus.lemma_.lower()
        if lemma in NAME_NOUNS and (named := _named(doc, focus)) is not None:
            typed = _by_noun(named.lemma_.lower())
            if typed is not None:  # "the name of panama's coach" asks for a person
                return typed[0], typed[1], named.lemma_.lower()
        if lemma in PERSON_NOUNS:
            return "person", PERSON, lemma
        if lemma not in ORG_NOUNS | PUBLICATION_NOUNS and names_people(focus):
            return "person", PERSON, lemma  # "which scientology [lawyer]": WordNet says so
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
        if lemma in LAW_NOUNS:
            return "org", LAW, lemma
        if lemma in PUBLICATION_NOUNS:
            return "org", PUBLICATION, lemma
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


def _related(
    doc: Doc, terms: dict[str, float], lexicon: Lexicon, params: AnswerParams
) -> dict[str, tuple[str, float]]:
    """Related words for the question's common nouns, verbs and adjectives, and for its
    phrasal verbs as one ("left out" → "exclude", "rolled out" → "unveil")."""
    out: dict[str, tuple[str, float]] = {}

    def add(words: dict[str, float], key: str) -> None:
        for word, credit in words.items():
            if word in terms or word in STOP:
                continue
            if credit > out.get(word, ("", 0.0))[1]:
                out[word] = (key, credit)

    for token in doc:
        lemma = token.lemma_.lower()
        if lemma not in terms or token.pos_ not in ("NOUN", "VERB", "ADJ") or token.like_num:
            continue
        add(lexicon.related(lemma, token.pos_, params), lemma)
        particle = next(
            (
                c
                for c in token.children
                if c.dep_ == "prt" or (c.i == token.i + 1 and c.lower_ in PARTICLES)
            ),
            None,
        )
        if particle is not None:
            add(lexicon.related(f"{lemma} {particle.lower_}", "VERB", params), lemma)
    return out


_TYPED_WH = re.compile(r"\b(what|who|when|where|how)s\b", re.IGNORECASE)
_WERE_FOR_WHERE = re.compile(
    r"^(\W*)were(?=\s+(?:is|was|are|were|did|does|do|can|will|would|has|had)\b)",
    re.IGNORECASE,
)


def typed_wh(text: str) -> str:
    """The question as parsed: wh-words typed without their apostrophe ("whats", "whos",
    "whens") spelled with it, and a leading "were" before a verb read as "where" ("were
    was she born"), so the parse finds the wh-word. Retrieval keeps the text as typed."""
    text = _TYPED_WH.sub(lambda m: f"{m.group(1)}'s", text)
    return _WERE_FOR_WHERE.sub(lambda m: f"{m.group(1)}where", text)


def analyse_question(
    doc: Doc, lexicon: Lexicon | None = LEXICON, params: AnswerParams = DEFAULT
) -> Question:
    """The kind, focus and weighted terms of a parsed question (and, with a `lexicon`,
    the words that may paraphrase them)."""
    kind, labels, focus = _kind(doc)
    wh = main_wh(doc)
    role, role_head = _role(wh) if wh is not None else (None, None)
    unit = focus if kind == "number" and focus in UNIT_NOUNS else None
    plural = kind == "thing" and any(
        t.lemma_.lower() == focus and t.tag_ in ("NNS", "NNPS") and t.lower_ != focus for t in doc
    )
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
    anchors = frozenset(
        token.lemma_.lower()
        for token in doc
        if token.lemma_.lower() in terms
        and (
            token.pos_ == "PROPN"
            or token.like_num
            or (lexicon is not None and lexicon.available and not lexicon.knows(token.lower_))
        )
    )
    if focus in terms:  # what is asked about counts double: "which [ship]", "the [mayor]"
        terms[focus] *= 2
    query = " ".join(keywords) or " ".join(t.text for t in doc if _WORD.search(t.text))
    return Question(
        text=doc.text,
        kind=kind,
        labels=labels,
        focus=focus,
        role=role,
        role_head=role_head,
        unit=unit,
        plural=plural,
        related=_related(doc, terms, lexicon, params) if lexicon is not None else {},
        terms=terms,
        aliases=aliases,
        words=frozenset(words),
        acronyms=frozenset(t.text for t in doc if _ACRONYM.match(t.text)),
        keywords=query,
        anchors=anchors,
    )
