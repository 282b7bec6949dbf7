"""The corpus walk against symlink tricks and unreadable entries, and .jsonl read per line."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from bot import corpus
from bot.corpus import load_corpus

STORY = "A headline\n\nThe story of the day, told in one short paragraph.\n"


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "good.txt").write_text(STORY)
    return root


def test_a_symlink_loop_is_skipped_with_one_warning(
    folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    os.symlink("b.txt", folder / "a.txt")
    os.symlink("a.txt", folder / "b.txt")
    os.symlink(".", folder / "again")  # a folder linking to itself
    with caplog.at_level(logging.WARNING):
        result = load_corpus(folder)
        load_corpus(folder)  # an unchanged folder: nothing said twice
    assert [a.source for a in result.articles] == ["good.txt"]
    reasons = {s.source: s.reason for s in result.skipped}
    assert reasons == {
        "a.txt": "symlink loop",
        "b.txt": "symlink loop",
        "again": "symlink loop (a folder already read)",
    }
    for name in reasons:
        assert sum(f"skipped {name}:" in w for w in _warnings(caplog)) == 1, name


def test_symlinks_leaving_the_folder_or_broken_are_skipped(
    folder: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / "passwd.txt"
    secret.write_text("root\n\nx:0:0:root:/root:/bin/bash\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "o.txt").write_text(STORY)
    os.symlink(secret, folder / "passwd.txt")
    os.symlink("../outside", folder / "outside")
    os.symlink("missing.txt", folder / "broken.txt")
    (folder / "sub").mkdir()
    (folder / "sub" / "inner.md").write_text("# Inner\n\nA story inside the folder.\n")
    os.symlink("sub/inner.md", folder / "alias.md")  # inside: followed
    with caplog.at_level(logging.WARNING):
        result = load_corpus(folder)
    assert sorted(a.source for a in result.articles) == ["alias.md", "good.txt", "sub/inner.md"]
    assert {s.source: s.reason for s in result.skipped} == {
        "passwd.txt": "symlink to outside the corpus folder",
        "outside": "symlink to outside the corpus folder",
        "broken.txt": "broken symlink",
    }
    assert all("root" not in a.text for a in result.articles)


def test_an_entry_raising_oserror_never_aborts_the_walk(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "sub").mkdir()
    (folder / "sub" / "deep.txt").write_text(STORY)
    (folder / "flaky.txt").write_text(STORY)
    real_scandir = os.scandir

    class Flaky:
        """A DirEntry whose stat calls fail, as on a vanishing network share."""

        def __init__(self, entry: os.DirEntry[str]) -> None:
            self._entry, self.name, self.path = entry, entry.name, entry.path

        def is_symlink(self) -> bool:
            return False

        def is_dir(self, follow_symlinks: bool = True) -> bool:
            raise OSError(5, "Input/output error")

        is_file = is_dir

    def scandir(path: str) -> object:
        entries = list(real_scandir(path))
        if Path(path) == folder / "sub":
            raise PermissionError(13, "Permission denied")
        wrapped = [Flaky(e) if e.name == "flaky.txt" else e for e in entries]

        class Listing(list):
            def __enter__(self) -> list:
                return self

            def __exit__(self, *exc: object) -> None:
                return None

        return Listing(wrapped)

    monkeypatch.setattr(corpus.os, "scandir", scandir)
    result = load_corpus(folder)
    assert [a.source for a in result.articles] == ["good.txt"]
    assert {s.source: s.reason for s in result.skipped} == {
        "flaky.txt": "unreadable (Input/output error)",
        "sub": "unreadable folder (Permission denied)",
    }


def test_jsonl_keeps_good_records_and_names_each_bad_line(
    folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    lines = [
        '{"title": "First", "text": "The first story."}',
        "",
        '{"title": "Broken", "text": "cut',
        '{"title": "Third", "text": "The third story."}',
        '["not", "an", "object"]',
        '{"title": "Fifth", "text": "The fifth story, with a \u2028 separator."}',
    ]
    (folder / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        result = load_corpus(folder)
        load_corpus(folder)
    titles = [a.title for a in result.articles if a.source == "feed.jsonl"]
    assert titles == ["First", "Third", "Fifth"]
    assert {s.source: s.reason for s in result.skipped} == {
        "feed.jsonl:3": "invalid JSON at line 3 column 29",
        "feed.jsonl:5": "JSON record is not an object",
    }
    warned = _warnings(caplog)
    assert sum("feed.jsonl:3:" in w for w in warned) == 1
    assert sum("feed.jsonl:5:" in w for w in warned) == 1
    # Ids count non-blank lines as before: the third line breaking renumbers nothing.
    assert result.articles[1].id == corpus.article_id("feed.jsonl#2")
