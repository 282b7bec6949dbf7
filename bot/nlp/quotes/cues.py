"""Speech cues in the parse: which verbs report speech, who their subject is, and what
clause they report.

The lists are reporting verbs of news English (Gender Gap Tracker style). Verbs of
thinking ("thought", "felt") are absent, and verbs of finding ("revealed", "show",
"suggest") count only when a study or its results is not their subject: those attribute
conclusions, not speech. The small model's tags are trusted loosely where news text fools
it ("notes" tagged a plural noun, a subject the parser left in the previous paragraph).
"""

from __future__ import annotations

from spacy.tokens import Token


def word_set(words: str) -> frozenset[str]:
    """A set from a whitespace-separated list (keeps long word lists readable)."""
    return frozenset(words.split())


SPEECH_LEMMAS = word_set(
    """say tell add warn argue claim note state explain announce insist suggest write
    report ask reply respond acknowledge admit confirm deny predict recall stress
    emphasise emphasize comment conclude assert observe tweet declare allege maintain
    agree complain concede reveal indicate urge promise vow pledge caution contend
    remark testify recommend propose mention speculate advise affirm answer boast
    clarify counter demand disclose exclaim hint joke lament muse opine proclaim quip
    reiterate remind repeat retort reckon shout whisper reason post
    plead inform assure continue read cite describe characterize characterise call
    quote charge theorize theorise blurt chant echo yell scream mutter murmur snap cry
    gush grumble recount tout preach concur brag scoff fume sigh bark thunder rant
    rave gripe quip interject relate narrate attest"""
)
# Left out by data: "believe" and "wonder" report thoughts (2 right, 10 wrong on unseen news).
# Cues that only introduce words in quotation marks, never a reported clause of their own:
# "continued:", "the letter reads", "described X as '…'".
QUOTE_ONLY = word_set("""continue read cite describe characterize characterise call quote post""")
# Of those, the ones whose object comes before the quoted words: "called the sentence '…'".
DESCRIBE = word_set("""describe characterize characterise call""")
# Cues whose content is a to-infinitive: "asked the governments not to turn away boats".
DIRECTIVE = word_set("""ask urge tell warn advise plead implore beg order call""")
# Verb + particle/preposition cues: "left open the question", "called for", "pointed out".
PHRASAL = {
    ("leave", "open"),
    ("point", "out"),
    ("call", "for"),
    ("plead", "with"),
    ("go", "on"),
    ("spell", "out"),
    ("speak", "out"),
    ("lash", "out"),
    ("weigh", "in"),
    ("chime", "in"),
    ("fire", "back"),
    ("hit", "back"),
}
# "issued a statement", "released a statement": a cue for the quotation that follows.
STATEMENT_VERBS = word_set("""issue release make publish put give""")
STATEMENT_NOUNS = word_set("""statement announcement declaration communique""")
# Nouns that make a possessor the speaker: "Cornyn's statement added".
DOCUMENT_NOUNS = word_set(
    """statement letter release message post tweet blog website site account remarks
    report memo email notice bulletin advisory filing complaint lawsuit document update
    announcement communique news video ad advertisement survey poll study"""
)
# Documents that are not anyone's words when no author is named: "a survey found".
AUTHORLESS = word_set("""survey poll study""")
# Kinds of organisation that "the company" names when the article named one just before.
ORG_KINDS = word_set(
    """company firm union airline carrier retailer automaker insurer bank studio publisher
    broadcaster network club team league charity organization organisation association
    museum hospital university college council board ministry department agency party
    campaign startup manufacturer developer operator utility"""
)
# Verbs of putting a document out: "UFCW Local 832 issued a release", "Trump posted a message".
ISSUE_VERBS = word_set("""issue release send post publish file write put tweet email circulate""")
# Verbs of finding are not speech when a study or its results are the subject
# ("the study has revealed", "results show", "estimates suggest").
FINDING = word_set("""reveal show suggest indicate find confirm estimate predict conclude""")
STUDY_NOUNS = word_set(
    """study studies research result results finding findings survey surveys data analysis
    analyses figure figures statistic statistics estimate estimates evidence poll polls
    model models experiment experiments trial trials paper"""
)
# Data as a source: no one's words, whatever the verb ("according to FEC records", "the
# RealClearPolitics average of polls", "his campaign finance documents say").
DATA_NOUNS = STUDY_NOUNS | word_set(
    """record records document documents filing filings average averages census tally"""
)
SUBJECTS = ("nsubj", "nsubjpass", "csubj")


