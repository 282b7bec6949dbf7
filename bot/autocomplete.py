"""What autocomplete offers while someone types: articles, speakers and entity names.

Discord wants an answer within 3 s and at most 25 choices, and the console completes
values on Tab: both read this in-memory snapshot, refreshed after every ingest, so a
keystroke never waits on SQLite or a model.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from bot import scope
from bot.lookup import NameMatcher, fold
from bot.service import Newsdesk
from bot.text_limits import CHOICES, choice_text

log = logging.getLogger(__name__)

MAX_CHOICES = CHOICES


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str  # what the user sees
    value: str  # what is filled in


@dataclass(slots=True)
class ArticleEntry:
    id: str
    title: str
    source: str
    folded: str = ""


@dataclass(slots=True)
class ChoiceCache:
    articles: list[ArticleEntry] = field(default_factory=list)
    speakers: list[tuple[str, int]] = field(default_factory=list)
    names: NameMatcher | None = None
    # Per server (None: shared), so a server is never offered another server's names.
    speaker_owners: list[tuple[str, int, int | None]] = field(default_factory=list)
    entity_owners: dict[int, set[int | None]] = field(default_factory=dict)

    async def refresh(self, desk: Newsdesk) -> None:
        """Reload the snapshot from the store (call after each ingest)."""
        rows = await desk.articles(None, limit=100_000)
        # Folding 10,000 titles held the event loop for ~0.1 s: done in a worker thread.
        self.articles = await asyncio.to_thread(
            lambda: [
                ArticleEntry(r.id, r.title, r.source, fold(f"{r.title} {r.source} {r.id}"))
                for r in rows
            ]
        )
        self.speakers = list(await desk.speakers())
        self.names = await desk.name_matcher()
        self.speaker_owners = await desk.store.speaker_owners()
        self.entity_owners = await desk.store.entity_owners()
        log.debug("choices: %d articles, %d speakers", len(self.articles), len(self.speakers))

    def article_choices(self, current: str, limit: int = MAX_CHOICES) -> list[Suggestion]:
        """Titles whose words start with what was typed first, then any that contain it."""
        typed = fold(current or "")
        starts, contains = [], []
        for a in self.articles:
            if not scope.visible(a.source):  # another server's article
                continue
            if not typed or _word_start(a.folded, typed):
                starts.append(a)
            elif typed in a.folded:
                contains.append(a)
            if len(starts) >= limit:
                break
        return [
            Suggestion(_label(f"{a.title} ({a.source})"), a.id) for a in (starts + contains)[:limit]
        ]

    def speaker_choices(self, current: str, limit: int = MAX_CHOICES) -> list[Suggestion]:
        """Most-quoted speakers first, matching any word's start."""
        typed = fold(current or "")
        hits = [
            (name, n)
            for name, n in self._visible_speakers()
            if not typed
            or fold(name).startswith(typed)
            or any(w.startswith(typed) for w in fold(name).split())
        ]
        return [Suggestion(_label(f"{name} ({n})"), _value(name)) for name, n in hits[:limit]]

    def _visible_speakers(self) -> list[tuple[str, int]]:
        """Every speaker when the viewer sees everything; else the speakers of the shared
        corpus and of the viewer's own articles, counted over those only."""
        if not scope.scoped():
            return self.speakers
        counts: dict[str, int] = {}
        for name, n, owner in self.speaker_owners:
            if scope.owner_visible(owner):
                counts[name] = counts.get(name, 0) + n
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def entity_choices(self, current: str, limit: int = MAX_CHOICES) -> list[Suggestion]:
        if self.names is None:
            return []
        hits = self.names.complete(current or "", limit * 4 if scope.scoped() else limit)
        if scope.scoped():
            hits = [
                h
                for h in hits
                if any(scope.owner_visible(o) for o in self.entity_owners.get(h.key, ()))
            ][:limit]
        return [Suggestion(_label(f"{h.name} · {h.label}"), _value(h.name)) for h in hits]


def _label(text: str) -> str:
    """Within Discord's 100 units, counted as Discord does (UTF-16: an emoji is two)."""
    return choice_text(text)


def _value(text: str) -> str:
    return choice_text(text)


def _word_start(folded: str, typed: str) -> bool:
    """`typed` begins the text or one of its words ("summ" finds "SCO summit")."""
    return folded.startswith(typed) or f" {typed}" in folded
