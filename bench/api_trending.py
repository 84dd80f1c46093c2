"""/models/trending latency under 32 concurrent clients, next to datasette serving the same SQL, in one run.

Run:  .venv/bin/python bench/api_trending.py --db /path/to/history.db      # e.g. bench/crawl.py's 30-day store
      .venv/bin/python bench/api_trending.py --scale small --days 3         # crawls a replica first

Needs the ``bench`` extra (``pip install -e ".[bench]"``: datasette). Without ``--db`` it starts
``hubsight replica --scale SCALE`` and crawls the hub for ``--days`` days into a temporary SQLite file.
Then it serves that file twice, each under uvicorn in its own process: ``hubsight.api`` (``GET
/models/trending``) and datasette with a canned query holding the same SQL the API runs (the
``trending`` table's primary-key range: kind, metric, days, tag, rank). Both get the same request mix
(the overall ranking and a few pipeline tags, limit 20), checked to answer the same rows, then
``--requests`` requests each from ``--clients`` concurrent keep-alive connections, one server at a
time. The load generator is a small asyncio HTTP/1.1 client (no per-request client overhead worth
measuring). A third run sends every request to a new URL (an ignored ``_r`` parameter), so hubsight's
response cache cannot replay it and each request goes through routing, validation and the answer
cache. A fourth run does the same against a third server started with ``HUBSIGHT_API_CACHE_ENTRIES=0``:
no cache at all, every request reads SQLite, as datasette does. Prints p50/p99/throughput, the ratios,
and the targets (p50 <= 10 ms, p99 <= 50 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

P50_TARGET_MS = 10.0
P99_TARGET_MS = 50.0
THROUGHPUT_GOAL = 2.0
"""Issue 11: with no cache at all, at least this many times datasette's requests per second on the same file."""
LIMIT = 20
NO_CACHE = "hubsight, no cache at all (API_CACHE_ENTRIES=0)"
TRENDING_SQL = (  # the API's read: a ranking page joined to the repos' current ids (dates are day numbers on SQLite)
    "select r.repo_id as model_id, r.pipeline_tag, t.value_latest as likes_latest, t.delta as likes_delta, "
    "date(t.date_from * 86400, 'unixepoch') as snapshot_date_from, date(t.date_to * 86400, 'unixepoch') as snapshot_date_to "
    "from trending t join repos r on r.kind = t.kind and r.rid = t.rid "
    "where t.kind = 'model' and t.metric = 'likes' and t.days = :days and t.tag = :tag and t.rank > 0 "
    "order by t.rank limit :limit"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def wait_up(url: str, proc: subprocess.Popen, what: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=5).status_code < 500:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"{what} did not start")
        time.sleep(0.2)


