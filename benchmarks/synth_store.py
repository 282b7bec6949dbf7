"""A synthesised serving store for the scale figures: the first K articles of the corpus
really ingested, their analysis copied to the other N - K.

    python benchmarks/synth_store.py N [--templates 300] [--seed 7]

Really ingesting 10,000 generated articles takes hours on two cores; serving them does
not depend on how the analysis was made, only on how much of it there is and how it is
spread. So articles 0..K-1 go through `bot ingest` (their database is the N=K bench
database, data/bench/n{K}-s{seed}/db.sqlite3, kept and topped up like any other), and
article i >= K gets a copy of template i mod K's rows (sentences with their embeddings
and full-text entries, entity links, mentions, quotes, summaries), under the file's own
id, path, title, content hash, size and mtime, so a warm restart (and `bot ingest`) finds
every one of the N files unchanged. The copy is plain SQL inside one transaction.

What that means for the figures: the row counts, the quotes per speaker and articles per
entity scale as in a real ingest (every name recurs N/K times as often as in the
templates; the generator's popularity is Zipf-like, so the heads match a real corpus),
but there are fewer distinct people (only those the K templates name) and each clone's
text is its template's (its offsets must stay valid), not its file's. Fine for speed and
memory; meaningless for quality, which the quality harnesses measure on real analyses.
`describe()` records the counts that matter next to the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from bench_common import ROOT, corpus_dir, database, ingest_folder, workdir

from bot.corpus import load_file
from bot.records import Article

DEFAULT_TEMPLATES = 300
WHY = (
    "analysis copied from the first {k} articles (really ingested) to the other {rest}:"
    " the same number of rows and the same skew as a real ingest, for speed and memory"
    " figures only (quality is measured on real analyses)"
)


def synth_database(n: int, seed: int, templates: int) -> Path:
    return workdir(n, seed) / f"synth-k{templates}.sqlite3"


def _fingerprint(db: Path) -> str:
    """What the templates hold: their ids, hashes and pipeline versions."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT id, content_hash, pipeline_version FROM articles ORDER BY id"
        ).fetchall()
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()[:16]


def _clone_map(corpus: Path, template_db: Path, k: int, n: int) -> list[tuple[Any, ...]]:
    """(template id, id, source, title, site, content hash, size, mtime_ns) per clone:
    each file read, parsed and hashed as `bot ingest` would, its stat taken."""
    with sqlite3.connect(template_db) as conn:
        by_source = dict(conn.execute("SELECT source, id FROM articles"))
    rows = []
    for i in range(k, n):
        source = f"{i:05d}.txt"
        template = by_source.get(f"{i % k:05d}.txt")
        if template is None:
            raise SystemExit(f"template {i % k:05d}.txt is not in {template_db}")
        (article,) = load_file(corpus / source, source)  # no stat when written just now
        rows.append(
            (
                template,
                article.id,
                source,
                article.title,
                article.site,
                article.content_hash,
                article.file_size,
                article.file_mtime_ns,
            )
        )
    return rows


# Each table's copy: a template's rows under a clone's id (`m` is the clone map).
_COPIES = (
    "INSERT INTO articles (id, source, title, site, url, date, author, text, content_hash,"
    " pipeline_version, file_size, file_mtime_ns, analysed_at)"
    " SELECT m.id, m.source, m.title, m.site, a.url, a.date, a.author, a.text, m.hash,"
    " a.pipeline_version, m.size, m.mtime, a.analysed_at"
    " FROM clone_map m JOIN articles a ON a.id = m.template ORDER BY m.rowid",
    # Triggers fill sentences_fts (and quotes_fts below) row by row, as a save does.
    "INSERT INTO sentences (article_id, idx, start, end, text, embedding)"
    " SELECT m.id, s.idx, s.start, s.end, s.text, s.embedding"
    " FROM clone_map m JOIN sentences s ON s.article_id = m.template ORDER BY m.rowid, s.idx",
    "INSERT INTO article_entities (article_id, entity_id, label, role, mentions)"
    " SELECT m.id, ae.entity_id, ae.label, ae.role, ae.mentions"
    " FROM clone_map m JOIN article_entities ae ON ae.article_id = m.template"
    " ORDER BY m.rowid",
    "INSERT INTO mentions (article_id, entity_id, sentence_idx, start, end, text, label)"
    " SELECT m.id, x.entity_id, x.sentence_idx, x.start, x.end, x.text, x.label"
    " FROM clone_map m JOIN mentions x ON x.article_id = m.template ORDER BY m.rowid, x.id",
    "INSERT INTO quotes (article_id, source, start, end, text, speaker, speaker_entity_id,"
    " speaker_text, speaker_start, speaker_end, speaker_is_person, role, cue, kind, segments)"
    " SELECT m.id, m.source, q.start, q.end, q.text, q.speaker, q.speaker_entity_id,"
    " q.speaker_text, q.speaker_start, q.speaker_end, q.speaker_is_person, q.role, q.cue,"
    " q.kind, q.segments FROM clone_map m JOIN quotes q ON q.article_id = m.template"
    " ORDER BY m.rowid, q.id",
    # A summary is keyed by the content it summarises: the clone's hash.
    "INSERT INTO summaries (article_id, content_hash, method, length, model, text, sentences,"
    " created_at) SELECT m.id, m.hash, s.method, s.length, s.model, s.text, s.sentences,"
    " s.created_at FROM clone_map m JOIN summaries s ON s.article_id = m.template"
    " ORDER BY m.rowid",
)


