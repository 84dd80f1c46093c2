"""How long `hubsight demo` takes, at its default scale, from the command to a dashboard with 30 days.

Run:  .venv/bin/python bench/demo.py [--days 30] [--scale tiny]

Starts `hubsight demo` (replica, crawl of every simulated day into a fresh SQLite file, API and
dashboard) in a subprocess on a free port, polls `/health` until the API answers, then checks what a
user would look at: the dashboard page, the trending models, and one model's history with a row per
crawled day. Prints the seconds to ready against the 2-minute target.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TARGET_SECONDS = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--scale", default="tiny")
    args = parser.parse_args()
    port = free_port()
    db = Path(tempfile.mkdtemp(prefix="hubsight-demo-bench-")) / "demo.db"
    exe = os.path.join(os.path.dirname(sys.executable), "hubsight")
    began = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "demo", "--port", str(port), "--db", str(db), "--days", str(args.days), "--scale", args.scale],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                sys.exit("the demo exited before serving")
            time.sleep(0.2)
        ready = time.perf_counter() - began
        page = httpx.get(f"{base}/", timeout=30)
        top = httpx.get(f"{base}/models/trending", params={"days": 7, "limit": 1}, timeout=30).json()[0]["model_id"]
        history = httpx.get(f"{base}/models/{top}/history", params={"limit": 180}, timeout=30).json()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"hubsight demo --scale {args.scale} --days {args.days}: API and dashboard ready in {ready:.1f} s "
          f"(target <= {TARGET_SECONDS:.0f} s, ratio {TARGET_SECONDS / ready:.1f}x)")
    print(f"dashboard {page.status_code} ({len(page.content):,} bytes); top trending model {top}: "
          f"{len(history)} daily snapshots, {history[-1]['snapshot_date']} to {history[0]['snapshot_date']}")


if __name__ == "__main__":
    main()
