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

from dataclasses import dataclass

from rapidfuzz import fuzz
from spacy.tokens import Token

from bot.nlp.names import TITLES, is_full_name, normalise_name, strip_titles
from bot.nlp.quotes.context import Attribution, Context
from bot.nlp.quotes.cues import DOCUMENT_NOUNS, noun_phrase, word_set
from bot.nlp.quotes.gender import infer_genders
from bot.records import Mention

PRONOUNS = frozenset({"he", "she", "they", "it"})
QUANTIFIERS = word_set("""some many several most other various few numerous certain""")
PERSON_TITLES = word_set("""mr mr. mrs mrs. ms ms. miss dr dr. prof prof. professor sir dame""")
_FUZZY_MIN = 85


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


def _name_tokens(head: Token) -> list[Token]:
    """The proper-noun run around `head`: "Professor Elizabeth Wishnick"."""
    doc = head.doc
    lo = hi = head.i
    while lo > 0 and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].dep_ in ("compound", "flat"):
        lo -= 1
    while (
        hi + 1 < len(doc)
        and doc[hi + 1].pos_ == "PROPN"
        and doc[hi + 1].head.i == head.i
        and doc[hi + 1].dep_ in ("compound", "flat")
    ):
        hi += 1
    return [doc[i] for i in range(lo, hi + 1)]


class SpeakerResolver:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.people = ctx.entities.people()
        self.genders = infer_genders(ctx.doc, ctx.entities)
        self.history: list[tuple[Attribution, Speaker]] = []
        self.by_att: dict[int, Speaker] = {}
        self.roles: dict[str, str] = {}

    # -- names -----------------------------------------------------------------------
    def full_name(self, text: str) -> str | None:
        """The article's full name for a person mention, exact or by a near-miss surname."""
        name = strip_titles(normalise_name(text))
        found = self.ctx.entities.canonical_person(name)
        if found is not None:
            return found
        last = name.split()[-1].lower() if name else ""
        close = {
            p
            for p in self.people
            if is_full_name(p) and fuzz.ratio(last, p.split()[-1].lower()) >= _FUZZY_MIN
        }
        return close.pop() if len(close) == 1 else None

    def _mention(self, tok: Token) -> Mention | None:
        for m in self.ctx.entities.mentions:
            if m.start <= tok.idx < m.end:
                return m
        return None

    def named(self, head: Token) -> Speaker:
        role_tokens: list[Token] = []
        poss = [c for c in head.children if c.dep_ == "poss" and c.pos_ == "PROPN"]
        if head.lemma_.lower() in DOCUMENT_NOUNS and poss:
            head = poss[0]  # "Cornyn's statement added" → Cornyn
        appos = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        if appos and (head.pos_ == "NOUN" or head.lower_ in TITLES):
            role_tokens = [t for t in noun_phrase(head) if t.dep_ != "det"]
            head = appos[0]  # "the Crown prosecutor, Mark Tedeschi" → Mark Tedeschi
        mention = self._mention(head)
        if head.pos_ == "PROPN" or (mention is not None and mention.label == "PERSON"):
            names = _name_tokens(head)
            text, start, end = _text(names)
            if mention is not None and mention.label == "PERSON":
                full = self.full_name(mention.canonical) or mention.canonical
            else:
                full = self.full_name(text)
            titled = names[0].lower_ in PERSON_TITLES or (
                head.i > 0 and head.doc[names[0].i - 1].lower_ in PERSON_TITLES
            )
            if full is not None or titled:
                name = full or strip_titles(normalise_name(text))
                role = self._role(head, names, role_tokens, name)
                return Speaker(name, text, start, end, True, role)
            if mention is not None:
                return Speaker(mention.canonical, text, start, end, False)
        return self._common(head)

    def _common(self, head: Token) -> Speaker:
        tokens = noun_phrase(head)
        while tokens and (tokens[0].is_punct or tokens[0].lower_ in QUANTIFIERS):
            tokens.pop(0)
        text, start, end = _text(tokens or [head])
        name = normalise_name(text) if head.pos_ == "PROPN" else text
        words = name.split()
        if words and words[0].lower() in ("the", "a", "an") and head.pos_ != "PROPN":
            name = " ".join([words[0].lower(), *words[1:]])
        plural = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)
        if tokens and tokens[0].lower_ == "the" and head.pos_ == "NOUN":
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
    def _person_candidates(self, att: Attribution, tok: Token, gender: str) -> Speaker | None:
        ctx = self.ctx
        k = ctx.para_of(tok.idx)
        sent_index = {s.start: n for n, s in enumerate(ctx.doc.sents)}
        here = sent_index[tok.sent.start]
        named_in_quote = {
            m.canonical for m in ctx.entities.mentions if att.start <= m.start < att.end
        }
        scores: dict[str, float] = {}
        speakers: dict[str, Speaker] = {}
        earlier = [(a, s) for a, s in self.history if a.start < tok.idx or _anchor(a) < tok.idx]
        if earlier:
            last_att, last = earlier[-1]
            if last.is_person and ctx.para_of(_anchor(last_att)) >= k - 1:
                scores[last.name] = 3.0
                speakers[last.name] = last
        for a, s in earlier:
            if s.is_person and ctx.para_of(_anchor(a)) >= k - 2:
                scores[s.name] = max(scores.get(s.name, 0.0), 1.0)
                speakers.setdefault(s.name, s)
        for m in ctx.entities.mentions:
            if m.label != "PERSON" or m.end > tok.idx or ctx.para_of(m.start) < k - 1:
                continue
            if ctx.in_span(m.start) is not None or att.start <= m.start < att.end:
                continue
            mtok = ctx.token_at(m.start)
            if mtok is None:
                continue
            span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
            root = span.root if span is not None else mtok
            distance = here - sent_index.get(root.sent.start, here)
            score = 1.0 - 0.5 * distance
            if root.dep_ in ("nsubj", "nsubjpass"):
                score += 1.0
            if any(c.dep_ == "appos" for c in root.children):
                score += 0.5
            name = self.full_name(m.canonical) or m.canonical
            scores[name] = max(scores.get(name, -99.0), 0.0) + score
            speakers.setdefault(name, Speaker(name, "", None, None, True, self.roles.get(name)))
        best: tuple[float, str] | None = None
        for name, score in scores.items():
            g = self.genders.get(name)
            if g is not None:
                score += 2.0 if g == gender else -4.0
            if name in named_in_quote:
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
            speaker = self.named(att.source)
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
