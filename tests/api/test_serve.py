"""`hubsight serve` as a user meets it: a real subprocess serving the API, and a busy port as a usage error."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

HUBSIGHT = str(Path(sys.executable).with_name("hubsight"))


def test_serve_answers_until_stopped(replica) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "HF_ENDPOINT": replica.url, "HF_TOKEN": "", "NO_COLOR": "1"}
    proc = subprocess.Popen([HUBSIGHT, "serve", "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health")
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[1]
                time.sleep(0.05)
        assert health.json() == {"status": "ok"}
        code = 'resp = await hf_models_search(limit=2)\nresult = [r["repo_id"] for r in resp["items"]]\nresult'
        envelope = httpx.post(f"http://127.0.0.1:{port}/v1/query", json={"code": code}, timeout=30).json()
        assert envelope["ok"] and len(envelope["result"]) == 2
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert f"hubsight API ready at http://127.0.0.1:{port}" in err and "/docs" in err


def test_busy_port_is_a_usage_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = subprocess.run([HUBSIGHT, "serve", "--port", str(port)], capture_output=True, text=True, timeout=60,
                                env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert f"port {port} on 127.0.0.1 is busy: pass --port with a free port" in lines[0]


def test_serve_with_a_malformed_or_unreachable_db_fails_at_start_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "HF_TOKEN": "", "NO_COLOR": "1"}
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"these bytes are not a SQLite database\n" * 200)
    other = tmp_path / "app.db"  # another application's database
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE users (id INTEGER PRIMARY KEY)")
    for db in ("not-a-url", "postgresql+psycopg://nobody@127.0.0.1:1/none", "sqlite:////proc/no-such-dir/h.db",
               f"sqlite:///{junk}", f"sqlite:///{other}"):
        done = subprocess.run([HUBSIGHT, "serve", "--port", "0", "--db", db], env=env, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 2, (db, done.stderr)
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "--db" in lines[0], (db, done.stderr)
        assert "ready" not in done.stderr and "Traceback" not in done.stderr
