"""What `status` shows of the store: its counts and its size on disk."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from bot.store.base import StoreBase


@dataclass(frozen=True, slots=True)
class CorpusCounts:
    articles: int
    quotes: int
    speakers: int
    entities: int
    last_analysed: float | None  # when the latest article was analysed (epoch seconds)


class Stats(StoreBase):
    async def corpus_counts(self) -> CorpusCounts:
        """Counts and the last analysis time, in one round trip."""
        counts = await self._record(
            CorpusCounts,
            "SELECT (SELECT count(*) FROM articles) AS articles,"
            " (SELECT count(*) FROM quotes) AS quotes,"
            " (SELECT count(DISTINCT speaker) FROM quotes) AS speakers,"
            " (SELECT count(*) FROM entities) AS entities,"
            " (SELECT max(analysed_at) FROM articles) AS last_analysed",
        )
        return counts or CorpusCounts(0, 0, 0, 0, None)

    async def size_bytes(self) -> int:
        """The database file and its write-ahead log, in bytes (0 when absent)."""
        total = 0
        for path in (self.path, Path(f"{self.path}-wal")):
            with suppress(OSError):
                total += path.stat().st_size
        return total
