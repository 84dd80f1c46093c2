"""`hubsight demo`: the whole product offline in one command.

Starts a replica whose clock begins ``days`` ago, crawls every simulated day into a fresh SQLite
file (the clock moves one day between crawls, so the store holds real history), then serves the
insights API and the dashboard over it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from hubsight.settings import Settings


@dataclass
class DemoStore:
    db_url: str
    first_day: date
    last_day: date
    seconds: float


def fresh_db(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def crawl_history(replica_url: str, db_path: Path, days: int, settings: Settings, console: Console) -> DemoStore:
    """Crawl the replica on each of its days, advancing its clock in between."""
    import httpx2

    from hubsight.crawl import crawl
    from hubsight.crawl.progress import RichProgress, show_retries

    db_url = fresh_db(db_path)
    crawl_settings = settings.model_copy(
        update={"hf_endpoint": replica_url, "db": db_url, "arxiv_delay_seconds": 0.0, "hf_token": None}
    )
    clock = httpx2.get(f"{replica_url}/_replica/clock", timeout=10).json()
    first = date.fromisoformat(clock["date"])
    began = time.perf_counter()
    with RichProgress(console, reuse=True) as sources, show_retries(console):
        progress = sources.progress
        overall = progress.add_task("crawling", total=days + 1, rows=False)
        for n in range(days + 1):
            day = first + timedelta(days=n)
            progress.update(overall, description=f"crawling {day} (day {n + 1} of {days + 1})")
            summary = crawl(day, None, crawl_settings, sources)
            if not summary.ok:
                raise RuntimeError(f"the demo crawl of {day} failed: {summary.line()}")
            progress.advance(overall)
            if n < days:
                httpx2.post(f"{replica_url}/_replica/clock/advance", params={"days": 1}, timeout=60).raise_for_status()
        for task_id in sources.bars.values():  # the last day's steps: the summary row says it all
            progress.remove_task(task_id)
        progress.update(overall, description=f"{days + 1} days crawled ({days} day{'s' if days != 1 else ''} of history)")
    return DemoStore(db_url, first, first + timedelta(days=days), time.perf_counter() - began)


def trending_table(rows: list[dict[str, Any]], title: str) -> Table:
    table = Table(title=title)
    for column in ("model", "pipeline tag", "likes", "gained"):
        table.add_column(column, justify="right" if column in ("likes", "gained") else "left", no_wrap=column == "model")
    for row in rows:
        table.add_row(row["model_id"], row.get("pipeline_tag") or "—", f"{row['likes_latest']:,}", f"+{row['likes_delta']:,}")
    return table


def start_date(days: int) -> date:
    return datetime.now(UTC).date() - timedelta(days=days)
