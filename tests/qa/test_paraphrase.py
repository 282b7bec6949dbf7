"""WordNet relations read from Debian's database files (the Makefile installs them)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.qa.params import DEFAULT
from bot.qa.paraphrase import LEXICON, Lexicon


def test_wordnet_is_installed() -> None:
    assert LEXICON.available, f"no WordNet at {LEXICON.folder}: apt-get install wordnet-base"


@pytest.mark.parametrize(
    ("word", "pos", "related"),
    [
        ("injure", "VERB", "wound"),
        ("exclude", "VERB", "omit"),
        ("leave out", "VERB", "exclude"),
        ("unveil", "VERB", "reveal"),
        ("found", "VERB", "establish"),
        ("vulnerability", "NOUN", "weakness"),
        ("die", "VERB", "kill"),  # a cause, which WordNet points from "kill" to "die"
    ],
)
def test_related_words_have_partial_credit(word: str, pos: str, related: str) -> None:
    got = LEXICON.related(word, pos, DEFAULT)
    assert 0 < got[related] < 1
    assert word not in got


def test_synonyms_count_more_than_looser_relations() -> None:
    got = LEXICON.related("injure", "VERB", DEFAULT)
    assert got["wound"] == DEFAULT.synonym_credit
    assert got["injury"] == DEFAULT.derived_credit < DEFAULT.synonym_credit
    assert all(" " not in w and "_" not in w for w in got)  # one word each


def test_unknown_words_and_parts_of_speech_have_none() -> None:
    assert LEXICON.related("zzxqv", "NOUN", DEFAULT) == {}
    assert LEXICON.related("injure", "PROPN", DEFAULT) == {}
    assert LEXICON.related("a|b", "NOUN", DEFAULT) == {}


def test_without_wordnet_matching_is_literal_with_one_clear_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    missing = Lexicon(tmp_path / "nowhere")
    with caplog.at_level(logging.WARNING, logger="bot.qa.paraphrase"):
        assert not missing.available
        assert missing.related("injure", "VERB", DEFAULT) == {}
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 1 and "wordnet-base" in lines[0]
    assert "paraphrase matching is off" in lines[0]


@pytest.mark.parametrize(
    ("noun", "person"),
    [("fisherman", True), ("sister", True), ("lawyer", True), ("referee", True),
     ("drone", False), ("clock", False), ("government", False), ("court", False)],
)  # fmt: skip
def test_nouns_for_kinds_of_people_are_told_by_wordnet(noun: str, person: bool) -> None:
    assert LEXICON.names_people(noun) is person


def test_without_wordnet_no_noun_names_people(tmp_path: Path) -> None:
    assert not Lexicon(tmp_path / "nowhere").names_people("fisherman")
