"""Entity linking: which corpus-wide entity an article's canonical name joins.

The policy, apart from any SQL: people are one entity per full name; a lone surname or
first name joins the one full name in the corpus it is part of ("Putin" → "Vladimir
Putin"); a full name that arrives later absorbs the lone-name entity it explains, unless
the lone name could mean another full name too ("Ho" with "Cyd Ho" and "Junius Ho").
Everything else is one entity per casefolded name. The entities themselves are kept by an
`EntityIndex` (bot/store/writes.py keeps them in the database).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from bot.nlp.names import name_tokens

PERSON = "PERSON"
V = TypeVar("V")


def entity_key(name: str, label: str) -> str:
    """The unique key of the entity `name` (with its label) stands for."""
    return f"{'person' if label == PERSON else 'thing'}:{name.casefold()}"


def lone_name_key(token: str) -> str:
    """The key of the person known by one name token alone."""
    return f"person:{token}"


def full_names_first(names: Iterable[tuple[str, V]]) -> list[tuple[str, V]]:
    """(name, value) pairs with full names first (else in their order), so a lone surname
    in an article sees every full name it could mean before it is linked."""
    return sorted(names, key=lambda pair: len(name_tokens(pair[0])) < 2)


def sentence_at(starts: list[int], offset: int) -> int | None:
    """Index of the sentence holding character `offset` (sentences sorted by start)."""
    i = bisect.bisect_right(starts, offset) - 1
    return i if i >= 0 else None


class EntityIndex(Protocol):
    """Where the corpus's entities are kept, and the few questions linking asks of it."""

    async def find(self, key: str) -> int | None:
        """The id of the entity with this key."""

    async def full_names_with(self, token: str) -> list[int]:
        """Ids of the people whose full name starts or ends with `token`."""

    async def create(self, key: str, name: str, label: str) -> int:
        """A new entity; its id."""

    async def merge(self, old: int, new: int) -> None:
        """Everything that points at `old` points at `new`; `old` is gone."""


@dataclass(slots=True)
class EntityLinker:
    """Links the names of one save, remembering the merges it made (old id → new id) so
    an id handed out before a merge can be followed to the entity that absorbed it."""

    index: EntityIndex
    merges: dict[int, int] = field(default_factory=dict)

    async def link(self, name: str, label: str) -> int:
        """The id of the corpus-wide entity for an article's canonical name."""
        is_person = label == PERSON
        key = entity_key(name, label)
        found = await self.index.find(key)
        tokens = name_tokens(name)
        if found is None and is_person and len(tokens) == 1:
            full = await self.index.full_names_with(tokens[0])
            if len(full) == 1:
                return full[0]
        if found is not None:
            return found
        new_id = await self.index.create(key, name, label)
        if is_person and len(tokens) >= 2:
            for token in {tokens[0], tokens[-1]}:
                lone = await self.index.find(lone_name_key(token))
                # Only the one full name a lone name can mean absorbs it.
                if lone is not None and await self.index.full_names_with(token) == [new_id]:
                    await self.index.merge(lone, new_id)
                    self.merges[lone] = new_id
        return new_id

    def current(self, entity_id: int) -> int:
        """The id an entity has now, after the merges made so far."""
        while entity_id in self.merges:
            entity_id = self.merges[entity_id]
        return entity_id
