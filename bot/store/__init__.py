"""The cache of articles and their NLP results, on SQLite: every SQL statement lives in
this package, one module a job (bot/pgstore/ runs the same SQL on PostgreSQL).

- `schema`: the numbered migrations, opening a file and bringing it forward;
- `writes`: an article's analysis saved or removed, each in one transaction, so a crash
  mid-ingest leaves each article either wholly present or absent;
- `linking`: which entity a name joins (domain rules, no SQL);
- reads per feature: `articles`, `entities`, `quotes`, `search` (full text, embeddings,
  passages for answers), `summaries` (the cache, read and written), `stats`;
- `rows`: rows as typed records named by the cursor; `base`: the shared connection.
"""

from __future__ import annotations

from bot.store.articles import ArticleCounts, ArticleReads, ArticleRow, ArticleState
from bot.store.base import StoreUnavailable, and_visible
from bot.store.entities import EntityReads
from bot.store.quotes import QuoteReads, QuoteRow
from bot.store.schema import MIGRATIONS, SCHEMA_VERSION, Schema
from bot.store.search import SearchReads, fts_query
from bot.store.stats import CorpusCounts, Stats
from bot.store.summaries import Summaries
from bot.store.writes import Writes


class Store(ArticleReads, EntityReads, QuoteReads, SearchReads, Summaries, Stats, Writes, Schema):
    """One aiosqlite connection in WAL mode, with every read and write of the store."""


__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ArticleCounts",
    "ArticleRow",
    "ArticleState",
    "CorpusCounts",
    "QuoteRow",
    "Store",
    "StoreUnavailable",
    "and_visible",
    "fts_query",
]
