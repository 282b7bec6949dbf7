"""Bringing the SQLite cache up to date with the corpus folder.

Only new or changed articles are analysed (content hash plus pipeline version); articles
whose file is gone are removed. A file still in the folder that can't be loaded right now
(its permissions changed, an editor is re-saving it in another encoding) is not gone: its
stored articles are kept, reported as stale and warned about on every ingest, until the
file loads again or is deleted. The NLP runs in a worker thread, batch by batch, and each
article is written in its own transaction, so an interrupted ingest loses nothing done.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from bot.corpus import LoadResult, Skipped, load_corpus
from bot.nlp.model_errors import ModelUnavailable
from bot.nlp.pipeline import Analyser
from bot.records import AnalysedArticle, Article
from bot.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class IngestReport:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    stale: list[str] = field(default_factory=list)  # sources kept though unloadable now

    @property
    def analysed(self) -> int:
        return self.new + self.changed

    def summary_line(self) -> str:
        stale = f", {len(self.stale)} stale" if self.stale else ""
        return (
            f"ingest: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, "
            f"{self.removed} removed, {len(self.skipped)} skipped{stale} in {self.seconds:.2f} s"
        )


@dataclass(frozen=True, slots=True)
class IngestPlan:
    new: list[Article]
    changed: list[Article]
    unchanged: list[Article]
    removed: list[str]
    kept: list[str] = field(default_factory=list)  # ids of articles in files not re-read


def plan_ingest(
    loaded: list[Article],
    states: dict[str, tuple[str, str]],
    pipeline_version: str | None,
    kept: list[str] | None = None,
) -> IngestPlan:
    """What to analyse: compares content hashes (and the pipeline version when known).
    `kept`: stored articles whose file was not read (its stat unchanged); they stay."""
    new, changed, unchanged = [], [], []
    seen: set[str] = set(kept or ())
    for article in loaded:
        if article.id in seen:
            continue
        seen.add(article.id)
        state = states.get(article.id)
        if state is None:
            new.append(article)
        elif state[0] != article.content_hash or (
            pipeline_version is not None and state[1] != pipeline_version
        ):
            changed.append(article)
        else:
            unchanged.append(article)
    removed = sorted(set(states) - seen)
    return IngestPlan(new, changed, unchanged, removed, list(kept or ()))


async def _keep_unloadable(
    store: Store, removed: list[str], unloadable: dict[str, str], report: IngestReport
) -> list[str]:
    """`removed` less the articles whose file is still there but can't be loaded now;
    those are named in `report.stale` and warned about (every ingest, until resolved)."""
    if not removed or not unloadable:
        return removed
    sources = await store.article_sources(removed)
    kept = {i for i in removed if sources.get(i) in unloadable}
    for source in sorted({sources[i] for i in kept}):
        report.stale.append(source)
        log.warning(
            "%s can't be read (%s): its stored article is kept, marked stale, until the"
            " file can be read again or is removed",
            source,
            unloadable[source],
        )
    return [i for i in removed if i not in kept]


def analyse_isolated(
    analyser: Analyser, batch: list[Article]
) -> tuple[list[AnalysedArticle], list[Skipped]]:
    """The batch analysed; if that fails, each article alone, so one article the NLP
    chokes on is reported (and retried next time) instead of stopping every ingest."""
    try:
        return analyser.analyse_batch(batch), []
    except ModelUnavailable:
        raise  # a setting to fix, not a bad article: stop the run with its message
    except Exception:
        if len(batch) == 1:
            log.exception("analysing %s failed; skipped", batch[0].source)
            return [], [Skipped(batch[0].source, "analysis failed (see the log)")]
    done: list[AnalysedArticle] = []
    failed: list[Skipped] = []
    for article in batch:
        ok, bad = analyse_isolated(analyser, [article])
        done.extend(ok)
        failed.extend(bad)
    return done, failed


async def ingest(
    store: Store,
    analyser: Analyser,
    corpus_dir: Path,
    *,
    max_bytes: int,
    batch_size: int = 16,
    progress: bool = True,
    on_article: Callable[[Article], None] | None = None,
) -> IngestReport:
    started = time.perf_counter()
    version = analyser.pipeline_version
    known = await store.file_stats(version)
    loaded: LoadResult = await asyncio.to_thread(load_corpus, corpus_dir, max_bytes, known)
    states = await store.article_states()
    plan = plan_ingest(loaded.articles, states, version, await store.article_ids_from(loaded.kept))
    # Read again and unchanged (touched, or stored before stats were): remember the stat.
    await store.set_file_stats(
        [
            (a.id, a.file_size, a.file_mtime_ns)
            for a in plan.unchanged
            if known.get(a.source) != (a.file_size, a.file_mtime_ns)
        ]
    )
    report = IngestReport(
        new=len(plan.new),
        changed=len(plan.changed),
        unchanged=len(plan.unchanged) + len(plan.kept),
        skipped=loaded.skipped,
    )
    todo = plan.new + plan.changed
    if todo:
        # Loading the models takes longer than many articles: its own step, not a bar at 0 %.
        if progress:
            print("loading models…", file=sys.stderr, flush=True)
        await asyncio.to_thread(analyser.load_models)
    bar = tqdm(
        total=len(todo),
        unit="article",
        desc="analysing",
        disable=not progress or not todo,
        leave=False,
    )
    try:
        for i in range(0, len(todo), batch_size):
            batch = todo[i : i + batch_size]
            analysed, failed = await asyncio.to_thread(analyse_isolated, analyser, batch)
            report.skipped.extend(failed)
            bar.update(len(failed))
            for item in analysed:
                await store.save_analysis(item)
                if on_article:
                    on_article(item.article)
                bar.update(1)
    finally:
        bar.close()
    report.removed = await store.delete_articles(
        await _keep_unloadable(store, plan.removed, loaded.unloadable, report)
    )
    report.seconds = time.perf_counter() - started
    log.info(report.summary_line())
    return report
