"""Plain-text renderings of service results, shared by the CLI and the console."""

from __future__ import annotations

from bot.ingest import IngestReport
from bot.service import EntityCard, EntityCount, QuoteResults, SummaryResult
from bot.store import ArticleRow


def render_entity(card: EntityCard) -> str:
    lines = [f"{card.name} ({card.label})"]
    if card.role:
        lines.append(f"  role: {card.role}")
    if card.aliases:
        lines.append("  also: " + ", ".join(card.aliases[:10]))
    lines.append(f"  in {card.total_articles} article(s):")
    for a in card.articles[:10]:
        role = f" — {a.role}" if a.role else ""
        lines.append(f"    {a.article.title} [{a.article.id}] × {a.mentions}{role}")
    if card.sentences:
        lines.append(f"  sentences ({len(card.sentences)} of {card.total_sentences}):")
        lines.extend(f"    · {text}" for _, _, text in card.sentences)
    if card.quotes:
        lines.append(f"  quotes ({len(card.quotes)}):")
        lines.extend(f"    “{q['text']}” ({q['title']})" for q in card.quotes[:10])
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
        lines.append(f"{label}:")
        lines.extend(
            f"  {r.name} — {r.mentions} mention(s) in {r.articles} article(s)"
            for r in groups[label][:25]
        )
    return "\n".join(lines)


def render_ingest(report: IngestReport) -> str:
    lines = [report.summary_line()]
    lines.extend(f"  skipped {s.source}: {s.reason}" for s in report.skipped)
    return "\n".join(lines)


def render_quote(q: dict) -> str:
    role = f", {q['role']}" if q.get("role") else ""
    return f"“{q['text']}”\n    — {q['speaker']}{role} ({q['kind']}, {q['cue']}) in {q['title']}"


def render_quotes(results: QuoteResults) -> str:
    if results.candidates:
        return "Which speaker? " + ", ".join(results.candidates)
    if not results.items:
        return "No quotes found."
    who = f" from {results.speaker}" if results.speaker else ""
    head = f"{results.total} quote(s){who}; showing {len(results.items)}:"
    return "\n".join([head, *(render_quote(q) for q in results.items)])


def render_speakers(speakers: list[tuple[str, int]]) -> str:
    if not speakers:
        return "No speakers."
    return "\n".join(f"{n:4d}  {name}" for name, n in speakers)


def render_summary(result: SummaryResult) -> str:
    lines = [result.article.title, "", result.text]
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


def render_article_card(
    row: ArticleRow, counts: dict[str, int], top: list[EntityCount], summary: str | None
) -> str:
    lines = [row.title]
    meta = " · ".join(x for x in (row.site, row.author, row.date) if x)
    if meta:
        lines.append(f"  {meta}")
    if row.url:
        lines.append(f"  {row.url}")
    lines.append(f"  file {row.source} · id {row.id}")
    if counts:
        lines.append(
            f"  {counts.get('sentences', 0)} sentences · {counts.get('entities', 0)} names · "
            f"{counts.get('quotes', 0)} quotes"
        )
    if top:
        lines.append("  most mentioned: " + ", ".join(e.name for e in top))
    if summary:
        lines += ["", summary]
    return "\n".join(lines)
