"""Offline answer extraction: the span of the top passages that best answers a question.

No QA model exists offline, so the answer is picked from the parse. Each passage is scored
for how much of the question it covers (and how close its meaning is); each span in it that
fits the question's kind (a person for "who", a date for "when", …) is scored for being new
to the question and for sitting near the question's words in the dependency tree. The
product of the two is the confidence.

Parsing is the dear part (≈7 ms a sentence), so passages are first ranked from their raw
text — words, embedding cosine, and whether they hold anything of the right kind at all —
and only the best few are parsed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from bot.nlp.names import acronym
from bot.qa.question import STOP, Question

PARSED_PASSAGES = 8
NAME_FOCUS = frozenset({"name", "title", "word", "slogan", "motto", "nickname", "hashtag"})
LOCATIVE = frozenset(
    {
        "on",
        "off",
        "in",
        "at",
        "to",
        "near",
        "into",
        "inside",
        "outside",
        "across",
        "toward",
        "towards",
        "around",
        "throughout",
        "within",
        "onto",
    }
)
# A name whose last word says it is a building, site or street answers "where" as a
# place does, whatever spaCy labelled it ("Castlefrank Road" comes out a PERSON).
VENUE_WORDS = frozenset(
    {
        "road",
        "street",
        "avenue",
        "boulevard",
        "lane",
        "highway",
        "centre",
        "center",
        "stadium",
        "arena",
        "hall",
        "museum",
        "park",
        "airport",
        "bridge",
        "square",
        "hotel",
        "palace",
        "station",
        "hospital",
        "theatre",
        "theater",
        "gallery",
        "church",
        "mosque",
        "temple",
        "cathedral",
        "base",
        "university",
        "college",
        "school",
        "campus",
        "library",
        "building",
        "tower",
        "complex",
    }
)
# How much a passage's lack of the noun asked about counts against its answers: "who is
# the prosecutor" is answered next to "prosecutor", "how many people" less surely so.
FOCUS_ABSENT = {"person": 0.6, "thing": 0.7, "place": 0.8, "org": 0.8}
THING_NAMES = frozenset({"GPE", "LOC", "FAC", "ORG", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"})
STORE_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT"})
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_DAYS = "monday tuesday wednesday thursday friday saturday sunday"
_DATE_WORDS = frozenset(
    (
        _MONTHS + " " + _DAYS + " yesterday today tomorrow tonight morning afternoon evening "
        "night spring summer autumn winter"
    ).split()
)
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)s?$")
_WHEN_TEXT = re.compile(
    r"\b(1[5-9]\d\d|20\d\d|" + "|".join(sorted(_DATE_WORDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_NUMBER_TEXT = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?"
    r"|thousands?|millions?|billions?|half)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“]([^\"“”]{2,120})[\"”]")
_WORD = re.compile(r"\w+", re.UNICODE)
_FAR = 8  # tree distance between tokens in different sentences of one passage


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity mention the store knows in a passage (offsets within the passage)."""

    start: int
    end: int
    label: str
    canonical: str


@dataclass(frozen=True, slots=True)
class PassageInput:
    text: str
    context: str  # the neighbouring sentences and the title: terms found there count half
    retrieval: float  # fused retrieval score over the best one's (0..1)
    cosine: float  # question–sentence cosine similarity
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class Extracted:
    passage: int  # index into the passages given
    start: int  # character offsets within the passage
    end: int
    text: str  # the answer as shown (a person's full name where the store knows it)
    score: float  # confidence, 0..1


@dataclass(slots=True)
class Reading:
    best: Extracted | None
    relevance: list[float]  # per passage, 0..1: how well each one matches the question


@dataclass(slots=True)
class _Candidate:
    span: Span
    label: str  # an entity label, or CHUNK / QUOTE / NUMBER
    canonical: str | None = None


# -- passage relevance ----------------------------------------------------------------


def _forms(question: Question) -> dict[str, set[str]]:
    forms: dict[str, set[str]] = {k: {k} for k in question.terms}
    for form, lemma in question.aliases.items():
        forms.setdefault(lemma, {lemma}).add(form)
    return forms


def _keys_in_text(question: Question, text: str) -> set[str]:
    """Question terms found in raw text: by form, or sharing a 5-letter stem."""
    words = {w.lower() for w in _WORD.findall(text)}
    stems = {w[:5] for w in words if len(w) >= 5}
    found = set()
    for key, variants in _forms(question).items():
        if variants & words or (len(key) >= 5 and key[:5] in stems):
            found.add(key)
    return found


