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
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from bot.nlp.names import acronym
from bot.qa.params import DEFAULT, AnswerParams
from bot.qa.question import STOP, Question, names_people
from bot.qa.rerank import Features, features, passage_score, text_matches

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
# Titles before a name, left out of the answer: "[General] Suleiman al-Amr".
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "doctor",
        "prof",
        "professor",
        "emeritus",
        "general",
        "gen",
        "colonel",
        "col",
        "major",
        "captain",
        "sir",
        "dame",
        "lord",
        "lady",
        "judge",
        "justice",
        "rev",
        "reverend",
        "father",
        "sister",
        "brother",
        "president",
        "senator",
        "governor",
        "mayor",
        "minister",
    ]
)
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
_ABSOLUTE_WORDS = frozenset(_MONTHS.split())
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
    context: str  # the neighbouring sentences and the title, as one text
    retrieval: float  # fused retrieval score over the best one's (0..1)
    cosine: float  # question–sentence cosine similarity
    mentions: tuple[Mention, ...] = ()
    rank: int = 1  # 1-based rank in the fused retrieval list
    bm25: bool = True  # BM25 found it (not only the embedding)
    before: str = ""  # the previous sentence, the next one and the title, apart: where a
    after: str = ""  # term is found decides how much it counts (else `context`: half)
    title: str = ""
    sentence_id: int = 0  # the store's row id (0: not from the store)
    article: float = 1.0  # its article's share of the retrieved list over the top one's
    cosine_rank: int = 1  # 1-based rank by cosine among the retrieved sentences


def in_context(passages: Sequence[PassageInput], articles: Sequence[str]) -> list[PassageInput]:
    """Each passage with what only the whole retrieved list tells: how much of the list
    its article holds (the fused scores of its sentences, over the best article's: the
    article the evidence is in tends to be retrieved more than once) and its rank by
    cosine (MiniLM's own first choice, whatever BM25 thought)."""
    mass: dict[str, float] = {}
    for p, article in zip(passages, articles, strict=True):
        mass[article] = mass.get(article, 0.0) + p.retrieval
    top = max(mass.values(), default=1.0) or 1.0
    order = sorted(range(len(passages)), key=lambda i: -passages[i].cosine)
    by_cosine = {i: r for r, i in enumerate(order, 1)}
    return [
        replace(p, article=mass[a] / top, cosine_rank=by_cosine[i])
        for i, (p, a) in enumerate(zip(passages, articles, strict=True))
    ]


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
    # per parsed passage: (index, its features, its spans with their fit) — for qa_fit
    trace: list[tuple[int, Features, list[tuple[Extracted, float, tuple[float, ...]]]]] = field(
        default_factory=list
    )


@dataclass(slots=True)
class _Candidate:
    span: Span
    label: str  # an entity label, or CHUNK / QUOTE / NUMBER
    canonical: str | None = None


# -- passage relevance ----------------------------------------------------------------


def _acronym_keys(question: Question, names: Sequence[str]) -> set[str]:
    """Acronyms in the question spelled out in the passage ("SCO" ↔ "Shanghai Cooperation
    Organization")."""
    if not question.acronyms:
        return set()
    spelled = {acronym(n) for n in names if " " in n}
    return {a.lower() for a in question.acronyms if a in spelled and a.lower() in question.terms}


def _mention_names(passage: PassageInput) -> list[str]:
    return [passage.text[m.start : m.end] for m in passage.mentions] + [
        m.canonical for m in passage.mentions
    ]


def _around(
    question: Question, passage: PassageInput, params: AnswerParams
) -> list[tuple[dict[str, float], float]]:
    """Term matches in the passage's surroundings, with how much each place counts."""
    if not (passage.before or passage.after or passage.title):
        return [(text_matches(question, passage.context), 0.5)]
    return [
        (text_matches(question, passage.before), params.before_credit),
        (text_matches(question, passage.after), params.after_credit),
        (text_matches(question, passage.title), params.title_credit),
    ]


def _has_kind(question: Question, passage: PassageInput) -> bool:
    """Whether the raw text holds anything of the asked kind (cheap: before parsing)."""
    kind = question.kind
    if kind in ("person", "place", "org"):
        best = max(question.labels, key=question.labels.__getitem__, default="")
        if best not in STORE_LABELS:  # LAW, WORK_OF_ART: only the parse can tell
            return True
        return any(question.labels.get(m.label, 0) > 0 for m in passage.mentions)
    if kind == "time":
        return bool(_WHEN_TEXT.search(passage.text))
    if kind == "number":
        return bool(_NUMBER_TEXT.search(passage.text))
    return True


