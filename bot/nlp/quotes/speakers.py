"""Speakers: from the words that point at a source to the name it is stored under.

- People get their canonical full name: titles dropped, surnames and first names resolved
  to the full name the article used ("Yau" → "Niva Yau", "Professor Elizabeth Wishnick" →
  "Elizabeth Wishnick"), a misspelt surname matched to the closest one ("Bauchtman" →
  "Lydia Buchtmann"). A proper noun that is the subject of a cue is a speaker even when
  the small model's NER calls it an organisation or a place.
- Other sources are kept as written, less quantifiers ("some analysts" → "analysts"),
  and "the authors" after "the report's authors" is the same source.
- Pronouns (no coreference model exists offline) are resolved on the parse: the speaker of
  the quote just before gets a strong preference, whatever the gender (machine-rewritten
  text says "he" for a woman); then persons in this and the last paragraph, scored by
  recency, subjecthood, gender agreement where the text shows a gender, and never someone
  the quote itself names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span, Token

from bot.nlp.entities import NOT_PERSON_WORDS
from bot.nlp.names import (
    PARTICLES,
    TITLES,
    acronym,
    is_full_name,
    matches_full_name,
    normalise_name,
    strip_titles,
)
from bot.nlp.quotes.context import Attribution, Context
from bot.nlp.quotes.cues import (
    DOCUMENT_NOUNS,
    SUBJECTS,
    noun_phrase,
    same_paragraph,
    word_set,
)
from bot.nlp.quotes.gender import infer_genders
from bot.records import Mention

PRONOUNS = frozenset({"he", "she", "they", "it"})
QUANTIFIERS = word_set("""some many several most other various few numerous certain both all each
    either""")
# Words that end a person's name when the parse glues an organisation to it.
ORG_WORDS = NOT_PERSON_WORDS | word_set(
    """relations affairs foundation society museum news agency times post press office
    service services board commission program programme project conference network
    authority forces force army navy police school district fund trust"""
)
PERSON_TITLES = word_set("""mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sir dame""")
_FUZZY_MIN = 85  # surname similarity for a misspelling: Bauchtman ~ Buchtmann (89)
_VARIANT_MIN = 75  # first-name similarity for spelling variants: Kristin ~ Kristen (83)


@dataclass(slots=True)
class Speaker:
    name: str
    text: str
    start: int | None
    end: int | None
    is_person: bool
    role: str | None = None
    plural: bool = False


def _text(tokens: list[Token]) -> tuple[str, int, int]:
    doc = tokens[0].doc
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
    return doc.text[start:end], start, end


def _chain(head: Token) -> list[Token]:
    """The run of capitalised proper nouns ending at `head`, cut after any title or
    organisation word: "Refugee Council Enver Solomon" → "Enver Solomon"."""
    doc = head.doc
    lo = head.i
    while lo > 0 and (
        (doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].text[:1].isupper())
        or (lo > 1 and _joined(doc, lo - 1) and doc[lo - 2].pos_ == "PROPN")
    ):
        lo -= 1
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
        if word in ORG_WORDS or (word in TITLES and word not in PERSON_TITLES):
            return tokens[k + 1 :] or [head]
        if word in PERSON_TITLES:
            return tokens[k:]  # "Education Mr. Toccafondi" → "Mr. Toccafondi"
    return tokens


_NOT_NAME_ENTS = frozenset({"GPE", "ORG", "NORP", "LOC", "FAC"})


def _clean(name: str) -> bool:
    """A name of capitalised words (and particles): not "of Washington Chris Gregoire"."""
    return all(
        w[:1].isupper() or w.lower().split("-")[0].rstrip("'’") in PARTICLES for w in name.split()
    )


def _joined(doc: Doc, i: int) -> bool:
    """A hyphen inside a name: "El-Hassan"."""
    t = doc[i]
    return t.text == "-" and not t.whitespace_ and i > 0 and not doc[i - 1].whitespace_


def _no_parens(name: str) -> str:
    """ "World Health Organisation (WHO)" → "World Health Organisation"."""
    return re.sub(r"\s*\(.*$", "", name).strip()


def _with_of(head: Token, tokens: list[Token]) -> list[Token]:
    """An organisation's name runs on through "of": "Union of Rationalist Atheists and
    Agnostics"."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of" and child.i == tokens[-1].i + 1:
            sub = list(child.subtree)
            if all(t.pos_ in ("PROPN", "CCONJ", "ADP", "DET") for t in sub):
                return tokens + sub
    return tokens


