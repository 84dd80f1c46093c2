"""Crawl ingest rate and storage per repo-day, against the replica at a million models.

Run:  .venv/bin/python bench/crawl.py [--scale large] [--days 30] [--workdir DIR]

Starts `hubsight replica --scale large` in a subprocess, then for each simulated day advances its clock
by one day (except the first) and runs the hub crawl in this process into a SQLite file. Per crawl it
prints the hub ingest rate end to end on loopback (listing every model, dataset and space, validating,
writing repos, blobs and trending, committing, then the day's Parquet files), and the store's bytes per
repo-day: the whole SQLite file plus the Parquet files, and
the snapshots table alone, next to a naive table (one row per repo per day with a primary key index)
filled with the same numbers in another SQLite file. Targets: >= 20,000 repos/s, <= 20 bytes per
repo-day, ours <= 1/4 of naive.
"""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx

RATE_TARGET = 20_000
BYTES_TARGET = 20.0
NAIVE_RATIO_TARGET = 4.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def table_bytes(path: Path, table: str) -> int | None:
    """Bytes of one table and its indexes (SQLite's dbstat), or None when dbstat is not compiled in."""
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name = ? OR name IN "
            "(SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?)",
            (table, table),
        ).fetchone()[0]
    except sqlite3.OperationalError:
        return None
    finally:
        con.close()


def file_bytes(path: Path) -> int:
    """The database file after a checkpoint (the WAL folded in and truncated)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path.stat().st_size


def dir_bytes(root: Path) -> int:
    """Bytes of every file under ``root`` (the Parquet lake)."""
    return sum(p.stat().st_size for p in Path(root).rglob("*") if p.is_file())


def naive_append(naive: sqlite3.Connection, ours_url: str, day: date) -> int:
    """Copy the day's numbers, read back from our blobs, into one row per repo in the naive table."""
    import numpy as np

    from hubsight.store import snapshots as blobs
    from hubsight.store.db import make_engine

    engine = make_engine(ours_url)
    rows = 0
    with engine.connect() as conn:
        for kind in ("model", "dataset", "space"):
            cols = blobs.read_day(conn, kind, day)
            if cols is None:
                continue
            listed = np.flatnonzero(cols["likes"] >= 0)
            data = zip(
                [kind] * len(listed), listed.tolist(), [day.isoformat()] * len(listed),
                cols["likes"][listed].tolist(), cols["downloads"][listed].tolist(),
                cols["downloads_all_time"][listed].tolist(), cols["trending_score"][listed].tolist(),
                strict=True,
            )
            naive.executemany("INSERT INTO naive VALUES (?, ?, ?, ?, ?, ?, ?)", data)
            rows += len(listed)
    naive.commit()
    engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="large")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", default=None, help="Where the SQLite files go (default: a temporary directory).")
    parser.add_argument("--no-naive", action="store_true", help="Skip the naive SQLite table (faster; no naive sizes).")
    args = parser.parse_args()

    from hubsight.crawl import crawl
    from hubsight.settings import get_settings

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="hubsight-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    ours, naive_path = workdir / "history.db", workdir / "naive.db"
    for path in (ours, naive_path, Path(f"{ours}-wal"), Path(f"{ours}-shm")):
        path.unlink(missing_ok=True)
    naive = sqlite3.connect(naive_path)
    naive.execute("PRAGMA journal_mode=WAL")
    naive.execute("PRAGMA synchronous=NORMAL")
    naive.execute(
        "CREATE TABLE naive (kind TEXT NOT NULL, repo_id INTEGER NOT NULL, date TEXT NOT NULL, likes INTEGER, "
        "downloads INTEGER, downloads_all_time INTEGER, trending_score INTEGER, PRIMARY KEY (kind, repo_id, date))"
    )

    port = free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "hubsight")
    began = time.perf_counter()
    proc = subprocess.Popen(
        [exe, "replica", "--scale", args.scale, "--port", str(port), "--seed", str(args.seed), "--date", "2026-11-23"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=600) as client:
            while True:
                try:
                    clock = client.get(f"{base}/_replica/clock").json()
                    break
                except httpx.TransportError:
                    if proc.poll() is not None:
                        sys.exit("the replica exited")
                    time.sleep(0.5)
            print(f"replica scale={args.scale} {clock['counts']} ready in {time.perf_counter() - began:.1f} s; store in {workdir}")
            settings = get_settings(hf_endpoint=base, db=f"sqlite:///{ours}", hf_token="")
            repo_days = 0
            rates = []
            for step in range(args.days):
                if step:
                    client.post(f"{base}/_replica/clock/advance", params={"days": 1}).raise_for_status()
                summary = crawl(settings=settings, only=["hub"])
                (result,) = summary.results
                if result.status != "done":
                    sys.exit(f"crawl failed: {result.error}")
                stats = result.stats
                listed = sum(stats[k]["listed"] for k in ("model", "dataset", "space"))
                models = stats["model"]["listed"]
                seconds = result.seconds + summary.lake_seconds  # the Parquet files are part of the crawl
                repo_rate = listed / seconds
                model_rate = models / result.timings["list_model"]  # the models' own listing, validation and reduction
                rates.append(repo_rate)
                if args.no_naive:
                    repo_days += listed
                else:
                    repo_days += naive_append(naive, settings.db, summary.day)
                    naive.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                lake = dir_bytes(settings.lake_dir)
                whole, naive_whole = file_bytes(ours) + lake, naive_path.stat().st_size
                snap, naive_table = table_bytes(ours, "snapshots"), table_bytes(naive_path, "naive") if not args.no_naive else None
                snap_text = f"{snap / repo_days:.2f}" if snap is not None else "n/a"
                naive_text = "" if args.no_naive else (
                    f" | naive {naive_whole / repo_days:.2f} B/repo-day (table {naive_table / repo_days if naive_table else float('nan'):.2f})"
                    f" = {naive_whole / whole:.1f}x ours (target >= {NAIVE_RATIO_TARGET:g}x)")
                print(
                    f"{summary.day}: {listed:,} repos ({models:,} models) in {seconds:.1f} s "
                    f"(write {result.timings['write']:.1f} s, Parquet {summary.lake_seconds:.1f} s) = {repo_rate:,.0f} repos/s end to end "
                    f"(target >= {RATE_TARGET:,}, ratio {repo_rate / RATE_TARGET:.2f}x); models listed at {model_rate:,.0f}/s | store {whole / repo_days:.2f} B/repo-day "
                    f"(snapshots {snap_text}, Parquet files {lake / repo_days:.2f}; target <= {BYTES_TARGET:g}){naive_text}",
                    flush=True,
                )
            steady = rates[1:] or rates
            print(
                f"summary: {args.days} days, {repo_days:,} repo-days; hub ingest {min(steady):,.0f}-{max(steady):,.0f} repos/s "
                f"after the first day (first day {rates[0]:,.0f}, a bulk load); store {(file_bytes(ours) + dir_bytes(settings.lake_dir)) / repo_days:.2f} B/repo-day"
                f" (SQLite and Parquet files)"
                + ("" if args.no_naive else f", naive {naive_path.stat().st_size / repo_days:.2f} B/repo-day")
            )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        naive.close()


if __name__ == "__main__":
    main()
