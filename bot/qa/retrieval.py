"""Hybrid sentence search: FTS5 BM25 from the store, and MiniLM cosine over one in-memory
matrix, fused by reciprocal rank.

The matrix holds every sentence embedding quantised to int8 with one scale per row — a
quarter of float32's memory (300k sentences ≈ 115 MB). It is scored in blocks of a few
hundred rows converted to float32: the block stays in cache, which measured several times
faster than converting the whole matrix or larger blocks. It reloads when the store's
sentences change, found by a free change counter and then a cheap fingerprint query.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bot.store import Store
from bot.store.search import Fingerprint

log = logging.getLogger(__name__)

RRF_K = 60  # the usual reciprocal-rank-fusion constant: rank 1 ≈ 0.016, rank 50 ≈ 0.009
BLOCK_ROWS = 512
# Above this many rows, the Hamming distance between sign bits (48 bytes a row) picks
# PREFILTER_KEEP candidates first and only those are scored exactly: ~3x faster at 300k.
PREFILTER_ROWS = 50_000
PREFILTER_KEEP = 4_000
PAGE_ROWS = 20_000
_BLOB_DTYPE = np.dtype("<f2")


@dataclass(frozen=True, slots=True)
class Hit:
    sentence_id: int
    score: float  # fused reciprocal-rank score
    cosine: float  # question–sentence cosine (0 for a sentence without an embedding)
    bm25_rank: int | None  # 1-based, None when BM25 did not find it
    dense_rank: int | None


class SentenceMatrix:
    """Sentence row ids, their articles, and int8 unit vectors with per-row scales."""

    def __init__(
        self,
        ids: np.ndarray,
        articles: np.ndarray,
        article_codes: dict[str, int],
        vectors: np.ndarray,
        scales: np.ndarray,
        signs: np.ndarray | None = None,
    ) -> None:
        self.ids = ids  # int64, ascending
        self.articles = articles  # int32 code per row
        self.article_codes = article_codes
        self.vectors = vectors  # (n, dim) int8
        self.scales = scales  # (n,) float32
        # (n, ⌈dim/64⌉) uint64: the prefilter's sketch (the builder makes it page by page).
        self.signs = sign_bits(vectors) if signs is None else signs

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def nbytes(self) -> int:
        arrays = (self.ids, self.articles, self.vectors, self.scales, self.signs)
        return sum(a.nbytes for a in arrays)

    @classmethod
    def empty(cls, dim: int = 0) -> SentenceMatrix:
        return cls(
            np.zeros(0, np.int64),
            np.zeros(0, np.int32),
            {},
            np.zeros((0, dim), np.int8),
            np.zeros(0, np.float32),
        )

    def dot(self, query: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Cosine of `query` (a unit float32 vector) with every row, or with `rows`."""
        vectors = self.vectors if rows is None else self.vectors[rows]
        scales = self.scales if rows is None else self.scales[rows]
        n = len(vectors)
        out = np.empty(n, np.float32)
        if n == 0 or query.shape[0] != vectors.shape[1]:
            out.fill(0.0)
            return out
        query = np.ascontiguousarray(query, dtype=np.float32)
        block = np.empty((min(BLOCK_ROWS, n), vectors.shape[1]), np.float32)
        for begin in range(0, n, BLOCK_ROWS):
            part = vectors[begin : begin + BLOCK_ROWS]
            buf = block[: len(part)]
            buf[...] = part
            np.dot(buf, query, out=out[begin : begin + len(part)])
        out *= scales
        return out

    def extended(self, more: SentenceMatrix) -> SentenceMatrix:
        """This matrix with `more`'s rows after its own (`more` built on this one's
        article codes, its ids all greater)."""
        if not len(more):
            return self
        return SentenceMatrix(
            np.concatenate([self.ids, more.ids]),
            np.concatenate([self.articles, more.articles]),
            more.article_codes,
            np.concatenate([self.vectors, more.vectors]),
            np.concatenate([self.scales, more.scales]),
            np.concatenate([self.signs, more.signs]),
        )

    def rows_of(self, article_id: str) -> np.ndarray:
        code = self.article_codes.get(article_id)
        if code is None:
            return np.zeros(0, np.intp)
        return np.flatnonzero(self.articles == code)

    def prefilter(self, query: np.ndarray, keep: int) -> np.ndarray:
        """The `keep` rows whose sign bits differ least from the query's, in row order."""
        distance = np.bitwise_count(self.signs ^ sign_bits(query[None, :])).sum(
            axis=1, dtype=np.uint16
        )
        return np.sort(np.argpartition(distance, keep - 1)[:keep])

    def top(
        self, query: np.ndarray, k: int, article_id: str | None = None
    ) -> list[tuple[int, float]]:
        """The `k` most similar sentences as (sentence row id, cosine), best first."""
        rows = None if article_id is None else self.rows_of(article_id)
        keep = max(PREFILTER_KEEP, 40 * k)
        if rows is None and len(self) > max(PREFILTER_ROWS, keep) and _HAS_POPCOUNT:
            rows = self.prefilter(query, keep)
        scores = self.dot(query, rows)
        if len(scores) == 0:
            return []
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        picked = best if rows is None else rows[best]
        return [(int(self.ids[r]), float(scores[b])) for r, b in zip(picked, best, strict=True)]

    def cosines(self, query: np.ndarray, sentence_ids: list[int]) -> dict[int, float]:
        """Cosine with the given sentences (those not in the matrix are left out)."""
        if not sentence_ids or len(self.ids) == 0:
            return {}
        wanted = np.asarray(sentence_ids, np.int64)
        pos = np.searchsorted(self.ids, wanted)
        pos = np.minimum(pos, len(self.ids) - 1)
        ok = self.ids[pos] == wanted
        scores = self.dot(query, pos[ok])
        return {int(i): float(s) for i, s in zip(wanted[ok], scores, strict=True)}


