"""Named entities of one article under canonical names, with types fixed from the parse.

spaCy's small model mislabels some people ("Therese Fallon" ORG, "Li Zhanshu" GPE) and
glues names to the next word ("Vladimir Putinscheduled"); the rules here repair what the
text itself shows, then group mentions: "Xi" → "Xi Jinping", "SCO" → "Shanghai Cooperation
Organization".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from bot.nlp.names import (
    HONORIFICS,
    TITLES,
    acronym,
    is_full_name,
    normalise_name,
    resolve_to_full,
    strip_titles,
)
from bot.records import Entity, Mention

ENTITY_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
SPEECH_LEMMAS = frozenset(
    [
        "say",
        "tell",
        "add",
        "warn",
        "argue",
        "claim",
        "note",
        "state",
        "explain",
        "announce",
        "insist",
        "suggest",
        "write",
        "report",
        "describe",
        "believe",
        "think",
        "ask",
        "reply",
        "respond",
        "acknowledge",
        "admit",
        "confirm",
        "deny",
        "estimate",
        "predict",
        "recall",
        "stress",
        "emphasise",
        "emphasize",
        "comment",
        "conclude",
    ]
)
ROLE_NOUNS = frozenset(
    [
        "director",
        "researcher",
        "scientist",
        "professor",
        "analyst",
        "expert",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "president",
        "minister",
        "secretary",
        "chairman",
        "chairwoman",
        "chair",
        "leader",
        "founder",
        "ceo",
        "executive",
        "head",
        "official",
        "officer",
        "fellow",
        "economist",
        "lawyer",
        "attorney",
        "author",
        "editor",
        "reporter",
        "journalist",
        "correspondent",
        "manager",
        "member",
        "adviser",
        "advisor",
        "consultant",
        "lecturer",
        "student",
        "teacher",
        "doctor",
        "governor",
        "mayor",
        "senator",
        "ambassador",
        "diplomat",
        "commander",
        "general",
        "chief",
        "coach",
        "captain",
        "player",
        "curator",
        "organiser",
        "organizer",
        "historian",
        "engineer",
        "representative",
        "candidate",
        "candidates",
        "legislator",
        "lawmaker",
        "activist",
        "campaigner",
        "partner",
        "owner",
        "principal",
        "dean",
        "psychologist",
        *[
            "designer",
            "artist",
            "photographer",
            "singer",
            "actor",
            "actress",
            "writer",
            "novelist",
            "poet",
            "musician",
            "painter",
            "architect",
            "inventor",
            "athlete",
            "goalkeeper",
            "striker",
            "midfielder",
            "defender",
        ],
    ]
)
NOT_PERSON_WORDS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "new",
        "united",
        "republic",
        "kingdom",
        "states",
        "city",
        "island",
        "islands",
        "province",
        "county",
        "state",
        "university",
        "college",
        "institute",
        "center",
        "centre",
        "academy",
        "organization",
        "organisation",
        "party",
        "council",
        "ministry",
        "department",
        "agency",
        "association",
        "union",
        "committee",
        "company",
        "corporation",
        "group",
        "bank",
        "church",
        "court",
    ]
)
_GLUED = re.compile(r"^([A-Z][a-z]+)([a-z]{2,})$")
# A company's legal suffix: "Silicon Forge Inc" is an organisation, and the same body as
# "Silicon Forge" (the small NER model tags both PERSON).
CORPORATE_SUFFIXES = frozenset(
    ["inc", "corp", "corporation", "co", "ltd", "llc", "plc", "gmbh", "ag", "sa", "nv", "lp"]
)


@dataclass(slots=True)
class ArticleEntities:
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)

    def people(self) -> list[str]:
        return [e.name for e in self.entities.values() if e.label == "PERSON"]

    def canonical_person(self, text: str) -> str | None:
        """The article's full name for a person mention ("Yau" → "Niva Yau"), or None."""
        name = strip_titles(normalise_name(text))
        people = self.people()
        lowered = {p.lower(): p for p in people}
        if name.lower() in lowered:
            return lowered[name.lower()]
        return resolve_to_full(name, people)


@dataclass(slots=True)
class _Candidate:
    start: int
    end: int
    text: str
    label: str
    span: Span
    person_evidence: bool = False


def _is_speaker_subject(span: Span) -> bool:
    root = span.root
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in SPEECH_LEMMAS


def _role_appositive(span: Span) -> Token | None:
    for child in span.root.children:
        if child.dep_ == "appos" and child.lemma_.lower() in ROLE_NOUNS:
            return child
    return None


def _after_role_noun(span: Span) -> bool:
    """ "fashion designer Halston", "Environment Minister John Baird": a job just before."""
    if span.start == 0:
        return False
    before = span.doc[span.start - 1]
    return before.lower_ in ROLE_NOUNS and before.head.i in range(span.start, span.end)


def _looks_like_name(span: Span) -> bool:
    words = [t for t in span if not t.is_punct]
    return (
        bool(words)
        and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words)
        and not any(t.lower_ in NOT_PERSON_WORDS for t in words)
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article and a trailing possessive from the character range of the
    article's `text`."""
    if text[start:end][:4].lower() == "the ":
        start += 4
    text = text[start:end]
    m = re.search(r"(?:['’]s|['’])$", text)
    if m:
        end -= len(m.group(0))
    return start, end


