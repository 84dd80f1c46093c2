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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import duckdb

    from hubsight.store.db import make_engine
    from hubsight.store.sql import HistorySQL

    work = Path(args.workdir)
    db_path, lake = work / "history.db", work / "history.lake"
    ours = HistorySQL(lake, timeout=60, memory_mb=4096, max_rows=100_000, engine=make_engine(f"sqlite:///{db_path}"))
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
            "FROM repo_days d JOIN repos r USING (kind, repo_id) WHERE d.kind = 'model' AND r.library_name = 'gguf' "
            "AND d.date IN (?, ?) GROUP BY d.repo_id ORDER BY gained DESC, d.repo_id LIMIT 20",
            "SELECT repo_id, max(likes) FILTER (WHERE date = ?) - coalesce(max(likes) FILTER (WHERE date = ?), 0) AS gained "
            "FROM naive WHERE kind = 'model' AND library_name = 'gguf' AND date IN (?, ?) "
            "GROUP BY repo_id ORDER BY gained DESC, repo_id LIMIT 20",
            [hi, lo30, lo30, hi],
        ),
        "(b) top 20 authors by likes gained, 7 days, all kinds": (
            "SELECT r.author, sum(CASE WHEN d.date = ? THEN d.likes ELSE -d.likes END) AS gained "
            "FROM repo_days d JOIN repos r USING (kind, repo_id) WHERE d.date IN (?, ?) AND r.author IS NOT NULL "
            "GROUP BY r.author ORDER BY gained DESC, r.author LIMIT 20",
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
    store = (db_path.stat().st_size + dir_bytes(lake)) / repo_days
    print(f"storage: store {store:.2f} B/repo-day (SQLite {db_path.stat().st_size / repo_days:.2f} + Parquet "
          f"{dir_bytes(lake) / repo_days:.2f}; target <= {BYTES_TARGET:g}) | naive Parquet "
          f"{dir_bytes(naive_dir) / repo_days:.2f} B/repo-day")


if __name__ == "__main__":
    main()
