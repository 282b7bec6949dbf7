"""The summary record every summarizer returns, and the length options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Length = Literal["short", "medium", "long", "bullets"]
Method = Literal["extractive", "abstractive"]
LENGTHS: tuple[Length, ...] = get_args(Length)


@dataclass(frozen=True, slots=True)
class Summary:
    text: str  # ready to show; for bullets, one "- " line per point
    sentences: tuple[int, ...]  # indices of the article's sentences used (extractive only)
    method: Method
    length: Length
    model: str  # the model the summary depends on (cache key part)
    note: str | None = None  # e.g. why an abstractive request fell back to extractive
    points: tuple[str, ...] = ()  # the sentences or generated points, one per item


def check_length(length: str) -> Length:
    if length not in LENGTHS:
        raise ValueError(f"length must be one of {', '.join(LENGTHS)}, not {length!r}")
    return length  # type: ignore[return-value]


def as_bullets(points: list[str] | tuple[str, ...]) -> str:
    return "\n".join(f"- {point}" for point in points)
