"""Rows as typed records, named by the cursor (as sqlite-utils does): a query's column
names (aliased where the value is an expression) are the record's field names, so no key
list is kept beside a SELECT, and a column the record lacks fails loudly."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")


def column_names(description: Sequence[Sequence[Any]] | None) -> list[str]:
    """The names in a DB-API `cursor.description`."""
    return [column[0] for column in description or ()]


def build(make: Callable[..., T], names: Sequence[str], row: Sequence[Any]) -> T:
    """One record: `make` called with each value under its column's name."""
    return make(**dict(zip(names, row, strict=True)))


def select_list(record: type, alias: str) -> str:
    """`alias.field, …` for every field of the dataclass `record`, in its order."""
    return ", ".join(f"{alias}.{f.name}" for f in fields(record))


def pick(record: type[T], columns: dict[str, Any]) -> T:
    """The dataclass `record` made of the columns named as its fields."""
    return record(**{f.name: columns[f.name] for f in fields(record)})  # type: ignore[arg-type]
