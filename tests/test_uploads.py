"""Uploads are validated by the corpus loader before they land; removal stays in the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import UserError
from bot.uploads import corpus_file, remove_source, safe_filename, save_upload, upload_name

ARTICLE = b"A title\n\nBody text of the article, long enough to be one.\n"


def test_saves_a_text_article(tmp_path: Path) -> None:
    path = save_upload(tmp_path, "story.txt", ARTICLE, 10_000)
    assert path == tmp_path / "uploads" / upload_name("story.txt", ARTICLE)
    assert path.name.startswith("story-") and path.suffix == ".txt"
    assert path.read_bytes() == ARTICLE
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == [path.name]


@pytest.mark.parametrize(
    "names",
    [
        ["../../x.txt", "..／..／x.txt", "ｘ.ｔｘｔ", "x.txt"],  # fullwidth solidus and letters
        ["", ".", "..", "upload.txt"],
    ],
)
def test_different_uploads_never_overwrite_each_other(tmp_path: Path, names: list[str]) -> None:
    paths = []
    for n, name in enumerate(names):
        data = ARTICLE + f"Version {n}.\n".encode()
        paths.append(save_upload(tmp_path, name, data, 10_000))
    assert len(set(paths)) == len(names)
    assert {p.parent for p in paths} == {tmp_path / "uploads"}
    assert len({p.name.rsplit("-", 1)[0] for p in paths}) == 1  # one slug, then the hash
    for n, path in enumerate(paths):
        assert path.read_bytes().endswith(f"Version {n}.\n".encode())
    # The same file sent again lands on the same name: stable, not a second copy.
    assert save_upload(tmp_path, names[0], ARTICLE + b"Version 0.\n", 10_000) == paths[0]
    assert len(list((tmp_path / "uploads").iterdir())) == len(names)


def test_a_long_name_keeps_its_suffix(tmp_path: Path) -> None:
    path = save_upload(tmp_path, "a" * 500 + ".md", b"# Title\n\nBody text here.\n", 10_000)
    assert path.suffix == ".md" and len(path.name) < 120
    assert safe_filename("b" * 500 + ".JSONL").endswith(".JSONL")


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
        ("..／..／ｘ.ｔｘｔ", "x.txt"),
        ("..", "upload.txt"),
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