def passage_features(
    question: Question,
    passage: PassageInput,
    here: dict[str, float] | None = None,
    params: AnswerParams = DEFAULT,
) -> Features:
    """The re-ranker's features; `here` (term → credit in the sentence) from the parse,
    or else from the raw text."""
    if here is None:
        here = text_matches(question, passage.text)
        for key in _acronym_keys(question, _mention_names(passage)):
            here[key] = 1.0
    return features(
        question,
        here,
        _around(question, passage, params),
        passage.cosine,
        passage.rank,
        passage.bm25,
        _has_kind(question, passage),
        params,
        passage.retrieval,
        passage.article,
        passage.cosine_rank,
        len(_WORD.findall(passage.text)),
    )


def prescore(question: Question, passage: PassageInput, params: AnswerParams = DEFAULT) -> float:
    """Relevance from the raw text (before any parse), 0..1."""
    return passage_score(passage_features(question, passage, params=params), params)


def matched_tokens(
    question: Question, doc: Doc, passage: PassageInput
) -> dict[int, tuple[str, float]]:
    """Token index → the question term it stands for, and with what credit."""
    out = {t.i: g for t in doc if (g := question.graded(t))}
    for a in question.acronyms:
        key = a.lower()
        if key not in question.terms:
            continue
        for m in passage.mentions:
            if " " in m.canonical and acronym(m.canonical) == a:
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                for t in span or ():
                    out.setdefault(t.i, (key, 1.0))
    return out


