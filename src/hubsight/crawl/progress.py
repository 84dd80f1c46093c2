"""Rich progress bars for a crawl: one row per source step, with rows per second."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text


class RateColumn(ProgressColumn):
    def render(self, task: Any) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "", style="progress.data.speed")


class CountColumn(ProgressColumn):
    def render(self, task: Any) -> Text:
        total = f" / ~{task.total:,.0f}" if task.total else ""
        return Text(f"{task.completed:,.0f}{total} rows", style="progress.download")


class RichTask:
    def __init__(self, progress: Progress, task_id: Any, label: str) -> None:
        self.progress = progress
        self.task_id = task_id
        self.label = label

    def advance(self, n: int) -> None:
        self.progress.advance(self.task_id, n)

    def describe(self, text: str) -> None:
        self.progress.update(self.task_id, description=text)

    def finish(self) -> None:
        task = self.progress.tasks[self.task_id]
        self.progress.update(self.task_id, total=task.completed or 1, completed=task.completed or 1)
        self.progress.stop_task(self.task_id)


class RichProgress:
    """Use as a context manager around ``crawl(..., progress=...)``."""

    def __init__(self, console: Console) -> None:
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

    def task(self, description: str, total: int | None = None) -> RichTask:
        return RichTask(self.progress, self.progress.add_task(description, total=total), description)
