"""`python -m bot console`: the slash commands, typed locally as in Discord.

    newsdesk> /quotes speaker: yau kind: direct
    newsdesk> /entity xi            (text before any option fills the first option)

Commands, option names and descriptions come from `bot.command_specs`, which the cogs
declare their slash commands from too, so the console and Discord never disagree. Tab
completes commands, option names and values (articles, speakers, names) in a menu that
never rewrites what was typed; Ctrl-C clears the line, Ctrl-D or /quit leaves; history is
kept between sessions. Long answers come in pages (/next). The corpus folder is watched
(WATCH_CORPUS) as the bot watches it. When stdin is not a terminal the commands are read
line by line and echoed, so a script or a test can drive it.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import re
import shlex
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.completion import Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.history import FileHistory

from bot import text_render
from bot.autocomplete import ChoiceCache
from bot.command_specs import COMMANDS, Command, Option
from bot.errors import UserError, echo
from bot.ingest import IngestReport
from bot.nlp.model_errors import ModelUnavailable
from bot.service import Newsdesk
from bot.watcher import CorpusWatcher

PROMPT = "newsdesk> "
QUIT = {"/quit", "/exit", "quit", "exit"}

LOCAL = {
    "help": Command("help", "List the commands, or show one: /help quotes"),
    "next": Command("next", "The next page of the last long answer"),
    "corpus": Command(
        "corpus", "Add a URL or file, remove an article, or reload: /corpus add URL|FILE"
    ),
    "feed": Command(
        "feed", "Feeds: /feed add URL, /feed list, /feed remove ID, /feed pause ID, /feed poll"
    ),
    "reload": Command("reload", "Re-read the corpus folder now"),
    "quit": Command("quit", "Leave the console (or Ctrl-D)"),
}
PAGE_SIZE = 20  # quotes, speakers and articles a page; an entity's sentences come 10 a page


@dataclass
class Parsed:
    command: str
    values: dict[str, str] = field(default_factory=dict)


def parse(line: str, commands: dict[str, Command]) -> Parsed:
    """`/name opt: value opt2: "quoted value"` → Parsed; raises UserError when it can't."""
    text = line.strip()
    if text.startswith("/"):
        text = text[1:]
    name, _, rest = text.partition(" ")
    name = name.lower()
    command = commands.get(name) or LOCAL.get(name)
    if command is None:
        raise UserError(
            f"No command /{echo(name, 40)}.{_did_you_mean(name, [*commands, *LOCAL], '/')}"
            " Type /help for the list."
        )
    names = [o.name for o in command.options]
    if not names:
        return Parsed(name, {"_": rest.strip()} if rest.strip() else {})
    marker = re.compile(r"(?:^|\s)(" + "|".join(map(re.escape, names)) + r")\s*:\s*")
    values: dict[str, str] = {}
    cuts = list(marker.finditer(rest))
    head = rest[: cuts[0].start()] if cuts else rest
    if head.strip():
        values[names[0]] = _unquote(head)
    for i, m in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(rest)
        values[m.group(1)] = _unquote(rest[m.end() : end])
    _refuse_misspelt_options(name, names, rest)
    for option in command.options:
        value = values.get(option.name)
        if option.required and not value:
            raise UserError(f"/{name} needs {option.name}: — {option.description}")
        if value and option.choices:
            values[option.name] = _choice_value(option, value)
    return Parsed(name, {k: v for k, v in values.items() if v})


def _did_you_mean(typed: str, known: list[str], prefix: str = "") -> str:
    close = difflib.get_close_matches(typed.casefold(), known, n=1, cutoff=0.6)
    return f" Did you mean {' or '.join(prefix + c for c in close)}?" if close else ""


def _refuse_misspelt_options(command: str, names: list[str], rest: str) -> None:
    """`/quotes speeker: yau` is a typo for `speaker:`, not a speaker called "speeker: yau";
    a word that is far from every option name ("note: x") stays part of the value."""
    for m in re.finditer(r"(?:^|\s)([A-Za-z]+)\s*:", rest):
        word = m.group(1).casefold()
        if word in names:
            continue
        close = difflib.get_close_matches(word, names, n=1, cutoff=0.75)
        if close:
            raise UserError(f"/{command} has no option {word}:. Did you mean {close[0]}:?")


