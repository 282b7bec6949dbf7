"""`python -m bot` / `newsdesk`: one-shot commands over the same services the bot uses."""

from __future__ import annotations

import argparse
import asyncio
import csv
import dataclasses
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from bot.command_specs import COMMANDS
from bot.corpus import SUPPORTED_SUFFIXES
from bot.errors import UserError
from bot.ingest import IngestReport
from bot.labels import quote_kind_label
from bot.nlp.model_errors import ModelUnavailable
from bot.nlp.pipeline import Analyser
from bot.service import EntityCard, Newsdesk
from bot.settings import Settings, apply_environment
from bot.store import QuoteRow
from bot.text_render import (
    render_articles,
    render_corpus_change,
    render_entities,
    render_entity,
    render_ingest,
    render_quotes,
    render_speakers,
    render_status,
    render_summary,
)

Handler = Callable[[Newsdesk, argparse.Namespace], Awaitable[int]]


def _version() -> str:
    try:
        return metadata.version("newsdesk")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def _common(default: Any = None) -> argparse.ArgumentParser:
    """--corpus, --db, -v. A nested subcommand's copy defaults to SUPPRESS, so that
    `corpus --db X add …` keeps the X its parent parsed."""
    common = argparse.ArgumentParser(add_help=False, argument_default=default)
    common.add_argument("--corpus", type=Path, help="corpus folder (default: CORPUS_DIR or seeds/)")
    common.add_argument(
        "--db", help="SQLite file or postgresql://user@host/db URL (default: DATABASE)"
    )
    common.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="newsdesk", description="Brief a channel on a folder of news articles."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("ingest", parents=[common], help="analyse new and changed articles")

    p = sub.add_parser("status", parents=[common], help="what the corpus holds; models in use")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("articles", parents=[common], help="list the articles (or search titles)")
    p.add_argument("query", nargs="*", help="words of a title (default: all)")
    p.add_argument("--limit", type=int, default=25)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("entity", parents=[common], help="look up a person, place or organisation")
    p.add_argument("name", nargs="+")
    p.add_argument("--page", type=int, default=1, help="page of sentences (10 a page)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("entities", parents=[common], help="who and what an article mentions")
    p.add_argument("article", nargs="?", help="article id, path or title words (default: all)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("quotes", parents=[common], help="who said what: search quotes")
    p.add_argument("--speaker", help="a speaker's name: any case, a surname, a near miss")
    p.add_argument("--article", help="article id, path or title words")
    p.add_argument("--text", help="words in the quote")
    p.add_argument("--kind", choices=COMMANDS["quotes"].option("kind").values)
    p.add_argument("--speakers", action="store_true", help="list every speaker with a count")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("summary", parents=[common], help="summarise one article")
    p.add_argument("article", nargs="+", help="article id, path or unique title words")
    p.add_argument(
        "--length", default="medium", choices=COMMANDS["summary"].option("length").values
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("ask", parents=[common], help="questions answered with their evidence")
    p.add_argument(
        "question", nargs="+", help='one question per quoted argument, or words ending in "?"'
    )
    p.add_argument("--article", help="only look in this article (id, path or title words)")
    p.add_argument("--json", action="store_true", help="one JSON object a line")

    p = sub.add_parser(
        "corpus", parents=[common], help="add or remove an article's file, or reload the folder"
    )
    corpus = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    nested = _common(argparse.SUPPRESS)
    q = corpus.add_parser("add", parents=[nested], help="fetch a web article or copy a file in")
    q.add_argument("source", metavar="URL|FILE", help="an http(s) address or an article file")
    q = corpus.add_parser("remove", parents=[nested], help="delete an article's file")
    q.add_argument("article", nargs="+", help="article id, path or unique title words")
    corpus.add_parser("reload", parents=[nested], help="re-read the corpus folder now")

    p = sub.add_parser("export", parents=[common], help="JSON Lines, one article a line")
    p.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    p.add_argument(
        "--format",
        choices=["jsonl", "csv"],
        default="jsonl",
        help="jsonl: everything per article; csv: one row per quote, for spreadsheets",
    )

    _feed_parsers(sub, common)

    p = sub.add_parser("start", parents=[common], help="the bot with a token, else the console")
    _sync_flags(p)
    p = sub.add_parser("run", parents=[common], help="connect to Discord (DISCORD_TOKEN)")
    _sync_flags(p)
    sub.add_parser("console", parents=[common], help="type the slash commands locally")
    sub.add_parser("worker", parents=[common], help="ingest and watch the folder, without Discord")
    p = sub.add_parser(
        "migrate-store",
        parents=[common],
        help="copy a SQLite store into an empty PostgreSQL one, then check",
    )
    p.add_argument("--from", dest="source", help="sqlite:///path or a path (default: --db)")
    p.add_argument("--to", dest="target", required=True, help="postgresql://user@host/db")
    p = sub.add_parser("sync", parents=[common], help="publish the slash commands to Discord")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--guild", type=int, metavar="ID", help="one server, instantly")
    where.add_argument("--global", dest="everywhere", action="store_true", help="every server")
    return parser


def _feed_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    feed = sub.add_parser(
        "feed",
        parents=[_common(argparse.SUPPRESS)],
        help="RSS/Atom subscriptions: add, list, remove, pause, poll",
    )
    # The options go before or after the action (`feed --db X poll`, `feed poll --db X`):
    # no defaults at either level, so one level's can't overwrite the other's value.
    common = _common(argparse.SUPPRESS)
    fsub = feed.add_subparsers(dest="feed_command", required=True, metavar="ACTION")
    p = fsub.add_parser("add", parents=[common], help="subscribe to a feed")
    p.add_argument("url")
    p.add_argument("--channel", type=int, metavar="ID", help="Discord channel for its briefs")
    p.add_argument("--guild", type=int, metavar="ID", help="the server it belongs to")
    p.add_argument("--keywords", nargs="+", help="only post items naming one of these")
    p.add_argument("--interval", type=float, metavar="MIN", help="minutes between polls")
    p = fsub.add_parser("list", parents=[common], help="every subscription")
    p.add_argument("--json", action="store_true")
    p = fsub.add_parser("remove", parents=[common], help="unsubscribe")
    p.add_argument("id", type=int)
    p = fsub.add_parser("pause", parents=[common], help="stop polling a feed (--resume: restart)")
    p.add_argument("id", type=int)
    p.add_argument("--resume", action="store_true")
    p = fsub.add_parser("poll", parents=[common], help="poll every feed once, print what arrived")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("brief", parents=[common], help="what arrived through the feeds")
    p.add_argument("--since", help="ISO date/time (UTC) or 6h, 2d, 1w (default: a day)")
    p.add_argument("--feed", type=int, metavar="ID", help="only this feed (with --digest)")
    p.add_argument("--guild", type=int, metavar="ID", help="only this server's articles")
    p.add_argument("--digest", action="store_true", help="top stories and speakers instead")
    p.add_argument("--chart", type=Path, metavar="FILE", help="write a PNG of top speakers")
    p.add_argument("--json", action="store_true")


def _sync_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--sync", action="store_true", help="publish the slash commands on start")
    p.add_argument(
        "--guild",
        type=int,
        metavar="ID",
        help="with --sync: this server (default: DISCORD_DEV_GUILD)",
    )


def settings_from(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if getattr(args, "corpus", None):
        overrides["corpus_dir"] = args.corpus
    if getattr(args, "db", None):
        overrides["database"] = args.db
    return Settings(**overrides)


def _print_json(obj: Any) -> None:
    def default(o: Any) -> Any:
        if dataclasses.is_dataclass(o):
            return dataclasses.asdict(o)  # type: ignore[arg-type]
        if isinstance(o, set):
            return sorted(o)
        return str(o)

    print(json.dumps(obj, ensure_ascii=False, default=default, indent=2))


async def _ensure_ingested(desk: Newsdesk) -> None:
    """Bring the cache up to date before a query; quiet unless something changed.

    Each query command runs an ingest: reprinting its line and every skipped file's
    warning on every query buried the answer. `ingest` is where the skips are listed.
    """
    report = await _quiet_ingest(desk)
    if report.analysed or report.removed:
        print(report.summary_line(), file=sys.stderr)
    _warn_if_empty(desk, report)


async def _quiet_ingest(desk: Newsdesk) -> IngestReport:
    # The report names each skipped file; the loader's warning would say it a second time.
    skips = logging.getLogger("bot.corpus.skipped")
    level = skips.level
    skips.setLevel(logging.ERROR)
    try:
        return await desk.ingest(progress=sys.stderr.isatty())
    finally:
        skips.setLevel(level)


def _warn_if_empty(desk: Newsdesk, report: IngestReport) -> None:
    if report.new or report.changed or report.unchanged:
        return
    suffixes = " ".join(sorted(SUPPORTED_SUFFIXES))
    found = "only files it can't read" if report.skipped else "no articles"
    print(
        f"newsdesk: {desk.corpus_dir} has {found}: put articles there as {suffixes} files "
        "(or point CORPUS_DIR / --corpus at your folder)",
        file=sys.stderr,
    )


async def cmd_ingest(desk: Newsdesk, args: argparse.Namespace) -> int:
    report = await _quiet_ingest(desk)
    print(render_ingest(report))
    _warn_if_empty(desk, report)
    return 0


def _quote_json(q: QuoteRow) -> dict[str, Any]:
    """A quote as JSON: `role` is the one role shown (the store's raw `quote_role` is not)."""
    return {k: v for k, v in dataclasses.asdict(q).items() if k != "quote_role"}


def _entity_json(card: EntityCard) -> dict[str, Any]:
    """The card with each sentence naming its article by id, not repeating the article."""
    return {
        "id": card.id,
        "name": card.name,
        "label": card.label,
        "role": card.role,
        "aliases": card.aliases,
        "articles": [
            {
                "id": a.article.id,
                "title": a.article.title,
                "source": a.article.source,
                "mentions": a.mentions,
                "role": a.role,
            }
            for a in card.articles
        ],
        "sentences": [
            {"article": article.id, "index": idx, "text": text}
            for article, idx, text in card.sentences
        ],
        "total_sentences": card.total_sentences,
        "sentence_offset": card.sentence_offset,
        "quotes": [_quote_json(q) for q in card.quotes],
    }


async def cmd_status(desk: Newsdesk, args: argparse.Namespace) -> int:
    status = await desk.status()
    if args.json:
        _print_json(status)
    else:
        print(render_status(status))
    return 0


async def cmd_articles(desk: Newsdesk, args: argparse.Namespace) -> int:
    await _ensure_ingested(desk)
    rows = await desk.articles(" ".join(args.query) or None, limit=max(1, args.limit))
    if args.json:
        _print_json(rows)
    else:
        print(render_articles(rows))
    return 0


async def cmd_entity(desk: Newsdesk, args: argparse.Namespace) -> int:
    await _ensure_ingested(desk)
    card = await desk.entity(" ".join(args.name), page=max(args.page, 1) - 1)
    if card.total_sentences and not card.sentences:
        pages = -(-card.total_sentences // 10)
        print(
            f"newsdesk: page {args.page} is past the end: {card.total_sentences} sentence(s), "
            f"{pages} page(s)",
            file=sys.stderr,
        )
        return 1
    if args.json:
        _print_json(_entity_json(card))
    else:
        print(render_entity(card))
    return 0


async def cmd_entities(desk: Newsdesk, args: argparse.Namespace) -> int:
    await _ensure_ingested(desk)
    rows = await desk.entities(args.article)
    if args.json:
        _print_json(rows)
    else:
        print(render_entities(rows))
    return 0


async def cmd_quotes(desk: Newsdesk, args: argparse.Namespace) -> int:
    await _ensure_ingested(desk)
    if args.speakers:
        speakers = await desk.speakers()
        if args.json:
            _print_json([{"speaker": name, "quotes": n} for name, n in speakers])
        else:
            print(render_speakers(speakers))
        return 0
    limit = max(1, min(args.limit, 100))
    results = await desk.quotes(
        speaker=args.speaker,
        article=args.article,
        text=args.text,
        kind=args.kind,
        limit=limit,
        offset=(max(args.page, 1) - 1) * limit,
    )
    if results.total and not results.items:
        pages = -(-results.total // limit)
        print(
            f"newsdesk: page {args.page} is past the end: {results.total} quote(s), "
            f"{pages} page(s) of {limit}",
            file=sys.stderr,
        )
        return 1
    if args.json:
        _print_json(
            {
                **dataclasses.asdict(results),
                "items": [_quote_json(q) for q in results.items],
            }
        )
    else:
        print(render_quotes(results, more=f"(--page {args.page + 1} for more)"))
    return 0 if results.items or not results.candidates else 1


async def cmd_summary(desk: Newsdesk, args: argparse.Namespace) -> int:
    await _ensure_ingested(desk)
    result = await desk.summary(" ".join(args.article), args.length)
    if args.json:
        _print_json(
            {
                "article": result.article.id,
                "title": result.article.title,
                "source": result.article.source,
                "length": result.length,
                "method": result.method,
                "model": result.model,
                "cached": result.cached,
                "note": result.note,
                "summary": result.text,
                "sentences": list(result.points),
            }
        )
    else:
        print(render_summary(result))
    return 0


async def cmd_corpus(desk: Newsdesk, args: argparse.Namespace) -> int:
    """The bot's /corpus commands, with the same checks (public URLs only, size caps, files
    the loader can read, nothing outside the corpus folder)."""
    if args.action == "reload":
        print(render_ingest(await desk.ingest(progress=sys.stderr.isatty())))
        return 0
    if args.action == "remove":
        await _ensure_ingested(desk)  # the article is looked up in an up-to-date cache
        change = await desk.remove_article(" ".join(args.article))
        verb = "removed"
    elif "://" in args.source:
        change = await desk.add_url(args.source)
        verb = "added"
    else:
        path = Path(args.source)
        if not path.is_file():
            raise UserError(f"{args.source} is neither a URL nor a file.")
        desk.check_upload_size(path.stat().st_size)
        change = await desk.add_upload(path.name, path.read_bytes())
        verb = "added"
    print(render_corpus_change(change, verb))
    return 0


async def cmd_export(desk: Newsdesk, args: argparse.Namespace) -> int:
    await _ensure_ingested(desk)
    rows = await desk.export_rows()
    newline = "" if args.format == "csv" else None  # the csv module writes its own line ends
    out = args.output.open("w", encoding="utf-8", newline=newline) if args.output else sys.stdout
    try:
        if args.format == "csv":
            _write_quotes_csv(out, rows)
        else:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    if args.output:
        print(f"exported {len(rows)} article(s) to {args.output}", file=sys.stderr)
    return 0


QUOTE_CSV_COLUMNS = ("article", "title", "speaker", "role", "kind", "text", "cue")


def _write_quotes_csv(out: Any, rows: list[dict[str, Any]]) -> None:
    """One row per quote: what people who work in spreadsheets asked for."""
    writer = csv.writer(out)
    writer.writerow(QUOTE_CSV_COLUMNS)
    for row in rows:
        for q in row.get("quotes") or []:
            kind = quote_kind_label(q["kind"])
            writer.writerow(
                (row["id"], row["title"], q["speaker"], q["role"] or "", kind, q["text"], q["cue"])
            )


async def cmd_ask(desk: Newsdesk, args: argparse.Namespace) -> int:
    from bot.qa.render import render_answer, split_questions

    await _ensure_ingested(desk)
    for n, question in enumerate(split_questions(args.question)):
        answer = await desk.ask(question, args.article)
        if args.json:
            print(json.dumps(answer.as_json(), ensure_ascii=False), flush=True)
        else:
            print(("\n" if n else "") + render_answer(answer), flush=True)
    return 0


async def cmd_run(desk: Newsdesk, args: argparse.Namespace) -> int:
    from bot.discord_bot import run_bot

    guild = (args.guild or desk.settings.discord_dev_guild) if args.sync else None
    level = logging.DEBUG if args.verbose else logging.INFO
    return await run_bot(desk.settings, desk, sync=args.sync, sync_guild=guild, log_level=level)


async def cmd_console(desk: Newsdesk, args: argparse.Namespace) -> int:
    from bot.console import run_console

    return await run_console(desk)


async def cmd_worker(desk: Newsdesk, args: argparse.Namespace) -> int:
    from bot.worker import run_worker

    return await run_worker(desk)


async def cmd_start(desk: Newsdesk, args: argparse.Namespace) -> int:
    """`make run`: the bot when a token is configured, else the console."""
    if desk.settings.discord_token and desk.settings.discord_token.get_secret_value().strip():
        return await cmd_run(desk, args)
    print(
        "No DISCORD_TOKEN set: starting the local console (docs/discord.md sets up the bot).",
        file=sys.stderr,
    )
    return await cmd_console(desk, args)


async def cmd_sync(desk: Newsdesk, args: argparse.Namespace) -> int:
    from bot.discord_bot import sync_only

    guild = None if args.everywhere else args.guild or desk.settings.discord_dev_guild
    if guild is None and not args.everywhere:
        print("newsdesk: give --guild ID (or set DISCORD_DEV_GUILD), or --global", file=sys.stderr)
        return 2
    return await sync_only(desk.settings, desk, guild)


async def cmd_feed(desk: Newsdesk, args: argparse.Namespace) -> int:
    from bot.feeds.render import render_feeds, render_round

    feeds = desk.feeds
    action = args.feed_command
    if action == "add":
        feed = await feeds.add(
            args.url,
            guild_id=args.guild,
            channel_id=args.channel,
            keywords=args.keywords,
            interval_minutes=args.interval,
        )
        print(f"feed #{feed.id} added: {feed.url} (every {feed.interval / 60:g} min)")
    elif action == "list":
        rows = await feeds.list(every=True)
        _print_json(rows) if args.json else print(render_feeds(rows))
    elif action == "remove":
        feed = await feeds.remove(args.id, every=True)
        print(f"feed #{feed.id} removed: {feed.url}")
    elif action == "pause":
        feed = await feeds.pause(args.id, not args.resume, every=True)
        print(f"feed #{feed.id} {'paused' if feed.paused else 'resumed'}: {feed.url}")
    else:
        report = await feeds.poll(every=True)
        if args.json:
            _print_json([dataclasses.asdict(p) for p in report.polls])
        else:
            print(render_round(report))
    return 0


async def cmd_brief(desk: Newsdesk, args: argparse.Namespace) -> int:
    from bot.feeds.render import render_brief, render_digest

    feeds = desk.feeds
    scope: dict[str, Any] = {"guild_id": args.guild, "every": args.guild is None}
    if args.chart:
        png = await feeds.speaker_chart(args.since, **scope)
        args.chart.write_bytes(png)
        print(f"chart written to {args.chart} ({len(png):,} bytes)", file=sys.stderr)
        return 0
    if args.digest:
        result = await feeds.digest(args.since, feed_id=args.feed, **scope)
        _print_json(result) if args.json else print(render_digest(result))
        return 0
    found = await feeds.briefs(args.since, **scope)
    if args.json:
        _print_json([b.as_json() for b in found])
    else:
        print("\n\n".join(render_brief(b) for b in found) or "No new articles in that period.")
    return 0


HANDLERS: dict[str, Handler] = {
    "feed": cmd_feed,
    "brief": cmd_brief,
    "ingest": cmd_ingest,
    "status": cmd_status,
    "articles": cmd_articles,
    "entity": cmd_entity,
    "entities": cmd_entities,
    "corpus": cmd_corpus,
    "export": cmd_export,
    "quotes": cmd_quotes,
    "summary": cmd_summary,
    "ask": cmd_ask,
    "start": cmd_start,
    "run": cmd_run,
    "console": cmd_console,
    "worker": cmd_worker,
    "sync": cmd_sync,
}


async def _run(args: argparse.Namespace, *, analyser: Analyser | None = None) -> int:
    """One command; `analyser` lets a caller (the end-to-end tests) share loaded models."""
    settings = settings_from(args)
    apply_environment(settings)
    desk = await Newsdesk.open(settings, analyser=analyser)
    try:
        return await HANDLERS[args.command](desk, args)
    finally:
        await desk.close()


async def _migrate_store(args: argparse.Namespace) -> int:
    from bot.migrate_store import migrate_store

    source = args.source or str(settings_from(args).database)
    counts = await migrate_store(source, args.target)
    for table, n in counts.items():
        print(f"{table}: {n} row(s) copied, counts match")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        if args.command == "migrate-store":  # two stores named on the line, not DATABASE
            return asyncio.run(_migrate_store(args))
        return asyncio.run(_run(args))
    except (UserError, ModelUnavailable, FileNotFoundError) as exc:
        print(f"newsdesk: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return 0
