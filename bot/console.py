"""`python -m bot console`: the slash commands, typed locally as in Discord.

    newsdesk> /quotes speaker: yau kind: direct
    newsdesk> /entity xi            (text before any option fills the first option)

Commands, option names and descriptions come from the cogs themselves, so the console and
Discord never disagree. Tab completes commands, option names and values (articles,
speakers, names); history is kept between sessions. When stdin is not a terminal the
commands are read line by line and echoed, so a script or a test can drive it.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shlex
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bot import text_render
from bot.autocomplete import ChoiceCache
from bot.errors import UserError
from bot.nlp.model_errors import ModelUnavailable
from bot.service import Newsdesk

PROMPT = "newsdesk> "
QUIT = {"/quit", "/exit", "quit", "exit"}


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    description: str
    required: bool
    choices: tuple[str, ...] = ()
    complete: str | None = None  # "article" | "speaker" | "entity"


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    description: str
    options: tuple[Option, ...] = ()
    needs: tuple[str, ...] = ()  # Newsdesk methods it calls

    def usage(self) -> str:
        parts = [f"/{self.name}"]
        for o in self.options:
            parts.append(f"{o.name}: …" if o.required else f"[{o.name}: …]")
        return " ".join(parts)


# Which option values autocomplete from which list (as in the cogs).
COMPLETERS = {"article": "article", "speaker": "speaker", "name": "entity"}


def commands_from_cogs() -> dict[str, Command]:
    """The feature cogs' slash commands (name, description, options) as console commands."""
    from cogs.articles import REQUIRES as ARTICLES_NEEDS
    from cogs.articles import Articles
    from cogs.ask import REQUIRES as ASK_NEEDS
    from cogs.ask import Ask
    from cogs.entities import REQUIRES as ENTITIES_NEEDS
    from cogs.entities import Entities
    from cogs.quotes import REQUIRES as QUOTES_NEEDS
    from cogs.quotes import Quotes
    from cogs.summary import REQUIRES as SUMMARY_NEEDS
    from cogs.summary import Summary

    found: dict[str, Command] = {}
    for cog, needs in (
        (Articles, ARTICLES_NEEDS),
        (Entities, ENTITIES_NEEDS),
        (Quotes, QUOTES_NEEDS),
        (Summary, SUMMARY_NEEDS),
        (Ask, ASK_NEEDS),
    ):
        for command in cog.__cog_app_commands__:
            options = tuple(
                Option(
                    p.name,
                    p.description,
                    p.required,
                    tuple(str(c.value) for c in p.choices),
                    COMPLETERS.get(p.name),
                )
                for p in command.parameters
            )
            found[command.name] = Command(command.name, command.description, options, needs)
    return found


LOCAL = {
    "help": Command("help", "List the commands, or show one: /help quotes"),
    "reload": Command("reload", "Re-read the corpus folder now"),
    "quit": Command("quit", "Leave the console (or Ctrl-D)"),
}


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
        raise UserError(f"No command /{name}. Type /help for the list.")
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
    for option in command.options:
        value = values.get(option.name)
        if option.required and not value:
            raise UserError(f"/{name} needs {option.name}: — {option.description}")
        if value and option.choices and value not in option.choices:
            raise UserError(f"{option.name} must be one of {', '.join(option.choices)}.")
    return Parsed(name, {k: v for k, v in values.items() if v})


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        with contextlib.suppress(ValueError):
            return shlex.split(value)[0]
    return value


Handler = Callable[[Newsdesk, dict[str, str]], Awaitable[str]]


async def _articles(desk: Newsdesk, v: dict[str, str]) -> str:
    return text_render.render_articles(await desk.articles(v.get("query"), limit=250))


async def _article(desk: Newsdesk, v: dict[str, str]) -> str:
    row = await desk.resolve_article(v["article"])
    counts = await desk.article_counts(row.id)
    top = (await desk.entities(row.id))[:10]
    summary = None
    if hasattr(desk, "summary"):
        with contextlib.suppress(UserError, ModelUnavailable):
            summary = (await desk.summary(row.id, "short")).text
    return text_render.render_article_card(row, counts, top, summary)


async def _entity(desk: Newsdesk, v: dict[str, str]) -> str:
    return text_render.render_entity(await desk.entity(v["name"], per_page=10))


async def _entities(desk: Newsdesk, v: dict[str, str]) -> str:
    return text_render.render_entities(await desk.entities(v.get("article")))


async def _quotes(desk: Newsdesk, v: dict[str, str]) -> str:
    results = await desk.quotes(
        speaker=v.get("speaker"),
        article=v.get("article"),
        text=v.get("text"),
        kind=v.get("kind"),
        limit=20,
    )
    return text_render.render_quotes(results)


async def _speakers(desk: Newsdesk, v: dict[str, str]) -> str:
    return text_render.render_speakers(await desk.speakers())


async def _summary(desk: Newsdesk, v: dict[str, str]) -> str:
    return text_render.render_summary(await desk.summary(v["article"], v.get("length", "medium")))