def _choice_value(option: Option, typed: str) -> str:
    """A choice by its value or its label (or the label's first words), in any case."""
    folded = " ".join(typed.split()).casefold()
    for choice in option.choices:
        names = {choice.value, choice.label, choice.label.split(":")[0]}
        if folded in {n.casefold() for n in names}:
            return choice.value
    labels = ", ".join(c.label.split(":")[0] for c in option.choices)
    raise UserError(f"{option.name} must be one of {labels}.")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        with contextlib.suppress(ValueError):
            return shlex.split(value)[0]
    return value


Handler = Callable[[Newsdesk, dict[str, str]], Awaitable[str]]


NEXT_HINT = "(/next for more)"


def _page(v: dict[str, str]) -> int:
    return max(1, int(v.get("_page", "1")))


def _page_of(lines: list[str], page: int, what: str) -> str:
    """One page of a long list, headed by where it is, with the hint when more follow."""
    if not lines:
        return f"No {what}."
    first = (page - 1) * PAGE_SIZE
    if first >= len(lines):
        raise UserError(f"No more {what}: that was all {len(lines)}.")
    shown = lines[first : first + PAGE_SIZE]
    head = f"{what} {first + 1}–{first + len(shown)} of {len(lines)}:"
    more = [NEXT_HINT] if first + len(shown) < len(lines) else []
    return "\n".join([head, *shown, *more])


async def _articles(desk: Newsdesk, v: dict[str, str]) -> str:
    rows = await desk.articles(v.get("query"), limit=1000)
    lines = text_render.render_articles(rows).split("\n")[1:] if rows else []
    return _page_of(lines, _page(v), "articles")


async def _article(desk: Newsdesk, v: dict[str, str]) -> str:
    return text_render.render_article_card(await desk.article_card(v["article"]))


async def _entity(desk: Newsdesk, v: dict[str, str]) -> str:
    card = await desk.entity(v["name"], page=_page(v) - 1, per_page=10)
    if card.total_sentences and not card.sentences:
        raise UserError(f"No more sentences: that was all {card.total_sentences}.")
    text = text_render.render_entity(card)
    if card.sentence_offset + len(card.sentences) < card.total_sentences:
        text += "\n" + NEXT_HINT
    return text


async def _entities(desk: Newsdesk, v: dict[str, str]) -> str:
    return text_render.render_entities(await desk.entities(v.get("article")))


async def _quotes(desk: Newsdesk, v: dict[str, str]) -> str:
    results = await desk.quotes(
        speaker=v.get("speaker"),
        article=v.get("article"),
        text=v.get("text"),
        kind=v.get("kind"),
        limit=PAGE_SIZE,
        offset=(_page(v) - 1) * PAGE_SIZE,
    )
    if results.total and not results.items:
        raise UserError(f"No more quotes: that was all {results.total}.")
    return text_render.render_quotes(results, more=NEXT_HINT)


async def _speakers(desk: Newsdesk, v: dict[str, str]) -> str:
    if v.get("chart", "").strip().casefold() in ("true", "yes", "1"):
        return "Charts are images: /speakers in Discord, or `python -m bot brief --chart FILE`."
    speakers = await desk.speakers()
    lines = text_render.render_speakers(speakers).split("\n") if speakers else []
    return _page_of(lines, _page(v), "speakers")


async def _status(desk: Newsdesk, v: dict[str, str]) -> str:
    return text_render.render_status(await desk.status())


async def _summary(desk: Newsdesk, v: dict[str, str]) -> str:
    return text_render.render_summary(await desk.summary(v["article"], v.get("length", "medium")))


