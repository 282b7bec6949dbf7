"""What the speaker steps know about one article, owned in one place.

The name resolver (speakers.py) and the pronoun resolver (pronouns.py) both read it and
the name resolver writes it, so neither module reaches into the other: the people the
article names in full and how a partial name resolves to one of them, their genders as
the text shows them, the roles they were given, and who has spoken so far.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from bot.nlp.names import (
    PARTICLES,
    TITLES,
    is_full_name,
    matches_full_name,
    normalise_name,
    strip_titles,
)
from bot.nlp.quotes.context import Attribution, Context, Speaker
from bot.nlp.quotes.gender import PRONOUN_GENDER, infer_genders
from bot.nlp.quotes.lexicon import (
    first_name_gender,
    is_first_name,
    personal,
    sure_gender,
    tidy_name,
)
from bot.nlp.quotes.phrases import ORG_WORDS, clean_name, joined, name_run, span_text


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
        if tok.i + 2 < len(doc) and joined(doc, tok.i + 1):
            continue  # "Pryce" of "Callum Pryce-Jones": the name ends at "Jones"
        if tok.ent_type_ == "PERSON" or ctx.in_quotes(tok):
            continue
        text = span_text(name_run(tok))[0]
        if personal(text):
            out.append(tidy_name(text))
    return out


TITLE_GENDER = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f"}
KINSHIP = re.compile(
    r"(?:\b(?:his|her|their)|[\w-]+['’]s)\s+(?:[\w-]+\s+){0,3}?(?:wife|husband|son|daughter|"
    r"brother|sister|mother|father|partner|widow|widower|cousin|niece|nephew|grandson|"
    r"granddaughter|uncle|aunt)\b[^.;:\n]{0,30}$",
    re.I,
)
_WORD = re.compile(r"[^\W\d_][\w'’.-]*[\w]|[^\W\d_]")  # a word, hyphens and apostrophes inside
PARENTS = ("father", "mother", "grandfather", "grandmother", "dad", "mum", "mom")
CHILDREN = ("son", "daughter", "grandson", "granddaughter")
_FIRST_BEFORE = re.compile(r"(?:^|[\s(,])([A-Z][\w'’-]+) $")  # a word just before a name
_NICK_OPEN = frozenset({' "', " “", " ‘"})
_NICK_CLOSE = frozenset({'" ', "” ", "’ "})
_SKIP_ENTS = frozenset({"GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "EVENT", "WORK_OF_ART"})


def _capitalised(word: str) -> bool:
    return all(part[:1].isupper() for part in word.split("-") if part)


def _opens_with_first_name(word: str) -> bool:
    """ "Tomasz", "Marc-Olivier" (the lexicon knows "Marc"), not "Analyst"."""
    return is_first_name(word) or ("-" in word and is_first_name(word.split("-")[0]))


def _used_alone(text: str, first: str, surname: str) -> bool:
    """ "Alemu-Haile finished second": the surname stands somewhere without `first`."""
    for hit in re.finditer(re.escape(surname), text):
        before = text[max(0, hit.start() - len(first) - 1) : hit.start()].strip()
        if before != first and text[hit.start() - 1 : hit.start()] in ("", " ", "\n"):
            return True
    return False


def _names_in_text(ctx: Context) -> list[str]:
    """Full names read off the words themselves, where the parse broke them up: a known
    first name, a surname's particles and one or two capitalised surname words
    ("Tomasz van der Berg", "Tigist Alemu-Haile", "Morgan St-Pierre"), outside quotation
    marks and not inside a place or a nationality ("Ugandan")."""
    text = ctx.text
    words = list(_WORD.finditer(text))
    out: list[str] = []
    for n, w in enumerate(words):
        first = w.group()
        if not first[:1].isupper() or first.lower() in TITLES or ctx.in_span(w.start()):
            continue
        tok = ctx.token_at(w.start())
        # "Tigist" is in no lexicon: a person by the NER, or a proper noun before a surname
        # the article uses on its own ("Alemu-Haile finished second")
        tagged = tok is not None and tok.ent_type_ == "PERSON"
        proper = tok is not None and tok.pos_ == "PROPN" and tok.ent_type_ == ""
        known = _opens_with_first_name(first.rstrip("."))
        if not (known or ((tagged or proper) and first.isalpha())):
            continue
        parts, end, k = [first], w.end(), n + 1
        surname, nicknamed = 0, False
        while k < len(words) and surname < 2:
            nxt = words[k]
            gap = text[end : nxt.start()]
            after = text[nxt.end() : nxt.end() + 2]
            if not surname and gap in _NICK_OPEN and after in _NICK_CLOSE:
                end, k = nxt.end() + 1, k + 1  # Marguerite “Margo” Bellefleur
                nicknamed = True
                continue
            if gap != " ":  # punctuation or a line break ends a name
                break
            word = nxt.group()
            particled = any(p.lower() in PARTICLES for p in parts[1:])
            middle = known and len(parts) == 2 and is_first_name(parts[-1])
            if word.lower() in PARTICLES and (not surname or middle):
                parts.append(word)  # "João Pedro dos Santos Farinha": "Pedro" a middle name
                surname = 0
            elif surname and not is_first_name(parts[-1]) and not particled:
                break  # a second surname word only after a middle name ("Mary Ann Smith")
            # or a particle: "dos Santos Farinha"
            elif _capitalised(word) and word.lower() not in ORG_WORDS and len(word) > 1:
                parts.append(word)
                surname += 1
            else:
                break
            end, k = nxt.end(), k + 1
        if not surname or parts[-1].lower() in PARTICLES:
            continue
        particled = any(p.lower() in PARTICLES for p in parts[1:])
        shape = surname == 2 and len(parts) > 3 and not particled  # "dos Santos Farinha"
        if shape and not _opens_with_first_name(parts[-2]):
            continue
        if tok is not None and tok.ent_type_ in _SKIP_ENTS:
            continue
        if tok is not None and (tok.is_stop or tok.ent_type_ not in ("", "PERSON", "ORG")):
            continue  # "On Saturday", "Ethiopia's"
        name = " ".join(parts)
        if not known and not tagged and not _used_alone(text, first, parts[-1]):
            continue  # a proper noun before a name, unless the surname is used alone
        if any(p.lower() in PARTICLES for p in parts) or "-" in name or nicknamed:
            out.append(tidy_name(name))  # the shapes the small model breaks up
    return out


def credit_at(text: str, end: int) -> bool:
    """A photo credit's name: "(Cindy White/CBC News)" quotes no one."""
    return text[end : end + 1] == "/"