def _acronym_keys(question: Question, names: Sequence[str]) -> set[str]:
    """Acronyms in the question spelled out in the passage ("SCO" ↔ "Shanghai Cooperation
    Organization")."""
    if not question.acronyms:
        return set()
    spelled = {acronym(n) for n in names if " " in n}
    return {a.lower() for a in question.acronyms if a in spelled and a.lower() in question.terms}


def _blend(question: Question, here: set[str], near: set[str], passage: PassageInput) -> float:
    total = question.total_weight
    if total > 0:
        got = sum(question.terms[k] for k in here) + 0.5 * sum(
            question.terms[k] for k in near - here
        )
        coverage = min(got / total, 1.0)
    else:
        coverage = 0.0
    cosine = min(max((passage.cosine - 0.15) / 0.55, 0.0), 1.0)
    score = 0.5 * coverage + 0.35 * cosine + 0.15 * passage.retrieval
    # A number the question gives ("the 2010 final") must be there, or it is another event.
    missing = [k for k in question.terms if k[:1].isdigit() and k not in here | near]
    return score * 0.6 ** min(len(missing), 2)


def _mention_names(passage: PassageInput) -> list[str]:
    return [passage.text[m.start : m.end] for m in passage.mentions] + [
        m.canonical for m in passage.mentions
    ]


def prescore(question: Question, passage: PassageInput) -> float:
    """Relevance from the raw text, discounted when nothing of the asked kind is there."""
    here = _keys_in_text(question, passage.text)
    here |= _acronym_keys(question, _mention_names(passage))
    near = _keys_in_text(question, passage.context)
    score = _blend(question, here, near, passage)
    kind = question.kind
    if kind in ("person", "place", "org"):
        has = any(question.labels.get(m.label, 0) > 0 for m in passage.mentions)
    elif kind == "time":
        has = bool(_WHEN_TEXT.search(passage.text))
    elif kind == "number":
        has = bool(_NUMBER_TEXT.search(passage.text))
    else:
        has = True
    return score if has else score * 0.3


def matched_tokens(question: Question, doc: Doc, passage: PassageInput) -> dict[int, str]:
    """Token index → the question term it stands for."""
    out = {t.i: k for t in doc if (k := question.key(t))}
    for a in question.acronyms:
        key = a.lower()
        if key not in question.terms:
            continue
        for m in passage.mentions:
            if " " in m.canonical and acronym(m.canonical) == a:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                for t in span or ():
                    out.setdefault(t.i, key)
    return out


def passage_relevance(
    question: Question, doc: Doc, passage: PassageInput, matched: dict[int, str]
) -> float:
    """Coverage of the question's terms (in the sentence, or half in its context), the
    embedding cosine and the retrieval rank, blended to 0..1."""
    here = set(matched.values())
    near = _keys_in_text(question, passage.context)
    return _blend(question, here, near, passage)


# -- candidates -----------------------------------------------------------------------


def _mention_spans(doc: Doc, mentions: Sequence[Mention]) -> list[_Candidate]:
    out = []
    for m in mentions:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        if m.label == "PERSON":
            span = _whole_name(span)
        out.append(_Candidate(span, m.label, m.canonical))
    return out


def _whole_name(span: Span) -> Span:
    """A person mention with the first names spaCy left out: "[Junius] Ho"."""
    doc, start = span.doc, span.start
    while (
        start > 0
        and doc[start - 1].pos_ == "PROPN"
        and doc[start - 1].is_title
        and doc[start - 1].dep_ == "compound"
        and span.start <= doc[start - 1].head.i < span.end
    ):
        start -= 1
    return doc[start : span.end]


def _joined_places(doc: Doc, ents: list[_Candidate]) -> list[_Candidate]:
    """ "Samarkand, Uzbekistan": a place and the place it lies in, as one answer."""
    places = sorted((c for c in ents if c.label in ("GPE", "LOC")), key=lambda c: c.span.start)
    out = []
    for a, b in itertools.pairwise(places):
        if b.span.start == a.span.end + 1 and doc[a.span.end].text == ",":
            out.append(_Candidate(doc[a.span.start : b.span.end], a.label))
    return out


