"""Page furniture that quotes nobody: headlines and crossheads, "READ MORE:" / "WATCH:"
links, and photo captions with their credits ("(Jane Doe/Reuters)").

Quotation marks in them are titles or teasers; a speech verb in them ("Mayor says …")
is a headline's, and annotators (GGT, PARC) mark neither.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlp.quotes.context import Attribution, Context

_LINK = re.compile(
    r"^\s*(?:read more|read also|watch|related|see also|more|listen|video|photos?|gallery"
    r"|click here|sign up|subscribe|also read|recommended|trending|advertisement)\b\s*[:|›»-]",
    re.I,
)
# "(Jane Doe/Reuters)", "(Photo: AP)", "Photo by …", "… | Getty Images", "Credit: …"
_CREDIT = re.compile(
    r"\((?:[A-Z][\w.'’-]*\s?){1,4}/\s?(?:[A-Z][\w.&'’-]*\s?){1,5}\)\s*$"
    r"|\((?:photo|image|file photo|credit)s?\b[^)]*\)\s*$"
    r"|^\s*(?:photo|image|file photo|credit)s?\s*(?:by|:)"
    r"|\|\s*(?:getty images|reuters|ap|afp|the canadian press)\s*$",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_SMALL = frozenset(
    "a an the of and or in on for to at by with from as is are vs says say said over after".split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class FurnitureParams:
    headline_max_words: int = 20  # a headline is short ...
    headline_caps: float = 0.6  # ... and mostly capitalised, with no closing stop


def is_headline(text: str, params: FurnitureParams = FurnitureParams()) -> bool:
    line = text.strip()
    if not line or line[-1] in '.!?"”’…:,;)' or "\n" in line:
        return False
    words = [w for w in _WORD.findall(line) if w.lower() not in _SMALL]
    if len(words) < 3 or len(_WORD.findall(line)) > params.headline_max_words:
        return False
    caps = sum(w[0].isupper() for w in words)
    return caps / len(words) >= params.headline_caps


def furniture(ctx: Context, params: FurnitureParams = FurnitureParams()) -> set[int]:
    """Indices of the paragraphs that are page furniture."""
    out = set()
    for k, (a, b) in enumerate(ctx.paras):
        line = ctx.text[a:b]
        if _LINK.match(line) or _CREDIT.search(line) or is_headline(line, params):
            out.add(k)
    return out


def drop_furniture(ctx: Context, atts: list[Attribution]) -> list[Attribution]:
    """Attributions whose content or cue sits in page furniture are left out."""
    bad = furniture(ctx)
    if not bad:
        return atts
    keep = []
    for att in atts:
        where = {ctx.para_of(att.start)}
        if att.cue_token is not None:
            where.add(ctx.para_of(att.cue_token.idx))
        if not where & bad:
            keep.append(att)
    return keep
