"""One day's crawl: each source fetched in full, then stored in one transaction with its ``done`` mark.

A source already ``done`` for the date is skipped (``force`` re-crawls it, replacing its rows). A
source that fails (a schema change, retries exhausted) stores nothing and does not stop the others;
the summary says which failed and why.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from hubsight.crawl import writer
from hubsight.crawl.errors import CrawlRefused
from hubsight.errors import HubsightError
from hubsight.settings import Settings, get_settings
from hubsight.store.db import writing

SOURCES = ("hub", "papers", "arena")


class Task(Protocol):
    def advance(self, n: int) -> None: ...
    def describe(self, text: str) -> None: ...
    def finish(self) -> None: ...


class Progress(Protocol):
    def task(self, description: str, total: int | None = None, rows: bool = True) -> Task: ...


class _NoTask:
    def advance(self, n: int) -> None:
        pass

    def describe(self, text: str) -> None:
        pass

    def finish(self) -> None:
        pass


class NoProgress:
    def task(self, description: str, total: int | None = None, rows: bool = True) -> Task:
        return _NoTask()


@dataclass
class SourceResult:
    source: str
    status: str  # done, skipped or failed
    seconds: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    error_type: str | None = None
    retries: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per step (not stored: a store must not depend on how fast it was filled)."""

    def text(self) -> str:
        if self.status == "skipped":
            return f"{self.source} already stored (--force re-crawls)"
        if self.status == "failed":
            return f"{self.source} FAILED ({self.error_type})"
        s = self.stats
        if self.source == "hub":
            kinds = [s[k] for k in ("model", "dataset", "space")]
            listed = sum(k["listed"] for k in kinds)
            created = sum(k["created"] for k in kinds)
            deleted = sum(k["deleted"] for k in kinds)
            renamed = sum(k["renamed"] for k in kinds)
            head = f"hub {listed:,} repos ({created:,} new, {deleted:,} deleted, {renamed:,} renamed)"
        elif self.source == "papers":
            head = f"papers {s['arxiv']:,} arXiv ({s['window'][0]} to {s['window'][1]}) + {s['daily']:,} daily"
        else:
            head = f"arena {s['subsets']} subsets / {s['publish_dates']} dates ({s['rows_written']:,} new rows)"
        return f"{head} in {self.seconds:.1f} s"


@dataclass
class CrawlSummary:
    day: date
    results: list[SourceResult]
    lake_seconds: float = 0.0
    """Seconds spent bringing the Parquet files (``store/lake.py``) up to the store."""
    lake_error: str | None = None

    @property
    def ok(self) -> bool:
        return all(r.status != "failed" for r in self.results) and self.lake_error is None

    def line(self) -> str:
        parts = [r.text() for r in self.results]
        if self.lake_error:
            parts.append(f"history files FAILED: {self.lake_error}")
        return f"crawl {self.day}: " + " · ".join(parts)


def default_day(settings: Settings) -> date:
    """Today in UTC, or a replica's own date (its clock is what it serves)."""
    if settings.is_replica:
        try:
            from huggingface_hub.utils import get_session

            response = get_session().get(f"{settings.hf_endpoint}/_replica/clock", timeout=5)
            if response.status_code == 200:
                return date.fromisoformat(response.json()["date"])
        except Exception:  # not a hubsight replica: a mirror of the real Hub
            pass
    return datetime.now(UTC).date()


def parse_only(values: Iterable[str] | None) -> list[str]:
    """Sources in crawl order; raises ValueError naming an unknown one."""
    if values is None:
        return list(SOURCES)
    wanted = {v.strip() for value in values for v in value.split(",") if v.strip()}
    unknown = sorted(wanted - set(SOURCES))
    if unknown:
        raise ValueError(f"unknown source {unknown[0]!r}: use one or more of {', '.join(SOURCES)}")
    if not wanted:
        raise ValueError(f"no source given: use one or more of {', '.join(SOURCES)}")
    return [s for s in SOURCES if s in wanted]


