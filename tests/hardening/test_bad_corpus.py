"""A corpus folder full of bad files: the service still starts, serves the good articles,
and names each bad file once (in the ingest report and once in the log, not again on every
re-ingest of an unchanged folder)."""

from __future__ import annotations

import logging
import random
import shutil
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hardening.helpers import structural_problems, tiny_article
from support import SEED_FILE

from bot import cli
from bot.autocomplete import ChoiceCache
from bot.corpus import load_file
from bot.errors import UserError
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk
from bot.settings import Settings
from bot.store import Store

FIFTY_MB = 50 * 1024 * 1024

# name → (content, a word of the reason it is skipped)
BAD: dict[str, tuple[bytes, str]] = {
    "binary.txt": (bytes(range(256)) * 64, "binary"),
    "empty.txt": (b"", "empty"),
    "blank.md": (b"  \n\n\t\n", "empty"),
    "latin1.txt": ("Café société\n\nUne naïve résumé.".encode("latin-1"), "UTF-8"),
    "truncated.json": (b'{"title": "Cut short", "text": "This record stops mid-', "JSON"),
    "truncated.jsonl": (b'{"title": "Fine", "text": "Whole."}\n{"title": "Cut', "JSON"),
    "all-bad.jsonl": (b'{"title": "Cut\n\n["no"]\n', "JSON at line 1"),
    "not-records.json": (b'[1, "two", null]', "records"),
    "menu.html": (b"<html><body><nav><a href='/'>Home</a> | About</nav></body></html>", "HTML"),
    "title-only.txt": (b"Just a headline\n\n\n", "no article text"),
}
GOOD = {
    "dup-a.txt": "Same headline\n\nThe first story is about the harbour in Lisbon.\n",
    "dup-b.txt": "Same headline\n\nThe second story is about the trains in Osaka.\n",
    "bom-crlf.txt": "\ufeffWindows line ends\r\n\r\nA story saved on Windows, with a BOM.\r\n",
}