def crawl_replica(scale: str, days: int, seed: int, path: Path) -> None:
    from hubsight.crawl import crawl
    from hubsight.settings import get_settings

    port = free_port()
    exe = os.path.join(os.path.dirname(sys.executable), "hubsight")
    proc = subprocess.Popen(
        [exe, "replica", "--scale", scale, "--port", str(port), "--seed", str(seed), "--date", "2026-11-23"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(f"{base}/_replica/clock", proc, "the replica")
        settings = get_settings(hf_endpoint=base, db=f"sqlite:///{path}", hf_token="")
        for step in range(days):
            if step:
                httpx.post(f"{base}/_replica/clock/advance", params={"days": 1}, timeout=600).raise_for_status()
            began = time.perf_counter()
            summary = crawl(settings=settings, only=["hub"])
            if not summary.ok:
                sys.exit(summary.line())
            print(f"crawled {summary.day} in {time.perf_counter() - began:.1f} s", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def request_mix(path: Path) -> tuple[int, list[str]]:
    """(days, tags): the longest stored window up to 7 days, the overall ranking and the 4 largest tags."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        days = db.execute(
            "select max(days) from trending where kind = 'model' and metric = 'likes' and tag = '' and rank = 1 and days <= 7"
        ).fetchone()[0]
        if days is None:
            sys.exit("the store has no trending window yet: crawl at least two days")
        tags = [t for (t,) in db.execute(
            "select tag from trending where kind = 'model' and metric = 'likes' and days = ? and tag != '' and rank = 1 "
            "order by value_latest desc limit 4", (days,))]
    finally:
        db.close()
    return days, ["", *tags]


class Client:
    """One keep-alive HTTP/1.1 connection that times each GET from the first byte sent to the last received."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def get(self, target: str) -> tuple[float, int, bytes]:
        began = time.perf_counter()
        self.writer.write(f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\nAccept: application/json\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        lower = head.lower()
        if b"transfer-encoding: chunked" in lower:  # datasette streams its JSON
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip().split(b";")[0], 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(p[:-2] for p in parts)
        else:
            length = next(int(line[15:]) for line in lower.split(b"\r\n") if line.startswith(b"content-length:"))
            body = await self.reader.readexactly(length)
        return (time.perf_counter() - began) * 1000, status, body

    def close(self) -> None:
        self.writer.close()


async def drive(port: int, targets: list[str], requests: int, clients: int, unique: bool = False) -> tuple[list[float], float]:
    """Latencies and throughput of ``requests`` GETs cycling through ``targets``; ``unique`` makes every URL
    new (an ignored ``_r`` parameter), so no response cache can replay it."""
    conns = [Client("127.0.0.1", port) for _ in range(clients)]
    await asyncio.gather(*(c.open() for c in conns))
    for c in conns:  # warm every connection and every query once
        for target in targets:
            _, status, body = await c.get(target)
            if status != 200:
                raise RuntimeError(f"{target}: {status} {body[:200]!r}")
    latencies: list[float] = []
    left = requests

    async def worker(c: Client, k: int) -> None:
        nonlocal left
        i = k
        while left > 0:
            left -= 1
            target = targets[i % len(targets)] + (f"&_r={i}" if unique else "")
            ms, status, body = await c.get(target)
            if status != 200:
                raise RuntimeError(f"{status} {body[:200]!r}")
            latencies.append(ms)
            i += clients  # worker k sends k, k + clients, ...: no two requests share an _r

    began = time.perf_counter()
    await asyncio.gather(*(worker(c, k) for k, c in enumerate(conns)))
    elapsed = time.perf_counter() - began
    for c in conns:
        c.close()
    return latencies, len(latencies) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="An existing SQLite history store (e.g. from bench/crawl.py --workdir).")
    parser.add_argument("--scale", default="large", help="Replica scale to crawl when --db is not given.")
    parser.add_argument("--days", type=int, default=3, help="Days to crawl when --db is not given (at least 2).")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--requests", type=int, default=20_000, help="Timed requests per server.")
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    try:
        import datasette  # noqa: F401
    except ImportError:
        sys.exit('datasette is missing: pip install -e ".[bench]"')

    workdir = Path(tempfile.mkdtemp(prefix="hubsight-api-bench-"))
    if args.db:
        path = Path(args.db).expanduser().resolve()
    else:
        path = workdir / "history.db"
        crawl_replica(args.scale, max(2, args.days), args.seed, path)
    # a read-only server needs no WAL file of its own: make sure the last crawl's WAL is in the main file
    sqlite3.connect(path).execute("PRAGMA wal_checkpoint(TRUNCATE)").connection.close()
    days, tags = request_mix(path)
    ours_targets = [f"/models/trending?{urlencode({'days': days, 'limit': LIMIT, **({'pipeline_tag': t} if t else {})})}"
                    for t in tags]
    name = path.stem
    theirs_targets = [f"/{name}/trending.json?{urlencode({'days': days, 'tag': t, 'limit': LIMIT, '_shape': 'array'})}"
                      for t in tags]
    metadata = workdir / "metadata.json"
    metadata.write_text(json.dumps({"databases": {name: {"queries": {"trending": {"sql": TRENDING_SQL}}}}}))

    bin_dir = os.path.dirname(sys.executable)
    ours_port, bare_port, theirs_port = free_port(), free_port(), free_port()
    env = {**os.environ, "HUBSIGHT_DB": f"sqlite:///{path}"}

    def hubsight(port: int, **extra: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "hubsight.api.app:create_app", "--factory", "--port", str(port),
             "--log-level", "warning", "--no-access-log"], env=env | extra,
        )

    ours = hubsight(ours_port)
    bare = hubsight(bare_port, HUBSIGHT_API_CACHE_ENTRIES="0")
    theirs = subprocess.Popen(
        [os.path.join(bin_dir, "datasette"), "serve", str(path), "--port", str(theirs_port), "--metadata", str(metadata),
         "--setting", "sql_time_limit_ms", "5000"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_up(f"http://127.0.0.1:{ours_port}/health", ours, "hubsight")
        wait_up(f"http://127.0.0.1:{bare_port}/health", bare, "hubsight without caches")
        wait_up(f"http://127.0.0.1:{theirs_port}/-/versions.json", theirs, "datasette")
        for a, b in zip(ours_targets, theirs_targets, strict=True):  # the same rows, or the comparison means nothing
            mine = httpx.get(f"http://127.0.0.1:{ours_port}{a}", timeout=30).json()
            other = httpx.get(f"http://127.0.0.1:{theirs_port}{b}", timeout=30).json()
            if [r["model_id"] for r in mine] != [r["model_id"] for r in other] or not mine:
                sys.exit(f"the two servers disagree on {a}")
        results = {}
        runs = (("hubsight", ours_port, ours_targets, False), ("datasette", theirs_port, theirs_targets, False),
                ("hubsight, every URL new (no response cache)", ours_port, ours_targets, True),
                (NO_CACHE, bare_port, ours_targets, True))
        for label, port, targets, unique in runs:
            latencies, rate = asyncio.run(drive(port, targets, args.requests, args.clients, unique))
            results[label] = (percentile(latencies, 50), percentile(latencies, 99), rate)
    finally:
        for proc in (ours, bare, theirs):
            proc.terminate()
            proc.wait(timeout=30)

    size = path.stat().st_size / 1e6
    print(f"/models/trending, days={days}, limit={LIMIT}, {len(tags)} queries (overall + {len(tags) - 1} tags), "
          f"{args.requests:,} requests per server from {args.clients} concurrent clients; store {path} ({size:,.0f} MB)")
    for label, (p50, p99, rate) in results.items():
        print(f"  {label:<44}  p50 {p50:7.2f} ms   p99 {p99:7.2f} ms   {rate:8,.0f} req/s")
    (o50, o99, orate), (d50, d99, drate) = results["hubsight"], results["datasette"]
    (u50, u99, urate) = results["hubsight, every URL new (no response cache)"]
    print(f"  datasette / hubsight: p50 {d50 / o50:.1f}x  p99 {d99 / o99:.1f}x  throughput {orate / drate:.1f}x")
    print(f"  datasette / hubsight without its response cache: p50 {d50 / u50:.1f}x  p99 {d99 / u99:.1f}x  "
          f"throughput {urate / drate:.1f}x")
    (n50, n99, nrate) = results[NO_CACHE]
    print(f"  datasette / hubsight with no cache at all: p50 {d50 / n50:.1f}x  p99 {d99 / n99:.1f}x  "
          f"throughput {nrate / drate:.1f}x")
    print(f"  goal, hubsight with no cache at all: throughput >= {THROUGHPUT_GOAL:g}x datasette's: "
          f"{nrate / drate:.2f}x, {'met' if nrate >= THROUGHPUT_GOAL * drate else 'MISSED'}")
    for label, (p50, p99) in (("hubsight", (o50, o99)), (NO_CACHE, (n50, n99))):
        ok = p50 <= P50_TARGET_MS and p99 <= P99_TARGET_MS
        print(f"  targets, {label}: p50 <= {P50_TARGET_MS:g} ms (ratio {P50_TARGET_MS / p50:.1f}x), p99 <= "
              f"{P99_TARGET_MS:g} ms (ratio {P99_TARGET_MS / p99:.1f}x): {'met' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