def _split_glued(text: str, cand: _Candidate, known_words: set[str]) -> None:
    """ "Vladimir Putinscheduled" → "Vladimir Putin" when "Putin" stands alone elsewhere."""
    last = cand.text.split()[-1]
    m = _GLUED.match(last)
    if not m:
        return
    for cut in range(len(last) - 2, 1, -1):
        if last[:cut] in known_words:
            cand.end -= len(last) - cut
            cand.text = text[cand.start : cand.end]
            return


def _capital_word(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.ent_type_ != "PERSON"


def _joined_by_and(doc: Doc, ent: Span) -> Span:
    """An organisation's name the small model cut at its "and": "[England] and [Wales
    Cricket Board]", "[Ministry of Energy] and Mines", "[United Food] and Commercial Workers
    Local". The words on the other side of "and" join the name when the parse ties them to
    it (one is the other's head or conjunct), so "Brazil and Argentina" stay two."""
    if ent.label_ != "ORG":
        return ent
    start, end = ent.start, ent.end
    inside = range(start, end)
    if start >= 2 and doc[start - 1].lower_ == "and" and _capital_word(doc[start - 2]):
        w = doc[start - 2]
        before = doc[w.i - 1] if w.i > 0 else None
        opens = before is None or before.dep_ in ("det", "case") or before.is_punct
        tied = w.head.i in inside or any(t.head.i == w.i for t in ent)
        if opens and tied and len(ent) >= 2 and w.ent_type_ != "ORG":  # not "Apple and Google"
            start = w.i
    if end + 1 < len(doc) and doc[end].lower_ == "and" and _capital_word(doc[end + 1]):
        k = end + 1
        while k + 1 < len(doc) and _capital_word(doc[k + 1]):
            k += 1
        run = range(end + 1, k + 1)
        named = any(doc[i].ent_type_ for i in run)  # a second body: "Apple and Google Inc."
        tied = any(t.head.i in run for t in ent) or any(
            doc[i].dep_ == "conj" and doc[i].head.i in inside for i in run
        )
        if tied and not named:
            end = k + 1
    return ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label="ORG")


def _candidates(doc: Doc, doc_text: str) -> list[_Candidate]:
    out = []
    ents = [(_joined_by_and(doc, e), e) for e in doc.ents]
    joined = [(e.start, e.end) for e, orig in ents if (e.start, e.end) != (orig.start, orig.end)]
    kept: dict[tuple[int, int], Span] = {}
    for e, _ in ents:  # "England" inside "England and Wales Cricket Board" is no entity
        if (e.start, e.end) in joined or not any(a <= e.start < b for a, b in joined):
            kept.setdefault((e.start, e.end), e)
    ents = list(kept.values())
    for ent in ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        start, end = _trim(doc_text, ent.start_char, ent.end_char)
        text = doc_text[start:end]
        if not text.strip() or not any(c.isalpha() for c in text):
            continue
        cand = _Candidate(start, end, text, ent.label_, ent)
        if _corporate_base(text) is not None:
            cand.label = "ORG"
        elif ent.label_ != "PERSON" and _looks_like_name(ent):
            multi = len([t for t in ent if not t.is_punct]) >= 2
            cand.person_evidence = (
                (multi and _is_speaker_subject(ent))
                or _role_appositive(ent) is not None
                or _after_role_noun(ent)
            )
        out.append(cand)
    return out


def _drop_common_nouns(cands: list[_Candidate]) -> list[_Candidate]:
    """ "Turnout at the town hall was high": one capitalised word opening a sentence that
    the small NER model calls a person, which is no first name, no part of a full name in
    the article, and a word WordNet knows only as a common noun, is no one's name."""
    # Imported here: the quotes package and bot.qa both import this module.
    from bot.nlp.quotes.lexicon import is_first_name
    from bot.qa.paraphrase import LEXICON

    in_names = {
        w for c in cands if c.label == "PERSON" and len(c.text.split()) > 1 for w in c.text.split()
    }

    def common_noun(c: _Candidate) -> bool:
        return (
            c.label == "PERSON"
            and len(c.span) == 1
            and c.span[0].is_sent_start
            and c.text not in in_names
            and not is_first_name(c.text)
            and LEXICON.only_common_noun(c.text)
        )

    return [c for c in cands if not common_noun(c)]


def _corporate_base(text: str) -> str | None:
    """ "Silicon Forge Inc." → "Silicon Forge"; None when the name has no legal suffix."""
    words = text.replace(",", " ").split()
    if len(words) >= 2 and words[-1].lower().rstrip(".") in CORPORATE_SUFFIXES:
        return " ".join(words[:-1])
    return None


def _retype_companies(cands: list[_Candidate]) -> dict[str, str]:
    """Mentions of a company without its suffix become that company: base → full name."""
    full: dict[str, str] = {}
    for c in cands:
        base = _corporate_base(normalise_name(c.text))
        if base is not None:
            full.setdefault(base, normalise_name(c.text))
    for c in cands:
        if normalise_name(c.text) in full:
            c.label = "ORG"
    return full


