"""The CLI as a stranger meets it: version, status, articles, paging, CSV, quiet queries."""

import csv
import io
import json
from pathlib import Path

import pytest
from support import copy_corpus

from bot import cli


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """`--corpus`/`--db` of a corpus (the seed and a bad file) ingested once."""
    tmp = tmp_path_factory.mktemp("newcomer")
    corpus = copy_corpus(tmp / "corpus")
    (corpus / "broken.json").write_text("{not json")
    common = ["--corpus", str(corpus), "--db", str(tmp / "db.sqlite3")]
    assert cli.main(["ingest", *common]) == 0
    return common


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("newsdesk ")


def test_status_names_counts_models_and_database(
    seeded: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "status", *seeded)
    assert code == 0
    assert out.startswith("1 article(s) · ")
    assert "SPACY_MODEL" in out and "EMBEDDING_MODEL" in out and "database: " in out
    code, out, _ = run(capsys, "status", "--json", *seeded)
    status = json.loads(out)
    assert status["articles"] == 1 and status["quotes"] > 0 and status["database_bytes"] > 0


def test_queries_are_quiet_when_nothing_changed(
    seeded: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "articles", *seeded)
    assert code == 0 and out.startswith("1 article(s):")
    assert err == "", "no ingest line and no skip warning when nothing changed"


def test_quotes_paging_says_where_it_is_and_past_the_end_fails(
    seeded: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "quotes", "--speaker", "yau", "--limit", "2", "--page", "2", *seeded)
    assert code == 0
    assert out.startswith("quotes 3–4 of 5 from Niva Yau:")
    assert out.rstrip().endswith("(--page 3 for more)")
    code, out, err = run(
        capsys, "quotes", "--speaker", "yau", "--limit", "2", "--page", "9", *seeded
    )
    assert code == 1 and out == ""
    assert "page 9 is past the end: 5 quote(s), 3 page(s) of 2" in err


def test_entity_page_past_the_end(seeded: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "entity", "russia", "--page", "2", *seeded)
    assert code == 0 and "sentences 11–" in out
    code, _, err = run(capsys, "entity", "russia", "--page", "50", *seeded)
    assert code == 1 and "page 50 is past the end" in err


def test_json_drops_duplicates(seeded: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "quotes", "--speaker", "yau", "--json", *seeded)
    items = json.loads(out)["items"]
    assert items and all("quote_role" not in q and "role" in q for q in items)
    _, out, _ = run(capsys, "entity", "wishnick", "--json", *seeded)
    card = json.loads(out)
    assert card["sentences"] and all(isinstance(s["article"], str) for s in card["sentences"])


def test_export_keeps_author_and_writes_quotes_as_csv(
    seeded: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "export", *seeded)
    row = json.loads(out.splitlines()[0])
    assert code == 0 and "author" in row
    target = tmp_path / "quotes.csv"
    code, _, _ = run(capsys, "export", "--format", "csv", "-o", str(target), *seeded)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert rows[0] == ["article", "title", "speaker", "role", "kind", "text", "cue"]
    assert len(rows) - 1 == len(row["quotes"])
    assert {r[4] for r in rows[1:]} <= {"quoted", "partly quoted", "reported"}
    assert any(r[2] == "Niva Yau" for r in rows[1:])


def test_empty_corpus_says_which_files_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "empty"
    corpus.mkdir()
    (corpus / "notes.pdf").write_bytes(b"%PDF")
    code, _, err = run(capsys, "ingest", "--corpus", str(corpus), "--db", str(tmp_path / "d"))
    assert code == 0
    assert f"{corpus} has no articles" in err and ".txt" in err and ".jsonl" in err