def _credits(matched: dict[int, tuple[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, credit in matched.values():
        out[key] = max(out.get(key, 0.0), credit)
    return out


def passage_relevance(
    question: Question,
    doc: Doc,
    passage: PassageInput,
    matched: dict[int, tuple[str, float]],
    params: AnswerParams = DEFAULT,
) -> float:
    """The re-ranker's score of a parsed passage, 0..1."""
    return passage_score(passage_features(question, passage, _credits(matched), params), params)


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
    end = span.end
    while end < len(doc):
        last, nxt = doc[end - 1], doc[end]
        if (
            nxt.text == "-"
            and not last.whitespace_
            and not nxt.whitespace_
            and end + 1 < len(doc)
            and doc[end + 1].is_alpha
        ):
            end += 2  # "Wong Yeung[-tat]"
        elif (
            nxt.pos_ == "PROPN"
            and nxt.is_title
            and last.dep_ == "compound"
            and last.head.i == nxt.i
            and last.whitespace_
        ):
            end += 1  # "Johnnie [Christmas]": spaCy took the surname for a date
        else:
            break
    return doc[start:end]


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
    for t in doc:
        if t.like_num and t.i not in in_ent:
            out.append(_Candidate(doc[t.i : t.i + 1], "NUMBER"))
            if t.dep_ == "nummod" and t.head.i == t.i + 1:  # "one day", "twelve years"
                out.append(_Candidate(doc[t.i : t.i + 2], "NUMBER"))
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
        return (
            name and doc[i].is_title and any(t.is_title or t.is_upper for t in doc[i + 1 : end])
        )  # "Windows XP" stays whole for "which windows version"

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


def _keep_focus(span: Span, whole: Span, question: Question) -> Span:
    """ "what medal …" → "silver medal", not "silver", and "how many days" → "one day":
    the noun asked about stays when what is left is no name of its own ("NEMISIS" stays
    bare for "which database")."""
    noun = question.unit or (question.focus if question.kind in ("thing", "number") else None)
    if noun is None or span.end >= whole.end:
        return span
    if span.doc[span.end].lemma_.lower() != noun or span.root.pos_ == "PROPN":
        return span
    return span.doc[span.start : span.end + 1]


# Words that hedge a count ("about 80", "more than 11,000"): the count is the answer.
APPROXIMATORS = frozenset(
    {
        "about", "around", "roughly", "approximately", "nearly", "almost", "over", "more",
        "than", "less", "fewer", "at", "least", "most", "just", "only", "some", "up", "to",
        "close", "closer",
    }
)  # fmt: skip
# A hedge before these stays: "only a quarter", "almost half" say nothing without it.
FRACTION_WORDS = frozenset({"half", "quarter", "third", "fifth", "tenth"})
# Words after a count that place it in time rather than count: "six minutes [later]".
AFTER_COUNT = frozenset({"later", "ago", "earlier", "before", "after", "afterwards"})
CURRENCY_WORDS = frozenset(
    {"euro", "dollar", "pound", "yen", "yuan", "rupee", "franc", "peso", "won", "ruble"}
)


def _bare_count(span: Span, question: Question) -> Span:
    """A count as the number it is: "about 80" → "80", "six minutes later" → "six
    minutes", "an 11-year" → "11" for "how many years", "422,000" → "422,000 euros"."""
    doc = span.doc
    start, end = span.start, span.end
    while (
        end - start > 1
        and doc[start].lower_ in APPROXIMATORS
        and not any(t.lower_ in FRACTION_WORDS for t in doc[start + 1 : end])
        and any(t.like_num for t in doc[start + 1 : end])
    ):
        start += 1
    while end - start > 1 and doc[end - 1].lower_ in AFTER_COUNT:
        end -= 1
    if (
        question.unit
        and end - start == 3
        and doc[start].like_num
        and doc[start + 1].text == "-"
        and doc[start + 2].lemma_.lower() == question.unit
    ):
        end = start + 1  # "11-year" for "how many years": the years are 11
    if (
        "MONEY" in question.labels
        and end < len(doc)
        and doc[end - 1].like_num
        and doc[end].lemma_.lower() in CURRENCY_WORDS
    ):
        end += 1
    return doc[start:end]


def _coordinated(span: Span, question: Question) -> Span:
    """ "what languages …" asks for all of them: "Chinese [and Russian]", "wheat[, rice,
    maize and soybean]" — a span heading a coordination grows to its last conjunct when
    the noun asked about is plural."""
    if not question.plural:
        return span
    root = span.root
    conjuncts = list(root.conjuncts)
    after = [c for c in conjuncts if c.i > root.i]
    if not after or any(c.i < span.start for c in conjuncts):
        return span
    last = max(after, key=lambda t: t.i)
    end = max(t.i for t in last.subtree) + 1
    return span.doc[span.start : end]


def _novelty(span: Span, question: Question) -> float:
    """Share of the span's content words that the question does not already use; the
    noun asked about doesn't count ("Castlefrank Road" is all news for "which road")."""
    words = [
        t
        for t in span
        if not t.is_punct
        and (t.lower_ not in STOP or t.like_num)  # "one", "twelve" are stop words to spaCy
        and t.lemma_.lower() != question.focus
    ]
    if not words:
        return 0.0
    fresh = [t for t in words if t.lower_ not in question.words and question.key(t) is None]
    return len(fresh) / len(words)


def _when_like(span: Span, params: AnswerParams = DEFAULT) -> float:
    """How much a DATE/TIME span looks like a point in time rather than an age or span; a
    relative one ("yesterday", "on Monday") counts less, so a date beside it wins."""
    words = {t.lower_ for t in span}
    if "old" in words or "aged" in words:
        return 0.1
    if any(_YEAR.match(t.text) for t in span) or words & _ABSOLUTE_WORDS:
        return 1.0
    if words & _DATE_WORDS or ":" in span.text:
        return params.relative_date
    return 0.5


def _type_weight(
    question: Question, cand: _Candidate, span: Span, params: AnswerParams = DEFAULT
) -> float:
    label = cand.label
    labels = question.labels
    if question.kind == "thing":
        if label == "QUOTE":
            return 1.0 if question.focus in NAME_FOCUS else 0.8
        if label in ("DATE", "TIME", "CARDINAL", "NUMBER", "ORDINAL", "PERCENT", "MONEY"):
            return 0.4
        if label != "CHUNK":
            return 0.85
        if question.focus in NAME_FOCUS and span.root.pos_ != "PROPN":
            return params.common_name  # "what's the name of …" is answered by a name
        return 0.75
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
        weight *= _when_like(span, params)
    if weight:
        return weight
    if label == "CHUNK" and cand.span.root.pos_ == "PROPN" and question.kind in ("org", "place"):
        return 0.5
    if label == "CHUNK" and question.kind == "person" and names_people(span.root):
        return params.person_noun  # "who rescued them?" — "fishermen"
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


def _focus_factor(
    question: Question, span: Span, doc: Doc, params: AnswerParams = DEFAULT
) -> float:
    """Answers hang off the noun asked about ("cruise ship, Freewinds"; "the mayor Luca
    Pastorino"): a bonus next to it, a small malus far from it when it is there."""
    if not question.focus:
        return 1.0
    if question.kind != "person" and any(t.lemma_.lower() == question.focus for t in span):
        if question.kind == "thing" and span.root.lemma_.lower() == question.focus:
            return params.focus_head  # "what medal" → "[silver] medal": a medal, named
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
    Tokayev"), without a title before it ("General", "Professor"); otherwise the words
    as written."""
    if cand.label == "PERSON":
        while len(span) > 2 and span[0].lower_.rstrip(".") in TITLES:
            span = span[1:]
    text = span.text
    canon = cand.canonical
    if cand.label == "PERSON" and canon and set(text.split()) < set(canon.split()):
        return canon
    return text


# The wh-word's role in the question and the roles that answer it in an article: "who
# founded X" ← "Y founded X" (nsubj) or "X was founded by Y" (pobj of the agent "by").
_ROLES = {
    "nsubj": frozenset({"nsubj", "pobj"}),
    "nsubjpass": frozenset({"nsubjpass", "dobj"}),
    "dobj": frozenset({"dobj", "nsubjpass", "attr", "oprd"}),
    "attr": frozenset({"attr", "appos", "nsubj", "dobj"}),
    "pobj": frozenset({"pobj"}),
}


def _role_factor(
    question: Question,
    span: Span,
    matched: dict[int, tuple[str, float]],
    params: AnswerParams,
) -> float:
    """A bonus for the span that fills the wh-word's role under a word of the question:
    "what did X use?" ← "X used [drone parts]"."""
    roles = _ROLES.get(question.role or "")
    if not roles:
        return 1.0
    root = span.root
    if root.dep_ not in roles:
        return 1.0
    head = root.head.head if root.dep_ == "pobj" else root.head
    if head.i in matched or head.lemma_.lower() == question.role_head:
        return params.role_bonus
    return 1.0


def _unit_factor(question: Question, span: Span, params: AnswerParams) -> float:
    """ "how many days …" is answered by "one day", not "two weeks": the count's unit
    (before trimming) must be there."""
    if question.unit is None:
        return 1.0
    if any(t.lemma_.lower() == question.unit for t in span):
        return 1.0
    return params.unit_absent


# The factors of a span's fit, in the order `score_candidates` gives them (qa_fit.py
# learns an exponent for each: `AnswerParams.e_*`).
FIT_FACTORS = ("kind", "proximity", "novelty", "focus", "place", "role", "unit")


def span_fit(factors: Sequence[float], params: AnswerParams) -> float:
    """How well a span fits the question: Π factor ** exponent."""
    fit = 1.0
    for value, exponent in zip(factors, params.fit_exponents, strict=True):
        fit *= value**exponent
    return fit


def score_candidates(
    question: Question,
    doc: Doc,
    passage: PassageInput,
    matched: dict[int, tuple[str, float]],
    relevance: float,
    index: int,
    params: AnswerParams = DEFAULT,
    fits: list[tuple[Extracted, float, tuple[float, ...]]] | None = None,
) -> list[Extracted]:
    """Each span that can answer, scored relevance × fit (`fits` collects the fits)."""
    near = [doc[i] for i in matched]
    out: list[Extracted] = []
    for cand in candidates(doc, passage.mentions):
        span = _trim(cand.span, question, cand.label in THING_NAMES)
        if span is None:
            continue
        span = _keep_focus(span, cand.span, question)
        if question.kind == "number":
            span = _bare_count(span, question)
        else:
            span = _coordinated(span, question)
        kind_weight = _type_weight(question, cand, span, params)
        if kind_weight <= 0:
            continue
        novelty = _novelty(span, question)
        if novelty <= 0:
            continue
        factors = (
            kind_weight,
            0.4 + 0.6 * _proximity(span, near),
            0.5 + 0.5 * novelty,
            _focus_factor(question, span, doc, params),
            _place_factor(question, span),
            _role_factor(question, span, matched, params),
            _unit_factor(question, cand.span, params),
        )
        fit = span_fit(factors, params)  # not capped at 1: bonuses tell good spans apart
        score = relevance * fit**params.fit_power + 1e-4 * len(span)  # ties: the fuller span
        found = Extracted(index, span.start_char, span.end_char, _shown(span, cand), score)
        out.append(found)
        if fits is not None:
            fits.append((found, fit, factors))
    return out


def extract_answer(
    nlp: Language,
    question: Question,
    passages: Sequence[PassageInput],
    params: AnswerParams = DEFAULT,
    parsed: int | None = None,
) -> Reading:
    """The best-scoring span over `passages`, and each passage's relevance; the best
    `parsed` (default `params.parsed_passages`) by raw-text relevance are parsed."""
    relevance = [prescore(question, p, params) for p in passages]
    keep = params.parsed_passages if parsed is None else parsed
    order = sorted(range(len(passages)), key=lambda i: -relevance[i])[:keep]
    docs = nlp.pipe(passages[i].text for i in order)
    best: Extracted | None = None
    trace: list[tuple[int, Features, list[tuple[Extracted, float, tuple[float, ...]]]]] = []
    for i, doc in zip(order, docs, strict=True):
        matched = matched_tokens(question, doc, passages[i])
        feats = passage_features(question, passages[i], _credits(matched), params)
        relevance[i] = passage_score(feats, params)
        fits: list[tuple[Extracted, float, tuple[float, ...]]] = []
        for cand in score_candidates(
            question, doc, passages[i], matched, relevance[i], i, params, fits
        ):
            if best is None or cand.score > best.score:
                best = cand
        trace.append((i, feats, fits))
    return Reading(best, relevance, trace)
