"""The summary cache: a summary is kept under the content it summarises and how it was
made, so an edited article or another model never gets a stale one."""

from __future__ import annotations

import json

from bot.records import SummaryRecord
from bot.store.base import StoreBase


def _summary(method: str, length: str, model: str, text: str, sentences: str) -> SummaryRecord:
    return SummaryRecord(method, length, model, text, tuple(json.loads(sentences)))


class Summaries(StoreBase):
    async def get_summary(
        self, article_id: str, content_hash: str, method: str, length: str, model: str
    ) -> SummaryRecord | None:
        return await self._record(
            _summary,
            "SELECT method, length, model, text, sentences FROM summaries WHERE article_id = ?"
            " AND content_hash = ? AND method = ? AND length = ? AND model = ?",
            (article_id, content_hash, method, length, model),
        )

    async def put_summary(self, article_id: str, content_hash: str, s: SummaryRecord) -> None:
        """Kept only while the article still has that content (else nothing is written)."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT OR REPLACE INTO summaries (article_id, content_hash, method, length,"
                " model, text, sentences) SELECT id, ?, ?, ?, ?, ?, ? FROM articles"
                " WHERE id = ? AND content_hash = ?",
                (
                    content_hash,
                    s.method,
                    s.length,
                    s.model,
                    s.text,
                    json.dumps(list(s.sentences)),
                    article_id,
                    content_hash,
                ),
            )
