"""The daily scheduler: catches up on start, then crawls once a day at the UTC time, until stopped."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, time, timedelta

import pytest

from hubsight.crawl.scheduler import next_run, parse_at, run_daily


def test_parse_at_and_next_run() -> None:
    at = parse_at("00:30")
    assert at == time(0, 30, tzinfo=UTC)
    assert next_run(datetime(2026, 11, 23, 0, 10, tzinfo=UTC), at) == datetime(2026, 11, 23, 0, 30, tzinfo=UTC)
    assert next_run(datetime(2026, 11, 23, 0, 30, tzinfo=UTC), at) == datetime(2026, 11, 24, 0, 30, tzinfo=UTC)
    with pytest.raises(ValueError, match="use HH:MM"):
        parse_at("25:00")


class Clock:
    """A fake clock that jumps to whatever the scheduler waits for."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_runs_now_when_the_time_has_passed_then_daily_until_stopped() -> None:
    clock = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    stop = threading.Event()
    ran: list[datetime] = []
    waits: list[datetime] = []

    def job() -> None:
        ran.append(clock.now)
        if len(ran) == 3:
            stop.set()

    def on_wait(due: datetime) -> None:
        waits.append(due)
        clock.now = due + timedelta(seconds=1)  # the time comes

    run_daily(job, parse_at("00:30"), stop=stop, now=clock, on_wait=on_wait)
    assert ran[0] == datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "catch-up on start"
    assert waits[:2] == [datetime(2026, 11, 24, 0, 30, tzinfo=UTC), datetime(2026, 11, 25, 0, 30, tzinfo=UTC)]
    assert len(ran) == 3


def test_waits_for_the_time_and_a_stop_ends_the_wait_at_once() -> None:
    clock = Clock(datetime(2026, 11, 23, 0, 10, tzinfo=UTC))
    stop = threading.Event()
    ran: list[datetime] = []
    timer = threading.Timer(0.2, stop.set)
    timer.start()
    began = datetime.now(UTC)
    run_daily(lambda: ran.append(clock.now), parse_at("00:30"), stop=stop, now=clock)
    assert ran == [], "before today's time: nothing runs on start"
    assert (datetime.now(UTC) - began).total_seconds() < 5


def test_daily_mode_catches_up_then_waits_and_stops_on_sigterm(tmp_path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from hubsight.replica import ReplicaServer
    from tests.crawl.conftest import E2E_DAY, E2E_SEED

    exe = str(Path(sys.executable).with_name("hubsight"))
    env = {**os.environ, "HF_TOKEN": "", "NO_COLOR": "1"}
    with ReplicaServer(scale="tiny", seed=E2E_SEED, start=E2E_DAY) as replica:
        proc = subprocess.Popen(
            [exe, "crawl", "--daily", "--at", "00:00", "--only", "hub", "--endpoint", replica.url,
             "--db", f"sqlite:///{tmp_path / 'h.db'}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        deadline = time.monotonic() + 60
        line = ""
        while time.monotonic() < deadline and "next crawl at" not in line:
            line = proc.stderr.readline()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert "next crawl at" in line and "00:00 UTC" in line
    assert proc.returncode == 130, err  # interrupted: 128 + SIGINT, as a Ctrl-C gives
    assert out.startswith(f"crawl {E2E_DAY}: hub 3,300 repos")
