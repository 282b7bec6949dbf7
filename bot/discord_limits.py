"""Discord's message limits, and helpers that keep any text inside them.

Lengths are measured in UTF-16 code units: never less than Python's count of code points,
so a text that fits here fits Discord whichever way it counts emoji and other astral
characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

if TYPE_CHECKING:  # discord.py takes a second or more to import: not before ready
    import discord

CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBED_TOTAL = 6000
CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
URL = 2048

ELLIPSIS = "…"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def dlen(text: str) -> int:
    """Length as Discord may count it (UTF-16 code units)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clean(text: object) -> str:
    """Printable text: NULs and other control characters gone, Unicode NFC, lines kept."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFC", str(text))
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def truncate(text: object, limit: int, *, ellipsis: str = ELLIPSIS) -> str:
    """`text` cleaned and cut to at most `limit` units, at a word boundary when one is near."""
    value = clean(text)
    if dlen(value) <= limit:
        return value
    budget = limit - dlen(ellipsis)
    cut = _prefix_within(value, budget)
    space = cut.rfind(" ")
    if space > len(cut) * 0.8:
        cut = cut[:space]
    return cut.rstrip() + ellipsis


def _prefix_within(text: str, budget: int) -> str:
    """The longest prefix of `text` of at most `budget` UTF-16 units."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > budget:
            return text[:i]
    return text


def escape(text: object) -> str:
    """Article text shown as-is: markdown neutralised (mentions never ping anyway)."""
    from discord.utils import escape_markdown

    return escape_markdown(clean(text))


def safe_url(url: object) -> str | None:
    """An http(s) URL fit for an embed or a markdown link, or None."""
    value = clean(url).strip()
    if not value or dlen(value) > URL:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return quote(value, safe=":/?#[]@!$&'*+,;=%~-._")


def link(title: object, url: object, limit: int = 300) -> str:
    """`[title](url)` when the url is usable, else the title alone (escaped, bounded)."""
    text = escape(truncate(title, limit)).replace("[", "(").replace("]", ")")
    target = safe_url(url)
    if target is None or dlen(target) > 512:  # a link must not eat the field it sits in
        return text
    return f"[{text}]({target.replace(')', '%29').replace('(', '%28')})"


def blockquote(text: object, limit: int) -> str:
    """Quotation style: every line prefixed with "> ", within `limit`."""
    body = truncate(text, max(limit - 20, 10))
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in body.split("\n"))
    return truncate(quoted, limit)


def pack(lines: Iterable[str], limit: int, *, max_lines: int | None = None) -> list[str]:
    """Lines grouped into chunks of at most `limit` units (and `max_lines` lines) each."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for raw in lines:
        line = truncate(raw, limit)
        extra = dlen(line) + (1 if current else 0)
        full = max_lines is not None and len(current) >= max_lines
        if current and (size + extra > limit or full):
            chunks.append("\n".join(current))
            current, size = [], 0
            extra = dlen(line)
        current.append(line)
        size += extra
    if current:
        chunks.append("\n".join(current))
    return chunks


def embed_size(embed: discord.Embed) -> int:
    """What counts toward the 6,000-unit total: title, description, fields, footer, author."""
    total = dlen(embed.title or "") + dlen(embed.description or "")
    total += dlen(embed.footer.text or "") + dlen(embed.author.name or "")
    return total + sum(dlen(f.name or "") + dlen(f.value or "") for f in embed.fields)


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """The embed within every limit: each part truncated, then fields dropped from the end."""
    if embed.title:
        embed.title = truncate(embed.title, EMBED_TITLE)
    if embed.description:
        embed.description = truncate(embed.description, EMBED_DESCRIPTION)
    if embed.footer.text:
        embed.set_footer(text=truncate(embed.footer.text, FOOTER), icon_url=embed.footer.icon_url)
    if embed.author.name:
        embed.set_author(
            name=truncate(embed.author.name, AUTHOR),
            url=embed.author.url,
            icon_url=embed.author.icon_url,
        )
    fields = [
        (truncate(f.name, FIELD_NAME) or "\u200b", truncate(f.value, FIELD_VALUE) or "\u200b", f)
        for f in embed.fields[:EMBED_FIELDS]
    ]
    embed.clear_fields()
    for name, value, f in fields:
        embed.add_field(name=name, value=value, inline=bool(f.inline))
    while embed_size(embed) > EMBED_TOTAL and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    overflow = embed_size(embed) - EMBED_TOTAL
    if overflow > 0 and embed.description:
        keep = max(dlen(embed.description) - overflow, 1)
        embed.description = truncate(embed.description, keep)
    return embed


def content(text: object) -> str:
    """A message's plain content within 2,000 units."""
    return truncate(text, CONTENT)


def choice_text(text: object, limit: int = CHOICE_NAME) -> str:
    """An autocomplete choice name or value: 1–100 units, never blank."""
    value = " ".join(clean(text).split())
    return truncate(value, limit) or "?"
