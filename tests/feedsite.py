"""A news site on 127.0.0.1 for feed tests and benchmarks: RSS 2.0 and Atom documents,
article pages, ETag/304, scripted failures (a 500 then recovery, Retry-After), redirects.

Programmatic (`FeedSite`, `await site.start()`), or a folder served as is for a manual
run: `python tests/feedsite.py DIR --port 8765` (edit the files between polls).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import html
import mimetypes
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from aiohttp import web

RSS = "application/rss+xml"
ATOM = "application/atom+xml"
HTML = "text/html; charset=utf-8"


@dataclass
class Story:
    slug: str
    title: str
    paragraphs: list[str]
    summary: str = ""
    guid: str | None = None
    published: datetime | None = None


@dataclass
class Hit:
    path: str
    status: int
    headers: dict[str, str]


@dataclass
class FeedSite:
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    failures: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    folder: Path | None = None
    hits: list[Hit] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def put(self, path: str, body: str | bytes, content_type: str) -> None:
        self.files[path] = (body.encode() if isinstance(body, str) else body, content_type)

    def fail(self, path: str, status: int, times: int = 1, **headers: str) -> None:
        self.failures.setdefault(path, []).extend([(status, headers)] * times)

    def count(self, path: str, status: int | None = None) -> int:
        return sum(1 for h in self.hits if h.path == path and status in (None, h.status))

    def _lookup(self, path: str) -> tuple[bytes, str] | None:
        if path in self.files:
            return self.files[path]
        if self.folder is not None:
            file = (self.folder / path.lstrip("/")).resolve()
            if file.is_relative_to(self.folder.resolve()) and file.is_file():
                kind = {".xml": RSS, ".atom": ATOM}.get(file.suffix)
                return file.read_bytes(), kind or mimetypes.guess_type(file.name)[0] or HTML
        return None

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.path
        response = self._respond(request, path)
        self.hits.append(Hit(path, response.status, dict(request.headers)))
        return response

    def _respond(self, request: web.Request, path: str) -> web.Response:
        if self.failures.get(path):
            status, headers = self.failures[path].pop(0)
            return web.Response(status=status, text="failure", headers=headers)
        if path in self.redirects:
            return web.Response(status=301, headers={"Location": self.redirects[path]})
        found = self._lookup(path)
        if found is None:
            return web.Response(status=404, text="gone")
        body, content_type = found
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, headers={"Content-Type": content_type, "ETag": etag})

    async def start(self) -> FeedSite:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def feed_settings(tmp_path: Path, **extra: Any) -> Any:
    """Settings over tmp_path/corpus and tmp_path/db.sqlite3 (no watcher, no .env)."""
    from bot.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    extra.setdefault("database", tmp_path / "db.sqlite3")
    return Settings(
        _env_file=None,
        corpus_dir=corpus,
        watch_corpus=False,
        fetch_timeout=5.0,
        **extra,
    )


# -- documents --------------------------------------------------------------------------


def article_html(story: Story, site: str = "Harbour Times") -> str:
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
    return (
        f"<!doctype html><html><head><title>{html.escape(story.title)} | {site}</title>"
        f'<meta property="og:site_name" content="{site}">'
        f'<meta name="author" content="Staff Reporter">'
        f"</head><body><nav>Home | World | Business</nav><article>"
        f"<h1>{html.escape(story.title)}</h1>{paras}</article>"
        f"<footer>Copyright {site}</footer></body></html>"
    )


def rss(title: str, base: str, stories: list[Story]) -> str:
    items = []
    for s in stories:
        guid = s.guid if s.guid is not None else f"{base}/{s.slug}"
        date = f"<pubDate>{format_datetime(s.published)}</pubDate>" if s.published else ""
        guid_tag = f"<guid>{html.escape(guid)}</guid>" if guid else ""
        items.append(
            f"<item><title>{html.escape(s.title)}</title><link>{base}/{s.slug}</link>"
            f"{guid_tag}{date}<description>{html.escape(s.summary)}</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>{base}/</link>"
        f"<description>news</description>{''.join(items)}</channel></rss>"
    )


def atom(title: str, base: str, stories: list[Story]) -> str:
    entries = []
    for s in stories:
        when = (s.published or datetime(2026, 1, 1, tzinfo=UTC)).isoformat()
        entries.append(
            f"<entry><title>{html.escape(s.title)}</title>"
            f'<link href="{base}/{s.slug}"/><id>{html.escape(s.guid or f"urn:{s.slug}")}</id>'
            f"<updated>{when}</updated><summary>{html.escape(s.summary)}</summary></entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{html.escape(title)}</title><id>urn:{html.escape(title)}</id>"
        f"<updated>2026-01-01T00:00:00Z</updated>{''.join(entries)}</feed>"
    )


PEOPLE = [
    ("Maria Lopez", "the education minister"),
    ("Daniel Okafor", "the harbour master"),
    ("Helen Brandt", "a spokeswoman for the port authority"),
    ("Tomas Reyes", "the mayor"),
    ("Aiko Tanaka", "an economist at Northbank"),
]
TOPICS = ["schools", "the harbour", "ferry fares", "the new bridge", "flood defences"]


def story(n: int, *, start: datetime | None = None) -> Story:
    """A plausible article with two quotes by people named in full and an organisation."""
    a, role_a = PEOPLE[n % len(PEOPLE)]
    b, role_b = PEOPLE[(n + 2) % len(PEOPLE)]
    topic = TOPICS[n % len(TOPICS)]
    title = f"Council approves plan for {topic} (report {n})"
    paragraphs = [
        f"The city council on Tuesday approved a plan for {topic}, ending months of debate "
        f"among residents, the Port Authority and local businesses. The vote was close.",
        f'"This is the most important decision we have made in a decade," said {a}, '
        f"{role_a}. The plan will be paid for over five years.",
        f'"We will keep listening to the people who live here," {b}, {role_b}, told '
        f"reporters after the meeting at City Hall.",
        "Opponents said the costs had been underestimated and promised to keep campaigning "
        "against the plan before the next election in the spring.",
    ]
    when = (start or datetime(2026, 11, 30, 8, tzinfo=UTC)) + timedelta(hours=n)
    summary = f"The council approved a plan for {topic}; {a} called it the decision of a decade."
    return Story(f"news/story-{n}", title, paragraphs, summary, published=when)


def publish(site: FeedSite, path: str, stories: list[Story], *, kind: str = "rss") -> None:
    """The feed at `path` listing `stories` newest first, and each story's page."""
    base = site.url("")
    newest_first = list(reversed(stories))
    doc = (
        rss("Harbour Times", base, newest_first)
        if kind == "rss"
        else atom("Harbour Times (Atom)", base, newest_first)
    )
    site.put(path, doc, RSS if kind == "rss" else ATOM)
    for s in stories:
        site.put(f"/{s.slug}", article_html(s), HTML)


def write_folder(folder: Path, stories: list[Story], port: int) -> None:
    """A folder for the manual mode: feed.xml plus one page per story."""
    base = f"http://127.0.0.1:{port}"
    (folder / "feed.xml").write_text(rss("Harbour Times", base, list(reversed(stories))))
    for s in stories:
        page = folder / s.slug
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(article_html(s))


async def _serve(folder: Path, port: int, stories: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if stories:
        write_folder(folder, [story(n) for n in range(stories)], port)
    site = await FeedSite(folder=folder, port=port).start()
    print(f"serving {folder} on {site.url('/feed.xml')}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--stories", type=int, default=0, help="write N stories first")
    args = parser.parse_args()
    asyncio.run(_serve(args.folder, args.port, args.stories))
