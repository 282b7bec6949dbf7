"""Whole articles: the seed's must-shows, messy text, and the gold-set figures."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from support import SEED_FILE

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))
from quotes_eval import (  # noqa: E402
    GOLD,
    Score,
    Span,
    article_body,
    find_file,
    gold_spans,
    load_gold,
    score,
)

NAMED = {"Niva Yau", "Elizabeth Wishnick", "Therese Fallon", "Li Zhanshu"}
SCARE = {"unlimited partnership", "quiet rivalry", "quiet rivalry.", "belt and road", "Unlimited"}


@pytest.fixture(scope="module")
def seed(quotes_of):
    body = article_body(SEED_FILE)
    return body, quotes_of(body)


def test_seed_every_quote_of_the_named_people_is_found_and_named_in_full(seed) -> None:
    body, quotes = seed
    record = next(r for r in load_gold() if r["file"] == SEED_FILE.name)
    gold, _ = gold_spans(record, body)
    theirs = [g for g in gold if g.speaker in NAMED]
    assert len(theirs) == 11
    predicted = [Span(q.start, q.end, q.speaker, q.speaker_text) for q in quotes]
    result = score(theirs, predicted)
    assert result.found == len(theirs), result.misses
    assert result.speaker_ok == len(theirs), result.wrong_speaker


def test_seed_lists_no_scare_quote(seed) -> None:
    _, quotes = seed
    assert not [q for q in quotes if q.text.strip(" .,“”") in SCARE]


def test_seed_quotes_are_exact_spans_of_the_body(seed) -> None:
    body, quotes = seed
    for q in quotes:
        assert body[q.start : q.end] == q.text
        if q.speaker_start is not None:
            assert body[q.speaker_start : q.speaker_end] == q.speaker_text
    assert {q.kind for q in quotes} == {"direct", "mixed", "indirect"}


def test_seed_yau_and_wishnick_are_searchable_by_full_name(seed) -> None:
    _, quotes = seed
    yau = [q for q in quotes if q.speaker == "Niva Yau"]
    wishnick = [q for q in quotes if q.speaker == "Elizabeth Wishnick"]
    assert len(yau) == 5 and len(wishnick) == 4
    assert {q.speaker_text for q in yau} == {"Niva Yau", "Yau", "She"}
    assert "He" in {q.speaker_text for q in wishnick}


def test_messy_text_does_not_derail_the_rest_of_the_article(quotes_of) -> None:
    text = (
        'The summit opened with a "rivalry and an "unclosed remark in bad copy.\n\n'
        "Xi Jinping’s meeting and Vladimir Putinscheduled for Thursday is a test,"
        "analysts said.\n\n"
        '“Kazakhstan is possibly the most important country," Niva Yau said. "It borders '
        "Xinjiang.”\n\n"
        "Elizabeth Wishnick, a scientist, said Russia's war has disrupted trade."
    )
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["analysts", "Niva Yau", "Elizabeth Wishnick"]
    assert quotes[1].text.startswith("Kazakhstan") and quotes[1].text.endswith("Xinjiang.")


@pytest.mark.slow
def test_gold_set_figures_hold(quotes_of) -> None:
    total = Score()
    for record in load_gold(GOLD):
        path = find_file(record["file"])
        assert path is not None, record["file"]
        body = article_body(path)
        gold, missing = gold_spans(record, body)
        assert not missing
        predicted = [Span(q.start, q.end, q.speaker, q.speaker_text) for q in quotes_of(body)]
        total.add(score(gold, predicted))
    assert total.f1 >= 0.85 and total.speaker_accuracy >= 0.85, json.dumps(
        {"f1": total.f1, "speaker": total.speaker_accuracy}
    )