_HAS_POPCOUNT = hasattr(np, "bitwise_count")  # numpy ≥ 2.0; else every row is scored


def sign_bits(vectors: np.ndarray) -> np.ndarray:
    """One bit a dimension (positive or not), packed into uint64 words per row."""
    packed = np.packbits(vectors > 0, axis=1)
    pad = (-packed.shape[1]) % 8
    if pad:
        packed = np.pad(packed, ((0, 0), (0, pad)))
    return np.ascontiguousarray(packed).view(np.uint64)


class MatrixBuilder:
    """Quantises pages of (row id, article id, float16 blob) into a SentenceMatrix."""

    def __init__(self, dim: int = 0, codes: dict[str, int] | None = None) -> None:
        """`dim` and `codes`: those of a matrix the pages will extend."""
        self.dim = dim
        self._ids: list[np.ndarray] = []
        self._articles: list[np.ndarray] = []
        self._vectors: list[np.ndarray] = []
        self._scales: list[np.ndarray] = []
        self._signs: list[np.ndarray] = []
        self._codes: dict[str, int] = dict(codes or {})
        self.skipped = 0

    def add(self, page: list[tuple[int, str, bytes]]) -> None:
        if not self.dim and page:
            self.dim = len(page[0][2]) // _BLOB_DTYPE.itemsize
        width = self.dim * _BLOB_DTYPE.itemsize
        good = [row for row in page if len(row[2]) == width]
        self.skipped += len(page) - len(good)  # another model's width: not comparable
        if not good:
            return
        raw = np.frombuffer(b"".join(row[2] for row in good), dtype=_BLOB_DTYPE)
        floats = raw.reshape(len(good), self.dim).astype(np.float32)
        scales = np.abs(floats).max(axis=1) / 127.0
        scales[scales == 0] = 1.0
        self._vectors.append(np.rint(floats / scales[:, None]).astype(np.int8))
        self._signs.append(sign_bits(floats))
        self._scales.append(scales.astype(np.float32))
        self._ids.append(np.fromiter((row[0] for row in good), np.int64, len(good)))
        codes = self._codes
        self._articles.append(
            np.fromiter((codes.setdefault(row[1], len(codes)) for row in good), np.int32)
        )

    def build(self) -> SentenceMatrix:
        if not self._ids:
            empty = SentenceMatrix.empty(self.dim)
            empty.article_codes = dict(self._codes)
            return empty
        return SentenceMatrix(
            np.concatenate(self._ids),
            np.concatenate(self._articles),
            dict(self._codes),
            np.concatenate(self._vectors),
            np.concatenate(self._scales),
            np.concatenate(self._signs),
        )