def candidates(doc: Doc, mentions: Sequence[Mention] = ()) -> list[_Candidate]:
    """Entities (the store's labels win over spaCy's), joined places, numbers spaCy left
    untagged, quoted phrases and noun chunks."""
    known = _mention_spans(doc, mentions)
    taken = {i for c in known for i in range(c.span.start, c.span.end)}
    ents = known + [
        _Candidate(e, e.label_)
        for e in doc.ents
        if e.label_ not in STORE_LABELS or not taken.intersection(range(e.start, e.end))
    ]
    out = ents + _joined_places(doc, ents)
    in_ent = {i for c in ents for i in range(c.span.start, c.span.end)}
    out += [
        _Candidate(doc[t.i : t.i + 1], "NUMBER") for t in doc if t.like_num and t.i not in in_ent
    ]
    for m in _QUOTED.finditer(doc.text):
        span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is not None and 0 < len(span) <= 12:
            out.append(_Candidate(span, "QUOTE"))
    out += [_Candidate(chunk, "CHUNK") for chunk in doc.noun_chunks]
    return out


def _trim(span: Span, question: Question, name: bool = False) -> Span | None:
    """The span without edge words the question already says, determiners or punctuation:
    "the NEMISIS database" → "NEMISIS" for "which database …" — but never cutting into a
    hyphenated word ("14-year-old" stays whole for "how old") or off the end of a name
    ("Croucher Foundation" stays whole for "which foundation"); `name` (the span is the
    name of a place or thing) protects its first word too ("Sea of Japan")."""
    start, end = span.start, span.end
    doc = span.doc

    cut = False  # a question word was cut: a preposition left behind goes too

    def edge(token: Token) -> bool:
        return (
            token.is_punct
            or token.dep_ in ("det", "case", "cc", "predet")
            or (cut and token.pos_ in ("ADP", "CCONJ"))  # "[the age] of four months"
            or token.lower_ in ("'s", "’s", "a", "an", "the")
            or question.key(token) is not None
        )

    def starts_name(i: int) -> bool:  # "the Sea of Japan" stays whole for "which sea"
        return name and doc[i].is_title and any(t.is_title for t in doc[i + 1 : end])

    while (
        start < end
        and edge(doc[start])
        and (doc[start].whitespace_ or doc[start].is_punct)
        and (doc[start].is_punct or question.key(doc[start]) is None or not starts_name(start))
    ):
        cut = cut or question.key(doc[start]) is not None
        start += 1
    cut = False

    def ends_name(i: int) -> bool:
        return i - 1 >= start and doc[i].is_title and doc[i - 1].is_title

    while (
        end > start
        and edge(doc[end - 1])
        and (doc[end - 2].whitespace_ or doc[end - 1].is_punct or end - 1 == start)
        and (doc[end - 1].is_punct or not ends_name(end - 1))
    ):
        cut = cut or question.key(doc[end - 1]) is not None
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def _novelty(span: Span, question: Question) -> float:
    """Share of the span's content words that the question does not already use; the
    noun asked about doesn't count ("Castlefrank Road" is all news for "which road")."""
    words = [
        t
        for t in span
        if not t.is_punct and t.lower_ not in STOP and t.lemma_.lower() != question.focus
    ]
    if not words:
        return 0.0
    fresh = [t for t in words if t.lower_ not in question.words and question.key(t) is None]
    return len(fresh) / len(words)


def _when_like(span: Span) -> float:
    """How much a DATE/TIME span looks like a point in time rather than an age or span."""
    words = {t.lower_ for t in span}
    if "old" in words or "aged" in words:
        return 0.1
    if words & _DATE_WORDS or any(_YEAR.match(t.text) for t in span) or ":" in span.text:
        return 1.0
    return 0.5


def _type_weight(question: Question, cand: _Candidate, span: Span) -> float:
    label = cand.label
    labels = question.labels
    if question.kind == "thing":
        if label == "QUOTE":
            return 1.0 if question.focus in NAME_FOCUS else 0.8
        if label in ("DATE", "TIME", "CARDINAL", "NUMBER", "ORDINAL", "PERCENT", "MONEY"):
            return 0.4
        return 0.85 if label != "CHUNK" else 0.75
    if label == "NUMBER":
        return 0.9 * labels.get("CARDINAL", 0.0)
    if label == "DATE" and question.kind == "number" and all(t.like_num for t in span):
        # "1709 schoolchildren", tagged as a year: a number counting a noun is a count.
        return (1.0 if span.root.dep_ == "nummod" else 0.6) * labels.get("CARDINAL", 0.0)
    if (
        question.kind == "place"
        and label in ("ORG", "PERSON")
        and span[-1].is_title
        and span[-1].lower_ in VENUE_WORDS
    ):
        label = "FAC"
    weight = labels.get(label, 0.0)
    if weight and question.kind == "time":
        weight *= _when_like(span)
    if weight:
        return weight
    if label == "CHUNK" and cand.span.root.pos_ == "PROPN" and question.kind in ("org", "place"):
        return 0.5
    if label == "QUOTE" and question.kind == "org":
        return 0.5
    return 0.0


