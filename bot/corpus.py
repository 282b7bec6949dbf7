"""Loading a folder of articles: .txt, .md, .html, .json and .jsonl, recursively.

A file that can't be read is skipped with one warning naming it and the reason; the rest
of the folder still loads. A symlink is followed only when it resolves inside the corpus
folder; one pointing outside, a broken one and a loop are skipped like a bad file. A
.jsonl file is read line by line: good records load, each bad line is reported with its
line number. Article ids are stable: derived from the file's path (and the
record's position in a multi-article file), so an edited article keeps its id and its
content hash tells that it changed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.records import Article

log = logging.getLogger(__name__)
# One warning per skipped file: front ends that list the skips themselves can silence it.
skip_log = logging.getLogger(f"{__name__}.skipped")
# (path, size, mtime, reason) already warned about: a re-ingest of an unchanged folder (the
# watcher's, say) doesn't repeat them; a file that changes and still fails is reported anew.
_warned: set[tuple[str, str, int, int, str]] = set()

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})
DEFAULT_MAX_BYTES = 5_000_000
RACY_MTIME_NS = 2_000_000_000  # a file modified this recently is re-read next time
MIN_HTML_TEXT = 80

# Page furniture that scrapers leave after the story; matched on whole trailing lines.
_TRAILING_BOILERPLATE = re.compile(
    r"^\s*(leave a (comment|reply)|comments?|share( this)?( article| story)?:?"
    r"|related( articles| posts)?:?"
    r"|advertisement|read more|subscribe( now)?( to .*)?|follow us( on .*)?|sign up( for .*)?"
    r"|click here( .*)?|print|email|tags?:.*|filed under:?.*|(all rights reserved|©|copyright).*"
    r"|back to top|share on (facebook|twitter|x)|you may also like:?)\s*$",
    re.IGNORECASE,
)


class SkipFile(Exception):
    """A file that is not loaded; the message is the one-line reason."""


@dataclass(frozen=True, slots=True)
class Skipped:
    source: str
    reason: str


@dataclass(slots=True)
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Sources of files in the folder that could not be loaded at all (a file made
    # unreadable for a moment keeps its stored article: see bot.ingest).
    unloadable: dict[str, str] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)  # sources not read: stat as known


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n\x00{text}".encode()).hexdigest()


def article_id(source_key: str) -> str:
    return hashlib.sha1(source_key.encode()).hexdigest()[:12]


def strip_trailing_boilerplate(body: str) -> str:
    lines = body.rstrip().split("\n")
    while lines and (not lines[-1].strip() or _TRAILING_BOILERPLATE.match(lines[-1])):
        lines.pop()
    return "\n".join(lines).rstrip()


def split_site(title: str) -> tuple[str, str | None]:
    """ "Strength of … Summit | Porcelain" → ("Strength of … Summit", "Porcelain")."""
    head, sep, tail = title.rpartition(" | ")
    if sep and head.strip() and tail.strip() and len(tail) <= 60:
        return head.strip(), tail.strip()
    return title.strip(), None


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise SkipFile("empty file")
    if b"\x00" in raw[:8192]:
        raise SkipFile("binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SkipFile(f"not UTF-8 text (byte {exc.start}); re-save it as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _parse_txt(text: str) -> tuple[str, str, str | None]:
    lines = text.strip("\n").split("\n")
    title_line = lines[0].strip()
    rest = lines[1:]
    blanks = [i for i, line in enumerate(rest) if not line.strip()]
    if blanks:
        rest = rest[blanks[0] + 1 :]
    body = "\n".join(rest)
    title, site = split_site(title_line)
    return title, body, site


def _parse_md(text: str) -> tuple[str, str]:
    stripped = text.lstrip("\n")
    first, _, rest = stripped.partition("\n")
    if first.startswith("# "):
        return first[2:].strip(), rest.lstrip("\n")
    return first.strip().lstrip("#").strip(), rest.lstrip("\n")


def _parse_html(text: str) -> dict:
    """Main text and metadata by trafilatura, with three repairs a reader notices at once.

    - no date guessed from anywhere on the page (a "© 2024" footer became the date): only
      the page's own date markup counts (htmldate without its extensive search);
    - the site from the page's `<title>` ("… | TechWire") when the metadata names none;
    - the headline kept out of the body (trafilatura starts the text with the `<h1>`,
      which then became the first sentence, glued to the lead).
    Paragraphs are separated by blank lines, as in a `.txt` article.
    """
    import trafilatura

    doc = trafilatura.bare_extraction(
        text,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        raise SkipFile("HTML with no article text")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    # Pages without a story still yield their menus; a real article is longer than that.
    if len((data.get("text") or "").strip()) < MIN_HTML_TEXT:
        raise SkipFile("HTML with no article text")
    page_title, page_site = split_site(_html_title(text))
    title, title_site = split_site(data.get("title") or page_title)
    site = data.get("sitename") or title_site or page_site
    return {
        "title": title,
        "text": _body_without_title(data["text"], title),
        "url": data.get("url"),
        "date": data.get("date"),
        "author": data.get("author"),
        "site": site,
    }


def _html_title(text: str) -> str:
    import lxml.html

    try:
        return (lxml.html.fromstring(text).findtext(".//title") or "").strip()
    except (ValueError, lxml.etree.ParserError):
        return ""


def _body_without_title(text: str, title: str) -> str:
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if paragraphs and title and _fold_title(paragraphs[0]) == _fold_title(title):
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def _fold_title(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _records_from_json(text: str) -> list[dict]:
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SkipFile(f"invalid JSON at line {exc.lineno} column {exc.colno}") from None
    return loaded if isinstance(loaded, list) else [loaded]


def _jsonl_articles(text: str, source: str, problems: list[Skipped]) -> list[Article]:
    """The good records of a .jsonl file; each bad line goes to `problems` as
    "source:line" (when some line is good: else the file is skipped with the first
    reason). A record's id counts non-blank lines, as it always has, so a line that
    breaks doesn't renumber the records after it."""
    articles: list[Article] = []
    bad: list[Skipped] = []
    lines = (line for line in enumerate(text.split("\n"), start=1) if line[1].strip())
    for n, (lineno, line) in enumerate(lines):
        try:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SkipFile(f"invalid JSON at line {lineno} column {exc.colno}") from None
            articles.append(_article_from_record(record, source, f"{source}#{n}"))
        except SkipFile as exc:
            bad.append(Skipped(f"{source}:{lineno}", str(exc)))
    if not articles:
        raise SkipFile(bad[0].reason if bad else "no records")
    problems.extend(bad)
    return articles


