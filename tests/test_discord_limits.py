"""Whatever the input, what we build stays inside Discord's limits (bot.text_limits for
any text, cogs.utils.limits for markdown and embeds)."""

from __future__ import annotations

import discord
from hypothesis import given
from hypothesis import strategies as st

from bot import text_limits as T
from cogs.utils import limits as L

HOSTILE = [
    "",
    "x" * 5000,
    "@everyone @here <@123> <@&456>",
    "\x00NUL\x00 and \x07bell",
    "😀" * 3000,
    "مرحبا بالعالم " * 400,
    '"quoted" OR title:* NEAR(a b) ; DROP TABLE articles; --',
]


@given(st.text(max_size=6000), st.integers(min_value=2, max_value=5000))
def test_truncate_never_exceeds_the_limit(text: str, limit: int) -> None:
    out = T.truncate(text, limit)
    assert T.dlen(out) <= limit
    assert "\x00" not in out


def test_truncate_cuts_at_a_word_and_marks_it() -> None:
    out = T.truncate("alpha beta gamma delta " * 10, 30)
    assert out.endswith("…") and T.dlen(out) <= 30 and not out[:-1].endswith(" ")


def test_emoji_count_twice() -> None:
    assert T.dlen("😀") == 2
    assert T.dlen(T.truncate("😀" * 1500, 2000)) <= 2000


def test_safe_url_only_http() -> None:
    assert T.safe_url("javascript:alert(1)") is None
    assert T.safe_url("https://example.com/a b") == "https://example.com/a%20b"
    assert L.link("T [x]", "https://e.com/(1)") == "[T (x)](https://e.com/%281%29)"


def test_link_without_url_is_plain_escaped_title() -> None:
    assert L.link("*bold*", None) == "\\*bold\\*"


def test_fit_embed_respects_every_limit() -> None:
    for text in HOSTILE:
        e = discord.Embed(title=text * 3, description=text * 3)
        for _ in range(30):
            e.add_field(name=text or "", value=text or "", inline=False)
        e.set_footer(text=text * 2)
        L.fit_embed(e)
        assert T.dlen(e.title or "") <= 256
        assert T.dlen(e.description or "") <= 4096
        assert len(e.fields) <= 25
        assert all(len(f.name) >= 1 and T.dlen(f.value) <= 1024 for f in e.fields)
        assert L.embed_size(e) <= 6000


def test_pack_keeps_lines_whole_and_chunks_bounded() -> None:
    lines = [f"line {i} " + "w" * (i * 37 % 900) for i in range(200)]
    chunks = T.pack(lines, 3500, max_lines=10)
    assert all(T.dlen(c) <= 3500 and c.count("\n") < 10 for c in chunks)
    assert sum(c.count("\n") + 1 for c in chunks) == 200


def test_blockquote_prefixes_every_line() -> None:
    out = L.blockquote("one\n\ntwo", 100)
    assert out == "> one\n>\n> two"


def test_choice_text_is_never_blank() -> None:
    assert T.choice_text("") == "?"
    assert T.choice_text("a\n\nb") == "a b"
    assert T.dlen(T.choice_text("y" * 500)) <= 100


def test_lone_surrogates_are_dropped_and_astral_characters_kept() -> None:
    assert T.clean("a\ud800b😀") == "ab😀"
    assert T.truncate("\udfff" * 10, 5) == ""
    T.truncate("x\ud800" * 3000, 100).encode("utf-8")  # sendable