def is_data(tok: Token) -> bool:
    """A source that is data ("records", "the average of polls"), not a speaker; data with
    its author named after it ("results from Elections British Columbia") is the author's."""
    if tok.lower_ not in DATA_NOUNS and tok.lemma_.lower() not in DATA_NOUNS:
        return False
    return not any(
        p.lower_ in ("from", "by") and any(o.pos_ == "PROPN" for o in p.subtree)
        for p in tok.children
        if p.dep_ == "prep"
    )


# Verbs whose to-infinitive cue shares their subject: "went on to say".
CARRY_ON = word_set("""go continue proceed""")
RELATIVE = frozenset({"who", "which", "that"})
# Prepositions whose gerund shares the subject of the verb they hang from: "ended by
# saying", "responded after noting", "while adding".
GERUND_PREPS = frozenset({"by", "after", "before", "while", "when", "in", "without"})
_NOT_CUE_DEPS = frozenset({"amod", "compound", "aux", "auxpass"})


_PARTICLE_DEPS = frozenset({"prt", "prep", "acomp", "xcomp"})  # "open" parses as any


def particle(verb: Token) -> str | None:
    """The particle of a phrasal cue ("open" in "left open the question"), if any: right
    after the verb or one word on ("pointed it out" is not a cue; "called it "a travesty
    for everyone"" has no particle)."""
    for child in verb.children:
        if (
            (verb.lemma_, child.lower_) in PHRASAL
            and child.dep_ in _PARTICLE_DEPS
            and 0 < child.i - verb.i <= 2
        ):
            return child.lower_
    return None


def cue_lemma(verb: Token) -> str:
    prt = particle(verb)
    if prt:
        return f"{verb.lemma_} {prt}"
    if makes_statement(verb) and verb.lemma_ not in SPEECH_LEMMAS:
        return f"{verb.lemma_} a statement"
    return verb.lemma_


def makes_statement(verb: Token) -> bool:
    """A speech cue, or a verb of issuing a statement ("issued a statement regarding …")."""
    if is_cue_verb(verb):
        return True
    return (
        verb.pos_ == "VERB"
        and verb.lemma_ in STATEMENT_VERBS
        and any(c.dep_ == "dobj" and c.lemma_ in STATEMENT_NOUNS for c in verb.children)
        and not is_negated(verb)
    )


def is_negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def is_cue_verb(tok: Token) -> bool:
    """A reporting verb used to report (not negated, not a passive with no source)."""
    lemma = tok.lemma_.lower()
    # the small model tags some "notes"/"says" as plural nouns; trust a clause after them
    noun_verb = (
        tok.pos_ == "NOUN"
        and tok.tag_ == "NNS"
        and tok.dep_ == "ROOT"
        and any(c.dep_ == "ccomp" for c in tok.children)
    )
    if (tok.pos_ not in ("VERB", "AUX") and not noun_verb) or tok.dep_ in _NOT_CUE_DEPS:
        return False
    if lemma not in SPEECH_LEMMAS and particle(tok) is None:
        return False  # "points out", "went on": a verb that reports with its particle
    if is_negated(tok):
        return False
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)
    if passive and not any(c.dep_ == "agent" for c in tok.children):
        return False  # "it was reported that …", "she was told to …"
    if any(is_data(c) for c in tok.children if c.dep_ in SUBJECTS):
        return False
    if lemma in FINDING:
        subject_words = {
            t.lemma_.lower() for c in tok.children if c.dep_ in SUBJECTS for t in c.subtree
        }
        if subject_words & STUDY_NOUNS:
            return False
    return True


def same_paragraph(head: Token, verb: Token) -> Token:
    """The subject as it starts after a paragraph break the parser read through
    ("USI exhibit\n\nKiara Perkins, … admitted": Kiara Perkins, not the heading)."""
    lo, hi = sorted((head.i, verb.i))
    breaks = [t.i for t in head.doc[lo:hi] if "\n" in t.text_with_ws]
    if not breaks or head.i > verb.i:
        return head
    rest = head.doc[breaks[-1] + 1 : verb.i]
    tops = [t for t in rest if not t.is_punct and not rest.start <= t.head.i < rest.end]
    return tops[0] if tops else head


