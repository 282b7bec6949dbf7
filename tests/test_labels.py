"""Readers see plain words, and choices are accepted by label or value in any case."""

from dataclasses import fields

import pytest

from bot.errors import UserError
from bot.labels import QUOTE_KINDS, SUMMARY_LENGTHS, entity_label, parse_choice
from bot.store import QuoteRow
from bot.text_render import render_quote


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("reported", "indirect"),
        ("Indirect", "indirect"),
        ("PARTLY  quoted", "mixed"),
        ("Direct", "direct"),
        ("", None),
        (None, None),
    ],
)
def test_quote_kind_by_label_or_value_any_case(typed: str | None, value: str | None) -> None:
    assert parse_choice(typed, QUOTE_KINDS, "Kind") == value


def test_length_any_case_and_a_clear_error() -> None:
    assert parse_choice("Short", SUMMARY_LENGTHS, "Length") == "short"
    with pytest.raises(UserError, match="Length must be one of: short, medium, long, bullets"):
        parse_choice("tiny", SUMMARY_LENGTHS, "Length")


def test_no_spacy_jargon_in_renderings() -> None:
    assert entity_label("GPE") == "place" and entity_label("ORG") == "organisation"
    shown = {"text": "x", "speaker": "Niva Yau", "role": None, "kind": "mixed", "cue": "said"}
    row = QuoteRow(**{f.name: None for f in fields(QuoteRow)} | shown | {"title": "T"})
    line = render_quote(row)
    assert "(partly quoted, “said”)" in line and "mixed" not in line
