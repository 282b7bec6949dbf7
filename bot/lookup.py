"""Finding names from what people type: any case, a surname, a full name, a near miss."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.nlp.names import name_tokens, normalise_name, strip_titles


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for matching."""
    if text.isascii():  # nothing to decompose: the common case, and 10x faster
        return text.casefold().strip()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@dataclass(frozen=True, slots=True)
class NameEntry:
    key: int  # entity id
    name: str  # canonical name
    label: str
    alias: str  # one name the entity goes by


class NameMatcher:
    """Resolves a typed name to entity ids: exact (any alias) → token → fuzzy."""

    def __init__(self, entries: list[NameEntry], weights: dict[int, int] | None = None) -> None:
        self.entries = entries
        self.weights = weights or {}
        self._folded = [fold(normalise_name(e.alias)) for e in entries]
        self._tokens = [name_tokens(f) for f in self._folded]  # split once, not per query

    def match(self, query: str, *, limit: int = 10, score_cutoff: float = 80) -> list[NameEntry]:
        """Entities best matching `query`, one entry per entity, best first."""
        q = fold(strip_titles(normalise_name(query)))
        if not q:
            return []
        exact = [e for e, f in zip(self.entries, self._folded, strict=True) if f == q]
        if exact:
            return self._unique(exact, limit)
        words = q.split()
        token_hits = [
            e for e, t in zip(self.entries, self._tokens, strict=True) if _contains_tokens(t, words)
        ]
        if token_hits:
            return self._unique(token_hits, limit)
        scored = process.extract(
            q, self._folded, scorer=_name_score, limit=limit * 4, score_cutoff=score_cutoff
        )
        return self._unique([self.entries[i] for _, _, i in scored], limit)

    def _unique(self, entries: list[NameEntry], limit: int) -> list[NameEntry]:
        seen: dict[int, NameEntry] = {}
        for e in entries:
            seen.setdefault(e.key, e)
        ranked = sorted(seen.values(), key=lambda e: -self.weights.get(e.key, 0))
        return ranked[:limit]

    def complete(self, prefix: str, limit: int = 25) -> list[NameEntry]:
        """Autocomplete: canonical names starting with, then containing, the prefix."""
        p = fold(prefix)
        by_key: dict[int, NameEntry] = {}
        for e, f in zip(self.entries, self._folded, strict=True):
            if not p or f.startswith(p) or any(w.startswith(p) for w in f.split()):
                by_key.setdefault(e.key, e)
        ranked = sorted(by_key.values(), key=lambda e: (-self.weights.get(e.key, 0), e.name))
        return ranked[:limit]


def _contains_tokens(tokens: list[str], words: list[str]) -> bool:
    n = len(words)
    return any(tokens[i : i + n] == words for i in range(len(tokens) - n + 1))


def _name_score(query: str, choice: str, **_: object) -> float:
    """Near misses against the whole name or any single word of it ("wishnik" ~ "Wishnick")."""
    best = fuzz.ratio(query, choice)
    if " " not in query:
        best = max([best, *(fuzz.ratio(query, w) for w in choice.split())])
    return best
