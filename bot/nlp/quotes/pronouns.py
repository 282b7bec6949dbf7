"""Pronoun speakers without a coreference model (none works offline): rules on the parse.

- he/she: the speaker of the quote just before gets a strong preference, unless someone
  else has become the subject of a sentence since; then the people of the last few
  paragraphs (a capitalised name the NER missed included), scored by recency and
  subjecthood. Gender: the text's own evidence weighs heavily (machine-rewritten text
  says "he" for a woman, so it is not absolute); where the text shows none, a first-name
  lexicon is a hard constraint, except for the speaker quoted in the sentence just
  before in the same paragraph (machine text again). Never someone the
  quote names or the object of the pronoun's own verb, never an organisation or a place.
- they: the last plural source, a plural subject nearby, or an organisation.
- it: the last non-person source, or an organisation subject nearby.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Span, Token

from bot.nlp.quotes.context import Attribution, Context, Speaker, anchor
from bot.nlp.quotes.lexicon import ROYAL_TITLES, first_name_gender, is_first_name, tidy_name
from bot.nlp.quotes.memory import SpeakerMemory, credit_at
from bot.nlp.quotes.phrases import looks_like_name, name_run, span_text

PRONOUNS = frozenset({"he", "she", "they", "it"})


@dataclass(frozen=True, slots=True)
class PronounParams:
    window_paras: int = 3  # candidates from this many paragraphs back
    just_quoted: float = 3.0  # the speaker of the quote just before
    recent_speaker: float = 0.25  # anyone quoted within the window
    subject: float = 1.0  # a candidate that is a sentence's subject
    paragraph_subject: float = 1.0  # … of a sentence in the pronoun's own paragraph
    apposition: float = 0.5  # "Jane Doe, the mayor, …": introduced with a role
    per_sentence: float = 0.5  # recency: lost per sentence back
    far: float = -3.0  # the recency penalty stops here
    gender_match: float = 0.5
    gender_clash: float = -4.0  # the text's own evidence (machine text may contradict it)
    excluded: float = -3.0  # someone the quote names, or the object of its verb


class PronounResolver:
    def __init__(
        self, ctx: Context, memory: SpeakerMemory, params: PronounParams | None = None
    ) -> None:
        self.ctx = ctx
        self.memory = memory
        self.params = params or PronounParams()

    # Built once per article: each pronoun looked them up by a pass over the whole
    # article (every mention, every sentence), a cost that grew with the square of its length.
    @cached_property
    def _persons(self) -> tuple[list[int], list[int]]:
        """(starts, indices) of the PERSON mentions, ordered by start."""
        people = sorted(
            (m.start, i) for i, m in enumerate(self.ctx.entities.mentions) if m.label == "PERSON"
        )
        return [start for start, _ in people], [i for _, i in people]

    @cached_property
    def _sents(self) -> list[Span]:
        return list(self.ctx.doc.sents)

    @cached_property
    def _sent_index(self) -> dict[int, int]:
        return {s.start: n for n, s in enumerate(self._sents)}

    def _persons_between(self, start: int, end: int) -> list[int]:
        """Indices into the mentions of the PERSON ones starting in [start, end), in order."""
        starts, indices = self._persons
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        return sorted(indices[lo:hi])

    def people_between(self, start: int, end: int, quoted: bool = False) -> list[tuple[Token, str]]:
        """People named between two offsets outside quotation marks, as (root token, full
        name): the NER's persons, and proper nouns the NER missed that name a known person
        ("Rathbun requested …")."""
        ctx = self.ctx
        out: list[tuple[Token, str]] = []
        seen: set[int] = set()
        mentions = ctx.entities.mentions
        for i in self._persons_between(start, end):
            m = mentions[i]
            if not quoted and ctx.in_span(m.start):
                continue
            if credit_at(ctx.text, m.end):
                continue  # a photo credit, "(Cindy White/CBC News)"
            span = ctx.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            seen.update(t.i for t in span)
            name = self.memory.full_name(m.canonical, m.start) or tidy_name(m.canonical)
            out.append((span.root, name))
        for tok in ctx.tokens_between(start, end):
            if tok.i in seen or (not quoted and ctx.in_span(tok.idx)):
                continue
            hyphenated = tok.i > 1 and ctx.doc[tok.i - 1].text == "-"  # "Alemu-Haile" (ADJ)
            if (tok.pos_ not in ("PROPN", "NOUN") and not hyphenated) or not tok.text[:1].isupper():
                continue  # the small model tags some sentence-initial surnames NOUN
            if tok.i + 1 < len(ctx.doc) and ctx.doc[tok.i + 1].pos_ == "PROPN":
                continue  # only the last word of a name
            run = name_run(tok)
            written = span_text(run)[0]  # "Alemu-Haile", not "Alemu - Haile"
            full = self.memory.full_name(written, tok.idx)
            if full is None and looks_like_name(run) and is_first_name(run[0].text):
                full = tidy_name(written)  # a name the NER missed
            main = tok.dep_ == "nsubj" and tok.head.dep_ not in ("ccomp", "xcomp")
            if full is None and written.lower() in ROYAL_TITLES and main:
                full = self.memory.royal(written)  # "The Queen is expected to speak"
            if full is not None:
                out.append((tok, full))
        return sorted(out, key=lambda x: x[0].i)

    def subjects_between(self, start: int, end: int) -> set[str]:
        """People who are the subject of a sentence between two offsets (outside quotes)."""
        return {
            name
            for root, name in self.people_between(start, end)
            if root.dep_ in ("nsubj", "nsubjpass")
        }

    def _person(self, att: Attribution, tok: Token, gender: str) -> Speaker | None:
        ctx = self.ctx
        k = ctx.para_of(tok.idx)
        sent_index = self._sent_index
        here = sent_index[tok.sent.start]
        # Never someone the quote names, nor the object of the pronoun's own verb
        # ("He described Montalvo as …" is not Montalvo speaking).
        excluded = {name for _, name in self.people_between(att.start, att.end, quoted=True)}
        if att.cue_token is not None:
            clause = [t for t in att.cue_token.subtree if t.i != tok.i]
            if clause:
                lo, hi = clause[0].idx, clause[-1].idx + len(clause[-1])
                excluded |= {name for r, name in self.people_between(lo, hi) if r.i != tok.i}
        bonus: dict[str, float] = {}
        speakers: dict[str, Speaker] = {}
        adjacent = None
        earlier = [
            (a, s) for a, s in self.memory.history if a.start < tok.idx or anchor(a) < tok.idx
        ]
        p = self.params
        if earlier:
            last_att, last = earlier[-1]
            after = max(last_att.end, anchor(last_att))
            # the cheap tests first: the subjects are looked for over a paragraph or two
            if (
                last.is_person
                and ctx.para_of(anchor(last_att)) >= k - 1
                and not self.subjects_between(after, tok.idx) - {last.name}
            ):
                bonus[last.name] = p.just_quoted  # right after this speaker's quote
                speakers[last.name] = last
                if ctx.para_of(anchor(last_att)) == k:
                    adjacent = last.name  # "…, Wishnick said. He left open …"
        for a, s in earlier:
            if s.is_person and ctx.para_of(anchor(a)) >= k - p.window_paras:
                bonus[s.name] = max(bonus.get(s.name, 0.0), p.recent_speaker)
                speakers.setdefault(s.name, s)
        seen: dict[str, float] = {}
        window = ctx.paras[max(0, k - p.window_paras)][0]
        for root, name in self.people_between(window, tok.idx):
            if att.start <= root.idx < att.end:
                continue
            distance = here - sent_index.get(root.sent.start, here)
            score = 1.0 + max(p.far, -p.per_sentence * distance)
            if root.dep_ in ("nsubj", "nsubjpass"):
                score += p.subject
                if ctx.para_of(root.idx) == k:
                    score += p.paragraph_subject  # the paragraph is about them
            if any(c.dep_ == "appos" for c in root.children):
                score += p.apposition
            seen[name] = max(seen.get(name, -99.0), score)
            speakers.setdefault(
                name, Speaker(name, "", None, None, True, self.memory.roles.get(name))
            )
        latest = {name: root.i for root, name in self.people_between(window, tok.idx)}
        scores = {
            # ties go to the person named last
            name: bonus.get(name, 0.0) + seen.get(name, 0.0) + latest.get(name, 0) * 1e-6
            for name in speakers
        }
        best: tuple[float, str] | None = None
        for name, score in scores.items():
            if self.memory.placelike(name):
                continue  # "Lindmark public broadcaster": a place is no she
            g = self.memory.genders.get(name)
            if g is not None:
                score += p.gender_match if g == gender else p.gender_clash
            elif (lexical := first_name_gender(name.split()[0])) is not None:
                if lexical != gender and name != adjacent:
                    continue  # the first name says otherwise and the text doesn't: never
                score += p.gender_match if lexical == gender else 0.0
            if name in excluded:
                score += p.excluded
            if best is None or score > best[0]:
                best = (score, name)
        return speakers[best[1]] if best is not None else None

    def _group(self, att: Attribution, tok: Token, plural: bool) -> Speaker | Token | None:
        """they → a plural source; it → a non-person source, the latest first; else the
        subject nearby it stands for (a token, for the name resolver to name)."""
        ctx = self.ctx
        k = ctx.para_of(tok.idx)
        for a, s in reversed(self.memory.history):
            if ctx.para_of(anchor(a)) < k - 3:
                break
            if (plural and s.plural) or (not plural and not s.is_person and not s.plural):
                return s
        sents = self._sents
        idx = self._sent_index.get(tok.sent.start, 0)
        for sent in (sents[idx], sents[idx - 1] if idx else None):
            if sent is None:
                continue
            for t in reversed(list(sent)):
                if t.i >= tok.i or t.dep_ not in ("nsubj", "nsubjpass") or t.i == tok.i:
                    continue
                if plural and t.tag_ in ("NNS", "NNPS"):
                    return t
                if not plural and t.pos_ == "PROPN" and t.ent_type_ in ("ORG", "GPE", "NORP"):
                    return t
        if plural:  # "they" for an organisation: "the Church denied …. They also claimed …"
            window = ctx.paras[max(0, k - 1)][0]
            for t in reversed(ctx.tokens_between(window, tok.idx)):
                subject = t.dep_ in ("nsubj", "nsubjpass") and t.ent_type_ in ("ORG", "NORP")
                if subject and not ctx.in_quotes(t):
                    return t
        return None

    def resolve(self, att: Attribution, tok: Token) -> Speaker | Token | None:
        """The speaker a pronoun stands for, or the token of the group it names."""
        word = tok.lower_
        found: Speaker | Token | None
        if word in ("he", "she"):
            found = self._person(att, tok, "m" if word == "he" else "f")
        else:
            found = self._group(att, tok, plural=word == "they")
        if found is None or isinstance(found, Token):
            return found
        end = tok.idx + len(tok)
        return Speaker(
            found.name, tok.text, tok.idx, end, found.is_person, found.role, found.plural
        )
