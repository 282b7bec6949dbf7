"""Service results as embeds people like to read: titles linking to the article, speakers
named with their role, quotes in quotation style with the article cited, long lists split
into pages. Pure functions of the results (no Discord calls), so tests can read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import discord

from bot.labels import entity_label, quote_kind_label
from bot.service import ArticleCard, EntityCard, EntityCount, QuoteResults, SummaryResult
from bot.store import ArticleRow, QuoteRow
from bot.text_limits import pack, safe_url, truncate
from cogs.utils.limits import EMBED_TITLE, FIELD_VALUE, blockquote, escape, link

if TYPE_CHECKING:
    from bot.qa import Answer

COLOUR = discord.Colour(0x2B6CB0)
PAGE_BUDGET = 3500  # description units per page: leaves room for title, fields, footer


def _embed(title: str, *, url: str | None = None, description: str | None = None) -> discord.Embed:
    return discord.Embed(
        title=truncate(title, EMBED_TITLE),
        url=safe_url(url),
        description=description,
        colour=COLOUR,
    )


def finish(pages: list[discord.Embed], note: str | None = None) -> list[discord.Embed]:
    """Footers: "page i/n" when there are several pages, plus `note`, after any footer."""
    for i, page in enumerate(pages):
        parts = [page.footer.text] if page.footer.text else []
        if len(pages) > 1:
            parts.append(f"page {i + 1}/{len(pages)}")
        if note:
            parts.append(note)
        if parts:
            page.set_footer(text=" · ".join(parts))
    return pages


def paged(
    title: str, lines: Sequence[str], *, per_page: int, empty: str, footer: str | None = None
) -> list[discord.Embed]:
    """`lines` split over as many embeds as needed (`per_page` lines, ≤ PAGE_BUDGET)."""
    chunks = pack(lines, PAGE_BUDGET, max_lines=per_page) or [empty]
    pages = [_embed(title, description=chunk) for chunk in chunks]
    if footer:
        for page in pages:
            page.set_footer(text=footer)
    return pages


def article_line(row: ArticleRow) -> str:
    meta = ", ".join(escape(x) for x in (row.site, row.date) if x)
    return (
        f"**{link(row.title, row.url, 200)}**" + (f" — {meta}" if meta else "") + f" · `{row.id}`"
    )


# -- quotes -----------------------------------------------------------------------------


def speaker_line(q: QuoteRow) -> str:
    who = f"**{escape(truncate(q.speaker or 'unknown', 120))}**"
    role = q.role
    return who + (f", {escape(truncate(role, 150))}" if role else "")


def quote_block(q: QuoteRow, *, limit: int = 900) -> str:
    """> “text”  — Speaker, role · Article (linked) · kind"""
    body = blockquote(f"“{q.text}”", limit - 300)
    cite = link(q.title or q.source or "article", q.url, 150)
    return f"{body}\n— {speaker_line(q)} · {cite} · *{quote_kind_label(q.kind)}*"


def quote_pages(results: QuoteResults, *, filters: str | None = None) -> list[discord.Embed]:
    if results.candidates:
        names = "\n".join(f"• {escape(truncate(c, 100))}" for c in results.candidates[:25])
        return [_embed("Which speaker did you mean?", description=names)]
    speaker = results.speaker
    title = f"Quotes from {speaker}" if speaker else "Quotes"
    if filters:
        title += f" · {filters}"
    blocks = [quote_block(q) for q in results.items]
    total = results.total
    footer = f"{total} quote(s)" + (f", first {len(blocks)} shown" if total > len(blocks) else "")
    return paged(title, blocks, per_page=4, empty="No quotes found.", footer=footer)


def speaker_pages(speakers: Sequence[tuple[str, int]]) -> list[discord.Embed]:
    lines = [
        f"{i}. **{escape(truncate(name, 120))}** — {n} quote{'s' if n != 1 else ''}"
        for i, (name, n) in enumerate(speakers, start=1)
    ]
    return paged(
        "Who is quoted",
        lines,
        per_page=20,
        empty="Nobody is quoted yet.",
        footer=f"{len(speakers)} speaker(s)",
    )


# -- entities ---------------------------------------------------------------------------


def entity_pages(card: EntityCard, *, sentences_per_page: int = 8) -> list[discord.Embed]:
    label = entity_label(card.label).capitalize()
    intro = [f"*{label}*"]
    if card.role:
        intro.append(f"**Role:** {escape(truncate(card.role, 300))}")
    if card.aliases:
        intro.append("**Also:** " + escape(truncate(", ".join(card.aliases[:12]), 400)))
    first = _embed(card.name, description="\n".join(intro))
    articles = [
        f"{link(a.article.title, a.article.url, 120)} × {a.mentions}" for a in card.articles[:8]
    ]
    if articles:
        first.add_field(
            name=f"In {card.total_articles} article(s)",
            value=truncate("\n".join(articles), FIELD_VALUE),
            inline=False,
        )
    for q in card.quotes[:2]:
        first.add_field(name="Said", value=quote_block(q, limit=FIELD_VALUE), inline=False)
    lines = [
        f"• {escape(truncate(text, 600))} — *{escape(truncate(row.title, 80))}*"
        for row, _, text in card.sentences
    ]
    pages = [first]
    for chunk in pack(lines, PAGE_BUDGET, max_lines=sentences_per_page):
        pages.append(_embed(f"{card.name}: where they appear", description=chunk))
    shown = len(card.sentences)
    first.set_footer(
        text=f"{card.total_sentences} sentence(s) mention them"
        + (f", first {shown} shown" if shown < card.total_sentences else "")
    )
    return pages


def entities_pages(rows: Sequence[EntityCount], scope: str) -> list[discord.Embed]:
    lines = [
        f"`{entity_label(r.label)}` **{escape(truncate(r.name, 120))}** — "
        f"{r.mentions} mention(s)" + (f" in {r.articles} articles" if r.articles > 1 else "")
        for r in rows
    ]
    return paged(
        truncate(f"Who and what {scope} mentions", EMBED_TITLE),
        lines,
        per_page=20,
        empty="No people, places or organisations found.",
        footer=f"{len(rows)} name(s)",
    )


# -- articles ---------------------------------------------------------------------------


def article_list_pages(rows: Sequence[ArticleRow], query: str | None) -> list[discord.Embed]:
    title = f"Articles matching “{truncate(query, 100)}”" if query else "Articles in the corpus"
    return paged(
        title,
        [article_line(r) for r in rows],
        per_page=10,
        empty="No articles found.",
        footer=f"{len(rows)} article(s)",
    )


def article_card(card: ArticleCard) -> discord.Embed:
    row, counts, top, summary = card.article, card.counts, card.top, card.summary
    meta = [escape(x) for x in (row.site, row.author, row.date) if x]
    embed = _embed(row.title, url=row.url, description=" · ".join(meta) or None)
    if summary:
        embed.add_field(name="Summary", value=escape(truncate(summary, 1000)), inline=False)
    if counts:
        embed.add_field(
            name="In numbers",
            value=f"{counts.sentences} sentences · {counts.entities} "
            f"names · {counts.quotes} quotes",
            inline=False,
        )
    if top:
        names = ", ".join(escape(truncate(e.name, 60)) for e in top[:10])
        embed.add_field(name="Most mentioned", value=truncate(names, FIELD_VALUE), inline=False)
    embed.add_field(name="File", value=f"`{truncate(row.source, 200)}` · id `{row.id}`")
    return embed


# -- summaries and answers --------------------------------------------------------------


def summary_text(result: SummaryResult) -> str:
    """Bullets as "• " lines; short, medium and long as one paragraph."""
    text = result.text or ""
    points = [line.removeprefix("- ").strip() for line in text.split("\n") if line.strip()]
    if result.length == "bullets":
        return "\n".join(f"• {escape(p)}" for p in points)
    return escape(" ".join(points))


def summary_embed(row: ArticleRow, result: SummaryResult) -> discord.Embed:
    embed = _embed(row.title, url=row.url, description=summary_text(result) or "(empty)")
    method = (result.method or "summary").capitalize()
    parts = [f"{method} summary", result.length or ""]
    if result.cached:
        parts.append("from cache")
    if result.note:
        parts.append(result.note)
    embed.set_footer(text=" · ".join(p for p in parts if p))
    return embed


def answer_embed(answer: Answer, article: ArticleRow | None) -> discord.Embed:
    question = answer.question or ""
    embed = _embed(f"Q: {question}" if question else "Answer")
    if not answer.found:
        embed.description = "I couldn't find an answer to that in the corpus."
    else:
        embed.description = f"**{escape(truncate(answer.answer, 1500))}**"
        if answer.best_match:
            embed.description = "Best match (not sure): " + embed.description
    if answer.evidence:
        title = article.title if article else answer.title or "the article"
        url = article.url if article else None
        quoted = blockquote(f"“{answer.evidence}”", FIELD_VALUE - 320)
        embed.add_field(name="From", value=quoted + "\n— " + link(title, url, 250), inline=False)
    if not answer.found:
        closest = answer.passages[:3]
        if closest:
            budget = (FIELD_VALUE - 10) // len(closest)
            embed.add_field(
                name="Closest passages",
                value="\n".join(
                    blockquote(f"“{p.text}”", budget - 60) + "\n— " + truncate(p.title, 50)
                    for p in closest
                ),
                inline=False,
            )
    footer = [f"confidence {answer.score:.2f}"]
    if answer.note:
        footer.append(answer.note)
    embed.set_footer(text=" · ".join(footer))
    return embed