def _retype_people(cands: list[_Candidate]) -> None:
    person_words = {
        w
        for c in cands
        if c.label == "PERSON" or c.person_evidence
        for w in strip_titles(c.text).split()
    }
    for c in cands:
        if c.person_evidence:
            c.label = "PERSON"
    for c in cands:
        words = c.text.split()
        if (
            c.label != "PERSON"
            and c.label in ("ORG", "GPE", "NORP", "LOC", "FAC")
            and _looks_like_name(c.span)
            and words
            and words[-1] in person_words
            and (len(words) == 1 or words[0] in person_words)
        ):
            c.label = "PERSON"


def _role_for(doc: Doc, text: str, spans: list[Span]) -> str | None:
    """The first role the text gives: an appositive ("Fallon, director of …") or a title
    before the name ("Kazakhstan's President Kassym-Jomart Tokayev"); a courtesy title
    ("Dr.", "Ms") says nothing of what a person does and is not a role."""
    for span in spans:
        appos = _role_appositive(span)
        if appos is not None:
            toks = list(appos.subtree)
            while toks and (toks[0].dep_ == "det" or toks[0].is_punct):
                toks.pop(0)
            while toks and toks[-1].is_punct:
                toks.pop()
            if toks:
                return text[toks[0].idx : toks[-1].idx + len(toks[-1])]
        before = span.start - 1
        if (
            before >= 0
            and doc[before].lower_ in TITLES
            and doc[before].lower_ not in HONORIFICS
            and doc[before].is_title
        ):
            title_start = before
            if before >= 2 and doc[before - 1].dep_ == "case":
                title_start = before - 2
            return doc[title_start : span.start].text
    return None


# Titles that are, before a surname in news, more often a given name: "Dean Johnson".
# (Not "Sen. Warren", "Judge Smith", "King Charles": those are titles far more often.)
GIVEN_NAME_TITLES = frozenset(["dean"])


def _person_name(text: str) -> str:
    """A person's name without its titles, unless the title is the first name: "Dean
    Johnson" stays whole, "President Obama" is "Obama"."""
    written = normalise_name(text)
    name = strip_titles(written)
    words = written.split()
    if not is_full_name(name) and len(words) == 2 and words[0].lower() in GIVEN_NAME_TITLES:
        return written
    return name


def analyse_entities(doc: Doc) -> ArticleEntities:
    # `doc.text` is rebuilt from every token on each access: read it once, or the cost
    # grows with the square of the article's length.
    text = doc.text
    cands = _candidates(doc, text)
    single_words = {c.text for c in cands if len(c.text.split()) == 1}
    for c in cands:
        if c.label == "PERSON":
            _split_glued(text, c, single_words)
    cands = _drop_common_nouns(cands)
    companies = _retype_companies(cands)
    _retype_people(cands)

    # Canonical names: people by full name, organisations by acronym, the rest as written.
    full_people = [
        _person_name(c.text)
        for c in cands
        if c.label == "PERSON" and is_full_name(_person_name(c.text))
    ]
    full_people = list(dict.fromkeys(full_people))
    # Multi-word organisations by acronym, counted in text order (ties: the first).
    expansions: dict[str, Counter[str]] = {}
    for c in cands:
        if c.label == "ORG" and len((org := normalise_name(c.text)).split()) > 1:
            expansions.setdefault(acronym(org), Counter())[org] += 1
    # A long article repeats the same mentions: resolve each distinct one once.
    resolved: dict[tuple[str, str], str] = {}
    canon: list[str] = []
    for c in cands:
        key = (c.label, c.text)
        if key not in resolved:
            name = normalise_name(c.text)
            if c.label == "PERSON":
                name = _person_name(c.text)
                if not is_full_name(name):
                    name = resolve_to_full(name, full_people) or name
            elif c.label == "ORG" and name in companies:
                name = companies[name]
            elif c.label == "ORG" and name.isupper() and len(name) >= 2 and name in expansions:
                name = expansions[name].most_common(1)[0][0]
            resolved[key] = name
        canon.append(resolved[key])

    # One label per canonical name: a person anywhere is a person; else the majority.
    labels: dict[str, Counter[str]] = {}
    for c, name in zip(cands, canon, strict=True):
        labels.setdefault(name, Counter())[c.label] += 1
    result = ArticleEntities()
    spans_by_name: dict[str, list[Span]] = {}
    for c, name in zip(cands, canon, strict=True):
        label = "PERSON" if labels[name]["PERSON"] else labels[name].most_common(1)[0][0]
        entity = result.entities.setdefault(name, Entity(name=name, label=label))
        entity.aliases.add(c.text)
        spans_by_name.setdefault(name, []).append(c.span)
        result.mentions.append(Mention(c.text, label, c.start, c.end, name))
    for name, entity in result.entities.items():
        entity.aliases.discard(name)
        if entity.label == "PERSON":
            entity.role = _role_for(doc, text, spans_by_name[name])
    return result
