"""Words people read instead of spaCy's and the extractor's jargon, and choices typed any way.

"(GPE)" and "(mixed, say)" mean nothing to a reader; "place" and "partly quoted" do. Users
type a choice's label or its value in any case ("Short", "reported"): both are accepted.
"""

from __future__ import annotations

from bot.errors import UserError

ENTITY_LABELS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
    "FAC": "building or site",
    "EVENT": "event",
}

QUOTE_KINDS = {"direct": "quoted", "mixed": "partly quoted", "indirect": "reported"}

SUMMARY_LENGTHS = {"short": "short", "medium": "medium", "long": "long", "bullets": "bullets"}


def entity_label(label: str) -> str:
    return ENTITY_LABELS.get(label, label.lower())


def quote_kind_label(kind: str) -> str:
    return QUOTE_KINDS.get(kind, kind)


def parse_choice(text: str | None, choices: dict[str, str], what: str) -> str | None:
    """A value of `choices` from its value or its label, any case; None for empty input."""
    typed = " ".join((text or "").split()).casefold()
    if not typed:
        return None
    for value, label in choices.items():
        if typed in (value.casefold(), label.casefold()):
            return value
    options = ", ".join(dict.fromkeys(label for label in choices.values()))
    raise UserError(f"{what} must be one of: {options}.")