# -- proximity ------------------------------------------------------------------------


def _path(token: Token) -> dict[int, int]:
    """token index → steps up from `token`, for it and each of its ancestors."""
    out = {token.i: 0}
    for steps, anc in enumerate(token.ancestors, 1):
        out[anc.i] = steps
    return out


def _tree_distance(a: Token, b: Token) -> int:
    up = _path(a)
    if b.i in up:
        return up[b.i]
    for steps, anc in enumerate(b.ancestors, 1):
        if anc.i in up:
            return steps + up[anc.i]
    return _FAR


def _proximity(span: Span, matched: Sequence[Token]) -> float:
    """1 next to a question word in the tree and in the text, falling off with distance."""
    outside = [t for t in matched if not span.start <= t.i < span.end]
    if not outside:
        return 0.25
    root = span.root
    tree = min(_tree_distance(root, t) for t in outside)
    gap = min(span.start - t.i - 1 if t.i < span.start else t.i - span.end for t in outside)
    by_tree = 1.0 / (1.0 + 0.5 * max(tree - 1, 0))
    by_text = 1.0 / (1.0 + max(gap, 0) / 6.0)
    return 0.6 * by_tree + 0.4 * by_text


def _focus_factor(question: Question, span: Span, doc: Doc) -> float:
    """Answers hang off the noun asked about ("cruise ship, Freewinds"; "the mayor Luca
    Pastorino"): a bonus next to it, a small malus far from it when it is there."""
    if not question.focus:
        return 1.0
    if question.kind != "person" and any(t.lemma_.lower() == question.focus for t in span):
        return 1.25  # the answer names a thing of the kind asked for: "Castlefrank Road"
    focus = [
        t for t in doc if t.lemma_.lower() == question.focus and not span.start <= t.i < span.end
    ]
    if not focus:
        return FOCUS_ABSENT.get(question.kind, 0.9)
    nearest = min(_tree_distance(span.root, t) for t in focus)
    return 1.25 if nearest <= 2 else 0.85 if nearest > 3 else 1.0


def _place_factor(question: Question, span: Span) -> float:
    """A place answers "where" as the object of "in", "at", "on" …; as the subject or
    object of a verb ("before Russia invaded Ukraine") it is an actor, not a location."""
    if question.kind != "place":
        return 1.0
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE:
        return 1.2
    if root.dep_ in ("nsubj", "nsubjpass", "dobj", "poss"):
        return 0.6
    return 1.0


# -- the answer -----------------------------------------------------------------------


def _shown(span: Span, cand: _Candidate) -> str:
    """A person's full name where the store resolved one ("Tokayev" → "Kassym-Jomart
    Tokayev"); otherwise the words as written."""
    text = span.text
    canon = cand.canonical
    if cand.label == "PERSON" and canon and set(text.split()) < set(canon.split()):
        return canon
    return text


def score_candidates(
    question: Question,
    doc: Doc,
    passage: PassageInput,
    matched: dict[int, str],
    relevance: float,
    index: int,
) -> list[Extracted]:
    near = [doc[i] for i in matched]
    out: list[Extracted] = []
    for cand in candidates(doc, passage.mentions):
        span = _trim(cand.span, question, cand.label in THING_NAMES)
        if span is None:
            continue
        kind_weight = _type_weight(question, cand, span)
        if kind_weight <= 0:
            continue
        novelty = _novelty(span, question)
        if novelty <= 0:
            continue
        fit = (
            kind_weight
            * (0.4 + 0.6 * _proximity(span, near))
            * (0.5 + 0.5 * novelty)
            * _focus_factor(question, span, doc)
            * _place_factor(question, span)
        )
        score = relevance * min(fit, 1.0) + 1e-4 * len(span)  # ties go to the fuller span
        out.append(Extracted(index, span.start_char, span.end_char, _shown(span, cand), score))
    return out


def extract_answer(nlp: Language, question: Question, passages: Sequence[PassageInput]) -> Reading:
    """The best-scoring span over `passages`, and each passage's relevance."""
    relevance = [prescore(question, p) for p in passages]
    order = sorted(range(len(passages)), key=lambda i: -relevance[i])[:PARSED_PASSAGES]
    docs = nlp.pipe(passages[i].text for i in order)
    best: Extracted | None = None
    for i, doc in zip(order, docs, strict=True):
        matched = matched_tokens(question, doc, passages[i])
        relevance[i] = passage_relevance(question, doc, passages[i], matched)
        for cand in score_candidates(question, doc, passages[i], matched, relevance[i], i):
            if best is None or cand.score > best.score:
                best = cand
    return Reading(best, relevance)
