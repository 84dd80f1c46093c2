"""History SQL: five analyst questions through hubsight's SQL door, against DuckDB over a naive Parquet layout.

Run:  .venv/bin/python bench/history_sql.py --workdir /work/bench30 [--runs 20]

The workdir is a store left by bench/crawl.py (history.db and its Parquet lake history.lake). From the
same data the script writes the naive layout: one Parquet file per crawled day, one row per repo with
its string id and metadata (what a daily dump looks like). Each question runs --runs times through
``HistorySQL.run`` (the engine behind `hubsight sql`, POST /v1/sql and hf_history_sql) and as the
equivalent query over the naive files in a plain DuckDB with the same threads and memory; the two
answers are compared, then the p50s and their ratio (naive / ours) are printed. Storage: the store's
bytes per repo-day (SQLite file plus Parquet files) and the naive files'. Targets: each p50 <= 100 ms,
none slower than naive; store <= 20 B/repo-day.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

TARGET_MS = 100.0
BYTES_TARGET = 20.0


def dir_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def p50(fn: Any, runs: int) -> tuple[float, Any]:
    answer = fn()  # warm: the first run reads the current metadata into memory
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), answer


def synthesize(work: Path, scale: str, days: int, seed: int) -> None:
    """Write a lake of ``days`` days straight from a replica world (no HTTP, no database): the same
    files a crawl writes, for the SQL benchmark at a scale the HTTP crawl cannot reach in minutes here."""
    import json
    from datetime import UTC, date, datetime

    import numpy as np
    import pyarrow as pa

    from hubsight.replica import vocab
    from hubsight.replica.world import World
    from hubsight.store import lake

    root = work / "history.lake"
    start = date(2026, 11, 23)
    began = time.perf_counter()
    world = World(seed=seed, scale=scale, start=start)
    print(f"world scale={scale} ready in {time.perf_counter() - began:.1f} s", flush=True)
    first_seen: dict[str, np.ndarray] = {}
    deleted: dict[str, np.ndarray] = {}
    prev_all: dict[str, np.ndarray] = {}
    crawl_days = []
    days_tables: list[tuple[str, Any]] = []
    for n in range(days):
        if n:
            world.advance(1)
        day = start + timedelta(days=n)
        crawl_days.append(day)
        parts = []
        for kind in ("model", "dataset", "space"):
            t = world.repos[kind]
            size = len(t)
            alive = t.alive.copy()
            seen = first_seen.setdefault(kind, np.full(0, -1, dtype=np.int64))
            if len(seen) < size:
                seen = first_seen[kind] = np.concatenate([seen, np.full(size - len(seen), n, dtype=np.int64)])
            gone = deleted.setdefault(kind, np.full(0, -1, dtype=np.int64))
            if len(gone) < size:
                gone = deleted[kind] = np.concatenate([gone, np.full(size - len(gone), -1, dtype=np.int64)])
            gone[(~alive) & (gone < 0)] = n
            rid = np.flatnonzero(alive)
            spaces = kind == "space"
            all_time = t.dl_all[rid].astype(np.int64) if not spaces else np.full(len(rid), -1, dtype=np.int64)
            daily = np.full(len(rid), -1, dtype=np.int64)
            before = prev_all.get(kind)
            if before is not None and not spaces:
                known = rid < len(before)
                daily[known] = all_time[known] - before[rid[known]]
            prev_all[kind] = t.dl_all.astype(np.int64).copy() if not spaces else np.zeros(size, dtype=np.int64)
            parts.append(pa.table({
                "kind": pa.array(np.full(len(rid), kind), type=pa.string()),
                "rid": pa.array(rid.astype(np.int32)),
                "likes": pa.array(t.likes[rid].astype(np.int64)),
                "downloads": lake._nullable(t.dl30[rid].astype(np.int64) if not spaces else np.full(len(rid), -1, dtype=np.int64)),
                "downloads_all_time": lake._nullable(all_time),
                "daily_downloads": lake._nullable(daily),
                "trending_score": lake._nullable(t.trending[rid].astype(np.int64)),
            }, schema=lake.DAYS_SCHEMA))
        table = pa.concat_tables(parts)
        key = day.isoformat()
        lake._write(table, root / "repo_days" / f"date={key}" / "data.parquet")
        lake._write(lake.totals_table(table), root / "hub_days" / f"date={key}" / "data.parquet")
        days_tables.append((key, table))
        print(f"{key}: {table.num_rows:,} repos written ({time.perf_counter() - began:.0f} s)", flush=True)
    pipes, libs = vocab.names(vocab.PIPELINE_TAGS), vocab.names(vocab.LIBRARIES)
    sdks, stages = vocab.names(vocab.SPACE_SDKS), vocab.names(vocab.RUNTIME_STAGES)
    parts = []
    for kind in ("model", "dataset", "space"):
        t = world.repos[kind]
        size = len(t)
        idx = list(range(size))
        owners = [world.owners.names[a] for a in t.author.tolist()]
        model = kind == "model"
        def pick(codes: np.ndarray, names: list[str]) -> list[str | None]:
            return [names[c] if c >= 0 else None for c in codes.tolist()]
        seen_days = [crawl_days[i] for i in first_seen[kind].tolist()]
        gone_days = [crawl_days[i] if i >= 0 else None for i in deleted[kind].tolist()]
        parts.append(pa.table({
            "kind": pa.array([kind] * size, type=pa.string()),
            "rid": pa.array(np.arange(size, dtype=np.int32)),
            "repo_id": pa.array(t.ids, type=pa.string()),
            "author": pa.array(owners, type=pa.string()),
            "created_at": pa.array([datetime.fromtimestamp(int(c), UTC) for c in t.created.tolist()], type=lake.TS),
            "first_seen": pa.array(seen_days, type=pa.date32()),
            "last_seen": pa.array([g or crawl_days[-1] for g in gone_days], type=pa.date32()),
            "deleted_on": pa.array(gone_days, type=pa.date32()),
            "meta_since": pa.array(seen_days, type=pa.date32()),
            "pipeline_tag": pa.array(pick(t.pipeline, pipes) if model else [None] * size, type=pa.string()),
            "library_name": pa.array(pick(t.library, libs) if model else [None] * size, type=pa.string()),
            "tags": pa.array(world.tag_rows(kind, idx), type=pa.list_(pa.string())),
            "gated": pa.array([None] * size, type=pa.string()),
            "sdk": pa.array(pick(t.sdk, sdks) if kind == "space" else [None] * size, type=pa.string()),
            "runtime_stage": pa.array(pick(t.stage, stages) if kind == "space" else [None] * size, type=pa.string()),
            "num_params": pa.array([p if p > 0 else None for p in t.params.tolist()] if model else [None] * size,
                                   type=pa.int64()),
        }, schema=lake.REPOS_SCHEMA))
    current = pa.concat_tables(parts)
    lake._write(current, root / "repos.parquet")
    for key, table in days_tables:
        lake._write(lake.authors_table(table, current), root / "author_days" / f"date={key}" / "data.parquet")
    for name, schema in (("repo_days", lake.DAYS_SCHEMA), ("repo_versions", lake.VERSIONS_SCHEMA),
                         ("arena", lake.ARENA_SCHEMA), ("hub_days", lake.TOTALS_SCHEMA),
                         ("author_days", lake.AUTHORS_SCHEMA)):
        lake._write(schema.empty_table(), root / "_empty" / f"{name}.parquet")
    stamp = datetime.now(UTC)
    lake._write(pa.table({"date": pa.array(crawl_days, type=pa.date32()), "source": pa.array(["hub"] * days),
                          "started_at": pa.array([stamp] * days, type=lake.TS),
                          "finished_at": pa.array([stamp] * days, type=lake.TS)}), root / "crawls.parquet")
    lake._write(pa.table({"kind": pa.array([], pa.string()), "rid": pa.array([], pa.int32()),
                          "old_repo_id": pa.array([], pa.string()), "new_repo_id": pa.array([], pa.string()),
                          "date": pa.array([], pa.date32())}), root / "renames.parquet")
    lake._write(pa.table({"arxiv_id": pa.array([], pa.string()), "title": pa.array([], pa.string()),
                          "summary": pa.array([], pa.string()), "authors": pa.array([], pa.list_(pa.string())),
                          "categories": pa.array([], pa.list_(pa.string())), "primary_category": pa.array([], pa.string()),
                          "published": pa.array([], lake.TS), "updated": pa.array([], lake.TS)}), root / "papers.parquet")
    lake._write(pa.table({"date": pa.array([], pa.date32()), "paper_id": pa.array([], pa.string()),
                          "rank": pa.array([], pa.int32()), "title": pa.array([], pa.string()),
                          "upvotes": pa.array([], pa.int32()), "num_comments": pa.array([], pa.int32())}),
                root / "daily_papers.parquet")
    (root / "_manifest.json").write_text(json.dumps(
        {"layout": lake.LAYOUT, "crawls": {"hub": {d.isoformat(): stamp.isoformat() for d in crawl_days}}}))
    print(f"lake of {days} days written in {time.perf_counter() - began:.0f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--synthesize", action="store_true",
                        help="Write the lake straight from a replica world first (no crawl; storage then covers the Parquet files only).")
    parser.add_argument("--scale", default="large")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--authors-only", action="store_true",
                        help="Only add author_days to an existing synthesized lake (from its repo_days and repos files).")
    args = parser.parse_args()
    if args.authors_only:
        import pyarrow.parquet as pq

        from hubsight.store import lake as lake_files

        root = Path(args.workdir) / "history.lake"
        current = pq.read_table(root / "repos.parquet")
        for part in sorted((root / "repo_days").glob("date=*")):
            day_files = pq.read_table(part / "data.parquet")
            lake_files._write(lake_files.authors_table(day_files, current),
                              root / "author_days" / part.name / "data.parquet")
        lake_files._write(lake_files.AUTHORS_SCHEMA.empty_table(), root / "_empty" / "author_days.parquet")
    if args.synthesize:
        synthesize(Path(args.workdir), args.scale, args.days, args.seed)

    import duckdb

    from hubsight.store.db import make_engine
    from hubsight.store.sql import HistorySQL

    work = Path(args.workdir)
    db_path, lake = work / "history.db", work / "history.lake"
    store = make_engine(f"sqlite:///{db_path}") if db_path.exists() else None
    ours = HistorySQL(lake, timeout=60, memory_mb=4096, max_rows=100_000, engine=store)
    days = [r[0] for r in ours.run("SELECT DISTINCT date FROM crawls WHERE source = 'hub' ORDER BY 1", limit=10_000).rows]
    hi, lo30, lo7 = days[-1], days[0], days[-1] - timedelta(days=7)
    repo_days = ours.run("SELECT count(*) FROM repo_days").rows[0][0]
    model = ours.run("SELECT repo_id FROM repos WHERE kind = 'model' AND deleted_on IS NULL ORDER BY repo_id "
                     "LIMIT 1 OFFSET (SELECT count(*) // 2 FROM repos WHERE kind = 'model')").rows[0][0]
    print(f"store {work}: {len(days)} crawled days {days[0]}..{hi}, {repo_days:,} repo-days; one model: {model}")

    naive_dir = work / "naive-parquet"
    if not (naive_dir / "_done").exists():
        began = time.perf_counter()
        writer = duckdb.connect(config={"threads": 2, "memory_limit": "8GB"})
        rel = {"repo_days": f"{lake}/repo_days/*/*.parquet", "repos": f"{lake}/repos.parquet"}
        for day in days:
            out = naive_dir / f"{day.isoformat()}.parquet"
            out.parent.mkdir(parents=True, exist_ok=True)
            writer.execute(
                f"COPY (SELECT DATE '{day}' AS date, d.kind, r.repo_id, r.author, r.created_at, r.pipeline_tag, "
                "r.library_name, r.tags, r.num_params, d.likes, d.downloads, d.downloads_all_time, d.daily_downloads, "
                f"d.trending_score FROM read_parquet('{lake}/repo_days/date={day}/data.parquet') d "
                f"JOIN read_parquet('{rel['repos']}') r USING (kind, rid)) TO '{out}' (FORMAT parquet, COMPRESSION zstd)"
            )
        (naive_dir / "_done").write_text("")
        print(f"naive layout written in {time.perf_counter() - began:.1f} s")
    naive = duckdb.connect(config={"threads": 2, "memory_limit": "4GB"})
    naive.execute(f"CREATE VIEW naive AS SELECT * FROM read_parquet('{naive_dir}/*.parquet')")

    questions = {
        "(a) top 20 gguf models by likes gained, 30 days": (
            "SELECT d.repo_id, max(d.likes) FILTER (WHERE d.date = ?) - coalesce(max(d.likes) FILTER (WHERE d.date = ?), 0) AS gained "
            "FROM repo_days d WHERE d.kind = 'model' AND d.library_name = 'gguf' "
            "AND d.date IN (?, ?) GROUP BY d.repo_id ORDER BY gained DESC, d.repo_id LIMIT 20",
            "SELECT repo_id, max(likes) FILTER (WHERE date = ?) - coalesce(max(likes) FILTER (WHERE date = ?), 0) AS gained "
            "FROM naive WHERE kind = 'model' AND library_name = 'gguf' AND date IN (?, ?) "
            "GROUP BY repo_id ORDER BY gained DESC, repo_id LIMIT 20",
            [hi, lo30, lo30, hi],
        ),
        "(b) top 20 authors by likes gained, 7 days, all kinds": (
            "SELECT author, sum(CASE WHEN date = ? THEN likes ELSE -likes END) AS gained FROM author_days "
            "WHERE date IN (?, ?) AND author IS NOT NULL GROUP BY author ORDER BY gained DESC, author LIMIT 20",
            "SELECT author, sum(CASE WHEN date = ? THEN likes ELSE -likes END) AS gained FROM naive "
            "WHERE date IN (?, ?) AND author IS NOT NULL GROUP BY author ORDER BY gained DESC, author LIMIT 20",
            [hi, lo7, hi],
        ),
        "(b') the same, summed over repo_days": (
            "SELECT d.author, sum(CASE WHEN d.date = ? THEN d.likes ELSE -d.likes END) AS gained "
            "FROM repo_days d WHERE d.date IN (?, ?) AND d.author IS NOT NULL "
            "GROUP BY d.author ORDER BY gained DESC, d.author LIMIT 20",
            "SELECT author, sum(CASE WHEN date = ? THEN likes ELSE -likes END) AS gained FROM naive "
            "WHERE date IN (?, ?) AND author IS NOT NULL GROUP BY author ORDER BY gained DESC, author LIMIT 20",
            [hi, lo7, hi],
        ),
        "(c) new models per day by pipeline tag, 30 days": (
            "SELECT CAST(created_at AS DATE) AS day, pipeline_tag, count(*) AS n FROM repos "
            "WHERE kind = 'model' AND created_at >= CAST(? AS DATE) GROUP BY ALL ORDER BY day, n DESC, pipeline_tag",
            "SELECT CAST(created_at AS DATE) AS day, pipeline_tag, count(DISTINCT repo_id) AS n FROM naive "
            "WHERE kind = 'model' AND created_at >= CAST(? AS DATE) GROUP BY ALL ORDER BY day, n DESC, pipeline_tag",
            [lo30],
        ),
        "(d) one model's 30 daily rows": (
            "SELECT date, likes, downloads, downloads_all_time, daily_downloads FROM repo_days "
            "WHERE kind = 'model' AND repo_id = ? ORDER BY date",
            "SELECT date, likes, downloads, downloads_all_time, daily_downloads FROM naive "
            "WHERE kind = 'model' AND repo_id = ? ORDER BY date",
            [model],
        ),
        "(e) total daily downloads per day, all models": (
            "SELECT date, daily_downloads FROM hub_days WHERE kind = 'model' ORDER BY date",
            "SELECT date, sum(daily_downloads) AS daily_downloads FROM naive WHERE kind = 'model' GROUP BY date ORDER BY date",
            [],
        ),
        "(e') the same, summed over repo_days": (
            "SELECT date, sum(daily_downloads) AS daily_downloads FROM repo_days WHERE kind = 'model' GROUP BY date ORDER BY date",
            "SELECT date, sum(daily_downloads) AS daily_downloads FROM naive WHERE kind = 'model' GROUP BY date ORDER BY date",
            [],
        ),
    }
    for title, (sql, naive_sql, params) in questions.items():
        ours_ms, ours_answer = p50(lambda sql=sql, params=params: ours.run(sql, params, limit=100_000).rows, args.runs)
        naive_ms, naive_answer = p50(
            lambda sql=naive_sql, params=params: naive.execute(sql, params).fetchall(), args.runs)
        same = "same answer" if [tuple(r) for r in ours_answer] == [tuple(r) for r in naive_answer] else "ANSWERS DIFFER"
        print(f"{title}: hubsight p50 {ours_ms:.1f} ms (target <= {TARGET_MS:g}, ratio {TARGET_MS / ours_ms:.1f}x) | "
              f"naive p50 {naive_ms:.1f} ms = {naive_ms / ours_ms:.2f}x ours | {same} ({len(ours_answer)} rows)",
              flush=True)
    sqlite_bytes = db_path.stat().st_size if db_path.exists() else 0
    total = (sqlite_bytes + dir_bytes(lake)) / repo_days
    print(f"storage: store {total:.2f} B/repo-day (SQLite {sqlite_bytes / repo_days:.2f} + Parquet "
          f"{dir_bytes(lake) / repo_days:.2f}; target <= {BYTES_TARGET:g}) | naive Parquet "
          f"{dir_bytes(naive_dir) / repo_days:.2f} B/repo-day")


if __name__ == "__main__":
    main()
