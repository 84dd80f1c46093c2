"""The `hubsight` command as a user meets it: real subprocesses, exit codes and one-line errors."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import pytest

HUBSIGHT = str(Path(sys.executable).with_name("hubsight"))


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([HUBSIGHT, *args], capture_output=True, text=True, timeout=timeout, env=env)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["replica", "--scale", "huge"], "unknown scale 'huge'"),
        (["replica", "--bogus"], "No such option: --bogus"),
        (["replica", "--error-rate", "2"], "use a number between 0 and 1"),
        (["replica", "--date", "2026-13-01"], "use YYYY-MM-DD"),
        (["replica", "--port", "-3"], "--port"),
        (["replica", "--error-rate", "0.6", "--rate-limit-rate", "0.6"], "must not exceed 1"),
        (["no-such-command"], "No such command"),
    ],
)
def test_usage_errors_are_one_line_with_exit_code_2(args: list[str], needle: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and needle in lines[0]
    assert "--help" in lines[0], "the error says where to look next"


def test_busy_port_is_a_usage_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = run("replica", "--port", str(port), "--scale", "tiny")
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is busy" in result.stderr and "--port" in result.stderr


def test_replica_serves_the_hub_until_stopped() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [HUBSIGHT, "replica", "--scale", "tiny", "--port", str(port), "--seed", "3", "--date", "2026-01-02",
         "--latency-ms", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                clock = httpx.get(f"http://127.0.0.1:{port}/_replica/clock").json()
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.1)
        assert clock["date"] == "2026-01-02" and clock["seed"] == 3 and clock["scale"] == "tiny"
        assert httpx.get(f"http://127.0.0.1:{port}/_replica/faults").json()["latency_ms"] == 1
        models = httpx.get(f"http://127.0.0.1:{port}/api/models", params={"limit": 3}).json()
        assert len(models) == 3
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "Replica ready" in err and f"HF_ENDPOINT=http://127.0.0.1:{port}" in err


def test_demo_crawls_history_then_serves_the_api_and_dashboard(tmp_path) -> None:
    db = tmp_path / "demo.db"
    result = run("demo", "--once", "--scale", "tiny", "--days", "3", "--port", "0", "--db", str(db), timeout=180)
    assert result.returncode == 0, result.stderr
    assert "Models that gained the most likes in the last 7 days" in result.stdout
    assert "4 days crawled (3 days of history)" in result.stdout + result.stderr
    assert "hub stored" not in result.stdout + result.stderr, "only the summary row stays on screen"
    assert "Dashboard  http://127.0.0.1:" in result.stdout + result.stderr
    import sqlite3

    with sqlite3.connect(db) as conn:
        days = conn.execute("select count(distinct date) from snapshots").fetchone()[0]
    assert days == 4


def test_version() -> None:
    result = run("version")
    assert result.returncode == 0 and result.stdout.strip() == "0.1.0"


def test_crawl_then_serve_as_the_readme_shows(tmp_path) -> None:
    from hubsight.replica import ReplicaServer

    db = f"sqlite:///{tmp_path / 'history.db'}"
    with ReplicaServer(scale="tiny", seed=5, start=date(2026, 11, 23)) as replica:
        first = run("crawl", "--endpoint", replica.url, "--db", db, "--only", "hub,papers", timeout=120)
        replica.world.advance(1)
        second = run("crawl", "--endpoint", replica.url, "--db", db, "--only", "hub,papers", timeout=120)
        assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
        assert second.stdout.startswith("crawl 2026-11-24: hub ") and "deleted" in second.stdout
        proc = subprocess.Popen(
            [HUBSIGHT, "serve", "--db", db, "--endpoint", replica.url, "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "COLUMNS": "200"},
        )
        try:
            line = proc.stderr.readline() if proc.stderr else ""
            url = line.split(" at ", 1)[1].split(" ", 1)[0]
            assert url.startswith("http://127.0.0.1:") and not url.endswith(":0"), line
            deadline = time.monotonic() + 30
            while True:
                try:
                    trending = httpx.get(f"{url}/models/trending", params={"limit": 3})
                    break
                except httpx.TransportError:
                    assert proc.poll() is None and time.monotonic() < deadline
                    time.sleep(0.1)
            page = httpx.get(f"{url}/")
            query = httpx.post(f"{url}/v1/query", json={"code": "r = await hf_models_search(limit=1)\nr['ok']"})
        finally:
            proc.terminate()
            proc.communicate(timeout=30)
    assert trending.status_code == 200 and len(trending.json()) == 3
    assert trending.json()[0]["snapshot_date_to"] == "2026-11-24"
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert query.json()["result"] is True, "scripts ask the replica given by --endpoint"


@pytest.mark.parametrize("command", ["run", "ask", "crawl", "serve", "replica", "demo", "sql", "export", "mcp", "keys create"])
def test_help_reads_naturally(command: str) -> None:
    import re

    result = run(*command.split(), "--help")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "<bool>" not in text, "a flag is just its name"
    assert not re.search(r"\S \.(\s|$)", text), "no stray ' .' where a default was"
    assert "{" not in text.split("\n", 3)[1], "usage names arguments as FILE, not {file}"


def test_run_usage_names_its_argument() -> None:
    result = run("run", "--help")
    assert "Usage: hubsight run [OPTIONS] FILE" in result.stdout
    assert "error: Missing argument 'FILE'" in run("run").stderr