def _looks_like_name(tokens: list[Token]) -> bool:
    words = [t for t in tokens if t.lower_ not in PERSON_TITLES and t.text != "-"]
    return len(words) >= 2 and all(
        t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in ORG_WORDS for t in words
    )


class SpeakerResolver:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        counts = Counter(m.canonical for m in ctx.entities.mentions if m.label == "PERSON")
        self.people = ctx.entities.people()
        self.full_people = [p for p in self.people if is_full_name(p) and _clean(p)]
        self.mention_counts = counts
        self.genders = infer_genders(ctx.doc, ctx.entities, ctx.in_quotes)
        self.history: list[tuple[Attribution, Speaker]] = []
        self.by_att: dict[int, Speaker] = {}
        self.roles: dict[str, str] = {}

    # -- names -----------------------------------------------------------------------
    def _pick(self, candidates: set[str]) -> str | None:
        """One person among candidates, allowing for spelling variants of one name
        ("Kristin Wilkins" / "Kristen Wilkins": the spelling used most)."""
        if len(candidates) == 1:
            return next(iter(candidates))
        firsts = [c.split()[0].lower() for c in candidates]
        lasts = {c.split()[-1].lower() for c in candidates}
        if len(lasts) == 1 and all(fuzz.ratio(firsts[0], f) >= _VARIANT_MIN for f in firsts):
            return max(sorted(candidates), key=lambda c: self.mention_counts[c])
        return None

    def full_name(self, text: str) -> str | None:
        """The article's full name for a person mention: exact, by surname or first name,
        or by a near-miss surname."""
        name = strip_titles(normalise_name(text))
        if not name:
            return None
        exact = {p for p in self.full_people if p.lower() == name.lower()}
        if exact:
            variants = {p for p in self.full_people if self._pick({*exact, p}) is not None}
            return self._pick(variants) or exact.pop()
        part = {p for p in self.full_people if matches_full_name(name, p)}
        last = name.split()[-1].lower()
        by_surname = {p for p in part if p.split()[-1].lower() == last}
        if part:
            return self._pick(by_surname or part)
        if len(name.split()) > 1:
            return None
        close = {
            p for p in self.full_people if fuzz.ratio(last, p.split()[-1].lower()) >= _FUZZY_MIN
        }
        return self._pick(close) if close else None

    def _mention(self, tok: Token) -> Mention | None:
        for m in self.ctx.entities.mentions:
            if m.start <= tok.idx < m.end:
                return m
        return None

    def _person_near(self, head: Token, verb: Token | None) -> Token | None:
        """A person named in the speaker's phrase when its head is a role, a title or an
        organisation the parse attached the name to: "the Crown prosecutor, Mark Tedeschi",
        "Afghan Ambassador to the United States Hamdullah Mohib", "CEO of the Refugee
        Council Enver Solomon". Not "a spokesman for John Smith"."""
        appos = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        for child in appos:
            m = self._mention(child)
            if m is not None and m.label == "PERSON":
                return child
        for child in appos:
            m = self._mention(child)
            if m is None and _looks_like_name(_chain(child)):
                return child
        if head.dep_ in SUBJECTS:
            verb = head.head  # the verb this is the subject of, not a conjoined cue
        if verb is None:
            prep = head.head if head.dep_ == "pobj" else head
            lo, hi = head.i, max(t.i for t in prep.subtree) + 1
        elif head.i < verb.i:
            lo, hi = head.left_edge.i, verb.i
        else:
            return None
        doc = head.doc
        first = self._leading_person(doc[lo:hi])
        if first is not None and first.i != head.i:
            return first  # "Lydia Buchtmann for Food Standards Australia, says"
        last = hi - 1
        while last > lo and doc[last].is_punct:
            last -= 1
        tok = doc[last]
        if tok.i == head.i or tok.pos_ != "PROPN" or any("\n" in t.text for t in doc[lo:hi]):
            return None
        m = self._mention(tok)
        chain = _chain(tok)
        if (m is not None and m.label == "PERSON") or _looks_like_name(chain):
            before = doc[chain[0].i - 1] if chain[0].i > lo else None
            if before is not None and (before.pos_ in ("PROPN", "NOUN") or before.text == ","):
                return tok
        return None

    def _leading_person(self, region: Span) -> Token | None:
        """The last word of a person's name that opens the phrase and is followed by a
        preposition or a comma: "Matthew Ingram of The Globe and Mail"."""
        words = [t for t in region if t.dep_ != "det" and not t.is_punct]
        if not words:
            return None
        m = self._mention(words[0])
        if m is not None and m.label == "PERSON" and m.start == words[0].idx:
            end = m.end
        else:
            run = []
            for t in words:
                if t.pos_ != "PROPN":
                    break
                run.append(t)
            if not _looks_like_name(run):
                return None
            end = run[-1].idx + len(run[-1])
        inside = [t for t in region if t.idx < end]
        after = [t for t in region if t.idx >= end]
        if inside and after and (after[0].pos_ == "ADP" or after[0].text == ","):
            return inside[-1]
        return None

    def named(self, head: Token, verb: Token | None = None) -> Speaker:
        role_tokens: list[Token] = []
        poss = [c for c in head.children if c.dep_ == "poss" and c.pos_ == "PROPN"]
        if head.lemma_.lower() in DOCUMENT_NOUNS and poss:
            head = poss[0]  # "Cornyn's statement added" → Cornyn
        if verb is not None:
            head = same_paragraph(head, verb)
        mention = self._mention(head)
        if mention is None or mention.label != "PERSON":
            person = self._person_near(head, verb)
            if person is not None:
                role_tokens = [
                    t
                    for t in head.doc[head.left_edge.i : _chain(person)[0].i]
                    if t.dep_ != "det" and not t.is_punct
                ]
                head, mention = person, self._mention(person)
            elif any(c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") for c in head.children):
                return self._common(head)  # "the School District and the Police Department"
            elif head.pos_ == "NOUN":
                named_org = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
                if named_org:  # "North Korea's main news agency Korean Central News Agency"
                    return self._common(named_org[0])
        capitalised = head.is_alpha and head.text[:1].isupper()  # the tag may be wrong
        if capitalised or (mention is not None and mention.label == "PERSON"):
            speaker = self._person(head, mention, role_tokens)
            if speaker is not None:
                return speaker
        return self._common(head)

    def _person(
        self, head: Token, mention: Mention | None, role_tokens: list[Token]
    ) -> Speaker | None:
        chain = _chain(head)
        text, start, end = _text(chain)
        is_person = mention is not None and mention.label == "PERSON"
        full = None
        usable = is_person and _clean(mention.canonical)
        for candidate in (mention.canonical if usable else None, text):
            if candidate and (full := self.full_name(candidate)) is not None:
                break
        titled = head.i > 0 and head.doc[chain[0].i - 1].lower_ in PERSON_TITLES
        bare = strip_titles(normalise_name(text))
        organisation = mention is not None and not is_person and mention.text == text
        if full is None and _looks_like_name(chain) and len(bare.split()) > 1 and not organisation:
            full = bare  # the parse shows a name the NER missed or mislabelled
        if full is None and (is_person or titled or chain[0].lower_ in PERSON_TITLES):
            full = mention.canonical if usable else bare
        if full is None:
            return None  # not a person: named from its whole phrase by _common
        if is_full_name(full) and full not in self.full_people:
            self.full_people.append(full)  # later "Paris" is "Valeska Paris"
        role = self._role(head, chain, role_tokens, full)
        return Speaker(full, text, start, end, True, role)

    def _expand(self, name: str) -> str:
        """An organisation's acronym → the name it abbreviates, if the article spells it."""
        if not name.isupper():
            return name
        for m in self.ctx.entities.mentions:
            spelled = re.sub(r"^(?:an?|the) ", "", _no_parens(m.canonical), flags=re.I)
            if len(spelled.split()) > 1 and acronym(spelled) == name:
                return spelled
        return name

    def _common(self, head: Token) -> Speaker:
        tokens = noun_phrase(head)
        while tokens and (tokens[0].is_punct or tokens[0].lower_ in QUANTIFIERS):
            tokens.pop(0)
        if head.pos_ == "PROPN":
            tokens = _with_of(head, tokens)
            owners = [t for t in tokens if t.dep_ == "case" and t.i < head.i]
            if owners:  # "Saudi Arabia's Civil Defense Authority" → the authority's name
                tokens = [t for t in tokens if t.i > owners[-1].i]
        text, start, end = _text(tokens or [head])
        if head.pos_ == "PROPN" or (head.text.isupper() and len(head.text) > 1):
            name = self._expand(_no_parens(normalise_name(text)))  # "WHO" → its full name
        else:
            name = text
        words = name.split()
        if words and words[0].lower() in ("the", "a", "an") and head.pos_ != "PROPN":
            name = " ".join([words[0].lower(), *words[1:]])
        plural = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)
        if len(tokens) == 2 and tokens[0].lower_ == "the" and head.pos_ == "NOUN":
            for _, earlier in reversed(self.history):
                if not earlier.is_person and earlier.name.lower().endswith(" " + head.lower_):
                    name = earlier.name  # "the authors" after "the report's authors"
                    break
        return Speaker(name, text, start, end, False, None, plural)

    def _role(
        self, head: Token, names: list[Token], role_tokens: list[Token], name: str
    ) -> str | None:
        sent = head.sent
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ != "PROPN" and child.sent == sent:
                toks = [t for t in child.subtree if not t.is_space]
                while toks and (toks[0].dep_ == "det" or toks[0].is_punct):
                    toks.pop(0)
                while toks and toks[-1].is_punct:
                    toks.pop()
                if toks:
                    return _text(toks)[0]
        if role_tokens:
            return _text(role_tokens)[0]
        before = [
            t for t in noun_phrase(head) if t.i < names[0].i and t.dep_ != "det" and not t.is_punct
        ]
        if before and any(t.pos_ == "NOUN" or t.lower_ in TITLES for t in before):
            return _text(before)[0]
        entity = self.ctx.entities.entities.get(name)
        if entity is not None and entity.role:
            return entity.role
        return self.roles.get(name)

    # -- pronouns --------------------------------------------------------------------
    def _people_between(
        self, start: int, end: int, quoted: bool = False
    ) -> list[tuple[Token, str]]:
        """People named between two offsets outside quotation marks, as (root token, full
        name): the NER's persons, and proper nouns the NER missed that name a known person
        ("Rathbun requested …")."""
        ctx = self.ctx
        out: list[tuple[Token, str]] = []
        seen: set[int] = set()
        for m in ctx.entities.mentions:
            if m.label != "PERSON" or not start <= m.start < end:
                continue
            if not quoted and ctx.in_span(m.start):
                continue
            span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            seen.update(t.i for t in span)
            out.append((span.root, self.full_name(m.canonical) or m.canonical))
        for tok in ctx.tokens_between(start, end):
            if tok.i in seen or (not quoted and ctx.in_span(tok.idx)):
                continue
            if tok.pos_ not in ("PROPN", "NOUN") or not tok.text[:1].isupper():
                continue  # the small model tags some sentence-initial surnames NOUN
            if tok.i + 1 < len(ctx.doc) and ctx.doc[tok.i + 1].pos_ == "PROPN":
                continue  # only the last word of a name
            full = self.full_name(" ".join(t.text for t in _chain(tok)))
            if full is not None:
                out.append((tok, full))
        return sorted(out, key=lambda x: x[0].i)

    def _subjects_between(self, start: int, end: int) -> set[str]:
        """People who are the subject of a sentence between two offsets (outside quotes)."""
        return {
            name
            for root, name in self._people_between(start, end)
            if root.dep_ in ("nsubj", "nsubjpass")
        }

    def _person_candidates(self, att: Attribution, tok: Token, gender: str) -> Speaker | None:
        ctx = self.ctx
        k = ctx.para_of(tok.idx)
        sent_index = {s.start: n for n, s in enumerate(ctx.doc.sents)}
        here = sent_index[tok.sent.start]
        # Never someone the quote names, nor the object of the pronoun's own verb
        # ("He described Montalvo as …" is not Montalvo speaking).
        excluded = {name for _, name in self._people_between(att.start, att.end, quoted=True)}
        if att.cue_token is not None:
            clause = [t for t in att.cue_token.subtree if t.i != tok.i]
            if clause:
                lo, hi = clause[0].idx, clause[-1].idx + len(clause[-1])
                excluded |= {name for r, name in self._people_between(lo, hi) if r.i != tok.i}
        bonus: dict[str, float] = {}
        speakers: dict[str, Speaker] = {}
        earlier = [(a, s) for a, s in self.history if a.start < tok.idx or _anchor(a) < tok.idx]
        if earlier:
            last_att, last = earlier[-1]
            after = max(last_att.end, _anchor(last_att))
            others = self._subjects_between(after, tok.idx) - {last.name}
            if last.is_person and ctx.para_of(_anchor(last_att)) >= k - 1 and not others:
                bonus[last.name] = 3.0  # right after this speaker's quote
                speakers[last.name] = last
        for a, s in earlier:
            if s.is_person and ctx.para_of(_anchor(a)) >= k - 2:
                bonus[s.name] = max(bonus.get(s.name, 0.0), 0.25)
                speakers.setdefault(s.name, s)
        seen: dict[str, float] = {}
        window = ctx.paras[max(0, k - 1)][0]
        for root, name in self._people_between(window, tok.idx):
            if att.start <= root.idx < att.end:
                continue
            distance = here - sent_index.get(root.sent.start, here)
            score = 1.0 - 0.5 * distance
            if root.dep_ in ("nsubj", "nsubjpass"):
                score += 1.0
            if any(c.dep_ == "appos" for c in root.children):
                score += 0.5
            seen[name] = max(seen.get(name, -99.0), score)
            speakers.setdefault(name, Speaker(name, "", None, None, True, self.roles.get(name)))
        latest = {name: root.i for root, name in self._people_between(window, tok.idx)}
        scores = {
            # ties go to the person named last
            name: bonus.get(name, 0.0) + seen.get(name, 0.0) + latest.get(name, 0) * 1e-6
            for name in speakers
        }
        best: tuple[float, str] | None = None
        for name, score in scores.items():
            g = self.genders.get(name)
            if g is not None:
                score += 0.5 if g == gender else -4.0
            if name in excluded:
                score -= 3.0
            if best is None or score > best[0]:
                best = (score, name)
        return speakers[best[1]] if best is not None else None

    def _group_candidates(self, att: Attribution, tok: Token, plural: bool) -> Speaker | None:
        """they → a plural source; it → a non-person source, the latest first."""
        ctx = self.ctx
        k = ctx.para_of(tok.idx)
        for a, s in reversed(self.history):
            if ctx.para_of(_anchor(a)) < k - 3:
                break
            if (plural and s.plural) or (not plural and not s.is_person and not s.plural):
                return s
        sents = list(ctx.doc.sents)
        idx = next((n for n, s in enumerate(sents) if s.start <= tok.i < s.end), 0)
        for sent in (sents[idx], sents[idx - 1] if idx else None):
            if sent is None:
                continue
            for t in reversed(list(sent)):
                if t.i >= tok.i or t.dep_ not in ("nsubj", "nsubjpass") or t.i == tok.i:
                    continue
                if plural and t.tag_ in ("NNS", "NNPS"):
                    return self._common(t)
                if not plural and t.pos_ == "PROPN" and t.ent_type_ in ("ORG", "GPE", "NORP"):
                    return self.named(t)
        if plural:  # "they" for an organisation: "the Church denied …. They also claimed …"
            window = ctx.paras[max(0, k - 1)][0]
            for t in reversed(ctx.tokens_between(window, tok.idx)):
                subject = t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ in ("ORG", "NORP")
                if subject and not ctx.in_quotes(t):
                    return self.named(t)
        return None

    def pronoun(self, att: Attribution, tok: Token) -> Speaker | None:
        word = tok.lower_
        if word in ("he", "she"):
            found = self._person_candidates(att, tok, "m" if word == "he" else "f")
        else:
            found = self._group_candidates(att, tok, plural=word == "they")
        if found is None:
            return None
        end = tok.idx + len(tok)
        return Speaker(
            found.name, tok.text, tok.idx, end, found.is_person, found.role, found.plural
        )

    # -- entry point -----------------------------------------------------------------
    def resolve(self, att: Attribution) -> Speaker | None:
        if att.inherit is not None:
            speaker = self.by_att.get(id(att.inherit))
        elif att.source is None:
            speaker = None
        elif att.source.lower_ in PRONOUNS:
            speaker = self.pronoun(att, att.source)
        else:
            speaker = self.named(att.source, att.cue_token)
        if speaker is None:
            return None
        if speaker.is_person and speaker.role and speaker.name not in self.roles:
            self.roles[speaker.name] = speaker.role
        if speaker.is_person and not speaker.role:
            speaker.role = self.roles.get(speaker.name)
        self.by_att[id(att)] = speaker
        self.history.append((att, speaker))
        return speaker


def _anchor(att: Attribution) -> int:
    """Where an attribution is made: its speaker's words, else its content."""
    if att.source is not None and att.inherit is None:
        return att.source.idx
    return att.start
