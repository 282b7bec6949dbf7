"""The entity-linking policy on its own, over an in-memory index: no database."""

from __future__ import annotations

from bot.store.linking import (
    EntityLinker,
    entity_key,
    full_names_first,
    lone_name_key,
    sentence_at,
)


class MemoryIndex:
    """Entities in a dict, as the linking policy sees them."""

    def __init__(self) -> None:
        self.entities: dict[int, tuple[str, str, str]] = {}  # id → (key, name, label)
        self.merged: list[tuple[int, int]] = []

    async def find(self, key: str) -> int | None:
        return next((i for i, (k, _, _) in self.entities.items() if k == key), None)

    async def full_names_with(self, token: str) -> list[int]:
        return [
            i
            for i, (key, _, _) in self.entities.items()
            if key.startswith("person:")
            and (key.endswith(f" {token}") or key.startswith(f"person:{token} "))
        ]

    async def create(self, key: str, name: str, label: str) -> int:
        new_id = max(self.entities, default=0) + 1
        self.entities[new_id] = (key, name, label)
        return new_id

    async def merge(self, old: int, new: int) -> None:
        del self.entities[old]
        self.merged.append((old, new))

    def names(self) -> set[str]:
        return {name for _, name, _ in self.entities.values()}


def test_keys_separate_people_from_things_and_ignore_case() -> None:
    assert entity_key("Niva YAU", "PERSON") == "person:niva yau"
    assert entity_key("Georgia", "GPE") == entity_key("GEORGIA", "ORG") == "thing:georgia"
    assert lone_name_key("yau") == "person:yau"


async def test_the_same_name_is_one_entity() -> None:
    linker = EntityLinker(MemoryIndex())
    first = await linker.link("Niva Yau", "PERSON")
    assert await linker.link("niva yau", "PERSON") == first
    assert await linker.link("Niva Yau", "ORG") != first  # a thing is not the person


async def test_a_lone_name_joins_the_one_full_name_it_is_part_of() -> None:
    index = MemoryIndex()
    linker = EntityLinker(index)
    putin = await linker.link("Vladimir Putin", "PERSON")
    assert await linker.link("Putin", "PERSON") == putin
    assert await linker.link("Vladimir", "PERSON") == putin
    assert index.names() == {"Vladimir Putin"}


async def test_a_lone_name_two_full_names_share_stays_apart() -> None:
    index = MemoryIndex()
    linker = EntityLinker(index)
    cyd = await linker.link("Cyd Ho", "PERSON")
    junius = await linker.link("Junius Ho", "PERSON")
    ho = await linker.link("Ho", "PERSON")
    assert ho not in (cyd, junius)
    assert index.names() == {"Cyd Ho", "Junius Ho", "Ho"}


async def test_a_later_full_name_absorbs_the_lone_name_it_explains() -> None:
    index = MemoryIndex()
    linker = EntityLinker(index)
    lone = await linker.link("Yau", "PERSON")
    full = await linker.link("Niva Yau", "PERSON")
    assert index.merged == [(lone, full)]
    assert linker.current(lone) == full  # ids handed out before the merge are followed
    assert index.names() == {"Niva Yau"}


async def test_a_full_name_absorbs_no_lone_name_another_full_name_could_mean() -> None:
    index = MemoryIndex()
    linker = EntityLinker(index)
    await linker.link("Jamal Okafor", "PERSON")
    await linker.link("Rosa Okafor", "PERSON")
    lone = await linker.link("Okafor", "PERSON")  # ambiguous: its own entity
    await linker.link("Zara Okafor", "PERSON")
    assert index.merged == []
    assert linker.current(lone) == lone


async def test_things_never_join_or_absorb() -> None:
    index = MemoryIndex()
    linker = EntityLinker(index)
    await linker.link("Hong Kong", "GPE")
    kong = await linker.link("Kong", "PERSON")
    assert await linker.link("Kong", "PERSON") == kong
    await linker.link("Kong Industries", "ORG")
    assert index.merged == []


def test_full_names_are_linked_first_otherwise_in_order() -> None:
    names = [("Yau", 1), ("Niva Yau", 2), ("Putin", 3), ("Vladimir Putin", 4)]
    assert [n for n, _ in full_names_first(names)] == ["Niva Yau", "Vladimir Putin", "Yau", "Putin"]


def test_a_mention_belongs_to_the_sentence_holding_its_start() -> None:
    starts = [0, 10, 25]
    assert [sentence_at(starts, o) for o in (0, 9, 10, 30)] == [0, 0, 1, 2]
    assert sentence_at([5], 2) is None