async def _ask(desk: Newsdesk, v: dict[str, str]) -> str:
    from bot.qa.render import render_answer

    article = (await desk.resolve_article(v["article"])).id if v.get("article") else None
    return render_answer(await desk.ask(v["question"], article=article))


async def _brief(desk: Newsdesk, v: dict[str, str]) -> str:
    from bot.feeds.render import render_digest

    feed = int(v["feed"]) if v.get("feed", "").strip().isdigit() else None
    return render_digest(await desk.feeds.digest(v.get("since"), feed_id=feed, every=True))


PAGED = frozenset({"articles", "entity", "quotes", "speakers"})
NEEDS_MODELS = frozenset({"ask", "summary"})  # may load spaCy and MiniLM on first use

HANDLERS: dict[str, Handler] = {
    "brief": _brief,
    "articles": _articles,
    "article": _article,
    "entity": _entity,
    "entities": _entities,
    "quotes": _quotes,
    "speakers": _speakers,
    "status": _status,
    "summary": _summary,
    "ask": _ask,
}


def _read_article_file(path: str) -> bytes:
    try:
        return Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise UserError(f"can't read {echo(path)}: {exc.strerror or exc}") from None


class Console:
    """One session: commands in, readable text out."""

    def __init__(self, desk: Newsdesk, out: TextIO = sys.stdout) -> None:
        self.desk = desk
        self.out = out
        self.choices = ChoiceCache()
        self.commands = dict(COMMANDS)  # every one has a handler (tests/test_console.py)
        self._last_paged: Parsed | None = None  # what /next continues

    def watch(self) -> CorpusWatcher:
        """Re-ingest when files are dropped into the corpus folder (WATCH_CORPUS), as the
        bot does, and say so between prompts."""

        async def tell(report: IngestReport) -> None:
            await self.choices.refresh(self.desk)
            if report.analysed or report.removed:
                print(f"\ncorpus changed: {report.summary_line()}", file=sys.stderr, flush=True)

        watcher = CorpusWatcher(
            self.desk.corpus_dir,
            self.desk.ingest,
            on_ingest=tell,
            debounce_ms=self.desk.settings.watch_debounce_ms,
        )
        watcher.start()
        return watcher

    async def start(self) -> None:
        """Bring the corpus up to date (progress on a terminal) and load the choices."""
        report = await self.desk.ingest(progress=sys.stderr.isatty())
        print(text_render.render_ingest(report), file=sys.stderr)
        await self.choices.refresh(self.desk)

    async def run_line(self, line: str) -> bool:
        """Run one line; False when the session should end."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        if line.lower() in QUIT:
            return False
        try:
            parsed = parse(line, self.commands)
            text = await self._dispatch(parsed)
        except (UserError, ModelUnavailable) as exc:
            text = f"! {exc}"
        print(text, file=self.out, flush=True)
        return True

    async def _dispatch(self, parsed: Parsed) -> str:
        if parsed.command == "help":
            return self.help(parsed.values.get("_", ""))
        if parsed.command == "next":
            return await self._next()
        if parsed.command == "corpus":
            return await self._corpus(parsed.values.get("_", ""))
        if parsed.command == "feed":
            return await self._feed(parsed.values.get("_", ""))
        if parsed.command == "reload":
            report = await self.desk.ingest()
            await self.choices.refresh(self.desk)
            return text_render.render_ingest(report)
        if parsed.command == "quit":
            return ""
        if parsed.command in PAGED:
            self._last_paged = Parsed(parsed.command, {**parsed.values, "_page": "1"})
        if parsed.command in NEEDS_MODELS and not self.desk.models_loaded():
            print("loading models… (once; later answers are quick)", file=sys.stderr, flush=True)
        return await HANDLERS[parsed.command](self.desk, parsed.values)

    async def _next(self) -> str:
        if self._last_paged is None:
            raise UserError(
                "Nothing to continue: /next follows /quotes, /entity, /speakers or /articles."
            )
        last = self._last_paged
        page = str(int(last.values.get("_page", "1")) + 1)
        self._last_paged = Parsed(last.command, {**last.values, "_page": page})
        return await HANDLERS[last.command](self.desk, self._last_paged.values)

    async def _feed(self, args: str) -> str:
        """The CLI's `feed` commands, on the shared corpus (the console is no server)."""
        from bot.feeds.render import render_feeds, render_round

        action, _, target = args.strip().partition(" ")
        action, target = action.casefold(), target.strip()
        feeds = self.desk.feeds
        if action == "add" and target:
            feed = await feeds.add(target)
            return f"feed #{feed.id} added: {feed.url} (every {feed.interval / 60:g} min)"
        if action == "list":
            return render_feeds(await feeds.list(every=True))
        if action in ("remove", "pause", "resume") and target.isdigit():
            if action == "remove":
                feed = await feeds.remove(int(target), every=True)
                return f"feed #{feed.id} removed: {feed.url}"
            feed = await feeds.pause(int(target), action == "pause", every=True)
            return f"feed #{feed.id} {'paused' if feed.paused else 'resumed'}: {feed.url}"
        if action == "poll":
            text = render_round(await feeds.poll(every=True))
            await self.choices.refresh(self.desk)
            return text
        raise UserError(
            "Use /feed add URL, /feed list, /feed remove ID, /feed pause ID, /feed resume ID"
            " or /feed poll."
        )

    async def _corpus(self, args: str) -> str:
        """`/corpus add URL|FILE`, `/corpus remove ARTICLE`, `/corpus reload`: the CLI's
        `corpus` commands, with the same rules (the service applies them)."""
        action, _, target = args.strip().partition(" ")
        action, target = action.casefold(), _unquote(target)
        if action == "reload":
            change_text = text_render.render_ingest(await self.desk.ingest())
        elif action == "add" and target:
            change = (
                await self.desk.add_url(target)
                if "://" in target
                else (await self.desk.add_upload(Path(target).name, _read_article_file(target)))
            )
            change_text = text_render.render_corpus_change(change, "added")
        elif action == "remove" and target:
            change = await self.desk.remove_article(target)
            change_text = text_render.render_corpus_change(change, "removed")
        else:
            raise UserError("Use /corpus add URL|FILE, /corpus remove ARTICLE or /corpus reload.")
        await self.choices.refresh(self.desk)
        return change_text

    def help(self, topic: str = "") -> str:
        topic = topic.strip().lstrip("/").lower()
        if topic in self.commands:
            cmd = self.commands[topic]
            lines = [cmd.usage(), f"  {cmd.description}"]
            for o in cmd.options:
                extra = f" (one of {', '.join(o.values)})" if o.choices else ""
                need = "required" if o.required else "optional"
                lines.append(f"  {o.name}: {o.description} — {need}{extra}")
            return "\n".join(lines)
        width = max(len(c.usage()) for c in self.commands.values()) if self.commands else 10
        lines = ["Commands (as in Discord; Tab completes, text before an option fills the first):"]
        for cmd in self.commands.values():
            lines.append(f"  {cmd.usage():<{width}}  {cmd.description}")
        lines.append("  /reload  re-read the corpus folder · /help COMMAND · /quit or Ctrl-D")
        return "\n".join(lines)

    # -- completion -------------------------------------------------------------------

    def complete(self, buffer: str) -> list[str]:
        """Whole-line completions for what has been typed so far."""
        if " " not in buffer:
            typed = buffer.lstrip("/").lower()
            return [f"/{n} " for n in [*self.commands, *LOCAL] if n.startswith(typed)]
        head, _, rest = buffer.partition(" ")
        command = self.commands.get(head.lstrip("/").lower())
        if command is None or not command.options:
            return []
        names = [o.name for o in command.options]
        marker = r"(?:^|\s)(" + "|".join(map(re.escape, names)) + r")\s*:\s*"
        cuts = list(re.finditer(marker, rest))
        if cuts:  # completing the value of the last option named
            typed = rest[cuts[-1].end() :]
            option = next(o for o in command.options if o.name == cuts[-1].group(1))
            prefix = buffer[: len(buffer) - len(typed)]
            values = [prefix + v + " " for v in self._values(option, typed)]
            if values:
                return values
        used = {m.group(1) for m in cuts}
        word = rest.rsplit(" ", 1)[-1]
        prefix = buffer[: len(buffer) - len(word)]
        return [f"{prefix}{n}: " for n in names if n not in used and n.startswith(word)]

    def _values(self, option: Option, typed: str) -> list[str]:
        if option.choices:
            return [c for c in option.values if c.startswith(typed)]
        if option.complete == "article":  # titles read better than ids, and resolve too
            wanted = {s.value for s in self.choices.article_choices(typed)}
            return [a.title for a in self.choices.articles if a.id in wanted]
        source = {
            "speaker": self.choices.speaker_choices,
            "entity": self.choices.entity_choices,
        }.get(option.complete or "")
        return [s.value for s in source(typed)] if source else []