def _arxiv_delay(settings: Settings) -> float:
    """arXiv's pause is for arXiv: a replica's arXiv gets none unless the setting was given explicitly."""
    if settings.is_replica and not settings.arxiv_url and "arxiv_delay_seconds" not in settings.model_fields_set:
        return 0.0
    return settings.arxiv_delay_seconds


def _crawl_hub(
    engine: Any, day: date, settings: Settings, progress: Progress, timings: dict[str, float]
) -> tuple[dict[str, Any], int]:
    from huggingface_hub.utils import build_hf_headers

    from hubsight.crawl.hub import KINDS, PATHS, list_kind
    from hubsight.crawl.retry import from_settings

    started = datetime.now(UTC)
    with engine.connect() as conn:
        stored = writer.done_dates(conn, "hub")
        if stored and max(stored) > day:
            raise CrawlRefused(
                f"hub data for {max(stored)} is already stored and the Hub only shows its present, "
                f"so it cannot be crawled as of {day}; crawl {max(stored)} or a later date"
            )
        last = writer.last_stats(conn, "hub", before=day) or {}
    retrier = from_settings(settings)
    headers = build_hf_headers(token=settings.hf_token or False)
    listings = {}
    for kind in KINDS:
        began = time.perf_counter()
        task = progress.task(f"hub {PATHS[kind]}", total=last.get(kind, {}).get("listed"))

        def known(kind: str = kind) -> Any:
            with engine.connect() as conn:
                return writer.load_known(conn, kind)

        listings[kind] = list_kind(kind, settings.hf_endpoint, headers, known, retrier, on_rows=task.advance)
        task.finish()
        timings[f"list_{kind}"] = time.perf_counter() - began
    began = time.perf_counter()
    task = progress.task("hub store", rows=False)
    with writing(engine) as conn:
        stats = writer.write_hub(conn, day, listings, started, status=lambda text: task.describe(f"hub {text}"))
    task.describe("hub stored")
    task.finish()
    timings["write"] = time.perf_counter() - began
    return stats, retrier.retries


def _crawl_papers(
    engine: Any, day: date, settings: Settings, progress: Progress, timings: dict[str, float]
) -> tuple[dict[str, Any], int]:
    from hubsight.crawl import papers
    from hubsight.crawl.retry import from_settings

    started, began = datetime.now(UTC), time.perf_counter()
    with engine.connect() as conn:
        first, last = papers.window(day, writer.done_dates(conn, "papers"))
    retrier = from_settings(settings)
    task = progress.task(f"papers arXiv {first}..{last}")
    arxiv_rows = papers.fetch_arxiv(
        settings.model_copy(update={"arxiv_delay_seconds": _arxiv_delay(settings)}), first, last, retrier, task.advance
    )
    task.finish()
    task = progress.task(f"papers daily {day}")
    daily = papers.fetch_daily(settings, day, retrier, task.advance)
    task.finish()
    stats = {"arxiv": len(arxiv_rows), "window": [first.isoformat(), last.isoformat()], "daily": len(daily)}
    timings["fetch"] = time.perf_counter() - began
    with writing(engine) as conn:
        writer.write_papers(conn, day, arxiv_rows, daily, started, stats)
    timings["write"] = time.perf_counter() - began - timings["fetch"]
    return stats, retrier.retries


