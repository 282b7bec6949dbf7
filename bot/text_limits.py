"""Text kept inside length limits, with no Discord in sight: the core and every front end
(cogs, console, autocomplete) cut and clean text with these.

Lengths are measured in UTF-16 code units: never less than Python's count of code points,
so a text that fits here fits Discord whichever way it counts emoji and other astral
characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

CHOICES = 25  # autocomplete choices offered at once
CHOICE_NAME = 100
CHOICE_VALUE = 100
URL = 2048
MAX_QUERY_CHARS = 500

ELLIPSIS = "…"
# Control characters, and lone surrogates (no UTF-8 payload can carry them).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def dlen(text: str) -> int:
    """Length as Discord may count it (UTF-16 code units)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def clean(text: object) -> str:
    """Printable text: NULs, other control characters and lone surrogates gone, Unicode NFC,
    lines kept."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFC", str(text))
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_query(text: str | None, limit: int = MAX_QUERY_CHARS) -> str:
    """User text made safe to search: no NULs or control characters, one line, bounded."""
    if not text:
        return ""
    cleaned = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(cleaned.split())[:limit]


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


def choice_text(text: object, limit: int = CHOICE_NAME) -> str:
    """An autocomplete choice name or value: 1–100 units, never blank."""
    value = " ".join(clean(text).split())
    return truncate(value, limit) or "?"
