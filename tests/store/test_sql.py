"""The history's SQL engine: the views answer what the replica served, on SQLite and PostgreSQL stores
alike, and hostile SQL gets a clear error in bounded time without touching anything but the history."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

from hubsight.settings import get_settings
from hubsight.store import views
from hubsight.store.sql import HistorySQL, SqlError, for_settings
from tests.api import history_store
from tests.api.history_store import KINDS, Crawled

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules


def engine_for(c: Crawled, **overrides: Any) -> HistorySQL:
    return for_settings(get_settings(db=c.url, **overrides))


def test_every_view_has_its_declared_columns(crawled: Crawled) -> None:
    engine = engine_for(crawled)
    for view in views.VIEWS:
        result = engine.run(f"SELECT * FROM {view.name} LIMIT 1")
        assert result.columns == [(c.name, c.type.replace("TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE")) for c in view.columns]


def test_repo_days_are_the_days_the_replica_served(crawled: Crawled) -> None:
    engine = engine_for(crawled)
    for kind in KINDS:
        result = engine.run("SELECT date, repo_id, likes, downloads, downloads_all_time, daily_downloads FROM repo_days "
                            "WHERE kind = ? ORDER BY date, repo_id", [kind], limit=100_000)
        got = {(r[0], r[1]): r[2:] for r in result.rows}
        want = {}
        for day in crawled.days:
            before = crawled.by_oid(day - __import__("datetime").timedelta(days=1), kind) if day != crawled.days[0] else {}
            for row in crawled.served[day][kind]:
                current = crawled.by_oid(crawled.last, kind).get(row["_id"], row)["id"]
                prior = before.get(row["_id"])
                daily = row["downloadsAllTime"] - prior["downloadsAllTime"] if prior and kind != "space" else None
                want[(day, current)] = (row["likes"], row.get("downloads"), row.get("downloadsAllTime"), daily)
        # a deleted repo keeps the id it last had; renames show under the current id
        assert {k: v for k, v in got.items() if k in want} == want
        assert len(got) == sum(len(crawled.served[d][kind]) for d in crawled.days)


def test_repos_and_versions_hold_each_days_metadata(crawled: Crawled) -> None:
    engine = engine_for(crawled)
    spaces = crawled.by_oid(crawled.last, "space")
    rows = engine.run("SELECT repo_id, runtime_stage, sdk FROM repos WHERE kind = 'space' AND deleted_on IS NULL",
                      limit=100_000).rows
    assert {r[0]: (r[1], r[2]) for r in rows} == {
        s["id"]: ((s.get("runtime") or {}).get("stage"), s.get("sdk")) for s in spaces.values()}
    for day in crawled.days:
        stages = engine.run(
            "SELECT repo_id, runtime_stage FROM repo_versions WHERE kind = 'space' AND valid_from <= ? "
            "AND (valid_to IS NULL OR ? < valid_to)", [day, day], limit=100_000).rows
        listed = crawled.by_oid(day, "space")
        want = {spaces.get(oid, row)["id"]: (row.get("runtime") or {}).get("stage") for oid, row in listed.items()}
        assert {k: v for k, v in stages if k in want} == want, f"runtime stages as listed on {day}"


def test_a_window_function_question_across_days(crawled: Crawled) -> None:
    got = engine_for(crawled).run(
        "SELECT kind, count(*) FROM repos WHERE deleted_on IS NOT NULL GROUP BY kind ORDER BY kind").rows
    first = {k: set(crawled.by_oid(crawled.days[0], k)) for k in KINDS}
    gone = {k: sum(1 for oid in first[k] if oid not in crawled.by_oid(crawled.last, k)) for k in KINDS}
    assert {k: n for k, n in got} == {k: n for k, n in gone.items() if n}


HOSTILE = [
    ("SELECT * FROM read_csv('/etc/passwd')", "SqlRefused", "/etc/passwd"),
    ("SELECT * FROM read_text('/etc/hostname')", "SqlRefused", "disabled"),
    ("SELECT * FROM glob('/*')", "SqlRefused", "disabled"),
    ("COPY (SELECT * FROM repos) TO '/tmp/hubsight-leak.csv'", "SqlRefused", "COPY"),
    ("COPY (SELECT * FROM repos) TO '{lake}/leak.parquet'", "SqlRefused", "COPY"),
    ("ATTACH '/tmp/x.db' AS x", "SqlRefused", "ATTACH"),
    ("INSTALL httpfs", "SqlRefused", "only read queries"),
    ("LOAD httpfs", "SqlRefused", "only read queries"),
    ("SET memory_limit = '100GB'", "SqlRefused", "only read queries"),
    ("PRAGMA database_list", "SqlRefused", "only read queries"),
    ("CREATE TABLE t AS SELECT 1", "SqlRefused", "only read queries"),
    ("INSERT INTO repos SELECT * FROM repos", "SqlRefused", "only read queries"),
    ("SELECT 1; DROP VIEW repos", "SqlError", "one statement per query"),
    ("SELECT * FROM read_parquet('https://example.com/x.parquet')", "SqlRefused", "disabled"),
    ("SELECT count(*) FROM repo_days a, repo_days b, repo_days c", "SqlTimeout", "longer than"),
    ("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t", "SqlTimeout|SqlTooBig", ""),
    ("SELECT * FROM query('COPY (SELECT 1) TO ''{lake}/leak.csv''')", "SqlError", "single SELECT"),
    ("SELECT * FROM query('ATTACH ''/tmp/x.db''')", "SqlError", "single SELECT"),
    ("CALL pragma_version()", "SqlRefused", "only read queries"),
    ("SELECT nope FROM repo_days", "SqlError", "nope"),
    ("SELEC 1", "SqlError", "does not parse"),
    # DuckDB suggested the private relation _totals, which the contract does not hold
    ("SELECT * FROM models", "SqlError", "no view models: the views are repo_days, hub_days"),
]


@pytest.mark.parametrize(("sql", "kind", "message"), HOSTILE, ids=[h[0][:40] for h in HOSTILE])
def test_hostile_sql_gets_a_clear_error_in_bounded_time(crawled: Crawled, sql: str, kind: str, message: str) -> None:
    engine = engine_for(crawled, sql_timeout=2.0, sql_memory_mb=256)
    sql = sql.replace("{lake}", str(engine.root))
    before = sorted(p.name for p in engine.root.rglob("*"))
    began = time.monotonic()
    with pytest.raises(SqlError) as caught:
        engine.run(sql)
    assert time.monotonic() - began < 60, "bounded"
    assert caught.value.kind in kind.split("|") and message in str(caught.value), str(caught.value)
    assert '"_' not in str(caught.value), "no private relation is suggested"
    assert "repo_days(date DATE" in caught.value.hint, "the error lists the views for the caller to fix its query"
    assert sorted(p.name for p in engine.root.rglob("*")) == before, "nothing was written"
    assert not Path("/tmp/hubsight-leak.csv").exists()
    assert engine.run("SELECT count(*) FROM repos").rows[0][0] > 0, "the engine still answers"


def test_rows_are_capped_and_say_so(crawled: Crawled) -> None:
    engine = engine_for(crawled, sql_max_rows=50)
    result = engine.run("SELECT repo_id FROM repos", limit=10_000)
    assert len(result.rows) == 50 and result.truncated and result.meta["limit"] == 50
    assert result.meta["hard_cap_applied"] is True, "a limit cut to the server's cap says so"
    exact = engine.run("SELECT repo_id FROM repos ORDER BY repo_id LIMIT 7", limit=7)
    assert len(exact.rows) == 7 and not exact.truncated and exact.meta["hard_cap_applied"] is False


def test_a_new_crawl_is_visible_without_a_restart(tmp_path: Path) -> None:
    from hubsight.crawl import crawl
    from hubsight.replica import ReplicaServer

    db = f"sqlite:///{tmp_path / 'h.db'}"
    with ReplicaServer(scale="tiny", seed=3) as replica:
        settings = history_store.settings_for(replica.url, db)
        assert crawl(settings=settings, only=["hub"]).ok
        engine = for_settings(get_settings(db=db))
        assert engine.run("SELECT count(DISTINCT date) FROM repo_days").rows == [(1,)]
        replica.world.advance(1)
        assert crawl(settings=settings, only=["hub"]).ok
        assert engine.run("SELECT count(DISTINCT date) FROM repo_days").rows == [(2,)]
    assert (tmp_path / "h.lake" / "repo_days").is_dir(), "the lake lives beside a SQLite store"


def test_a_store_without_parquet_files_gets_them_on_first_query(crawled: Crawled, tmp_path: Path) -> None:
    """A store crawled before the lake existed (or whose lake was removed) is readable at once."""
    engine = engine_for(crawled, lake=str(tmp_path / "fresh-lake"))
    assert engine.run("SELECT count(DISTINCT date) FROM repo_days").rows == [(len(crawled.days),)]
    assert os.path.exists(tmp_path / "fresh-lake" / "_manifest.json")


def test_a_lake_of_an_older_layout_is_rewritten(crawled: Crawled, tmp_path: Path) -> None:
    import json
    import shutil

    lake_dir = tmp_path / "old"
    engine = engine_for(crawled, lake=str(lake_dir))
    before = engine.run("SELECT count(*) FROM author_days").rows
    shutil.rmtree(lake_dir / "author_days")
    (lake_dir / "_empty" / "author_days.parquet").unlink()
    manifest = json.loads((lake_dir / "_manifest.json").read_text())
    (lake_dir / "_manifest.json").write_text(json.dumps(manifest | {"layout": 1}))
    fresh = engine_for(crawled, lake=str(lake_dir), sql_timeout=9.0)  # another engine: a restarted process
    assert fresh.run("SELECT count(*) FROM author_days").rows == before


def test_a_missing_store_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(SqlError, match="run `hubsight crawl` first") as caught:
        for_settings(get_settings(db=f"sqlite:///{tmp_path / 'none.db'}")).run("SELECT 1")
    assert caught.value.kind == "NoHistory" and not (tmp_path / "none.db").exists()


def readme_queries() -> list[str]:
    import shlex

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = readme.split("<!-- readme-example: history-sql -->", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line)[-1] for line in block.splitlines() if line.startswith(".venv/bin/hubsight sql")]


def test_the_readmes_sql_questions_run(crawled: Crawled) -> None:
    queries = readme_queries()
    assert len(queries) == 3
    engine = engine_for(crawled)
    for sql in queries:
        assert engine.run(sql).rows, sql
