"""Adding and removing articles through the service and `python -m bot corpus …`: the same
rules as the bot's /corpus commands (public URLs only, size caps, loadable files, nothing
outside the corpus folder, no file that holds several articles)."""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot import cli, fetch
from bot.errors import UserError
from bot.nlp.pipeline import Analyser
from bot.service import Newsdesk

STORY = b"Harbour reopens\n\nThe harbour reopened on Friday after repairs, officials said.\n"


async def corpus_cli(analyser: Analyser, folder: Path, *argv: str) -> int:
    common = ["--corpus", str(folder), "--db", str(folder.parent / "db.sqlite3")]
    args = cli.build_parser().parse_args(["corpus", *argv, *common])
    return await cli._run(args, analyser=analyser)


async def test_upload_card_and_removal_through_the_service(desk: Newsdesk) -> None:
    added = await desk.add_upload("../../harbour.txt", STORY)  # folders in the name are dropped
    # A slug and a short content hash: two uploads called the same never overwrite.
    assert re.fullmatch(r"uploads/harbour-[0-9a-f]{10}\.txt", added.source)
    assert added.title is None
    assert added.report.new == 2  # the seed and the upload
    card = await desk.article_card("harbour")
    assert card.article.title == "Harbour reopens" and card.counts.sentences == 1
    assert card.summary  # the short summary is on the card
    removed = await desk.remove_article("harbour")
    assert (removed.title, removed.source, removed.report.removed) == (
        "Harbour reopens",
        added.source,
        1,
    )
    assert not (desk.corpus_dir / added.source).exists()
    assert "Harbour reopens" not in [a.title for a in await desk.articles(None)]


async def test_the_service_refuses_what_the_bot_refuses(desk: Newsdesk) -> None:
    with pytest.raises(UserError, match="binary"):
        await desk.add_upload("x.txt", b"\x00\x01\x02")
    with pytest.raises(UserError, match="isn't an article file"):
        await desk.add_upload("x.exe", STORY)
    with pytest.raises(UserError, match="larger than 2,000,000 bytes"):
        desk.check_upload_size(2_000_001)
    for url in ("http://127.0.0.1/admin", "http://169.254.169.254/latest/", "file:///etc/passwd"):
        with pytest.raises(fetch.FetchError):
            await desk.add_url(url)
    both = [{"title": f"Story {n}", "text": "Officials said the port reopened."} for n in (1, 2)]
    (desk.corpus_dir / "two.jsonl").write_text("\n".join(map(json.dumps, both)), "utf-8")
    await desk.ingest()
    with pytest.raises(UserError, match="holds several articles"):
        await desk.remove_article("Story 1")
    assert (desk.corpus_dir / "two.jsonl").exists()


async def test_cli_adds_a_file_removes_it_and_reloads(
    tmp_path: Path, seed_corpus: Path, analyser: Analyser, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "harbour.txt"
    story.write_bytes(STORY)
    assert await corpus_cli(analyser, seed_corpus, "add", str(story)) == 0
    out = capsys.readouterr().out.splitlines()
    saved = out[0].removeprefix("added ")
    assert re.fullmatch(r"uploads/harbour-[0-9a-f]{10}\.txt", saved)
    assert out[1].startswith("ingest: 2 new")
    assert (seed_corpus / saved).read_bytes() == STORY

    assert await corpus_cli(analyser, seed_corpus, "remove", "Harbour", "reopens") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"removed “Harbour reopens” ({saved})"
    assert out[1].startswith("ingest: 0 new, 0 changed, 1 unchanged, 1 removed")
    assert not (seed_corpus / saved).exists()

    (seed_corpus / "late.txt").write_bytes(STORY.replace(b"Harbour", b"Bridge"))
    assert await corpus_cli(analyser, seed_corpus, "reload") == 0
    assert capsys.readouterr().out.startswith("ingest: 1 new, 0 changed, 1 unchanged")


async def test_cli_adds_a_url(
    seed_corpus: Path,
    analyser: Analyser,
    site: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real = fetch.add_url
    local = ipaddress.ip_address("127.0.0.1")

    async def add_url(url: str, corpus_dir: Path, limits: Any = None, **_: Any) -> Any:
        return await real(url, corpus_dir, limits, allow=lambda ip: ip == local)

    monkeypatch.setattr(fetch, "add_url", add_url)  # the test server is on loopback
    assert await corpus_cli(analyser, seed_corpus, "add", site + "/story") == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("added “Harbour reopens after storm” (web/harbour-reopens-after-storm-")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("http://127.0.0.1/admin", "isn't public"),
        ("http://10.0.0.8/", "isn't public"),
        ("file:///etc/passwd", "Only http:// and https://"),
        ("no/such/file.txt", "is neither a URL nor a file"),
    ],
)
def test_cli_refuses_with_one_line(
    tmp_path: Path, seed_corpus: Path, source: str, message: str, capsys
) -> None:
    argv = ["corpus", "add", source, "--corpus", str(seed_corpus)]
    assert cli.main([*argv, "--db", str(tmp_path / "db.sqlite3")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("newsdesk: ") and message in err and err.count("\n") == 1


def test_cli_refuses_an_upload_over_the_cap(
    tmp_path: Path, seed_corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("ATTACHMENT_MAX_BYTES", "10")
    story = tmp_path / "harbour.txt"
    story.write_bytes(STORY)
    argv = ["corpus", "add", str(story), "--corpus", str(seed_corpus)]
    assert cli.main([*argv, "--db", str(tmp_path / "db.sqlite3")]) == 1
    assert "larger than 10 bytes" in capsys.readouterr().err
    assert not (seed_corpus / "uploads").exists()
