"""The CLI round trip: feed add, poll twice (the second adds nothing), a new item, poll
adds exactly one, brief --json lists it with summary, quotes and speakers; the chart."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from feedsite import FeedSite, publish, story

from bot import cli
from bot.nlp.pipeline import Analyser


@pytest.fixture
def site_thread() -> Iterator[tuple[FeedSite, asyncio.AbstractEventLoop]]:
    """The news site on its own loop in a thread: the CLI runs its own asyncio.run."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    site = asyncio.run_coroutine_threadsafe(FeedSite().start(), loop).result(10)
    yield site, loop
    asyncio.run_coroutine_threadsafe(site.stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


def test_cli_round_trip(
    tmp_path: Path,
    site_thread: tuple[FeedSite, asyncio.AbstractEventLoop],
    analyser: Analyser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site, loop = site_thread

    monkeypatch.chdir(tmp_path)  # no developer .env
    (tmp_path / "corpus").mkdir()
    common = ["--corpus", str(tmp_path / "corpus"), "--db", str(tmp_path / "db.sqlite3")]

    def run(*argv: str) -> str:
        args = cli.build_parser().parse_args([*argv, *common])
        code = asyncio.run(cli._run(args, analyser=analyser))  # the session's models
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    def publish_now(n: int) -> None:
        loop.call_soon_threadsafe(publish, site, "/rss", [story(i) for i in range(n)])

    publish_now(3)
    monkeypatch.delenv("ALLOW_PRIVATE_URLS", raising=False)
    assert cli.main(["feed", "add", site.url("/rss"), *common]) == 1
    assert "isn't public" in capsys.readouterr().err  # loopback needs the switch

    monkeypatch.setenv("ALLOW_PRIVATE_URLS", "1")
    assert "feed #1 added" in run("feed", "add", site.url("/rss"), "--channel", "42")
    first = run("feed", "poll")
    assert "1 added, 2 already there" in first and "1 article(s) added" in first
    assert "0 article(s) added" in run("feed", "poll")
    publish_now(4)
    third = run("feed", "poll")
    assert "1 added" in third and story(3).title in third

    briefs = json.loads(run("brief", "--json"))
    assert [b["title"] for b in briefs] == [story(2).title, story(3).title]
    latest = briefs[-1]
    assert latest["summary"] and latest["summary_only"] is False
    assert latest["speakers"] == ["Maria Lopez", "Tomas Reyes"]
    assert {q["speaker"] for q in latest["quotes"]} == {"Maria Lopez", "Tomas Reyes"}
    assert "#1 Harbour Times" in run("feed", "list")

    chart = tmp_path / "speakers.png"
    run("brief", "--chart", str(chart))
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "removed" in run("feed", "remove", "1")
    assert "No feeds yet" in run("feed", "list")