def _history_file(desk: Newsdesk) -> Path:
    database = desk.settings.database
    # Beside the SQLite file; with a PostgreSQL URL, in data/ as the default file would be.
    folder = database.parent if isinstance(database, Path) else Path("data")
    return folder / ".console_history"


class _LineCompleter(Completer):
    """prompt_toolkit's view of `Console.complete`: each completion replaces the line typed
    so far, and several matches open a menu instead of rewriting what was typed (readline
    replaced "church" with the matches' shorter common start)."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def get_completions(self, document: Document, complete_event: Any) -> Iterator[Completion]:
        typed = document.text_before_cursor
        for line in self.console.complete(typed):
            shown = line[len(typed) :] if line.startswith(typed) else line
            yield Completion(line, start_position=-len(typed), display=shown.strip() or line)


def prompt_session(console: Console, history: Path | None, **io: Any) -> PromptSession[str]:
    """The interactive prompt: Tab completes, Ctrl-C clears the line, Ctrl-D leaves."""
    file_history = None
    if history is not None:
        with contextlib.suppress(OSError):
            history.parent.mkdir(parents=True, exist_ok=True)
            file_history = FileHistory(str(history))
    return PromptSession(
        completer=_LineCompleter(console),
        complete_while_typing=False,
        history=file_history,
        **io,
    )


async def _read_lines(
    session: PromptSession[str] | None, stdin: TextIO, out: TextIO
) -> AsyncIterator[str]:
    """Lines typed at the prompt (or read from a script), until Ctrl-D or the end."""
    while True:
        if session is not None:
            try:
                yield await session.prompt_async(PROMPT)
            except KeyboardInterrupt:
                continue  # Ctrl-C: the line is dropped, the prompt comes back
            except EOFError:
                print(file=out)
                return
        else:
            line = stdin.readline()
            if not line:
                return
            if line.strip():
                print(PROMPT + line.rstrip("\n"), file=out)
            yield line


async def run_console(
    desk: Newsdesk,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    *,
    session: PromptSession[str] | None = None,
) -> int:
    """The REPL; returns the exit code. `session` drives it from a prompt_toolkit input
    (a terminal by default, a pipe in tests)."""
    console = Console(desk, out)
    if session is None and stdin.isatty() and out.isatty():
        session = prompt_session(console, _history_file(desk))
    corpus = desk.settings.corpus_dir
    print(f"newsdesk console: loading the corpus from {corpus}/ …", file=sys.stderr)
    await console.start()
    watcher = console.watch() if desk.settings.watch_corpus else None
    print("Type /help for the commands, Tab to complete, Ctrl-D to leave.", file=sys.stderr)
    # While the user types their first command, so their first /ask is not the slow one.
    warm = asyncio.create_task(desk.warm_up()) if desk.settings.warm_models else None
    try:
        async for line in _read_lines(session, stdin, out):
            if not await console.run_line(line):
                break
    finally:
        if watcher is not None:
            await watcher.stop()
        if warm is not None and not warm.done():
            warm.cancel()
        if warm is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await warm
    return 0
