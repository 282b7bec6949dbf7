"""Feeds, briefs and digests as embeds (pure functions of the service's results)."""

from __future__ import annotations

from typing import Any

import discord

from bot.feeds.brief import Brief, Digest
from bot.feeds.render import feed_line
from bot.feeds.store import Feed
from bot.text_limits import truncate
from cogs.utils.embeds import _embed, paged
from cogs.utils.limits import FIELD_VALUE, blockquote, escape, link

SUMMARY_CHARS = 1200


def brief_embed(b: Brief) -> discord.Embed:
    """One new article: title (linked), source and date, summary, quotes, who is named."""
    summary = escape(truncate(b.summary, SUMMARY_CHARS)) or "*No summary.*"
    if b.summary_only:
        summary += "\n*From the feed's summary: the page itself could not be read.*"
    embed = _embed(b.title, url=b.url, description=summary)
    embed.set_author(name=truncate(b.source, 200))
    if b.quotes:
        blocks = []
        for q in b.quotes:
            role = f", {escape(truncate(q.role, 100))}" if q.role else ""
            blocks.append(
                f"{blockquote(f'“{q.text}”', 300)}\n— **{escape(truncate(q.speaker, 100))}**{role}"
            )
        embed.add_field(name="Who said what", value=truncate("\n".join(blocks), FIELD_VALUE))
    if b.people:
        embed.add_field(name="People", value=escape(truncate(", ".join(b.people), 500)))
    if b.organisations:
        embed.add_field(
            name="Organisations", value=escape(truncate(", ".join(b.organisations), 500))
        )
    footer = " · ".join(x for x in (b.date, f"feed: {b.feed}" if b.feed else None) if x)
    if footer:
        embed.set_footer(text=footer)
    return embed


def feed_pages(feeds: list[Feed]) -> list[discord.Embed]:
    lines = [escape(feed_line(f)) for f in feeds]
    return paged(
        "Feeds this server follows",
        lines,
        per_page=10,
        empty="No feeds yet: /feed add.",
        footer=f"{len(feeds)} feed(s)",
    )


def feed_added_embed(feed: Feed, channel: Any) -> discord.Embed:
    desc = (
        f"#{feed.id} {escape(feed.url)}\nBriefs go to {channel}; polled every "
        f"{feed.interval / 60:g} min, the first poll within a minute (it posts only the "
        "newest item)."
    )
    if feed.keywords:
        desc += "\nOnly items naming: " + escape(", ".join(feed.keywords))
    return _embed("Feed added", description=desc)


def digest_pages(d: Digest, period: str) -> list[discord.Embed]:
    """Top stories first, then the most-quoted speakers; paginated."""
    lines = [f"**Top stories** · {d.articles} article(s) {period}"]
    for i, s in enumerate(d.stories, start=1):
        who = ", ".join(s.brief.people[:3])
        lines.append(
            f"{i}. {link(s.brief.title, s.brief.url, 150)} — {escape(truncate(s.brief.source, 60))}"
            + (f" · {escape(truncate(who, 120))}" if who else "")
            + (f" · {s.shared} related" if s.shared else "")
        )
    lines.append("")
    lines.append("**Most quoted**")
    lines += [
        f"{i}. **{escape(truncate(name, 100))}** — {n} quote{'s' if n != 1 else ''}"
        for i, (name, n) in enumerate(d.speakers, start=1)
    ] or ["Nobody quoted."]
    if not d.stories:
        lines = [f"Nothing arrived through this server's feeds {period}."]
    return paged("The brief", lines, per_page=12, empty="Nothing arrived.")
