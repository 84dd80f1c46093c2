"""Rich progress bars for a crawl: one row per source step, with rows and rows per second; and the
crawl's retry warnings printed as they happen, above the bars."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

__all__ = ["CountColumn", "RateColumn", "RichProgress", "show_retries"]


class _ConsoleHandler(logging.Handler):
    def __init__(self, console: Console) -> None:
        super().__init__(logging.WARNING)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        self.console.print(f"warning: {record.getMessage()}", style="yellow", highlight=False, soft_wrap=True)


@contextmanager
def show_retries(console: Console) -> Iterator[None]:
    """Print the crawl's warnings (``hubsight.crawl``: retries, what cannot be reached) on ``console``
    while the block runs: a crawl waiting out failures says so instead of looking hung."""
    logger = logging.getLogger("hubsight.crawl")
    handler = _ConsoleHandler(console)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


class RateColumn(ProgressColumn):
    def render(self, task: Any) -> Text:
        if not task.fields.get("rows", True):
            return Text("")
        speed = task.fields.get("rate") if task.finished else task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "", style="progress.data.speed")


class CountColumn(ProgressColumn):
    def render(self, task: Any) -> Text:
        if not task.fields.get("rows", True):
            return Text("")
        estimate = f" / ~{task.total:,.0f}" if task.total and not task.finished else ""
        return Text(f"{task.completed:,.0f}{estimate} rows", style="progress.download")


class RichTask:
    def __init__(self, progress: Progress, task_id: Any) -> None:
        self.progress = progress
        self.task_id = task_id
        self.began = time.perf_counter()

    def advance(self, n: int) -> None:
        self.progress.advance(self.task_id, n)

    def describe(self, text: str) -> None:
        self.progress.update(self.task_id, description=text)

    def finish(self) -> None:
        done = self.progress.tasks[self.task_id].completed
        rate = done / max(1e-9, time.perf_counter() - self.began)
        self.progress.update(self.task_id, total=done or 1, completed=done or 1, rate=rate)
        self.progress.stop_task(self.task_id)


class RichProgress:
    """Use as a context manager around ``crawl(..., progress=...)``.

    With ``reuse`` (crawls of many days in a row, as the demo's), a step keeps one bar, found by the
    first word of its description and reset for each crawl, instead of a new bar a day."""

    def __init__(self, console: Console, reuse: bool = False) -> None:
        self.reuse = reuse
        self.bars: dict[str, Any] = {}
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            CountColumn(),
            RateColumn(),
            TimeElapsedColumn(),
            console=console,
        )

    def __enter__(self) -> RichProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def task(self, description: str, total: int | None = None, rows: bool = True) -> RichTask:
        key = description.split()[0]
        task_id = self.bars.get(key) if self.reuse else None
        if task_id is None:
            task_id = self.progress.add_task(description, total=total, rows=rows)
            if self.reuse:
                self.bars[key] = task_id
        else:
            self.progress.reset(task_id, total=total, description=description, rows=rows)
        return RichTask(self.progress, task_id)
