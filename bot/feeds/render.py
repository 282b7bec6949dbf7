"""Plain-text renderings of feeds, poll rounds, briefs and digests (CLI, console)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.feeds.brief import Brief, Digest
from bot.feeds.poller import RoundReport
from bot.feeds.store import Feed


def _when(ts: float | None) -> str:
    if not ts:
        return "never"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def feed_line(feed: Feed) -> str:
    where = f"channel {feed.channel_id}" if feed.channel_id else "no channel"
    scope = f"server {feed.guild_id}" if feed.guild_id else "the shared corpus"
    state = f"paused ({feed.pause_reason})" if feed.paused else f"every {feed.interval / 60:g} min"
    keywords = f", keywords: {', '.join(feed.keywords)}" if feed.keywords else ""
    failing = f", {feed.failures} failure(s): {feed.last_error}" if feed.failures else ""
    return (
        f"#{feed.id} {feed.name} <{feed.url}> — {scope}, {where}, {state}{keywords}{failing}; "
        f"last polled {_when(feed.last_polled_at)}"
    )


def render_feeds(feeds: list[Feed]) -> str:
    return "\n".join(feed_line(f) for f in feeds) or "No feeds yet: `feed add URL`."


def render_round(report: RoundReport) -> str:
    if not report.polls:
        return "No feeds to poll."
    lines = []
    for poll in report.polls:
        feed = poll.feed
        if poll.skipped:
            state = f"skipped: {poll.skipped}"
        elif poll.error:
            state = f"failed: {poll.error}" + (" — now paused" if poll.paused else "")
        elif poll.not_modified:
            state = "not modified"
        else:
            parts = [f"{len(poll.added)} added"]
            if poll.recorded:
                parts.append(f"{poll.recorded} already there (first poll)")
            if poll.duplicates:
                parts.append(f"{poll.duplicates} seen before")
            if poll.waiting:
                parts.append(f"{poll.waiting} left for the next poll")
            state = ", ".join(parts)
        lines.append(f"#{feed.id} {feed.name}: {state}")
        for added in poll.added:
            flags = [
                f
                for f, on in (
                    ("feed summary only", added.fallback),
                    ("filtered by keywords", not added.post),
                )
                if on
            ]
            note = f" ({', '.join(flags)})" if flags else ""
            lines.append(f"  + {added.title} [{added.source}]{note}")
    total = sum(len(p.added) for p in report.polls)
    lines.append(f"{total} article(s) added")
    return "\n".join(lines)


def render_brief(b: Brief) -> str:
    head = f"{b.title}\n{b.url or ''}\n{b.source}" + (f" · {b.date}" if b.date else "")
    lines = [head.replace("\n\n", "\n"), ""]
    lines.append(b.summary + (" [feed summary only]" if b.summary_only else ""))
    for q in b.quotes:
        lines.append(f"  “{q.text}” — {q.speaker}")
    if b.people:
        lines.append("People: " + ", ".join(b.people))
    if b.organisations:
        lines.append("Organisations: " + ", ".join(b.organisations))
    return "\n".join(lines)


def render_digest(d: Digest) -> str:
    lines = [f"{d.articles} article(s) since {_when(d.since)}", "", "Top stories:"]
    for s in d.stories:
        lines.append(f"  {s.brief.title} — {s.brief.source} ({s.shared} related)")
    lines += ["", "Most quoted:"]
    lines += [f"  {name}: {n}" for name, n in d.speakers] or ["  nobody"]
    return "\n".join(lines)