def _credit(name: str, ctx: Context) -> bool:
    hits = [h.end() for h in re.finditer(re.escape(name.rstrip("/")), ctx.text)]
    return name.endswith("/") or (bool(hits) and all(credit_at(ctx.text, e) for e in hits))


def _fragment(name: str, people: list[str], text: str = "") -> bool:
    """A name that is only part of a longer one, with no first name of its own ("van der
    Berg" beside "Tomasz van der Berg"), or written only after a particle ("Santos
    Farinha" of "João Pedro dos Santos Farinha")."""
    first = name.split()[0]
    no_first = first.lower() in PARTICLES or not _opens_with_first_name(first)  # "Van Houten"
    hits = [h.start() for h in re.finditer(re.escape(name), text)]
    after_particle = bool(hits) and all(
        (m := re.search(r"(\w+) $", text[max(0, at - 12) : at])) and m.group(1).lower() in PARTICLES
        for at in hits
    )
    longer = any(matches_full_name(name, p) for p in people)
    return (no_first or after_particle) and longer


def _relatives(ctx: Context, people: list[str]) -> set[str]:
    """People introduced as someone's relative: "His wife, Rosalind Herrera-Blackfeather",
    "Her daughter, Josée Lacasse-Nguyen" (a bare shared surname is rarely theirs)."""
    out = set()
    for name in people:
        for hit in re.finditer(re.escape(name), ctx.text):
            before = ctx.text[max(0, hit.start() - 40) : hit.start()]
            if KINSHIP.search(before):
                out.add(name)
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
    relatives: set[str] = field(default_factory=set)  # "His wife, Rosalind Herrera-…"
    ctx: Context | None = None
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
        for m in ctx.entities.mentions:  # "Dean Johnson", which the entities keep as "Johnson"
            written = tidy_name(normalise_name(m.text))
            if m.label != "PERSON" or written in full or not is_full_name(written):
                continue
            first = written.split()[0]
            if _opens_with_first_name(first) and matches_full_name(m.canonical, written):
                full[written] = None
        for m in ctx.entities.mentions:  # "Fergus Whitlock" where the NER saw "Whitlock"
            if m.label != "PERSON" or is_full_name(m.text) or ctx.in_span(m.start):
                continue
            before = _FIRST_BEFORE.search(ctx.text[max(0, m.start - 30) : m.start])
            first = before.group(1) if before else ""
            if first.lower() not in TITLES and _opens_with_first_name(first):
                full.setdefault(tidy_name(f"{before.group(1)} {m.text}"), None)
        for name in _names_in_text(ctx):
            # only a longer form of a name the article uses ("van der Berg" → "Tomasz van
            # der Berg"), or one no known name covers
            if not any(matches_full_name(name, p) or p.lower() == name.lower() for p in full):
                full[name] = None
        people = [p for p in full if is_full_name(p) and clean_name(p) and not _credit(p, ctx)]
        people = [p for p in people if not _fragment(p, people, ctx.text)]
        for name in people:  # where each full name is written, whatever the NER saw
            for hit in re.finditer(re.escape(name), ctx.text):
                if hit.start() not in positions.get(name, []):
                    positions.setdefault(name, []).append(hit.start())
        genders = infer_genders(ctx.doc, ctx.entities, ctx.in_quotes, sure_gender)
        memory = cls(
            full_people=people,
            mention_counts=counts,
            genders={tidy_name(name): g for name, g in genders.items()},
            params=params or NameParams(),
            positions={n: sorted(ps) for n, ps in positions.items()},
            relatives=_relatives(ctx, people),
            ctx=ctx,
        )
        for name in list(memory.genders):  # "St-Pierre": she → Morgan St-Pierre
            owners = [p for p in people if matches_full_name(name, p)]
            if len(owners) == 1:  # not a surname two people share
                memory.genders.setdefault(owners[0], memory.genders[name])
        return memory

    # -- who is who ------------------------------------------------------------------
    def learn(self, full: str) -> None:
        """A full name the parse showed: later "Paris" is "Valeska Paris" (`full` tidied
        by the caller)."""
        if is_full_name(full) and full not in self.full_people:
            self.full_people.append(full)
            self._resolved.clear()
            if self.ctx is not None and full not in self.positions:  # for "the chief executive"
                found = [m.start() for m in re.finditer(re.escape(full), self.ctx.text)]
                if found:
                    self.positions[full] = found

    def placelike(self, name: str) -> bool:
        """A lone capitalised word the article uses as a place or a body, never as a
        person: never a subject, and after "of"/"in"/"from" or modifying a common noun
        ("Lindmark public broadcaster"); not someone she or he can stand for."""
        ctx = self.ctx
        if ctx is None or len(name.split()) != 1 or name in self.full_people:
            return False
        toks = [t for t in ctx.doc if t.text == name and not ctx.in_span(t.idx)]
        if not toks or any(t.dep_ in ("nsubj", "nsubjpass") for t in toks):
            return False  # "In 't Veld sees parallels": a person acts
        return any(
            (t.dep_ == "compound" and t.head.pos_ == "NOUN")
            or (t.dep_ == "pobj" and t.head.lower_ in ("of", "in", "from", "across"))
            for t in toks
        )

    def generation(self, surname: str, word: str) -> str | None:
        """ "the elder van Rooyen": of the people sharing the surname, the one the article
        introduced as a parent ("Her father and coach, Joost van Rooyen"); "the younger
        Kealy": the one introduced as a son or daughter."""
        if self.ctx is None:
            return None
        kin = PARENTS if word in ("elder", "older") else CHILDREN
        family = [p for p in self.full_people if matches_full_name(surname, p)]
        fits = set()
        for name in family:
            for at in self.positions.get(name, []):
                before = self.ctx.text[max(0, at - 40) : at].lower()
                if any(re.search(rf"\b{k}\b[^.;:\n]{{0,25}}$", before) for k in kin):
                    fits.add(name)
        return fits.pop() if len(fits) == 1 and len(family) > 1 else None

    def royal(self, title: str) -> str | None:
        """The one monarch the article gives this title: "the King" → "Frederik-Anton"
        after "King Frederik-Anton" (a monarch goes by given name)."""
        if self.ctx is None:
            return None
        names = {
            m.group(1)
            for m in re.finditer(rf"\b{re.escape(title)}\s+([A-Z][\w'’-]+)\b", self.ctx.text, re.I)
            if m.group(1)[:1].isupper() and not self.ctx.in_span(m.start())
        }
        return names.pop() if len(names) == 1 else None

    def _pick(self, candidates: set[str]) -> str | None:
        """One person among candidates, allowing for spelling variants of one name
        ("Kristin Wilkins" / "Kristen Wilkins": the spelling used most)."""
        if len(candidates) == 1:
            return next(iter(candidates))
        firsts = [c.split()[0].lower() for c in candidates]
        lasts = {c.split()[-1].lower() for c in candidates}
        close = all(fuzz.ratio(firsts[0], f) >= self.params.variant_min for f in firsts)
        kin = candidates & self.relatives  # "The author's daughter, Cerys …": not Nerys
        if len(lasts) == 1 and close and not kin:
            text = self.ctx.text if self.ctx is not None else ""
            return max(sorted(candidates), key=lambda c: (self.mention_counts[c], text.count(c)))
        return None

    def _shared(self, candidates: set[str], at: int | None) -> str | None:
        """A surname several people share ("Clinton"): the one the article is about (far
        more mentions), else the one last named in full before `at`."""
        if at is not None and self.ctx is not None:
            gender = self._gender_after(at)
            fits = {c for c in candidates if self.gender_of(c) in (gender, None)}
            if gender is not None and len(fits) == 1:
                return fits.pop()  # "Herrera-Blackfeather said he …": the man
            if len(fits) > 1:
                candidates = fits
        principal = candidates - self.relatives
        if len(principal) == 1:
            return principal.pop()  # not "his wife, …" nor "her daughter, …"
        if not principal:
            principal = candidates
        ranked = sorted(principal, key=lambda c: (-self.mention_counts[c], c))
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
        written = normalise_name(text)
        name = strip_titles(written)
        if not name:
            return None
        if written in self._resolved:
            found = self._resolved[written]
        else:
            found = self._resolved[written] = self._resolve(name, written)
        if isinstance(found, frozenset):
            return self._shared(set(found), at)
        return found

    def _resolve(self, name: str, written: str) -> str | frozenset[str] | None:
        """full_name's answer, or the people sharing the surname for `_shared` to choose
        (`name`: `written` without its titles)."""
        titled = TITLE_GENDER.get(written.split()[0].lower()) if written != name else None
        exact = {p for p in self.full_people if p.lower() in (name.lower(), written.lower())}
        if exact:  # "Dean Johnson", "Gen Nakatani": a first name that is also a title
            variants = {p for p in self.full_people if self._pick({*exact, p}) is not None}
            return self._pick(variants) or exact.pop()
        part = {p for p in self.full_people if matches_full_name(name, p)}
        last = name.split()[-1].lower()
        by_surname = {p for p in part if p.split()[-1].lower() == last}
        if part:
            pool = by_surname or part
            if titled is not None and len(pool) > 1:  # "Mrs. Clinton" is not Bill
                fits = {c for c in pool if self.gender_of(c) in (titled, None)}
                pool = fits or pool
            return self._pick(pool) or frozenset(pool)
        if len(name.split()) > 1:
            return None
        close = {
            p
            for p in self.full_people
            if fuzz.ratio(last, p.split()[-1].lower()) >= self.params.fuzzy_min
        }
        return self._pick(close) if close else None

    def shared(self, text: str) -> bool:
        """A partial name that two of the article's people share ("Clinton")."""
        name = strip_titles(normalise_name(text))
        return len({p for p in self.full_people if matches_full_name(name, p)}) > 1

    def gender_of(self, name: str) -> str | None:
        """The text's evidence, else the first name's."""
        return self.genders.get(name) or first_name_gender(name.split()[0])

    def _gender_after(self, at: int) -> str | None:
        """The gender of the first he/his/she/her after a mention in its sentence, outside
        quotation marks ("Lacasse-Nguyen, for her part, …")."""
        ctx = self.ctx
        tok = ctx.token_at(at) if ctx is not None else None
        if tok is None:
            return None
        for t in tok.doc[tok.i + 1 : tok.sent.end]:
            if t.ent_type_ == "PERSON" or ctx.in_quotes(t):
                return None
            if (g := PRONOUN_GENDER.get(t.lower_)) is not None:
                return g
        return None

    # -- who has spoken --------------------------------------------------------------
    def record(self, att: Attribution, speaker: Speaker) -> None:
        if speaker.is_person and speaker.role and speaker.name not in self.roles:
            self.roles[speaker.name] = speaker.role
        if speaker.is_person and not speaker.role:
            speaker.role = self.roles.get(speaker.name)
        self.by_att[id(att)] = speaker
        self.history.append((att, speaker))
