"""The bench's synthesised store (benchmarks/synth_store.py): templates really ingested,
their analysis copied to the other files, which a warm restart must then find unchanged
without reading them."""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from pathlib import Path

from conftest import make_settings

from bot.corpus import load_corpus, load_file
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.store_factory import open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from synth_store import describe, synthesise

ARTICLES = (
    "Port strike ends\n\nDock workers in Rotterdam ended their strike on Monday."
    ' "We got what we came for," said Marta Kowalski, the union leader.',
    "Rates held\n\nThe central bank kept its main rate at 4 percent."
    ' "Inflation is still too high," Governor Pablo Rinaldi said in Frankfurt.',
    "Harvest late\n\nFarmers in Bavaria said rain delayed the wheat harvest by two weeks.",
    "Strike talks resume\n\nTalks between the port and the union resumed in Rotterdam.",
    "Bank minutes\n\nMinutes of the bank's meeting showed a divided board.",
)


def _write(folder: Path, texts: tuple[str, ...]) -> None:
    folder.mkdir()
    old = time.time() - 60  # past the racy-mtime window: a stat can vouch for them
    for i, text in enumerate(texts):
        path = folder / f"{i:05d}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        os.utime(path, (old, old))


def _per_article(db: Path, table: str) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(
            conn.execute(
                f"SELECT a.source, count(x.article_id) FROM articles a"
                f" LEFT JOIN {table} x ON x.article_id = a.id GROUP BY a.source"
            )
        )


async def test_clones_carry_their_templates_analysis_and_restart_unchanged(
    tmp_path: Path, analyser: Analyser
) -> None:
    templates, full = tmp_path / "templates", tmp_path / "full"
    _write(templates, ARTICLES[:2])
    _write(full, ARTICLES)  # its first two files hold the templates' bytes
    template_db, out = tmp_path / "templates.sqlite3", tmp_path / "synth.sqlite3"
    settings = make_settings(tmp_path, templates, template_db)
    desk = Newsdesk(settings, await open_store(template_db), analyser)
    try:
        assert (await desk.ingest()).analysed == 2
    finally:
        await desk.close()

    synthesise(full, template_db, out, k=2, n=5)

    # Clones 00002..00004 copy templates 0, 1, 0 (i mod k), table by table.
    for table in ("sentences", "mentions", "quotes", "article_entities", "summaries"):
        t, s = _per_article(template_db, table), _per_article(out, table)
        assert s == {**t, "00002.txt": t["00000.txt"], "00003.txt": t["00001.txt"],
                     "00004.txt": t["00000.txt"]}, table  # fmt: skip

    def matches(db: Path) -> int:
        with sqlite3.connect(db) as conn:
            return conn.execute(
                "SELECT count(*) FROM sentences_fts WHERE sentences_fts MATCH 'rotterdam'"
            ).fetchone()[0]

    assert matches(template_db) == 1 and matches(out) == 3  # template 0, clones 2 and 4
    with sqlite3.connect(out) as conn:
        (bare,) = conn.execute("SELECT count(*) FROM sentences WHERE embedding IS NULL")
    assert bare == (0,)
    assert describe(out)["articles"] == 5

    # Each clone is its own file: id, hash and stat as an ingest of that file records.
    desk = Newsdesk(make_settings(tmp_path, full, out), await open_store(out), analyser)
    try:
        for i in range(5):
            (article,) = load_file(full / f"{i:05d}.txt", f"{i:05d}.txt")
            row = await desk.store.get_article(article.id)
            assert row is not None and row.content_hash == article.content_hash
        known = await desk.store.file_stats(analyser.pipeline_version)
        assert len(load_corpus(full, known=known).kept) == 5  # none needs reading
        report = await desk.ingest()
        assert (report.analysed, report.unchanged, report.removed) == (0, 5, 0)
        clone = (await desk.articles())[4]
        assert clone.source == "00004.txt"
        assert (await desk.summary(clone.id)).cached
    finally:
        await desk.close()
