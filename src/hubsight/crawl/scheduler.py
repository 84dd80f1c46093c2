"""``hubsight crawl --daily``: an in-process scheduler that crawls once a day at a UTC time of day.

On start it catches up (if today's time has passed, it crawls now; a date already stored is skipped
in a moment), then sleeps until the next occurrence. Sleeping is a wait on an event, so Ctrl-C or
``stop.set()`` ends it at once; a crawl interrupted mid-way leaves each source whole or absent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any


def parse_at(value: str) -> time:
    """``HH:MM`` → a UTC time of day; raises ValueError with the expected shape."""
    try:
        hours, minutes = value.split(":")
        if len(hours) != 2 or len(minutes) != 2:
            raise ValueError
        return time(int(hours), int(minutes), tzinfo=UTC)
    except ValueError:
        raise ValueError(f"{value!r} is not a time of day: use HH:MM (UTC), e.g. 00:30") from None


def next_run(now: datetime, at: time) -> datetime:
    """The first moment at ``at`` (UTC) strictly after ``now``."""
    due = datetime.combine(now.astimezone(UTC).date(), at.replace(tzinfo=None), tzinfo=UTC)
    return due if due > now else due + timedelta(days=1)


def run_daily(
    job: Callable[[], Any],
    at: time,
    stop: threading.Event | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    on_wait: Callable[[datetime], None] | None = None,
) -> None:
    """Run ``job`` now if today's ``at`` has passed, then every day at ``at`` until ``stop`` is set."""
    stop = stop or threading.Event()
    current = now()
    if current >= datetime.combine(current.astimezone(UTC).date(), at.replace(tzinfo=None), tzinfo=UTC):
        job()  # catch up: today's time has passed (a date already stored is skipped at once)
    while not stop.is_set():
        due = next_run(now(), at)
        if on_wait is not None:
            on_wait(due)
        while not stop.is_set():
            remaining = (due - now()).total_seconds()
            if remaining <= 0:
                break
            stop.wait(min(remaining, 60.0))
        if stop.is_set():
            return
        job()
