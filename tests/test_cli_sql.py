"""`hubsight sql` and `hubsight export` as a user runs them: formats, exit codes, files any tool reads."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from tests.api import history_store
from tests.api.history_store import Crawled

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules
HUBSIGHT = str(Path(sys.executable).with_name("hubsight"))


def sql(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HUBSIGHT, "sql", *args], capture_output=True, text=True, timeout=120)


def test_formats_and_exit_codes(crawled: Crawled, tmp_path: Path) -> None:
    query = "SELECT kind, count(*) AS n FROM repo_days WHERE date = (SELECT max(date) FROM repo_days) GROUP BY kind ORDER BY kind"
    want = {k: len(crawled.served[crawled.last][k]) for k in ("dataset", "model", "space")}
    as_csv = sql(query, "--db", crawled.url, "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    assert {r["kind"]: int(r["n"]) for r in csv.DictReader(io.StringIO(as_csv.stdout))} == want
    as_json = sql(query, "--db", crawled.url, "-f", "json")
    assert {json.loads(line)["kind"]: json.loads(line)["n"] for line in as_json.stdout.splitlines()} == want
    table = sql(query, "--db", crawled.url)
    assert table.returncode == 0 and "model" in table.stdout and str(want["model"]) in table.stdout
    out = tmp_path / "r.parquet"
    parquet = sql(query, "--db", crawled.url, "-f", "parquet", "-o", str(out))
    import pyarrow.parquet as pq

    assert parquet.returncode == 0 and dict(zip(*pq.read_table(out).to_pydict().values(), strict=True)) == want
    bad = sql("SELECT nope FROM repos", "--db", crawled.url)
    assert bad.returncode == 1 and "nope" in bad.stderr and "repo_days(date DATE" in bad.stderr
    refused = sql("DELETE FROM repos", "--db", crawled.url)
    assert refused.returncode == 1 and "only read queries" in refused.stderr
    usage = sql("SELECT 1", "--db", crawled.url, "-f", "parquet")
    assert usage.returncode == 2 and "--output" in usage.stderr


def test_export_writes_files_pyarrow_and_duckdb_read_as_they_are(crawled: Crawled, tmp_path: Path) -> None:
    target = tmp_path / "export"
    done = subprocess.run([HUBSIGHT, "export", str(target), "--db", crawled.url], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"exported {len(crawled.days)} crawled days" in done.stdout
    import duckdb
    import pyarrow.dataset as ds

    days = ds.dataset(target / "repo_days", format="parquet", partitioning="hive").to_table()
    assert days.num_rows == sum(len(crawled.served[d][k]) for d in crawled.days for k in ("model", "dataset", "space"))
    row = max(crawled.served[crawled.last]["model"], key=lambda r: r["likes"])
    likes = duckdb.sql(
        f"SELECT d.likes FROM read_parquet('{target}/repo_days/*/*.parquet', hive_partitioning = true) d "
        f"JOIN '{target}/repos.parquet' r USING (kind, rid) WHERE r.repo_id = '{row['id']}' ORDER BY d.date").fetchall()
    assert [v for (v,) in likes] == [crawled.by_id(d, "model")[row["id"]]["likes"] for d in crawled.days]
