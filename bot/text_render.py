"""Plain-text renderings of service results, shared by the CLI and the console."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.ingest import IngestReport
from bot.labels import entity_label, quote_kind_label
from bot.service import (
    ArticleCard,
    CorpusChange,
    EntityCard,
    EntityCount,
    QuoteResults,
    Status,
    SummaryResult,
)
from bot.store import ArticleRow, QuoteRow


def render_entity(card: EntityCard) -> str:
    lines = [f"{card.name} ({entity_label(card.label)})"]
    if card.role:
        lines.append(f"  role: {card.role}")
    if card.aliases:
        lines.append("  also: " + ", ".join(card.aliases[:10]))
    lines.append(f"  in {card.total_articles} article(s):")
    for a in card.articles[:10]:
        role = f" — {a.role}" if a.role else ""
        lines.append(f"    {a.article.title} [{a.article.id}] × {a.mentions}{role}")
    if card.sentences:
        first = card.sentence_offset + 1
        last = card.sentence_offset + len(card.sentences)
        lines.append(f"  sentences {first}–{last} of {card.total_sentences}:")
        lines.extend(f"    · {text}" for _, _, text in card.sentences)
    if card.quotes:
        lines.append(f"  quotes ({len(card.quotes)}):")
        lines.extend(f"    “{q.text}” ({q.title})" for q in card.quotes[:10])
    return "\n".join(lines)


def render_entities(rows: list[EntityCount]) -> str:
    if not rows:
        return "No entities."
    groups: dict[str, list[EntityCount]] = {}
    for row in rows:
        groups.setdefault(row.label, []).append(row)
    order = ["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"]
    lines = []
    for label in sorted(groups, key=lambda g: (order.index(g) if g in order else 99, g)):
        lines.append(f"{entity_label(label).capitalize()}:")
        lines.extend(
            f"  {r.name} — {r.mentions} mention(s) in {r.articles} article(s)"
            for r in groups[label][:25]
        )
    return "\n".join(lines)


def render_ingest(report: IngestReport) -> str:
    lines = [report.summary_line()]
    lines.extend(f"  skipped {s.source}: {s.reason}" for s in report.skipped)
    return "\n".join(lines)


def render_quote(q: QuoteRow) -> str:
    role = f", {q.role}" if q.role else ""
    how = quote_kind_label(q.kind) + (f", “{q.cue}”" if q.cue else "")
    return f"“{q.text}”\n    — {q.speaker}{role} ({how}) in {q.title}"


def render_quotes(results: QuoteResults, more: str | None = None) -> str:
    """The page of quotes, headed by where it is ("quotes 41–60 of 183"); `more` says how
    to see the next page, in the front end's own words, when there is one."""
    if results.candidates:
        return "Which speaker? " + ", ".join(results.candidates)
    if not results.items:
        return "No quotes found."
    who = f" from {results.speaker}" if results.speaker else ""
    first, last = results.offset + 1, results.offset + len(results.items)
    lines = [f"quotes {first}–{last} of {results.total}{who}:"]
    lines.extend(render_quote(q) for q in results.items)
    if more and last < results.total:
        lines.append(more)
    return "\n".join(lines)


def render_speakers(speakers: list[tuple[str, int]]) -> str:
    if not speakers:
        return "No speakers."
    return "\n".join(f"{n:4d}  {name}" for name, n in speakers)


def render_summary(result: SummaryResult) -> str:
    """Short, medium and long read as a paragraph; bullets as "- " lines."""
    if result.length == "bullets":
        body = "\n".join(f"- {point}" for point in result.points)
    else:
        body = result.prose
    lines = [result.article.title, "", body]
    if result.note:
        lines += ["", f"note: {result.note}"]
    return "\n".join(lines)


def render_articles(rows: list[ArticleRow]) -> str:
    if not rows:
        return "No articles found."
    lines = [f"{len(rows)} article(s):"]
    for r in rows:
        meta = ", ".join(x for x in (r.site, r.date) if x)
        lines.append(f"  [{r.id}] {r.title}" + (f" — {meta}" if meta else ""))
    return "\n".join(lines)


def render_article_card(card: ArticleCard) -> str:
    row, counts, top, summary = card.article, card.counts, card.top, card.summary
    lines = [row.title]
    meta = " · ".join(x for x in (row.site, row.author, row.date) if x)
    if meta:
        lines.append(f"  {meta}")
    if row.url:
        lines.append(f"  {row.url}")
    lines.append(f"  file {row.source} · id {row.id}")
    if counts:
        lines.append(
            f"  {counts.sentences} sentences · {counts.entities} names · {counts.quotes} quotes"
        )
    if top:
        lines.append("  most mentioned: " + ", ".join(e.name for e in top))
    if summary:
        lines += ["", summary]
    return "\n".join(lines)


def render_corpus_change(change: CorpusChange, verb: str) -> str:
    """`added “Title” from Site (web/title-1a2b.json)` and the ingest's summary line."""
    what = change.source
    if change.title is not None:
        site = f" from {change.site}" if change.site else ""
        what = f"“{change.title}”{site} ({change.source})"
    return f"{verb} {what}\n{change.report.summary_line()}"


def render_status(status: Status) -> str:
    when = (
        datetime.fromtimestamp(status.last_analysed, UTC).strftime("%Y-%m-%d %H:%M UTC")
        if status.last_analysed
        else "never"
    )
    size = f"{status.database_bytes / 1e6:.1f} MB" if status.database_bytes else "empty"
    lines = [
        f"{status.articles} article(s) · {status.quotes} quote(s) from {status.speakers} "
        f"speaker(s) · {status.entities} name(s)",
        f"last analysis stored: {when}" + (" · ingesting now" if status.ingesting else ""),
    ]
    if status.last_ingest:
        lines.append(f"last ingest here: {status.last_ingest}")
    lines.append("models:")
    for m in status.models:
        state = {True: "loaded", False: "not loaded yet", None: "loads on first use"}[m.loaded]
        lines.append(f"  {m.role}: {m.name} ({m.setting}; {state})")
    lines.append(f"database: {status.database} ({size})")
    return "\n".join(lines)
