"""What the speaker steps know about one article, owned in one place.

The name resolver (speakers.py) and the pronoun resolver (pronouns.py) both read it and
the name resolver writes it, so neither module reaches into the other: the people the
article names in full and how a partial name resolves to one of them, their genders as
the text shows them, the roles they were given, and who has spoken so far.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.nlp.names import is_full_name, matches_full_name, normalise_name, strip_titles
from bot.nlp.quotes.context import Attribution, Context, Speaker
from bot.nlp.quotes.gender import infer_genders
from bot.nlp.quotes.lexicon import personal, tidy_name
from bot.nlp.quotes.phrases import clean_name, name_run


@dataclass(frozen=True, slots=True)
class NameParams:
    fuzzy_min: int = 85  # surname similarity for a misspelling: Bauchtman ~ Buchtmann (89)
    variant_min: int = 75  # first-name similarity for spelling variants: Kristin ~ Kristen (83)
    dominant: float = 2.0  # a shared surname is the person mentioned this many times more


def _names_ner_missed(ctx: Context) -> list[str]:
    """Capitalised runs outside quotation marks shaped like a person's name ("Ian Poulter"
    tagged nothing or an organisation), so that a later "Poulter" finds its full name."""
    out = []
    doc = ctx.doc
    for tok in doc:
        if tok.pos_ != "PROPN" or (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN"):
            continue
        if tok.ent_type_ == "PERSON" or ctx.in_quotes(tok):
            continue
        text = " ".join(t.text for t in name_run(tok))
        if personal(text):
            out.append(tidy_name(text))
    return out


@dataclass(slots=True)
class SpeakerMemory:
    full_people: list[str]
    mention_counts: Counter[str]
    genders: dict[str, str]
    params: NameParams = field(default_factory=NameParams)
    positions: dict[str, list[int]] = field(default_factory=dict)  # name → mention offsets
    history: list[tuple[Attribution, Speaker]] = field(default_factory=list)
    by_att: dict[int, Speaker] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    # full_name's answer by mention text, all but the recency step: each lookup compared
    # the mention with every full name, quadratic in a long article's people.
    _resolved: dict[str, str | frozenset[str] | None] = field(default_factory=dict)

    @classmethod
    def build(cls, ctx: Context, params: NameParams | None = None) -> SpeakerMemory:
        people = ctx.entities.mentions
        counts = Counter(tidy_name(m.canonical) for m in people if m.label == "PERSON")
        positions: dict[str, list[int]] = {}
        for m in ctx.entities.mentions:
            if m.label == "PERSON" and is_full_name(m.text):
                positions.setdefault(tidy_name(m.canonical), []).append(m.start)
        full = dict.fromkeys(tidy_name(p) for p in ctx.entities.people())
        full.update(dict.fromkeys(_names_ner_missed(ctx)))
        genders = infer_genders(ctx.doc, ctx.entities, ctx.in_quotes)
        return cls(
            full_people=[p for p in full if is_full_name(p) and clean_name(p)],
            mention_counts=counts,
            genders={tidy_name(name): g for name, g in genders.items()},
            params=params or NameParams(),
            positions=positions,
        )

    # -- who is who ------------------------------------------------------------------
    def learn(self, full: str) -> None:
        """A full name the parse showed: later "Paris" is "Valeska Paris" (`full` tidied
        by the caller)."""
        if is_full_name(full) and full not in self.full_people:
            self.full_people.append(full)
            self._resolved.clear()

    def _pick(self, candidates: set[str]) -> str | None:
        """One person among candidates, allowing for spelling variants of one name
        ("Kristin Wilkins" / "Kristen Wilkins": the spelling used most)."""
        if len(candidates) == 1:
            return next(iter(candidates))
        firsts = [c.split()[0].lower() for c in candidates]
        lasts = {c.split()[-1].lower() for c in candidates}
        close = all(fuzz.ratio(firsts[0], f) >= self.params.variant_min for f in firsts)
        if len(lasts) == 1 and close:
            return max(sorted(candidates), key=lambda c: self.mention_counts[c])
        return None

    def _shared(self, candidates: set[str], at: int | None) -> str | None:
        """A surname several people share ("Clinton"): the one the article is about (far
        more mentions), else the one last named in full before `at`."""
        ranked = sorted(candidates, key=lambda c: -self.mention_counts[c])
        top, second = ranked[0], ranked[1]
        if self.mention_counts[top] >= self.params.dominant * max(1, self.mention_counts[second]):
            return top
        if at is None:
            return None
        last = {
            c: max((p for p in self.positions.get(c, []) if p < at), default=-1) for c in ranked
        }
        best = max(ranked, key=lambda c: last[c])
        return best if last[best] >= 0 else None

    def full_name(self, text: str, at: int | None = None) -> str | None:
        """The article's full name for a person mention: exact, by surname or first name,
        or by a near-miss surname; a surname several people share by salience and recency
        (`at`: where the mention is)."""
        name = strip_titles(normalise_name(text))
        if not name:
            return None
        if name in self._resolved:
            found = self._resolved[name]
        else:
            found = self._resolved[name] = self._resolve(name)
        if isinstance(found, frozenset):
            return self._shared(set(found), at)
        return found

    def _resolve(self, name: str) -> str | frozenset[str] | None:
        """full_name's answer, or the people sharing the surname for `_shared` to choose."""
        exact = {p for p in self.full_people if p.lower() == name.lower()}
        if exact:
            variants = {p for p in self.full_people if self._pick({*exact, p}) is not None}
            return self._pick(variants) or exact.pop()
        part = {p for p in self.full_people if matches_full_name(name, p)}
        last = name.split()[-1].lower()
        by_surname = {p for p in part if p.split()[-1].lower() == last}
        if part:
            pool = by_surname or part
            return self._pick(pool) or frozenset(pool)
        if len(name.split()) > 1:
            return None
        close = {
            p
            for p in self.full_people
            if fuzz.ratio(last, p.split()[-1].lower()) >= self.params.fuzzy_min
        }
        return self._pick(close) if close else None

    # -- who has spoken --------------------------------------------------------------
    def record(self, att: Attribution, speaker: Speaker) -> None:
        if speaker.is_person and speaker.role and speaker.name not in self.roles:
            self.roles[speaker.name] = speaker.role
        if speaker.is_person and not speaker.role:
            speaker.role = self.roles.get(speaker.name)
        self.by_att[id(att)] = speaker
        self.history.append((att, speaker))
