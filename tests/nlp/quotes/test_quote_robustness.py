"""The extractor never fails on messy input, and what it returns always points into it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PIECES = [
    '"We take security seriously," she said.',
    "Niva Yau, a senior researcher, said China had a long-term goal.",
    "According to Moscow, Li Zhanshu told lawmakers that China “understands Russia”.",
    "It was reported that Xi and Putin would meet.",
    "Analysts said,",
    '"',
    "“",
    "”",
    "'",
    "«quoted»",
    "He left open the question of whether China would act.",
    "They say it is the simplest method.",
    ":",
    "\n\n",
    "Putinscheduled",
    "— Matthew Ingram",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), min_size=0, max_size=12), st.booleans())
def test_any_mix_of_quotes_marks_and_breaks(quotes_of, pieces: list[str], glue: bool) -> None:
    text = ("" if glue else " ").join(pieces)
    for q in quotes_of(text):
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.speaker and q.kind in ("direct", "mixed", "indirect")
        if q.speaker_start is not None:
            assert text[q.speaker_start : q.speaker_end] == q.speaker_text


def test_empty_and_quote_free_text(quotes_of) -> None:
    assert quotes_of("") == []
    assert quotes_of("The summit opens on Thursday in Samarkand.") == []
    assert quotes_of('"""') == []