def _own_subject(verb: Token) -> Token | None:
    subjects = [same_paragraph(c, verb) for c in verb.children if c.dep_ in SUBJECTS]
    if not subjects and verb.pos_ == "NOUN":  # "The Department of Agriculture notes, …"
        subjects = [c for c in verb.children if c.dep_ in ("nmod", "compound") and c.i < verb.i]
    inverted = [c for c in subjects if c.left_edge.i == verb.i + 1]
    if len(subjects) > 1 and inverted:
        return inverted[0]  # "The rejection … for the EU, said Geert Wilders": the one after
    if subjects and verb.dep_ == "parataxis":
        # "Institutional recipients, said Mauer, are …": the one by the verb
        return min(subjects, key=lambda c: abs(c.i - verb.i))
    if subjects:
        return subjects[0]
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def subject_of(verb: Token) -> Token | None:
    """The head of the speaker's noun phrase: the verb's subject, or the one it shares with
    the verb it is coordinated with or subordinated to ("… and said", "writing …"), or the
    antecedent of a relative pronoun ("Devocht, who had told …")."""
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        subj = _own_subject(tok)
        if subj is not None:
            if subj.lower_ in RELATIVE and tok.dep_ == "relcl":
                return tok.head
            return subj
        if tok.dep_ == "conj" or (tok.dep_ in ("advcl", "xcomp") and tok.tag_ == "VBG"):
            tok = tok.head  # "… and said", "writing …"
        elif tok.dep_ == "xcomp" and tok.head.lemma_ in CARRY_ON:
            tok = tok.head  # "went on to say", "continued to insist"
        elif tok.dep_ == "pcomp" and tok.tag_ == "VBG" and tok.head.lower_ == "as":
            tok = tok.head.head  # "was quoted as saying"
        elif (
            tok.dep_ == "pcomp"
            and tok.tag_ == "VBG"
            and tok.head.lower_ in GERUND_PREPS
            and tok.head.head.pos_ in ("VERB", "AUX")
        ):
            tok = tok.head.head  # "punctuated his list by saying", "responded after noting"
        elif tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head  # "a message stating …"
        else:
            break
    return _adjacent_name(verb)


def _adjacent_name(verb: Token) -> Token | None:
    """A name right before the verb that the parse failed to make its subject
    ("Speaking in the parents' defense, Tom Molomby, SC, said …")."""
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and doc[i].is_punct and "\n" not in doc[i].text_with_ws:
        i -= 1
    if i < 0 or doc[i].pos_ != "PROPN" or doc[i].sent != verb.sent:
        return None
    tok = doc[i]
    # up from "SC" in "Tom Molomby, SC" or "Zealand" in "Lydia Buchtmann for Food Standards
    # Australia New Zealand" to the name the phrase is about
    while tok.head.i < verb.i and tok.head.i != tok.i:
        up = tok.head
        if tok.dep_ in ("appos", "compound", "flat") and up.pos_ == "PROPN":
            tok = up
        elif (
            tok.dep_ == "pobj" and up.pos_ == "ADP" and up.head.pos_ == "PROPN" and up.head.i < up.i
        ):
            tok = up.head
        else:
            break
    return tok


def noun_phrase(head: Token) -> list[Token]:
    """The head noun with what precedes it in its phrase ("Russian officials",
    "Labour's Shadow Home Secretary Yvette Cooper") and any coordinated heads
    ("the District and the Police Department"), without appositions or clauses."""
    keep = {head.i}
    for child in head.children:
        if child.i < head.i and child.dep_ not in ("punct", "prep", "relcl", "acl", "appos"):
            keep.update(t.i for t in child.subtree)
        if child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN"):
            keep.update(t.i for t in noun_phrase(child))
        if child.dep_ == "cc":
            keep.add(child.i)
    doc = head.doc
    lo, hi = min(keep), max(keep)
    for i in range(head.i - 1, lo - 1, -1):
        if "\n" in doc[i].text_with_ws:
            lo = i + 1  # never across a paragraph break (a heading, a dateline)
            break
    return [doc[i] for i in range(lo, hi + 1) if not doc[i].is_space]


def content_children(verb: Token) -> list[Token]:
    """Clausal complements that hold what was said."""
    out = [c for c in verb.children if c.dep_ == "ccomp"]
    if out:
        return out
    if verb.lemma_ in DIRECTIVE or verb.lemma_ in ("recommend", "propose"):
        out = [c for c in verb.children if c.dep_ == "xcomp" and _has_to(c)]
        if out:
            return out
    if particle(verb) in ("open", "out") and verb.lemma_ != "lash":
        out = [c for c in verb.children if c.dep_ == "dobj"]
    return out


FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def right_clause(verb: Token) -> list[Token]:
    """The that-clause after the verb when the parse hung it elsewhere ("told LA Weekly in
    a statement that the case …", "observed that the 2007 date, which …, coincided")."""
    right = [t for t in verb.subtree if t.i > verb.i and not t.is_space]
    that = [t for t in right if t.lower_ == "that" and t.pos_ == "SCONJ"]
    if that and not any(t.tag_ in FINITE for t in right if t.i < that[0].i):
        return [t for t in right if t.i > that[0].i]
    return []


def _has_to(verb: Token) -> bool:
    return any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children)