def _write_huge(path: Path, size: int = FIFTY_MB) -> None:
    chunk = b"All work and no play makes a very long article. " * 20_000
    with path.open("wb") as out:
        for _ in range(size // len(chunk) + 1):
            out.write(chunk)


@pytest.fixture
def bad_corpus(tmp_path: Path) -> Iterator[Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED_FILE, corpus / SEED_FILE.name)
    for name, (data, _) in BAD.items():
        (corpus / name).write_bytes(data)
    for name, text in GOOD.items():
        (corpus / name).write_bytes(text.encode())
    _write_huge(corpus / "huge.txt")
    yield corpus
    (corpus / "huge.txt").unlink(missing_ok=True)  # 50 MB: don't wait for tmp cleanup


@pytest.fixture
async def bad_desk(tmp_path: Path, bad_corpus: Path, analyser: Analyser) -> AsyncIterator[Newsdesk]:
    settings = Settings(_env_file=None, corpus_dir=bad_corpus, database=tmp_path / "db.sqlite3")
    desk = Newsdesk(settings, await Store.open(settings.database), analyser)
    yield desk
    await desk.close()


def _warnings_naming(caplog: pytest.LogCaptureFixture, name: str) -> int:
    return sum(
        1 for r in caplog.records if r.levelno >= logging.WARNING and f"{name}:" in r.getMessage()
    )


EXPECTED_BAD = {**{k: v[1] for k, v in BAD.items()}, "huge.txt": "size limit"}
# A .jsonl file keeps its good records: only its bad line is skipped, named by number.
EXPECTED_BAD["truncated.jsonl:2"] = EXPECTED_BAD.pop("truncated.jsonl")
PARTLY_GOOD = 1  # truncated.jsonl's first record


async def test_service_starts_and_names_each_bad_file_once(
    bad_desk: Newsdesk, bad_corpus: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        report = await bad_desk.ingest()
    skipped = {s.source: s.reason for s in report.skipped}
    assert len(report.skipped) == len(skipped) == len(EXPECTED_BAD)
    for name, reason in EXPECTED_BAD.items():
        assert reason in skipped[name], (name, skipped[name])
        assert _warnings_naming(caplog, name) == 1, name
    assert report.new == 1 + len(GOOD) + PARTLY_GOOD

    # The service serves what loaded: autocomplete, lookups, summaries.
    choices = ChoiceCache()
    await choices.refresh(bad_desk)
    assert len(choices.articles) == 1 + len(GOOD) + PARTLY_GOOD
    with pytest.raises(UserError):
        await bad_desk.resolve_article("Same headline")  # two articles: ambiguous, said so
    assert len(await bad_desk.articles("Same headline")) == 2
    assert (await bad_desk.summary("Windows line ends")).text
    assert (await bad_desk.entity("Putin")).name == "Vladimir Putin"

    # An unchanged folder ingested again (the watcher does this): no repeated warnings.
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        again = await bad_desk.ingest()
    assert len(again.skipped) == len(EXPECTED_BAD)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []

    # A bad file that changes and is still bad is news again, once.
    (bad_corpus / "binary.txt").write_bytes(b"\x00still binary")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        await bad_desk.ingest()
    assert _warnings_naming(caplog, "binary.txt") == 1
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
    assert structural_problems(bad_desk.store.path) == []


@pytest.mark.slow
def test_cli_ingest_names_each_bad_file_once(
    tmp_path: Path,
    bad_corpus: Path,
    analyser: Analyser,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr("bot.service.Analyser", lambda settings: analyser)
    db = tmp_path / "cli.sqlite3"
    with caplog.at_level(logging.WARNING):
        code = cli.main(["ingest", "--corpus", str(bad_corpus), "--db", str(db)])
    out = capsys.readouterr()
    assert code == 0
    for name in EXPECTED_BAD:
        shown = (out.out + out.err).count(f"{name}:") + _warnings_naming(caplog, name)
        assert shown == 1, (name, out.out, out.err)


def test_a_file_growing_past_the_limit_after_its_size_was_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size check and the read are two steps; what is read must obey the limit too."""
    path = tmp_path / "grows.txt"
    path.write_text("Small at first\n\nA short story.")
    real_stat = Path.stat

    def stat_then_grow(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        result = real_stat(self, *args, **kwargs)
        if self == path and result.st_size < 1000:
            with path.open("a") as out:
                out.write("and then it kept going. " * 1000)
        return result

    monkeypatch.setattr(Path, "stat", stat_then_grow)
    with pytest.raises(Exception, match="size limit"):
        load_file(path, "grows.txt", max_bytes=1000)


async def test_files_rewritten_and_removed_while_the_ingest_reads_them(
    tmp_path: Path, analyser: Analyser
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(4):
        (corpus / f"steady{i}.txt").write_text(tiny_article(random.Random(i), i))
    moving = corpus / "moving.txt"
    stop = threading.Event()
    versions = [f"Moving story {n}\n\n" + "It changed again. " * (50 * (n + 1)) for n in range(3)]

    def churn() -> None:
        n = 0
        while not stop.is_set():
            if n % 7 == 6:
                moving.unlink(missing_ok=True)
            else:
                with moving.open("w") as out:  # truncate, then write: readers may see a part
                    out.write(versions[n % 3])
            n += 1

    settings = Settings(_env_file=None, corpus_dir=corpus, database=tmp_path / "db.sqlite3")
    desk = Newsdesk(settings, await Store.open(settings.database), analyser)
    writer = threading.Thread(target=churn, daemon=True)
    writer.start()
    try:
        for _ in range(3):
            report = await desk.ingest()
            assert [s.source for s in report.skipped] in ([], ["moving.txt"])
    finally:
        stop.set()
        writer.join()
    moving.write_text(versions[1])
    final = await desk.ingest()
    assert final.skipped == []
    stored = {r.source: r.content_hash for r in await desk.store.list_articles()}
    assert stored["moving.txt"] == load_file(moving, "moving.txt")[0].content_hash
    assert len(stored) == 5
    await desk.close()
    assert structural_problems(settings.database) == []


async def test_json_with_half_a_character_escaped_still_loads(
    tmp_path: Path, bad_desk: Newsdesk, bad_corpus: Path
) -> None:
    """json.loads turns "\\ud800" into a lone surrogate, which no UTF-8 codec accepts."""
    (bad_corpus / "surrogate.json").write_text(
        '{"title": "Broken \\ud800 escape", "text": "A lone \\udc00 half. Omar Haddad said so.",'
        ' "author": "\\ud83d"}'
    )
    report = await bad_desk.ingest()
    assert "surrogate.json" not in {s.source for s in report.skipped}
    row = (await bad_desk.articles("Broken"))[0]
    assert row.title == "Broken \ufffd escape" and row.author == "\ufffd"


class Choking:
    """The real analyser, except that it fails on any batch holding a poisoned article."""

    def __init__(self, analyser: Analyser) -> None:
        self._analyser = analyser

    def __getattr__(self, name: str) -> object:
        return getattr(self._analyser, name)

    def analyse_batch(self, articles: list) -> list:
        if any("POISON" in a.text for a in articles):
            raise ValueError("the NLP choked")
        return self._analyser.analyse_batch(articles)


async def test_an_article_the_nlp_chokes_on_is_reported_and_the_rest_stored(
    tmp_path: Path, analyser: Analyser, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rng = random.Random(3)
    for i in range(5):
        (corpus / f"a{i}.txt").write_text(tiny_article(rng, i))
    (corpus / "a2.txt").write_text("Poisoned\n\nThis one says POISON and breaks the NLP.")
    settings = Settings(_env_file=None, corpus_dir=corpus, database=tmp_path / "db.sqlite3")
    desk = Newsdesk(settings, await Store.open(settings.database), Choking(analyser))  # type: ignore[arg-type]
    try:
        with caplog.at_level(logging.WARNING):
            report = await desk.ingest()
        assert [s.source for s in report.skipped] == ["a2.txt"]
        assert report.new == 5 and await desk.store.count_articles() == 4
        assert sum("a2.txt" in r.getMessage() for r in caplog.records) == 1
        (corpus / "a2.txt").write_text("Cured\n\nThe article was fixed and now reads well.")
        assert (await desk.ingest()).skipped == []
        assert await desk.store.count_articles() == 5
    finally:
        await desk.close()