def _crawl_arena(
    engine: Any, day: date, settings: Settings, progress: Progress, timings: dict[str, float], force: bool
) -> tuple[dict[str, Any], int]:
    from hubsight.crawl.arena import fetch_arena, locate
    from hubsight.crawl.retry import from_settings

    started, began = datetime.now(UTC), time.perf_counter()
    retrier = from_settings(settings)
    commit, files = locate(settings, retrier)
    with engine.connect() as conn:
        last = writer.last_stats(conn, "arena", before=day)
    if not force and last and last.get("commit") == commit:
        # the dataset has not moved since the last crawl: nothing new to read (its rows are stored)
        stats = {k: last[k] for k in ("commit", "subsets", "publish_dates", "rows")} | {"unchanged": True}
        with writing(engine) as conn:
            writer.write_arena(conn, day, {}, started, stats, force)
        return stats, retrier.retries
    task = progress.task(f"arena leaderboard ({len(files)} subsets)")  # counts rows, not subsets
    subsets = fetch_arena(settings, retrier, commit, files, on_file=lambda _subset, n: task.advance(n))
    task.finish()
    stats: dict[str, Any] = {
        "commit": commit,
        "subsets": len(subsets),
        "publish_dates": len({row[0] for rows in subsets.values() for row in rows}),
        "rows": sum(len(rows) for rows in subsets.values()),
    }
    timings["fetch"] = time.perf_counter() - began
    with writing(engine) as conn:
        writer.write_arena(conn, day, subsets, started, stats, force)
    timings["write"] = time.perf_counter() - began - timings["fetch"]
    return stats, retrier.retries


def _expected(exc: Exception) -> bool:
    """Failures that belong to one source (upstream, store), as opposed to bugs, which propagate."""
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, HubsightError | OSError | SQLAlchemyError):  # HfHubHTTPError, requests errors are OSErrors
        return True
    return type(exc).__module__.split(".")[0] == "arxiv"


def _sync_lake(engine: Any, settings: Settings, progress: Progress, summary: CrawlSummary) -> None:
    """Bring the Parquet files up to the store (also after a failed or skipped source: the store is
    what it is); a lake that cannot be written fails the crawl's summary, not what was stored."""
    from hubsight.store.lake import LakeError, sync

    began = time.perf_counter()
    task = progress.task("history files", rows=False)
    try:
        sync(engine, settings.lake_dir, task.describe)
    except LakeError as exc:
        summary.lake_error = str(exc)
    finally:
        task.finish()
    summary.lake_seconds = time.perf_counter() - began


def crawl(
    day: date | None = None,
    only: Sequence[str] | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> CrawlSummary:
    """Crawl ``only`` (default: every source) for ``day`` (default: today, or the replica's date)."""
    from hubsight.hub import session
    from hubsight.store.db import make_engine, upgrade

    settings = settings or get_settings()
    progress = progress or NoProgress()
    sources = parse_only(only)
    session.install(settings.http_timeout)
    engine = make_engine(settings.db)
    collecting = gc.isenabled()
    # A crawl holds millions of objects for minutes (pages, rows, the store's state) and makes no
    # reference cycles: each of Python's full collections would walk them all, a third of a first
    # crawl's time at a million repos. The collector pauses for the crawl and resumes after it.
    gc.disable()
    try:
        upgrade(engine)
        day = day or default_day(settings)
        results = []
        for source in sources:
            with engine.connect() as conn:
                done = writer.is_done(conn, day, source)
            if done and not force:
                results.append(SourceResult(source, "skipped"))
                continue
            began = time.perf_counter()
            timings: dict[str, float] = {}
            try:
                if source == "hub":
                    stats, retries = _crawl_hub(engine, day, settings, progress, timings)
                elif source == "papers":
                    stats, retries = _crawl_papers(engine, day, settings, progress, timings)
                else:
                    stats, retries = _crawl_arena(engine, day, settings, progress, timings, force)
            except Exception as exc:
                if not _expected(exc):
                    raise
                results.append(SourceResult(source, "failed", time.perf_counter() - began, error=str(exc), error_type=type(exc).__name__))
                continue
            results.append(SourceResult(source, "done", time.perf_counter() - began, stats, retries=retries, timings=timings))
        summary = CrawlSummary(day, results)
        _sync_lake(engine, settings, progress, summary)
        return summary
    finally:
        if collecting:
            gc.enable()
        engine.dispose()
