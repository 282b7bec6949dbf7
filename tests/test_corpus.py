import json
import logging
from pathlib import Path

import pytest
from support import GUM_DIR, SEED_FILE

from bot.corpus import load_corpus, split_site, strip_trailing_boilerplate


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_seed_title_site_and_boilerplate(tmp_path: Path) -> None:
    write(tmp_path, SEED_FILE.name, SEED_FILE.read_text(encoding="utf-8"))
    [article] = load_corpus(tmp_path).articles
    assert article.title == "Strength of ‘Unlimited’ China-Russia Ties to be Tested at Summit"
    assert article.site == "Porcelain"
    assert article.text.startswith("Major setbacks for the Moscow forces")
    assert article.text.endswith(
        "“Kazakhstan is possibly the most important country to participate in,” Yau said."
    )
    assert "Leave a Comment" not in article.text


def test_gum_bodies_match_gold_offsets() -> None:
    articles = {a.source: a for a in load_corpus(GUM_DIR).articles}
    for line in (GUM_DIR / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        article = articles[gold["file"]]
        assert article.title == gold["title"]
        for ent in gold["entities"]:
            assert article.text[ent["start"] : ent["end"]] == ent["text"]


def test_txt_without_blank_line_takes_body_after_title(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Title here\nBody line one.\nBody line two.\n")
    [a] = load_corpus(tmp_path).articles
    assert (a.title, a.text) == ("Title here", "Body line one.\nBody line two.")


def test_txt_body_starts_after_first_blank_line(tmp_path: Path) -> None:
    write(tmp_path, "a.txt", "Title | Site\nByline\n\nThe body.\n\nShare this:\n")
    [a] = load_corpus(tmp_path).articles
    assert (a.title, a.site, a.text) == ("Title", "Site", "The body.")


def test_markdown_html_json_jsonl(tmp_path: Path) -> None:
    write(tmp_path, "sub/a.md", "# Markdown title\n\nSome *body* text here.\n")
    paragraphs = "".join(
        f"<p>Paragraph {i} of the story says that the council voted to approve the plan.</p>"
        for i in range(6)
    )
    write(
        tmp_path,
        "b.html",
        "<html><head><title>HTML title</title></head><body><nav>Home | About</nav>"
        f"<article><h1>HTML title</h1>{paragraphs}</article><footer>Cookies</footer></body></html>",
    )
    write(tmp_path, "c.json", json.dumps({"title": "J", "text": "Json body.", "url": "http://x/y"}))
    write(
        tmp_path,
        "d.jsonl",
        json.dumps({"title": "L1", "text": "First."})
        + "\n"
        + json.dumps({"title": "L2", "text": "Second."}),
    )
    result = load_corpus(tmp_path)
    by_title = {a.title: a for a in result.articles}
    assert set(by_title) == {"Markdown title", "HTML title", "J", "L1", "L2"}
    assert by_title["Markdown title"].source == "sub/a.md"
    assert "council voted" in by_title["HTML title"].text
    assert "Cookies" not in by_title["HTML title"].text
    assert by_title["J"].url == "http://x/y"
    assert by_title["L1"].id != by_title["L2"].id
    assert result.skipped == []


def test_ids_are_stable_and_hash_tracks_content(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", "T\n\nOne.")
    [before] = load_corpus(tmp_path).articles
    path.write_text("T\n\nTwo.", encoding="utf-8")
    [after] = load_corpus(tmp_path).articles
    assert before.id == after.id
    assert before.content_hash != after.content_hash


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", "", "empty"),
        ("blank.md", "  \n\n ", "empty"),
        ("binary.txt", b"\x00\x01\x02binary", "binary"),
        ("latin1.txt", "Caf\xe9 title\n\nna\xefve".encode("latin-1"), "UTF-8"),
        ("broken.json", '{"title": "x", "text": ', "invalid JSON"),
        ("shape.json", '["just", "strings"]', "no usable records"),
        ("nothing.html", "<html><body><nav>menu</nav></body></html>", "no article text"),
        ("big.txt", "T\n\n" + "x" * 2000, "size limit"),
    ],
)
def test_bad_files_are_skipped_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, name: str, data: str | bytes, reason: str
) -> None:
    write(tmp_path, "good.txt", "Good\n\nA fine article.")
    write(tmp_path, name, data)
    with caplog.at_level(logging.WARNING):
        result = load_corpus(tmp_path, max_bytes=1000)
    assert [a.title for a in result.articles] == ["Good"]
    assert len(result.skipped) == 1
    assert result.skipped[0].source == name
    assert reason in result.skipped[0].reason
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and name in warnings[0]


def test_hidden_and_unsupported_files_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, ".hidden/a.txt", "T\n\nBody.")
    write(tmp_path, "notes.docx", b"PK\x03\x04")
    write(tmp_path, "ok.txt", "T\n\nBody.")
    result = load_corpus(tmp_path)
    assert [a.source for a in result.articles] == ["ok.txt"]
    assert result.skipped == []


def test_helpers() -> None:
    assert split_site("A | B | Site") == ("A | B", "Site")
    assert split_site("No site") == ("No site", None)
    assert strip_trailing_boilerplate("Story.\n\nLeave a Comment\nRelated") == "Story."
    assert strip_trailing_boilerplate("Story ends.\nComments are closed on this.").endswith(
        "closed on this."
    )