def _article_from_record(record: object, source: str, key: str) -> Article:
    if not isinstance(record, dict):
        raise SkipFile("JSON record is not an object")
    title, text = record.get("title"), record.get("text")
    if not isinstance(title, str) or not isinstance(text, str) or not text.strip():
        raise SkipFile("JSON record needs string 'title' and non-empty 'text'")
    return _make_article(
        source,
        key,
        _no_surrogates(title).strip(),
        _no_surrogates(text),
        **{k: _opt_str(record.get(k)) for k in ("site", "url", "date", "author")},
    )


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    """JSON may escape half a character ("\\ud800"): no UTF-8 codec (hash, SQLite, the
    tokenizer) accepts it, so it becomes U+FFFD."""
    return _LONE_SURROGATE.sub("\ufffd", text)


def _opt_str(value: object) -> str | None:
    return _no_surrogates(str(value)) if value not in (None, "") else None


def _make_article(source: str, key: str, title: str, body: str, **meta: str | None) -> Article:
    body = strip_trailing_boilerplate(body.replace("\r\n", "\n")).strip("\n")
    if not body.strip():
        raise SkipFile("no article text")
    title = title or body.split("\n", 1)[0][:120]
    return Article(
        id=article_id(key),
        source=source,
        title=title,
        text=body,
        content_hash=content_hash(title, body),
        **meta,
    )


def load_file(
    path: Path,
    source: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    problems: list[Skipped] | None = None,
) -> list[Article]:
    """The articles in one file; raises SkipFile with the reason when it can't be used.
    Bad lines of a .jsonl file that still has good ones go to `problems`."""
    try:
        stat = path.stat()  # before the read: a later change shows as a new stat
        size = stat.st_size
        if size > max_bytes:
            raise SkipFile(f"over the size limit ({size:,} > {max_bytes:,} bytes)")
        with path.open("rb") as f:
            raw = f.read(max_bytes + 1)  # the file may have grown since the stat
        if len(raw) > max_bytes:
            raise SkipFile(f"over the size limit (> {max_bytes:,} bytes)")
    except OSError as exc:
        raise SkipFile(f"unreadable ({exc.strerror or exc})") from None
    articles = _parse_file(path, source, _decode(raw), problems)
    if abs(time.time_ns() - stat.st_mtime_ns) < RACY_MTIME_NS:
        # Written a moment ago: a second write within the clock's tick could keep both
        # size and mtime, so this stat can't vouch for the content (git's "racy clean").
        return articles
    return [replace(a, file_size=size, file_mtime_ns=stat.st_mtime_ns) for a in articles]


def _parse_file(
    path: Path, source: str, text: str, problems: list[Skipped] | None = None
) -> list[Article]:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        title, body, site = _parse_txt(text)
        return [_make_article(source, source, title, body, site=site)]
    if suffix == ".md":
        title, body = _parse_md(text)
        return [_make_article(source, source, title, body)]
    if suffix in (".html", ".htm"):
        data = _parse_html(text)
        return [_make_article(source, source, data.pop("title"), data.pop("text"), **data)]
    if suffix == ".jsonl":
        return _jsonl_articles(text, source, problems if problems is not None else [])
    records = _records_from_json(text)
    articles, bad = [], 0
    for n, record in enumerate(records):
        try:
            articles.append(_article_from_record(record, source, f"{source}#{n}"))
        except SkipFile:
            bad += 1
    if not articles:
        raise SkipFile("no usable records (each needs 'title' and 'text')")
    if bad:
        log.warning(
            "%s: %d of %d records skipped (need 'title' and 'text')", source, bad, len(records)
        )
    return articles


