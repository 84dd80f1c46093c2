"""Replica at scale: start-up time of `hubsight replica --scale large` and the latency of 1000-row pages.

Run:  .venv/bin/python bench/replica_scale.py [--scale large] [--requests 200]

Starts the real CLI in a subprocess, waits for the clock endpoint, then times full 1000-row pages
of /api/models over loopback with one HTTP client (keep-alive), for the query shapes a crawler and
an agent use. Prints each figure next to its target and the ratio target/measured (>1 means met).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time

import httpx

START_TARGET_S = 60.0
PAGE_TARGET_MS = 50.0
CRAWL_EXPAND = ["likes", "downloads", "downloadsAllTime", "createdAt", "lastModified", "pipeline_tag",
                "library_name", "tags", "trendingScore", "gated"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def time_pages(client: httpx.Client, url: str, params: list[tuple[str, str]], n: int) -> tuple[float, list[float]]:
    """Cold time of the first page, then warm times of n pages following the Link cursors."""
    began = time.perf_counter()
    r = client.get(url, params=params)
    r.raise_for_status()
    cold = (time.perf_counter() - began) * 1000
    assert len(r.json()) == 1000
    times = []
    next_url = r.links["next"]["url"]
    for _ in range(n):
        began = time.perf_counter()
        r = client.get(next_url)
        r.raise_for_status()
        rows = r.json()
        times.append((time.perf_counter() - began) * 1000)
        assert len(rows) == 1000
        next_url = r.links["next"]["url"]
    return cold, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="large")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    port = free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "hubsight")
    began = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "replica", "--scale", args.scale, "--port", str(port), "--seed", "0", "--date", "2026-11-23"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=30) as client:
            while True:
                try:
                    clock = client.get(f"{base}/_replica/clock").json()
                    break
                except httpx.TransportError:
                    if proc.poll() is not None or time.perf_counter() - began > 300:
                        raise SystemExit("replica did not start") from None
                    time.sleep(0.05)
            startup = time.perf_counter() - began
            print(f"scale={args.scale} models={clock['counts']['model']:,} datasets={clock['counts']['dataset']:,} "
                  f"spaces={clock['counts']['space']:,}")
            print(f"start-up: {startup:.1f} s (target <= {START_TARGET_S:.0f} s, ratio {START_TARGET_S / startup:.1f}x)")
            shapes = {
                "crawl listing (10 expand fields)": [("expand", e) for e in CRAWL_EXPAND],
                "default listing": [],
                "sorted by likes": [("sort", "likes")],
                "full=true": [("full", "true")],
            }
            for label, params in shapes.items():
                cold, warm = time_pages(client, f"{base}/api/models", params, args.requests)
                p50, p99 = statistics.median(warm), percentile(warm, 99)
                print(f"1000-row page, {label}: first {cold:.1f} ms, then p50 {p50:.1f} ms, p99 {p99:.1f} ms "
                      f"over {len(warm)} pages (target <= {PAGE_TARGET_MS:.0f} ms, p50 ratio {PAGE_TARGET_MS / p50:.1f}x)")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
