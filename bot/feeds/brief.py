"""Briefs: one per new article (summary, who said what, who is named) and a digest of a
period (top stories by how many articles share their people, the most-quoted speakers),
plus a bar chart of those speakers."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.errors import NotFound
from bot.feeds.store import ArrivedArticle

if TYPE_CHECKING:
    from bot.service import Newsdesk


@dataclass(frozen=True, slots=True)
class BriefParams:
    quotes: int = 3
    people: int = 8
    organisations: int = 6
    quote_chars: int = 300
    top_stories: int = 10
    top_speakers: int = 10
    chart_speakers: int = 12


@dataclass(slots=True)
class BriefQuote:
    speaker: str
    text: str
    kind: str
    role: str | None = None


@dataclass(slots=True)
class Brief:
    article_id: str
    title: str
    url: str | None
    source: str  # the site, else the feed's title
    date: str | None
    feed: str | None
    summary: str
    summary_only: bool  # the article is the feed's summary: the page couldn't be read
    quotes: list[BriefQuote] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "article": self.article_id,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "date": self.date,
            "feed": self.feed,
            "summary": self.summary,
            "summary_only": self.summary_only,
            "quotes": [
                {"speaker": q.speaker, "text": q.text, "kind": q.kind, "role": q.role}
                for q in self.quotes
            ],
            "speakers": sorted({q.speaker for q in self.quotes}),
            "people": self.people,
            "organisations": self.organisations,
        }


@dataclass(slots=True)
class Story:
    brief: Brief
    shared: int  # other articles of the period naming the same people


@dataclass(slots=True)
class Digest:
    since: float
    articles: int
    stories: list[Story]
    speakers: list[tuple[str, int]]  # most quoted first


def full_name(name: str) -> bool:
    return len(name.split()) >= 2


async def article_brief(
    desk: Newsdesk, arrived: ArrivedArticle, params: BriefParams | None = None
) -> Brief:
    """The brief of one arrived article (its short summary is made and cached if needed)."""
    params = params or BriefParams()
    row = arrived.article
    try:
        summary = (await desk.summary(row.id, "short")).text
    except NotFound:
        summary = ""
    quotes = await desk.store.search_quotes(article_id=row.id, limit=100)
    people_ids = {
        eid: name
        for eid, name, label, _, _ in await desk.store.ranked_entities(row.id, 100)
        if label == "PERSON"
    }
    chosen: list[BriefQuote] = []
    # Direct quotes first, then mixed, then reported; only speakers named in full.
    order = {"direct": 0, "mixed": 1, "indirect": 2}
    for q in sorted(quotes, key=lambda q: (order.get(q.kind, 3), q.start)):
        speaker = people_ids.get(q.speaker_entity_id) or q.speaker
        if not full_name(speaker) or q.speaker_entity_id is None:
            continue
        chosen.append(BriefQuote(speaker, q.text[: params.quote_chars], q.kind, q.role))
        if len(chosen) == params.quotes:
            break
    entities = await desk.store.ranked_entities(row.id, 100)
    return Brief(
        article_id=row.id,
        title=row.title,
        url=row.url,
        source=row.site or arrived.feed_title or arrived.feed_url,
        date=row.date,
        feed=arrived.feed_title or arrived.feed_url,
        summary=summary,
        summary_only=arrived.fallback,
        quotes=chosen,
        people=[n for _, n, lab, _, _ in entities if lab == "PERSON"][: params.people],
        organisations=[n for _, n, lab, _, _ in entities if lab == "ORG"][: params.organisations],
    )


async def digest(
    desk: Newsdesk, arrived: list[ArrivedArticle], since: float, params: BriefParams | None = None
) -> Digest:
    """Top stories (most people in common with the period's other articles) and the most
    quoted speakers among the arrivals."""
    params = params or BriefParams()
    briefs = [await article_brief(desk, a, params) for a in arrived]
    people = [set(b.people) for b in briefs]
    stories = []
    for i, brief in enumerate(briefs):
        shared = sum(1 for j, other in enumerate(people) if j != i and other & people[i])
        stories.append(Story(brief, shared))
    stories.sort(key=lambda s: (-s.shared, -len(s.brief.quotes), s.brief.title))
    speakers = await period_speakers(desk, arrived)
    return Digest(
        since, len(briefs), stories[: params.top_stories], speakers[: params.top_speakers]
    )


async def period_speakers(desk: Newsdesk, arrived: list[ArrivedArticle]) -> list[tuple[str, int]]:
    """Speakers named in full, with their quote counts over `arrived`, most quoted first."""
    counts: Counter[str] = Counter()
    for a in arrived:
        names = {eid: n for eid, n, lab, _, _ in await desk.store.ranked_entities(a.article.id)}
        for q in await desk.store.search_quotes(article_id=a.article.id, limit=1000):
            name = names.get(q.speaker_entity_id) or q.speaker
            if q.speaker_entity_id is not None and full_name(name):
                counts[name] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def speaker_chart(
    speakers: list[tuple[str, int]], title: str, params: BriefParams | None = None
) -> bytes:
    """A PNG bar chart of the most-quoted speakers (matplotlib, Agg: no display needed).
    CPU-bound: call it in a worker thread."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    params = params or BriefParams()
    top = speakers[: params.chart_speakers]
    if not top:
        raise NotFound("Nobody was quoted in that period.")
    fig = Figure(figsize=(8, 0.5 * len(top) + 1.5), dpi=100)
    ax = fig.subplots()
    names = [n for n, _ in reversed(top)]
    counts = [c for _, c in reversed(top)]
    ax.barh(names, counts, color="#2b6cb0")
    ax.set_xlabel("quotes")
    ax.set_title(title)
    ax.xaxis.get_major_locator().set_params(integer=True)
    for y, c in enumerate(counts):
        ax.text(c, y, f" {c}", va="center")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