async def _ask(desk: Newsdesk, v: dict[str, str]) -> str:
    from bot.qa.render import render_answer

    article = (await desk.resolve_article(v["article"])).id if v.get("article") else None
    return render_answer(await desk.ask(v["question"], article=article))


HANDLERS: dict[str, Handler] = {
    "articles": _articles,
    "article": _article,
    "entity": _entity,
    "entities": _entities,
    "quotes": _quotes,
    "speakers": _speakers,
    "summary": _summary,
    "ask": _ask,
}


class Console:
    """One session: commands in, readable text out."""

    def __init__(self, desk: Newsdesk, out: TextIO = sys.stdout) -> None:
        self.desk = desk
        self.out = out
        self.choices = ChoiceCache()
        self.commands = {
            name: cmd
            for name, cmd in commands_from_cogs().items()
            if name in HANDLERS and all(hasattr(desk, m) for m in cmd.needs)
        }
        self.unavailable = sorted(set(commands_from_cogs()) - set(self.commands))

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
        if parsed.command == "reload":
            report = await self.desk.ingest()
            await self.choices.refresh(self.desk)
            return text_render.render_ingest(report)
        if parsed.command == "quit":
            return ""
        return await HANDLERS[parsed.command](self.desk, parsed.values)

    def help(self, topic: str = "") -> str:
        topic = topic.strip().lstrip("/").lower()
        if topic in self.commands:
            cmd = self.commands[topic]
            lines = [cmd.usage(), f"  {cmd.description}"]
            for o in cmd.options:
                extra = f" (one of {', '.join(o.choices)})" if o.choices else ""
                need = "required" if o.required else "optional"
                lines.append(f"  {o.name}: {o.description} — {need}{extra}")
            return "\n".join(lines)
        width = max(len(c.usage()) for c in self.commands.values()) if self.commands else 10
        lines = ["Commands (as in Discord; Tab completes, text before an option fills the first):"]
        for cmd in self.commands.values():
            lines.append(f"  {cmd.usage():<{width}}  {cmd.description}")
        lines.append("  /reload  re-read the corpus folder · /help COMMAND · /quit or Ctrl-D")
        if self.unavailable:
            lines.append("Not available yet (service missing): /" + ", /".join(self.unavailable))
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
            return [c for c in option.choices if c.startswith(typed)]
        if option.complete == "article":  # titles read better than ids, and resolve too
            wanted = {s.value for s in self.choices.article_choices(typed)}
            return [a.title for a in self.choices.articles if a.id in wanted]
        source = {
            "speaker": self.choices.speaker_choices,
            "entity": self.choices.entity_choices,
        }.get(option.complete or "")
        return [s.value for s in source(typed)] if source else []


def _common_prefix(words: list[str]) -> str:
    first, last = min(words, default=""), max(words, default="")
    n = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), None)
    return first if n is None else first[:n]


def _history_file(desk: Newsdesk) -> Path:
    return Path(desk.settings.database).parent / ".console_history"


def _setup_readline(console: Console, history: Path) -> Any:
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return None
    matches: list[str] = []

    def completer(_: str, state: int) -> str | None:
        nonlocal matches
        if state == 0:
            matches = console.complete(readline.get_line_buffer()[: readline.get_endidx()])
        return matches[state] if state < len(matches) else None

    def show(substitution: str, found: list[str], longest: int) -> None:
        cut = len(_common_prefix(found))
        cut = found[0].rfind(" ", 0, cut) + 1 if cut else 0  # back to a word start
        print("\n  " + "\n  ".join(m[cut:].rstrip() for m in found[:25]), file=sys.stdout)
        print(PROMPT + readline.get_line_buffer(), end="", flush=True)

    readline.set_completer_delims("")
    readline.set_completer(completer)
    readline.set_completion_display_matches_hook(show)
    readline.parse_and_bind("tab: complete")
    with contextlib.suppress(OSError):
        history.parent.mkdir(parents=True, exist_ok=True)
        readline.read_history_file(history)
    readline.set_history_length(1000)
    return readline


async def run_console(desk: Newsdesk, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """The REPL; returns the exit code."""
    console = Console(desk, out)
    interactive = stdin.isatty() and out.isatty()
    corpus = desk.settings.corpus_dir
    print(f"newsdesk console: loading the corpus from {corpus}/ …", file=sys.stderr)
    await console.start()
    print("Type /help for the commands, Tab to complete, Ctrl-D to leave.", file=sys.stderr)
    readline = _setup_readline(console, _history_file(desk)) if interactive else None
    # While the user types their first command, so their first /ask is not the slow one.
    warm = asyncio.create_task(desk.warm_up()) if desk.settings.warm_models else None
    try:
        while True:
            if interactive:
                try:
                    line = await asyncio.to_thread(input, PROMPT)
                except EOFError:
                    print(file=out)
                    break
            else:
                line = stdin.readline()
                if not line:
                    break
                if line.strip():
                    print(PROMPT + line.rstrip("\n"), file=out)
            if not await console.run_line(line):
                break
    finally:
        if warm is not None and not warm.done():
            warm.cancel()
        if warm is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await warm
        if readline is not None:
            with contextlib.suppress(OSError):
                readline.write_history_file(_history_file(desk))
    return 0
