"""Speakers: from the words that point at a source to the name it is stored under.

- People get their canonical full name: titles dropped, surnames and first names resolved
  to the full name the article used ("Yau" → "Niva Yau", "Professor Elizabeth Wishnick" →
  "Elizabeth Wishnick"), a misspelt surname matched to the closest one ("Bauchtman" →
  "Lydia Buchtmann"), spelling variants to the commonest. A proper noun that is the
  subject of a cue is a speaker even when the small model's NER calls it an organisation
  or a place, and once accepted its full name resolves later surnames.
- Other sources are kept as written, less quantifiers ("some analysts" → "analysts");
  "the authors" after "the report's authors" is the same source; "WHO" is the World Health
  Organisation when the article spells it out.
- Roles come from an apposition, the words before the name, or the entity's role.
- Pronouns: see pronouns.py; what both know of the article lives in memory.py.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property

from spacy.tokens import Span, Token

from bot.nlp.entities import CORPORATE_SUFFIXES
from bot.nlp.names import (
    TITLES,
    acronym,
    is_full_name,
    normalise_name,
    strip_titles,
)
from bot.nlp.quotes.context import Attribution, Context, Speaker, anchor
from bot.nlp.quotes.cues import (
    AUTHORLESS,
    DOCUMENT_NOUNS,
    ISSUE_VERBS,
    ORG_KINDS,
    SUBJECTS,
    noun_phrase,
    same_paragraph,
    subject_of,
)
from bot.nlp.quotes.lexicon import ROYAL_TITLES, person_noun, personal, tidy_name
from bot.nlp.quotes.memory import SpeakerMemory
from bot.nlp.quotes.phrases import (
    PERSON_TITLES,
    PUBLIC_BODIES,
    QUANTIFIERS,
    clean_name,
    looks_like_name,
    name_run,
    no_parens,
    span_text,
    with_of,
)
from bot.nlp.quotes.pronouns import PRONOUNS, PronounResolver
from bot.records import Mention

# A role written two ways: "Chief executive Zhang Wei" … "the CEO".
ROLE_ALIASES = {
    "ceo": ("executive", "ceo"),
    "judge": ("justice", "judge"),
    "premier": ("premier",),
    "filmmaker": ("director", "writer-director", "filmmaker"),
    "detective": ("det.", "det"),
    "sergeant": ("sgt.", "sgt"),
    "inspector": ("insp.", "insp"),
    "constable": ("const.", "cst.", "const", "cst"),
    "superintendent": ("supt.", "supt"),
    "lieutenant": ("lt.", "lt"),
    "captain": ("capt.", "capt"),
    "corporal": ("cpl.", "cpl"),
}


# Nouns that describe a person by age alone, as "the 24-year-old" does.
AGE_NOUNS = frozenset(
    ["teenager", "teen", "youngster", "toddler", "pensioner", "octogenarian", "nonagenarian",
     "centenarian", "retiree", "schoolboy", "schoolgirl"]
)  # fmt: skip
# Relatives and the gender the word gives them (None: either).
KIN_GENDER = {
    "husband": "m", "wife": "f", "brother": "m", "sister": "f", "son": "m", "daughter": "f",
    "father": "m", "mother": "f", "widow": "f", "widower": "m", "uncle": "m", "aunt": "f",
    "nephew": "m", "niece": "f", "grandson": "m", "granddaughter": "f", "grandfather": "m",
    "grandmother": "f", "partner": None, "cousin": None, "fiancé": "m", "fiancée": "f",
}  # fmt: skip
POSSESSIVE_GENDER = {"his": "m", "her": "f"}


# Kinds of organisation no person is called ("the developer" may be Trump).
ORG_ONLY = ORG_KINDS - {"developer", "operator", "publisher", "broadcaster", "manufacturer"}
DATELINE_DASHES = frozenset({"—", "–", "-", "--"})


# Plurals whose possessive is written "'s", so part of a name: "Women's Tennis Association".
PLURAL_OWNERS = frozenset({"women", "men", "children", "people"})
# The last word of a company's or club's full name: "Crumbwell Foods Inc", "Coastal FC".
LEGAL_FORMS = CORPORATE_SUFFIXES | {"fc", "afc", "cf", "sc", "group", "holdings", "co"}
_OWNER = re.compile(r"^[A-Z][\w.-]*['’]s\s+(?=[A-Z])")
_CORPORATE = re.compile(r"\b(?:Inc|Ltd|Corp|Co|Bros|Plc|Cie)\.$", re.I)


def _org_form(text: str) -> str:
    """An organisation's name as stored, keeping the period of "Ltd." or "Inc." when the
    text writes it (the name is "Tillpoint Inc.", not "Tillpoint Inc")."""
    name = normalise_name(text)
    if _CORPORATE.search(no_parens(text).strip(" ,;:")) and not name.endswith("."):
        return name + "."
    return name


def _kinds(name: str) -> set[str]:
    """The kinds of organisation a name says it is: "Nova Scotia Nurses' Union" → union."""
    return {w for w in name.lower().split() if w in ORG_KINDS}


class SpeakerResolver:
    def __init__(self, ctx: Context, memory: SpeakerMemory | None = None) -> None:
        self.ctx = ctx
        self.memory = memory or SpeakerMemory.build(ctx)
        self.pronouns = PronounResolver(ctx, self.memory)

    def full_name(self, text: str, at: int | None = None) -> str | None:
        return self.memory.full_name(text, at)

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
        heads = [head]
        if head.dep_ in SUBJECTS:  # "Her co-author and husband, … Joost van Houten, said":
            # the small model splits "co-author" into several subjects
            heads += [c for c in head.head.children if c.dep_ in SUBJECTS and c.i != head.i]
        appos = [c for h in heads for c in h.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        for child in appos:
            m = self._mention(child)
            if m is not None and m.label == "PERSON":
                return child
        for child in appos:
            m = self._mention(child)
            if m is None and looks_like_name(name_run(child)):
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
        chain = name_run(tok)
        if (m is not None and m.label == "PERSON") or looks_like_name(chain):
            before = doc[chain[0].i - 1] if chain[0].i > lo else None
            if before is not None and (before.pos_ in ("PROPN", "NOUN") or before.text == ","):
                return tok
        return None

    def _dateline_at(self, pos: int) -> bool:
        tok = self.ctx.token_at(pos)
        return tok is not None and self._past_dateline(tok) is not tok

    def _past_dateline(self, head: Token) -> Token:
        """ "TORONTO — Kestrel Robotics Inc, …, said": the speaker is after the dateline
        (an upper-case place opening the paragraph), the head of the first name after it."""
        if not (head.is_upper and head.is_alpha and len(head) > 2):
            return head
        para_start = self.ctx.paras[self.ctx.para_of(head.idx)][0]
        if any(t.is_alpha for t in self.ctx.tokens_between(para_start, head.idx)):
            return head
        sent = list(head.sent)
        dash = next((t for t in sent if t.i > head.i and t.text in DATELINE_DASHES), None)
        if dash is None:
            return head
        after = next((t for t in sent if t.i > dash.i and t.pos_ == "PROPN"), None)
        if after is None:
            return head
        while after.dep_ == "compound" and after.head.pos_ == "PROPN" and after.head.i > after.i:
            after = after.head
        return after

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
            if not looks_like_name(run):
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
        head = self._past_dateline(head)
        mention = self._mention(head)
        if mention is None or mention.label != "PERSON":
            person = self._person_near(head, verb)
            if person is not None:
                role_tokens = [
                    t
                    for t in head.doc[head.left_edge.i : name_run(person)[0].i]
                    if t.dep_ != "det" and not t.is_punct
                ]
                head, mention = person, self._mention(person)
            elif any(c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN") for c in head.children):
                return self.common(head)  # "the School District and the Police Department"
            elif head.pos_ == "NOUN":
                named_org = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
                if named_org:  # "North Korea's main news agency Korean Central News Agency"
                    return self.common(named_org[0])
        capitalised = head.is_alpha and head.text[:1].isupper()  # the tag may be wrong
        if capitalised or (mention is not None and mention.label == "PERSON"):
            speaker = self._person(head, mention, role_tokens)
            if speaker is not None:
                return speaker
        return self.common(head)

    def _person(
        self, head: Token, mention: Mention | None, role_tokens: list[Token]
    ) -> Speaker | None:
        chain = name_run(head)
        while len(chain) > 2 and chain[0].ent_type_ == "NORP" and chain[0].whitespace_:
            chain = chain[1:]  # "Ugandan Dawit Okello-Baptiste"
        text, start, end = span_text(chain)
        is_person = mention is not None and mention.label == "PERSON"
        full = None
        usable = is_person and clean_name(mention.canonical)
        if usable and self.memory.shared(mention.text):
            usable = False  # the NER's link for a surname two people share: decide here
        written = mention.text if is_person else None  # "al-Hassan" where the run is "Hassan"
        as_written = tidy_name(strip_titles(normalise_name(text)))
        if as_written in self.memory.full_people:
            usable = False  # "Fergus Whitlock" as written, not the NER's "Declan Whitlock"
        for candidate in (mention.canonical if usable else None, text, written):
            if candidate and (full := self.full_name(candidate, head.idx)) is not None:
                break
        titled = head.i > 0 and head.doc[chain[0].i - 1].lower_ in PERSON_TITLES
        bare = strip_titles(normalise_name(text))
        organisation = mention is not None and not is_person and mention.text == text
        if full is None and looks_like_name(chain) and len(bare.split()) > 1 and not organisation:
            full = bare  # the parse shows a name the NER missed or mislabelled
        if full is None and (is_person or titled or chain[0].lower_ in PERSON_TITLES):
            full = mention.canonical if usable else bare
        before = head.doc[chain[0].i - 1].lower_ if chain[0].i > 0 else ""
        if before in ("elder", "older", "younger"):  # "the elder Kealy": the father
            full = self.memory.generation(bare, before) or full
        if before == "the" and bare.lower() in ROYAL_TITLES:  # "the King": the one king named
            full = self.memory.royal(bare) or full
        if full is None:
            return None  # not a person: named from its whole phrase by _common
        full = tidy_name(full)
        self.memory.learn(full)  # later "Paris" is "Valeska Paris"
        role = self._role(head, chain, role_tokens, full)
        return Speaker(full, text, start, end, True, role)

    def _expand(self, name: str) -> str:
        """An organisation's acronym → the name it abbreviates, if the article spells it."""
        if not name.isupper():
            return name
        for m in self.ctx.entities.mentions:
            spelled = re.sub(r"^(?:an?|the) ", "", no_parens(m.canonical), flags=re.I)
            if len(spelled.split()) > 1 and acronym(spelled) == name:
                return spelled
        return name

    def common(self, head: Token) -> Speaker:
        tokens = noun_phrase(head)
        numbers = [c for c in head.children if c.dep_ == "nummod" and c.i == head.i + 1]
        if numbers and head.pos_ == "PROPN":
            tokens.append(numbers[0])  # "UFCW Local 832"
        while tokens and (tokens[0].is_punct or tokens[0].lower_ in QUANTIFIERS):
            tokens.pop(0)
        if head.pos_ == "PROPN":
            tokens = with_of(head, tokens)
            dashes = [t for t in tokens if t.text in DATELINE_DASHES and t.i < head.i]
            if dashes and tokens[0].is_upper and tokens[0].i < dashes[-1].i:
                tokens = [t for t in tokens if t.i > dashes[-1].i]  # "OTTAWA (Reuters) - …"
            # "Saudi Arabia's Civil Defense Authority"; not "Nova Scotia Nurses' Union"
            owners = [t for t in tokens if t.dep_ == "case" and t.i < head.i and t.text != "'"]
            ent = next((e for e in head.doc.ents if e.start <= head.i < e.end), None)
            whole = ent is not None and ent.label_ == "ORG" and ent.start <= tokens[0].i + 1
            owner = owners[-1].head if owners else None
            plural = owner is not None and owner.lower_ in PLURAL_OWNERS
            if owners and not (whole and ent.start < owners[-1].i and plural):
                # "Saudi Arabia's Civil Defense Authority" → the authority's name; not
                # "The Women's Tennis Association" (as "Nurses' Union", one name)
                tokens = [t for t in tokens if t.i > owners[-1].i]
            kinds = [t for t in tokens if t.i < head.i and t.pos_ == "NOUN" and t.is_lower]
            if kinds and tokens[-1].i > kinds[-1].i + 1:
                # "Payments company Tillpoint Inc." → "Tillpoint Inc."
                tokens = [t for t in tokens if t.i > kinds[-1].i]
        text, start, end = span_text(tokens or [head])
        if head.pos_ == "PROPN" or (head.text.isupper() and len(head.text) > 1):
            name = self._expand(no_parens(_org_form(text)))  # "WHO" → its full name
        else:
            name = text
        if head.pos_ == "PROPN" and len(name.split()) <= 2:
            name = self._longer_org(name)
        words = name.split()
        if words and words[0].lower() in ("the", "a", "an") and head.pos_ != "PROPN":
            name = " ".join([words[0].lower(), *words[1:]])
        plural = head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in head.children)
        if len(tokens) == 2 and tokens[0].lower_ == "the" and head.pos_ == "NOUN":
            for _, earlier in reversed(self.memory.history):
                if not earlier.is_person and earlier.name.lower().endswith(" " + head.lower_):
                    name = earlier.name  # "the authors" after "the report's authors"
                    break
        return Speaker(name, text, start, end, False, None, plural)

    @cached_property
    def _dotted(self) -> set[str]:
        """Organisations the text writes with "Inc." or "Corp.", somewhere."""
        text = self.ctx.text
        return {
            m.canonical
            for m in self.ctx.entities.mentions
            if m.label == "ORG" and (m.text.endswith(".") or text[m.end : m.end + 1] == ".")
        }

    def _longer_org(self, name: str) -> str:
        """A company or club by the short name the article goes on to use: "Crumbwell" →
        "Crumbwell Foods Inc", "Coastal" → "Coastal FC", when one such name starts so."""
        longer = {
            self._org_name(m)
            for m in self.ctx.entities.mentions
            if m.label == "ORG" and m.canonical.startswith(name + " ")
        }
        longer = {o for o in longer if o.split()[-1].lower().rstrip(".") in LEGAL_FORMS}
        return longer.pop() if len(longer) == 1 else name

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
                    return span_text(toks)[0]
        if role_tokens:
            return span_text(role_tokens)[0]
        before = [
            t for t in noun_phrase(head) if t.i < names[0].i and t.dep_ != "det" and not t.is_punct
        ]
        if before and any(t.pos_ == "NOUN" or t.lower_ in TITLES for t in before):
            return span_text(before)[0]
        entity = self.ctx.entities.entities.get(name)
        if entity is not None and entity.role:
            return entity.role
        return self.memory.roles.get(name)

    def _author(self, doc_noun: Token) -> Token | None:
        """Who a document speaks for: its owner ("Cornyn's statement"), "a report by
        Reuters", "a statement from the union", whoever put it out in the sentence
        ("Trump posted a message saying …"), or who issued one just before ("The union
        issued a release on Monday. The release said …")."""
        for child in doc_noun.children:
            if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
                return child
            if child.dep_ == "prep" and child.lower_ in ("by", "from", "of"):
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs and (objs[0].pos_ == "PROPN" or objs[0].ent_type_):
                    return objs[0]
        verb = doc_noun.head
        if doc_noun.dep_ == "dobj" and verb.lemma_ in ISSUE_VERBS:
            return subject_of(verb)
        if doc_noun.dep_ == "nsubj" and verb.lemma_ == "quote":  # "The release quoted X as
            quoted = [c for c in verb.children if c.dep_ == "dobj"]  # saying …": X's words
            named = [c for q in quoted for c in q.children if c.dep_ == "appos"]
            for obj in [*quoted[:1], *named[:1]][::-1]:  # "its chief executive, Ana Ruiz"
                if obj.pos_ == "PROPN" or obj.ent_type_ == "PERSON":
                    return obj
        ctx = self.ctx
        k = ctx.para_of(doc_noun.idx)
        lo = ctx.paras[max(0, k - 2)][0]
        for tok in reversed(ctx.tokens_between(lo, doc_noun.idx)):
            if tok.lemma_ != doc_noun.lemma_ or tok.dep_ != "dobj" or ctx.in_quotes(tok):
                continue
            if tok.head.lemma_ in ISSUE_VERBS or tok.head.lemma_ in ("make", "give"):
                subj = subject_of(tok.head)
                if subj is not None and subj.lower_ not in PRONOUNS:
                    return subj
        for tok in reversed(ctx.tokens_between(lo, doc_noun.idx)):
            # "RCMP said in a news release … the release said": the one who said it in one
            if tok.lemma_ != doc_noun.lemma_ or tok.dep_ != "pobj" or ctx.in_quotes(tok):
                continue
            prep = tok.head
            if prep.lower_ == "in" and prep.head.pos_ == "VERB":
                subj = subject_of(prep.head)
                if subj is not None and subj.lower_ not in PRONOUNS:
                    return subj
        return None

    # -- relatives: "her husband", "his sister" ---------------------------------------
    def relative(self, head: Token) -> str | None:
        """The person a kinship phrase stands for: the one the article introduced with that
        relation ("Gerald Ostrowski, 71, and his wife, Bernadette Ostrowski" … "His wife
        said"), else the one person sharing the owner's surname with the relation's gender
        ("Evelyn and Hugh Marchetti-Young" … "Her husband said": Hugh)."""
        kin = head.lower_
        owners = [c for c in head.children if c.dep_ == "poss"]
        if kin not in KIN_GENDER or not owners:
            return None
        ctx, memory = self.ctx, self.memory
        introduced = re.compile(
            rf"(?:\b(?:his|her|their)|[\w-]+['’]s)\s+(?:[\w-]+\s+){{0,3}}?{kin}\b[^.;:\n]{{0,30}}$",
            re.I,
        )
        apposed = re.compile(rf"^,?\s*(?:\d+\s*,\s*)?(?:his|her|their)\s+{kin}\b", re.I)
        found: list[tuple[int, str]] = []
        for name, ats in memory.positions.items():
            for at in ats:
                if at >= head.idx or ctx.in_span(at):
                    continue
                before = ctx.text[max(0, at - 50) : at]
                after = ctx.text[at + len(name) : at + len(name) + 30]
                if introduced.search(before) or apposed.search(after):
                    found.append((at, name))
        if len({n for _, n in found}) == 1:
            return found[-1][1]
        if found:
            return None  # two people introduced so: not for a guess
        owner = owners[0]
        window = ctx.paras[max(0, ctx.para_of(head.idx) - 2)][0]
        if owner.lower_ in POSSESSIVE_GENDER:
            g = POSSESSIVE_GENDER[owner.lower_]
            named = self.pronouns.people_between(window, head.idx)
            fits = [n for _, n in named if memory.gender_of(n) == g]
            owner_name = fits[-1] if fits else None
        else:
            owner_name = self.full_name(span_text(name_run(owner))[0], owner.idx)
        if owner_name is None or len(owner_name.split()) < 2:
            return None
        surname, gender = owner_name.split()[-1], KIN_GENDER[kin]
        family = {
            p
            for p in memory.full_people
            if p != owner_name
            and p not in memory.relatives  # "his wife Manju Sam" is not "Thomas' sister"
            and p.split()[-1] == surname
            and memory.gender_of(p) in (gender, None)
        }
        return family.pop() if len(family) == 1 else None

    # -- roles and organisations: "the mayor", "the company" ---------------------------
    def referent(self, head: Token, speaker: Speaker) -> Speaker:
        """The person or organisation a definite description stands for, when the article
        makes it unambiguous: "the mayor" → the one person called mayor before; "the
        28-year-old" → the one person given that age; "the company" → the company last
        named. Anything else stays as written."""
        words = [t for t in noun_phrase(head) if not t.is_punct]
        aged = head.lower_ == "old" and any(t.like_num for t in words)  # "the 28-year-old"
        lost = words and words[0].i > 0 and head.doc[words[0].i - 1].lower_ == "the"
        if lost and words[0].lower_ != "the":  # a parse that lost the article
            words = [head.doc[words[0].i - 1], *words]
        kin = self.relative(head)
        if kin is not None:
            role = self.memory.roles.get(kin)
            return Speaker(kin, speaker.text, speaker.start, speaker.end, True, role)
        owned = words and words[0].lower_ in ("its", "their") and head.lemma_.lower() in ORG_KINDS
        if owned:  # "their union said": the union the article named
            org = self._org_by_kind(head)
            return Speaker(org, speaker.text, speaker.start, speaker.end, False) if org else speaker
        if not words or words[0].lower_ != "the" or speaker.plural:
            return speaker
        # the small model tags "the prime minister", "the CEO" proper nouns
        role_word = head.is_lower or head.lower_ in ROLE_ALIASES or head.lower_ in TITLES
        if not (head.pos_ == "NOUN" or aged or role_word):
            return speaker
        # "the Ottawa-based insurer" describes; "the M5S party" names
        named = any(t.pos_ == "PROPN" and t.head.dep_ != "amod" for t in words if t.i != head.i)
        if head.lower_ not in ORG_ONLY or aged:  # "the Sudbury captain" is still a person
            person = self._person_by_role(head, words)
            if person is not None:
                role = self.memory.roles.get(person)
                return Speaker(person, speaker.text, speaker.start, speaker.end, True, role)
        if named or head.pos_ != "NOUN":
            return speaker  # "the M5S party" names itself
        org = self._org_by_kind(head)
        if org is not None:
            return Speaker(org, speaker.text, speaker.start, speaker.end, False)
        return speaker

    def _person_by_role(self, head: Token, words: list[Token]) -> str | None:
        ctx = self.ctx
        age = next((t.text for t in words if t.like_num), None)
        lemma = head.lemma_.lower()
        lemmas = {lemma, head.lower_, *ROLE_ALIASES.get(head.lower_, ())}
        found: list[str] = []
        mentions = [
            (m.start, m.end, m.canonical) for m in ctx.entities.mentions if m.label == "PERSON"
        ]
        mentions += [  # full names the NER missed or broke up
            (at, at + len(name), name) for name, ats in self.memory.positions.items() for at in ats
        ]
        mentions += [  # surnames the NER missed: "Dufresne, 34, a former world No. 6"
            (t.idx, t.idx + len(t), name)
            for t, name in self.pronouns.people_between(0, head.idx)
            if name in self.memory.full_people and not t.is_upper  # no "ALDWICK FEN —"
        ]
        for start, end, canonical in sorted(set(mentions)):
            if start >= head.idx or ctx.in_span(start):
                continue
            span = ctx.doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            doc = span.doc
            near = [  # "Det. Sgt. Farid al-Amin", whatever the parse's sentences
                t for t in doc[max(0, span.start - 4) : span.start] if not ctx.in_span(t.idx)
            ]
            while near and any("\n" in t.text for t in near):
                near.pop(0)
            near += [t for c in span.root.children if c.dep_ == "appos" for t in c.subtree]
            after = list(doc[span.end : min(span.sent.end, span.end + 8)])
            if after and after[0].text == ",":
                near += after[1:]
            if age is not None:  # "nine-year-old Owen Trelawney": the age five tokens back
                before = doc[max(span.sent.start, span.start - 6) : span.start]
                hit = any(t.text == age for t in after[:3]) or any(t.text == age for t in near)
                hit = hit or any(t.text == age for t in before)
            else:  # "Det. Sgt. Farid al-Amin" … "the detective sergeant"
                hit = any(t.lemma_.lower() in lemmas or t.lower_ in lemmas for t in near)
            if hit:  # the words as written: the NER's link for a shared surname is a guess
                written = ctx.text[start:end]
                name = self.full_name(written, start) or self.full_name(canonical, start)
                name = name or tidy_name(canonical)
                if is_full_name(name) or name in self.memory.full_people:
                    found.append(name)
        distinct = set(found)
        if len(distinct) == 1:
            return found[-1]
        named = any(t.pos_ == "PROPN" and t.head.dep_ != "amod" for t in words if t.i != head.i)
        # "the couple's lawyer", "The promoter, Livewire Arenas": someone else, or named
        other = any(t.tag_ == "POS" for t in words) or any(c.dep_ == "appos" for c in head.children)
        aged = age is not None and head.lower_ == "old"  # not "the two"
        personal = aged or (person_noun(head.lemma_) and lemma not in ORG_KINDS)
        again = any(  # "A source close to the singer" … "the source"
            not s.is_person and s.name.lower().endswith(" " + head.lower_)
            for _, s in self.memory.history
        )
        if not found and personal and not (named or other or again):  # no one given that age or
            # role: the person just quoted ("the senior investigating officer said"), or
            # the one the sentences just before are about ("Earlier, Aaron Pryce-Jones had
            # taken 4-41 … The 24-year-old said"), whichever came last
            k = ctx.para_of(head.idx)
            latest: tuple[int, str] | None = None
            for att, s in reversed(self.memory.history):
                if s.is_person and ctx.para_of(att.start) >= k - 1:
                    latest = (anchor(att), s.name)
                    break
            lo = ctx.paras[max(0, k - 1)][0]
            # an age says nothing of who among them: the one the text is about; an
            # epithet ("the gambling tycoon") may be anyone, so only the one just quoted
            described = aged or lemma in AGE_NOUNS
            for tok, name in self.pronouns.people_between(lo, head.idx) if described else []:
                subject = tok.dep_ in ("nsubj", "nsubjpass") and not tok.is_upper
                later = latest is None or tok.idx > latest[0]
                if subject and later and name in self.memory.full_people:
                    latest = (tok.idx, name)
            return latest[1] if latest is not None else None
        return None

    def _org_name(self, m: Mention) -> str:
        """ "Peru’s Ministry of Energy and Mines" → "Ministry of Energy and Mines": a public
        body's name, not its country's; "Corp." keeps its period where the text writes one
        (also as a sentence's last word)."""
        name = no_parens(_org_form(m.canonical))
        if _CORPORATE.search(name + ".") and m.canonical in self._dotted:
            name += "."
        owner = _OWNER.match(name)
        if owner and name[owner.end() :].split()[0].lower() in PUBLIC_BODIES:
            return name[owner.end() :]
        return name

    def _org_by_kind(self, head: Token) -> str | None:
        if head.lemma_.lower() not in ORG_KINDS:
            return None
        ctx = self.ctx
        k = ctx.para_of(head.idx)
        lo = ctx.paras[max(0, k - 4)][0]
        orgs = [
            m
            for m in ctx.entities.mentions
            if m.label == "ORG" and lo <= m.start < head.idx and not ctx.in_span(m.start)
        ]
        orgs = [m for m in orgs if not self._dateline_at(m.start)]
        kind = head.lemma_.lower()
        named = [self._org_name(m) for m in orgs if head.lower_ in m.canonical.lower().split()]
        near = [self._org_name(m) for m in orgs if ctx.para_of(m.start) >= k - 2]
        # organisations that spoke before count however far back (the NER often calls the
        # article's company a person: "Kestrel said")
        spoke = Counter(
            s.name
            for a, s in self.memory.history
            if not s.is_person and not s.plural and s.name[:1].isupper() and anchor(a) < head.idx
        )
        candidates = named or list(dict.fromkeys([*near, *spoke]))
        pool = [c for c in candidates if not (_kinds(c) - {kind, head.lower_})]  # not "… Union"
        if pool:  # the one the article is about: spoke most, named most, named first
            text = ctx.text

            def salience(name: str) -> tuple[int, int, int]:
                return (spoke[name], text.count(name), -text.find(name))

            return max(pool, key=salience)
        # the small model often misses the organisation: a proper-noun subject just before
        for tok in reversed(ctx.tokens_between(lo, head.idx)):
            if tok.dep_ != "nsubj" or tok.pos_ != "PROPN" or ctx.in_quotes(tok):
                continue
            if tok.ent_type_ in ("PERSON", "GPE", "LOC", "NORP", "DATE"):
                continue
            if tok.lower_ in ORG_KINDS and tok.lower_ not in (kind, head.lower_):
                continue  # "The … Workers Union said" is no company
            if tok.lower_ in TITLES or self._past_dateline(tok) is not tok:
                continue  # "the Minister said" is a person; "WINNIPEG —" a dateline
            text = span_text(name_run(tok))[0]
            if self.full_name(text, tok.idx) is not None:
                continue  # a person the NER missed ("Ashdown-Kaur said")
            return self.common(tok).name  # "Halberd Insurance Group", not "Group"
        return None

    # -- entry point -----------------------------------------------------------------
    def resolve(self, att: Attribution) -> Speaker | None:
        speaker: Speaker | None = None
        if att.inherit is not None:
            speaker = self.memory.by_att.get(id(att.inherit))
        elif att.source is None:
            speaker = None
        elif att.source.lower_ in PRONOUNS:
            found = self.pronouns.resolve(att, att.source)
            if isinstance(found, Token):  # "they"/"it": the group the pronoun stands for
                tok = att.source
                plural = found.tag_ in ("NNS", "NNPS")
                named = self.common(found) if plural else self.named(found)
                end = tok.idx + len(tok)
                r = named
                found = Speaker(r.name, tok.text, tok.idx, end, r.is_person, r.role, r.plural)
            speaker = found
        elif att.source.lemma_.lower() in DOCUMENT_NOUNS:
            author = self._author(att.source)
            if author is not None:
                speaker = self.named(author)
                if not speaker.is_person:  # "The bank said in a statement": which bank
                    speaker = self.referent(author, speaker)
            elif att.source.lemma_.lower() not in AUTHORLESS:
                speaker = self.named(att.source, att.cue_token)
        else:
            speaker = self.named(att.source, att.cue_token)
            if not speaker.is_person:
                speaker = self.referent(att.source, speaker)
        if speaker is not None and not speaker.is_person and not speaker.plural:
            tidy = tidy_name(speaker.name)  # "Local councillor Bernadette O’Driscoll"
            if tidy != speaker.name and personal(tidy):
                s = speaker
                speaker = Speaker(tidy, s.text, s.start, s.end, True, self.memory.roles.get(tidy))
                self.memory.learn(tidy)
        if speaker is None:
            return None
        self.memory.record(att, speaker)
        return speaker
