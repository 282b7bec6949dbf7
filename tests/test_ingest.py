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


async def test_files_whose_size_and_mtime_match_are_not_read_again(
    desk: Newsdesk, seed_corpus: Path, monkeypatch
) -> None:
    import os

    from bot import corpus

    reads: list[str] = []
    real_load = corpus.load_file

    def counting_load(path, source, max_bytes=corpus.DEFAULT_MAX_BYTES, problems=None):
        reads.append(source)
        return real_load(path, source, max_bytes, problems)

    def age(path: Path, seconds: int = 60) -> None:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))

    monkeypatch.setattr(corpus, "load_file", counting_load)
    flag = seed_corpus / "flag.txt"
    flag.write_bytes((GUM_DIR / "flag.txt").read_bytes())
    for path in seed_corpus.iterdir():
        age(path)
    first = await desk.ingest()
    assert first.new == 2 and len(reads) == 2

    reads.clear()
    again = await desk.ingest()
    assert (again.new, again.changed, again.unchanged, again.removed) == (0, 0, 2, 0)
    assert reads == [], "files with the stored size and mtime need no reading"

    # Touched, same bytes: read once (the hash says unchanged), then its new stat is kept.
    st = flag.stat()
    age(flag, 30)
    reads.clear()
    touched = await desk.ingest()
    assert reads == ["flag.txt"] and (touched.changed, touched.unchanged) == (0, 2)
    reads.clear()
    await desk.ingest()
    assert reads == []

    # Same size, new bytes and mtime: the content hash decides, and it changed.
    text = flag.read_bytes()
    flag.write_bytes(text.replace(b"flag", b"FLAG", 1))
    assert flag.stat().st_size == st.st_size
    reads.clear()
    edited = await desk.ingest()
    assert reads == ["flag.txt"] and edited.changed == 1
    # Written a moment ago, so its stat was not trusted: a same-size rewrite within the
    # clock's tick is still seen.
    flag.write_bytes(text.replace(b"flag", b"Flag", 1))
    reads.clear()
    racy = await desk.ingest()
    assert reads == ["flag.txt"] and racy.changed == 1

    flag.unlink()
    gone = await desk.ingest()
    assert gone.removed == 1 and gone.unchanged == 1