def _corpus_files(folder: Path, problems: list[Skipped] | None = None) -> list[tuple[Path, str]]:
    """(path, path relative to `folder` with forward slashes) of every supported file,
    hidden files and folders left out, in path order. os.scandir, not Path.rglob: at 10,000
    files pathlib's parsing and sorting was a third of a warm restart's corpus read.

    Symlinks are followed only to files and folders inside `folder` (each real folder
    walked once, so a link back up is a loop); a link outside, a broken link, a loop, or
    an entry that raises OSError goes to `problems` and the walk goes on."""
    problems = problems if problems is not None else []
    root = os.path.realpath(folder)
    found: list[tuple[tuple[str, ...], Path]] = []
    walked = {root}
    stack: list[tuple[str, tuple[str, ...]]] = [(str(folder), ())]
    while stack:
        directory, parts = stack.pop()
        try:
            with os.scandir(directory) as it:
                entries = list(it)
        except OSError as exc:
            if not parts:
                raise
            problems.append(Skipped("/".join(parts), f"unreadable folder ({exc.strerror})"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = (*parts, entry.name)
            try:
                kind = _entry_kind(entry, root, walked)
            except SkipFile as exc:
                problems.append(Skipped("/".join(rel), str(exc)))
                continue
            if kind == "dir":
                stack.append((entry.path, rel))
            elif kind == "file":
                found.append((rel, Path(entry.path)))
    found.sort(key=lambda item: item[0])
    return [(path, "/".join(rel)) for rel, path in found]


def _entry_kind(entry: os.DirEntry[str], root: str, walked: set[str]) -> str | None:
    """ "dir" to walk, "file" to load, None to pass over quietly; SkipFile to report."""
    try:
        supported = os.path.splitext(entry.name)[1].lower() in SUPPORTED_SUFFIXES
        if not entry.is_symlink():
            if entry.is_dir(follow_symlinks=False):
                walked.add(os.path.realpath(entry.path))
                return "dir"
            return "file" if supported and entry.is_file(follow_symlinks=False) else None
        try:
            target = os.path.realpath(entry.path, strict=True)
        except FileNotFoundError:
            raise SkipFile("broken symlink") from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise SkipFile("symlink loop") from None
            raise
        if os.path.commonpath([root, target]) != root:
            raise SkipFile("symlink to outside the corpus folder")
        if os.path.isdir(target):
            if target in walked:
                raise SkipFile("symlink loop (a folder already read)")
            walked.add(target)
            return "dir"
        return "file" if supported and os.path.isfile(target) else None
    except OSError as exc:
        raise SkipFile(f"unreadable ({exc.strerror or exc})") from None


def iter_corpus_files(folder: Path) -> Iterator[Path]:
    for path, _ in _corpus_files(folder):
        yield path


def load_corpus(
    folder: Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known: Mapping[str, tuple[int, int]] | None = None,
) -> LoadResult:
    """Every article under `folder`; unreadable files are reported once each and skipped.

    `known` maps a source to the (size, mtime_ns) its stored articles were read at: a
    file whose stat still matches is not read, only listed in `kept` (its stored
    articles stand). When the stat differs the file is read and its content hash decides.
    """
    result = LoadResult()
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {folder}")
    walk_problems: list[Skipped] = []
    for path, source in _corpus_files(folder, walk_problems):
        if known and (stat := known.get(source)) is not None and stat[0] <= max_bytes:
            try:
                st = os.stat(path)
            except OSError:
                st = None
            if st is not None and (st.st_size, st.st_mtime_ns) == stat:
                result.kept.append(source)
                continue
        problems: list[Skipped] = []
        try:
            result.articles.extend(load_file(path, source, max_bytes, problems))
        except SkipFile as exc:
            _report_skip(path, source, str(exc))
            result.skipped.append(Skipped(source, str(exc)))
            result.unloadable[source] = str(exc)
        for problem in problems:
            _report_skip(path, problem.source, problem.reason)
            result.skipped.append(problem)
    for problem in walk_problems:
        _report_skip(folder / problem.source, problem.source, problem.reason)
        result.skipped.append(problem)
    return result


def _report_skip(path: Path, source: str, reason: str) -> None:
    try:
        stat = path.stat()
        key = (str(path.resolve()), source, stat.st_size, stat.st_mtime_ns, reason)
    except (OSError, RuntimeError):  # a broken link or a loop
        key = (str(path), source, -1, -1, reason)
    if key in _warned:
        skip_log.debug("skipped %s: %s", source, reason)
        return
    _warned.add(key)
    skip_log.warning("skipped %s: %s", source, reason)
