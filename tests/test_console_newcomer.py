"""The console as a stranger meets it, driven through its own input loop: real key
presses into prompt_toolkit (Tab, Ctrl-C, Ctrl-D), paging, any-case choices, did-you-mean,
admin commands and the corpus folder watched."""

from __future__ import annotations

import asyncio
import io
import shutil
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from support import GUM_DIR

from bot.command_specs import COMMANDS
from bot.console import Console, parse, prompt_session, run_console
from bot.errors import UserError
from bot.service import Newsdesk

CTRL_C, CTRL_D, TAB = "\x03", "\x04", "\t"


async def drive(desk: Newsdesk, keys: list[str]) -> str:
    """Type `keys` at the console's prompt, one chunk at a time; returns what it printed."""
    out = io.StringIO()
    with create_pipe_input() as pipe:
        console_session = prompt_session(Console(desk, out), None, input=pipe, output=DummyOutput())
        task = asyncio.create_task(run_console(desk, out=out, session=console_session))
        for chunk in keys:
            for _ in range(2400):  # bounded: two minutes for start-up or the last answer
                if console_session.app.is_running or task.done():
                    break
                await asyncio.sleep(0.05)
            pipe.send_text(chunk)
            await asyncio.sleep(0.3)
        assert await asyncio.wait_for(task, 120) == 0
    return out.getvalue()


async def test_ctrl_c_clears_the_line_and_ctrl_d_leaves(desk: Newsdesk) -> None:
    text = await drive(desk, ["/quotes speaker: yau", CTRL_C, "/status\r", CTRL_D])
    assert "Niva Yau" not in text, "the interrupted line must not run"
    assert " article(s) · " in text  # the next line ran normally


async def test_tab_never_erases_what_was_typed(desk: Newsdesk) -> None:
    console = Console(desk, io.StringIO())
    await console.start()
    line = "/summary article: China-Rus"  # mid-title: no title starts with it
    completions = console.complete(line)
    assert completions, "the title containing the words is offered"
    text = await drive(desk, [line + TAB, "\r", CTRL_D])
    assert "Strength of ‘Unlimited’ China-Russia Ties" in text  # the typed words still resolved


async def test_next_pages_through_quotes_and_says_when_done(desk: Newsdesk) -> None:
    for name in ("afghan.txt", "crane.txt"):  # with the seed, more than a page of quotes
        shutil.copy(GUM_DIR / name, desk.corpus_dir / name)
    await desk.ingest()
    console = Console(desk, io.StringIO())
    out = console.out
    for line in ("/quotes", "/next"):
        await console.run_line(line)
    text = out.getvalue()
    assert "quotes 1–20 of " in text and "(/next for more)" in text
    assert "quotes 21–" in text
    for _ in range(5):
        await console.run_line("/next")
    assert "! No more quotes: that was all " in out.getvalue()


async def test_speakers_and_entity_sentences_come_in_pages(desk: Newsdesk) -> None:
    await desk.ingest()
    console = Console(desk, io.StringIO())
    await console.run_line("/entity russia")
    await console.run_line("/next")
    text = console.out.getvalue()
    assert "sentences 1–10 of 16" in text and "sentences 11–16 of 16" in text


def test_choices_by_label_or_value_in_any_case() -> None:
    assert parse("/summary article: x length: Short", COMMANDS).values["length"] == "short"
    assert parse("/quotes kind: reported", COMMANDS).values["kind"] == "indirect"
    assert parse("/quotes kind: MIXED", COMMANDS).values["kind"] == "mixed"


def test_did_you_mean_for_commands_and_options() -> None:
    with pytest.raises(UserError, match=r"No command /qoutes\. Did you mean /quotes\?"):
        parse("/qoutes speaker: yau", COMMANDS)
    with pytest.raises(UserError, match=r"no option speeker:\. Did you mean speaker:\?"):
        parse("/quotes speeker: yau", COMMANDS)
    assert parse("/articles note: x", COMMANDS).values == {"query": "note: x"}


async def test_corpus_admin_commands_in_the_console(desk: Newsdesk, tmp_path: Path) -> None:
    await desk.ingest()
    console = Console(desk, io.StringIO())
    source = tmp_path / "flag.txt"
    shutil.copy(GUM_DIR / "flag.txt", source)
    await console.run_line(f"/corpus add {source}")
    await console.run_line("/corpus remove flag")
    await console.run_line("/corpus sideways")
    text = console.out.getvalue()
    assert "added uploads/flag" in text and "removed “" in text
    assert "! Use /corpus add URL|FILE" in text


async def test_the_console_watches_the_corpus_folder(desk: Newsdesk) -> None:
    await desk.ingest()
    console = Console(desk, io.StringIO())
    desk.settings.watch_debounce_ms = 100
    watcher = console.watch()
    try:
        await asyncio.wait_for(watcher.ready.wait(), 10)
        shutil.copy(GUM_DIR / "korea.txt", desk.corpus_dir / "korea.txt")
        for _ in range(600):  # bounded: at most a minute
            if await desk.store.count_articles() == 2:
                break
            await asyncio.sleep(0.1)
        assert await desk.store.count_articles() == 2
    finally:
        await watcher.stop()