def fuse(rankings: list[list[int]], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion: Σ 1 / (k + rank) over the rankings an item appears in."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            fused[item] = fused.get(item, 0.0) + 1.0 / (k + rank)
    return fused


class HybridRetriever:
    """Sentences for a question: BM25 and embedding rankings fused, best first."""

    def __init__(self, store: Store, embed: Callable[[str], np.ndarray]) -> None:
        self.store = store
        self._embed = embed  # blocking: runs in a worker thread
        self._matrix: SentenceMatrix | None = None
        self._counter: tuple[int, int] | None = None
        self._fingerprint: tuple[int, int, str, float] | None = None
        self._lock = asyncio.Lock()
        self.frozen = False

    def invalidate(self) -> None:
        """The store changed: the next search compares its fingerprint again, and then
        appends the new rows or reloads the matrix whole (see `_appended`)."""
        self._counter = None

    def freeze(self) -> None:
        """Keep serving the matrix as it is (an ingest is writing): every commit would
        otherwise reload it, two matrices in memory at once and a reload per question.
        Sentences written meanwhile are found by BM25 alone until `thaw`."""
        self.frozen = True

    def thaw(self) -> None:
        """Back to following the store: the next search reloads once if anything changed."""
        self.frozen = False

    async def matrix(self) -> SentenceMatrix:
        """The current matrix, reloaded first if the store's sentences changed (not while
        frozen, unless none was loaded yet)."""
        if self.frozen and self._matrix is not None:
            return self._matrix
        counter = await self.store.change_counter()
        if self._matrix is not None and counter == self._counter:
            return self._matrix
        async with self._lock:
            counter = await self.store.change_counter()
            if self._matrix is not None and counter == self._counter:
                return self._matrix
            fingerprint = await self.store.sentences_fingerprint()
            if self._matrix is None or fingerprint != self._fingerprint:
                grown = await self._appended(fingerprint)
                self._matrix = grown if grown is not None else await self._load(fingerprint.last_id)
                log.info(
                    "sentence matrix: %d rows, %.1f MB%s",
                    len(self._matrix),
                    self._matrix.nbytes / 1e6,
                    " (new rows appended)" if grown is not None else "",
                )
            self._counter, self._fingerprint = counter, fingerprint
            return self._matrix

    async def _appended(self, now: Fingerprint) -> SentenceMatrix | None:
        """The matrix with only the rows added since it was loaded, when nothing else
        changed; None when it must be reloaded whole. After an ingest of new articles
        that reads their few hundred rows instead of every row (234k at 10,000 articles:
        seconds, paid by the first question). Nothing else changed when the last row
        loaded is still there, in the same article analysis, and the count grew by
        exactly the rows after it: a deletion or a re-analysis anywhere breaks that."""
        old, matrix = self._fingerprint, self._matrix
        if old is None or matrix is None or now.last_id <= old.last_id:
            return None
        if await self.store.sentence_stamp(old.last_id) != (old.content_hash, old.analysed_at):
            return None
        added = await self.store.count_sentences_between(old.last_id, now.last_id)
        if old.sentences + added != now.sentences:
            return None
        builder = MatrixBuilder(matrix.vectors.shape[1], matrix.article_codes)
        await self._read_pages(builder, old.last_id, now.last_id)
        if builder.skipped:
            return None  # another model's width: the full load says so
        return matrix.extended(builder.build())

    async def _load(self, last: int = 0) -> SentenceMatrix:
        """Every row up to `last` (the fingerprint's, so that a row committed meanwhile is
        appended next time, not twice), or every row."""
        builder = MatrixBuilder()
        await self._read_pages(builder, 0, last)
        if builder.skipped:
            log.warning("%d sentence embeddings have another width; left out", builder.skipped)
        return builder.build()

    async def _read_pages(self, builder: MatrixBuilder, after: int = 0, last: int = 0) -> None:
        """Rows with id > `after` (and <= `last` when given) into `builder`, page by page."""
        while True:
            page = await self.store.embedding_page(after, PAGE_ROWS)
            if last:
                page = [row for row in page if row[0] <= last]
            if not page:
                break
            await asyncio.to_thread(builder.add, page)
            after = page[-1][0]

    async def search(
        self,
        question: str,
        keywords: str,
        *,
        k: int = 10,
        article_id: str | None = None,
        pool: int = 50,
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """The `k` best sentences for `question`; `keywords` is what BM25 searches for, and
        `vector` the question's embedding when the caller has it already."""
        matrix = await self.matrix()
        if vector is None:
            vector = await asyncio.to_thread(self._embed, question)
        lexical, dense = await asyncio.gather(
            self.store.search_sentences(keywords, pool, article_id),
            asyncio.to_thread(matrix.top, vector, pool, article_id),
        )
        bm25_ids = [sid for sid, _ in lexical]
        dense_ids = [sid for sid, _ in dense]
        fused = fuse([bm25_ids, dense_ids])
        best = sorted(fused, key=lambda sid: -fused[sid])[:k]
        cosine = dict(dense)
        missing = [sid for sid in best if sid not in cosine]
        if missing:
            cosine.update(await asyncio.to_thread(matrix.cosines, vector, missing))
        newer = [sid for sid in missing if sid not in cosine]  # written after the load
        if newer:
            for sid, blob in (await self.store.sentence_vectors(newer)).items():
                row = np.frombuffer(blob, dtype=_BLOB_DTYPE).astype(np.float32)
                if row.shape == vector.shape:
                    cosine[sid] = float(row @ vector)
        bm25_rank = {sid: r for r, sid in enumerate(bm25_ids, 1)}
        dense_rank = {sid: r for r, sid in enumerate(dense_ids, 1)}
        return [
            Hit(sid, fused[sid], cosine.get(sid, 0.0), bm25_rank.get(sid), dense_rank.get(sid))
            for sid in best
        ]