def _copy(
    template_db: Path,
    out: Path,
    clones: list[tuple[Any, ...]],
    templates: list[Article],
) -> None:
    """The template database, then every clone's rows, written to `out` (replaced)."""
    tmp = out.with_suffix(".building")
    tmp.unlink(missing_ok=True)
    with sqlite3.connect(template_db) as src, sqlite3.connect(tmp) as dst:
        src.backup(dst)
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("BEGIN")
        conn.execute(
            "CREATE TEMP TABLE clone_map (template TEXT, id TEXT, source TEXT, title TEXT,"
            " site TEXT, hash TEXT, size INTEGER, mtime INTEGER)"
        )
        conn.executemany("INSERT INTO clone_map VALUES (?,?,?,?,?,?,?,?)", clones)
        # The templates were ingested from their own folder: the N corpus's copies of
        # the same bytes have other mtimes.
        conn.executemany(
            "UPDATE articles SET file_size = ?, file_mtime_ns = ? WHERE source = ?",
            [(a.file_size, a.file_mtime_ns, a.source) for a in templates],
        )
        for sql in _COPIES:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    os.replace(tmp, out)


def synthesise(corpus: Path, template_db: Path, out: Path, k: int, n: int) -> None:
    """`out`: the database of templates 00000.txt..{k-1} plus clones of them for the
    files {k}..{n-1} of `corpus` (every file read and hashed; `out` replaced)."""
    clones = _clone_map(corpus, template_db, k, n)
    sources = [f"{i:05d}.txt" for i in range(k)]
    _copy(template_db, out, clones, [a for s in sources for a in load_file(corpus / s, s)])


def describe(db: Path) -> dict[str, Any]:
    """The counts that decide serving cost, recorded beside the figures."""
    with sqlite3.connect(db) as conn:

        def one(sql: str) -> Any:
            return conn.execute(sql).fetchone()[0]

        return {
            "articles": one("SELECT count(*) FROM articles"),
            "sentences": one("SELECT count(*) FROM sentences"),
            "embedded_sentences": one("SELECT count(*) FROM sentences WHERE embedding IS NOT NULL"),
            "entities": one("SELECT count(*) FROM entities"),
            "persons": one("SELECT count(*) FROM entities WHERE label = 'PERSON'"),
            "mentions": one("SELECT count(*) FROM mentions"),
            "quotes": one("SELECT count(*) FROM quotes"),
            "summaries": one("SELECT count(*) FROM summaries"),
            "top_speaker_quotes": one(
                "SELECT max(c) FROM (SELECT count(*) AS c FROM quotes"
                " WHERE speaker_entity_id IS NOT NULL GROUP BY speaker_entity_id)"
            ),
            "top_entity_articles": one(
                "SELECT max(c) FROM (SELECT count(*) AS c FROM article_entities GROUP BY entity_id)"
            ),
        }


def build(n: int, seed: int, templates: int) -> dict[str, Any]:
    """data/bench/n{N}-s{seed}/synth-k{K}.sqlite3, rebuilt when its templates changed.
    Returns what the JSON records about it."""
    from generate_corpus import DEFAULT_SOURCES, load_sources, write_corpus

    k = min(templates, n)
    sources = load_sources(DEFAULT_SOURCES)
    write_corpus(corpus_dir(k, seed), k, seed, sources)  # the first k of the N corpus
    template_db = database(k, seed)
    print(f"ingesting the {k} templates into {template_db.relative_to(ROOT)}", file=sys.stderr)
    ingest = ingest_folder(corpus_dir(k, seed), template_db)
    out = synth_database(n, seed, k)
    stamp = out.with_suffix(".json")
    key = {"n": n, "seed": seed, "templates": k, "fingerprint": _fingerprint(template_db)}
    started = time.perf_counter()
    if not out.exists() or not stamp.exists() or json.loads(stamp.read_text()) != key:
        print(f"copying their analysis to {n - k} more articles", file=sys.stderr, flush=True)
        synthesise(corpus_dir(n, seed), template_db, out, k, n)
        stamp.write_text(json.dumps(key) + "\n")
    return {
        "kind": "synthesised",
        "templates": k,
        "why": WHY.format(k=k, rest=n - k),
        "template_ingest": ingest,
        "copy_s": round(time.perf_counter() - started, 1),
        "counts": describe(out),
        "path": str(out.relative_to(ROOT)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("--templates", type=int, default=DEFAULT_TEMPLATES)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    from generate_corpus import DEFAULT_SOURCES, load_sources, write_corpus

    write_corpus(corpus_dir(args.n, args.seed), args.n, args.seed, load_sources(DEFAULT_SOURCES))
    print(json.dumps(build(args.n, args.seed, args.templates), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
