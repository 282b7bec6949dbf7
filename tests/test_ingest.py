import logging
from pathlib import Path

import pytest
from support import GUM_DIR

from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk


class CountingAnalyser:
    """The real analyser, counting the articles it is asked to analyse."""

    def __init__(self, real: Analyser) -> None:
        self.real = real
        self.analysed: list[str] = []
        self.settings = real.settings

    @property
    def pipeline_version(self) -> str:
        return self.real.pipeline_version

    def load_models(self) -> None:
        self.real.load_models()

    def analyse_batch(self, articles):
        self.analysed.extend(a.source for a in articles)
        return self.real.analyse_batch(articles)


async def test_second_ingest_does_no_nlp_and_changes_are_tracked(
    desk: Newsdesk, seed_corpus: Path
) -> None:
    counting = CountingAnalyser(desk.analyser)
    desk.analyser = counting  # type: ignore[assignment]
    (seed_corpus / "flag.txt").write_bytes((GUM_DIR / "flag.txt").read_bytes())

    first = await desk.ingest()
    assert (first.new, first.changed, first.unchanged, first.removed) == (2, 0, 0, 0)
    assert len(counting.analysed) == 2

    again = await desk.ingest()
    assert (again.new, again.changed, again.unchanged, again.removed) == (0, 0, 2, 0)
    assert len(counting.analysed) == 2, "an unchanged corpus must not be analysed again"

    flag = seed_corpus / "flag.txt"
    flag.write_text(flag.read_text(encoding="utf-8") + "\n\nA new closing paragraph was added.")
    changed = await desk.ingest()
    assert (changed.changed, changed.unchanged) == (1, 1)
    assert counting.analysed[-1] == "flag.txt"

    flag.unlink()
    (seed_corpus / "junk.txt").write_bytes(b"\x00\x00")
    removed = await desk.ingest()
    assert (removed.removed, removed.unchanged, len(removed.skipped)) == (1, 1, 1)
    assert [a.source for a in await desk.articles()] == ["000_dc43907925d3983f.txt"]
    assert "1 skipped" in removed.summary_line()


async def test_pipeline_change_reanalyses(desk: Newsdesk) -> None:
    await desk.ingest()
    states = await desk.store.article_states()
    async with desk.store.transaction() as db:
        await db.execute("UPDATE articles SET pipeline_version = 'old'")
    report = await desk.ingest()
    assert report.changed == len(states)


async def test_a_model_that_cannot_load_stops_the_ingest_with_its_message(
    tmp_path: Path, seed_corpus: Path
) -> None:
    from bot.nlp.model_errors import ModelUnavailable
    from bot.settings import Settings

    settings = Settings(
        _env_file=None,
        corpus_dir=seed_corpus,
        database=tmp_path / "db.sqlite3",
        spacy_model="en_core_web_md_not_installed",
    )
    desk = await Newsdesk.open(settings)
    try:
        with pytest.raises(ModelUnavailable, match=r"SPACY_MODEL.*en_core_web_md_not_installed"):
            await desk.ingest()
        assert await desk.store.count_articles() == 0
    finally:
        await desk.close()


async def test_an_unreadable_file_keeps_its_article_until_readable_or_gone(
    desk: Newsdesk, seed_corpus: Path, caplog: pytest.LogCaptureFixture, monkeypatch
) -> None:
    story = seed_corpus / "flag.txt"
    story.write_bytes((GUM_DIR / "flag.txt").read_bytes())
    await desk.ingest()
    [row] = [r for r in await desk.articles() if r.source == "flag.txt"]
    good = story.read_bytes()

    # An editor re-saves it in Latin-1 for a moment: not UTF-8, so it can't be loaded.
    story.write_bytes(good.decode("utf-8").encode("latin-1", "replace") + "é".encode("latin-1"))
    for _ in range(2):  # warned on every ingest, not once
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            report = await desk.ingest()
        assert report.removed == 0 and report.stale == ["flag.txt"]
        assert "1 stale" in report.summary_line()
        assert sum("flag.txt can't be read" in r.getMessage() for r in caplog.records) == 1
        assert (await desk.resolve_article(row.id)).content_hash == row.content_hash
        assert await desk.store.sentences(row.id)

    # Permissions taken away (root ignores chmod, so the open itself is made to fail).
    real_open = Path.open

    def no_access(self: Path, *a: object, **k: object):
        if self.name == "flag.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *a, **k)

    monkeypatch.setattr(Path, "open", no_access)
    report = await desk.ingest()
    assert report.stale == ["flag.txt"] and await desk.resolve_article(row.id)
    monkeypatch.undo()

    story.write_bytes(good)  # readable again: the same article, nothing stale
    back = await desk.ingest()
    assert back.stale == [] and back.removed == 0 and back.changed == 0
    story.unlink()  # truly gone: removed
    gone = await desk.ingest()
    assert gone.removed == 1 and gone.stale == []
    assert all(r.source != "flag.txt" for r in await desk.articles())
