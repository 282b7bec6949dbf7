"""Grammatical gender of the article's people, as far as the text itself shows it.

Evidence, per person: a title (Mr, Ms), a gendered role noun next to the name
("spokeswoman Sujata Raisinghani", "his wife Manju Sam"), and the first he/his/she/her
after the person as sole subject of a sentence. Machine-rewritten text can contradict
itself ("he" for Wishnick); the majority wins and the resolver treats gender as a hint.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from spacy.tokens import Doc, Token

from bot.nlp.entities import ArticleEntities
from bot.nlp.quotes.cues import word_set

MALE = word_set(
    """mr mr. sir lord king prince father husband son brother man boy spokesman chairman
    businessman congressman actor uncle nephew grandfather"""
)
FEMALE = word_set(
    """ms ms. mrs mrs. miss dame lady queen princess mother wife daughter sister woman
    girl spokeswoman chairwoman businesswoman congresswoman actress aunt niece
    grandmother"""
)
PRONOUN_GENDER = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}  # fmt: skip


def _word_gender(word: str) -> str | None:
    w = word.lower()
    return "m" if w in MALE else "f" if w in FEMALE else None


LEXICON_VOTE = 1.5  # a first name the lexicon is sure of outweighs one stray pronoun


def infer_genders(
    doc: Doc,
    entities: ArticleEntities,
    quoted: Callable[[Token], bool] = lambda t: False,
    prior: Callable[[str], str | None] = lambda name: None,
) -> dict[str, str]:
    """Canonical name → "m" or "f" where the text's evidence is clear. Pronouns inside
    quotation marks (`quoted`) are the speaker's words, not evidence. `prior` (a first
    name's sure gender) joins the vote where the text says anything at all: the first
    pronoun after "Delphine Arsenault-Roy said the rookie …" may be the rookie's."""
    votes: dict[str, Counter[str]] = {}  # float votes
    people = [m for m in entities.mentions if m.label == "PERSON"]
    for m in people:
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        tally = votes.setdefault(m.canonical, Counter())
        # a title or role noun just before the name, or an apposition's head noun
        for tok in doc[max(0, span.start - 2) : span.start]:
            attached = tok.head.i in range(span.start, span.end) or tok.i == span.start - 1
            if attached and not tok.is_punct and (g := _word_gender(tok.text)) is not None:
                tally[g] += 2
        for child in span.root.children:
            if child.dep_ == "appos" and (g := _word_gender(child.lemma_)) is not None:
                tally[g] += 2
        # the first third-person pronoun after a person subject, before anyone else is named
        if span.root.dep_ not in ("nsubj", "nsubjpass"):
            continue
        sent = span.root.sent
        others = {o.start for o in people if o.start >= m.end and o.canonical != m.canonical}
        for tok in doc[span.end : sent.end]:
            if tok.idx in others:
                break
            g = PRONOUN_GENDER.get(tok.lower_)
            if g is not None and not quoted(tok):
                tally[g] += 1
                break
    for name, tally in votes.items():
        if tally and (g := prior(name)) is not None:
            tally[g] += LEXICON_VOTE
    return {name: t.most_common(1)[0][0] for name, t in votes.items() if t and _clear(t)}


def _clear(tally: Counter[str]) -> bool:
    top = tally.most_common(2)
    return len(top) == 1 or top[0][1] > top[1][1]
