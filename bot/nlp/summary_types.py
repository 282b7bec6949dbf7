"""The summary record every summarizer returns, and the length options."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Length = Literal["short", "medium", "long", "bullets"]
Method = Literal["extractive", "abstractive"]
LENGTHS: tuple[Length, ...] = get_args(Length)


@dataclass(frozen=True, slots=True)
class Summary:
    text: str  # one sentence (point) a line; for bullets, one "- " line per point
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


def text_points(text: str, length: str) -> tuple[str, ...]:
    """The sentences (points) of a stored summary text: one a line, bullets' "- " off.
    A summary cached as one line (before summaries kept their lines) is one point."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if length == "bullets":
        lines = [line.removeprefix("- ").strip() for line in lines]
    return tuple(lines)


def stored_text(points: tuple[str, ...], length: str, fallback: str) -> str:
    """What is stored and exported for a summary: its points one a line ("- " bullets)."""
    if not points:
        return fallback
    return as_bullets(points) if length == "bullets" else "\n".join(points)
