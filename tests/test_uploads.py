"""Uploads are validated by the corpus loader before they land; removal stays in the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import UserError
from bot.uploads import corpus_file, remove_source, safe_filename, save_upload

ARTICLE = b"A title\n\nBody text of the article, long enough to be one.\n"


def test_saves_a_text_article(tmp_path: Path) -> None:
    path = save_upload(tmp_path, "story.txt", ARTICLE, 10_000)
    assert path == tmp_path / "uploads" / "story.txt" and path.read_bytes() == ARTICLE
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == ["story.txt"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.png", b"\x89PNG", "isn't an article file"),
        ("story.txt", b"x" * 20_000, "larger than"),
        ("story.txt", b"\x00\x01binary", "binary"),
        ("story.txt", "é".encode("latin-1") * 10, "not UTF-8"),
        ("story.json", b"{not json", "invalid JSON"),
        ("story.txt", b"   ", "empty"),
    ],
)
def test_refuses_what_the_loader_would_skip(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        save_upload(tmp_path, name, data, 10_000)
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\win.txt", "win.txt"),
        (".hidden.md", "hidden.md"),
        ("a b<c>|d.md", "a b_c_d.md"),
        ("", "upload.txt"),
    ],
)
def test_file_names_cannot_escape(raw: str, clean: str) -> None:
    assert safe_filename(raw) == clean


def test_remove_stays_inside_the_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(ARTICLE)
    (tmp_path / "outside.txt").write_bytes(ARTICLE)
    with pytest.raises(UserError, match="outside"):
        corpus_file(corpus, "../outside.txt")
    assert remove_source(corpus, "a.txt") == (corpus / "a.txt").resolve()
    assert (tmp_path / "outside.txt").exists()
    with pytest.raises(UserError, match="already gone"):
        remove_source(corpus, "a.txt")
