"""The insights read path on rows inserted by hand, on SQLite and PostgreSQL: keyset pages, windows, renames,
history blobs; and on SQLite's own query planner: every per-request read is an index search, never a scan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Connection, Select, event
from sqlalchemy.dialects import postgresql

from hubsight.store import codec
from hubsight.store import queries as q
from hubsight.store.db import insert_rows, make_engine, upgrade
from hubsight.store.schema import (
    CHUNK,
    arena_rankings,
    crawl_runs,
    paper_categories,
    papers,
    renames,
    repos,
    snapshots,
    trending,
)

D0 = date(2026, 11, 20)
T0 = datetime(2026, 11, 20, 12, tzinfo=UTC)

BUILDERS: dict[str, Select] = {
    "latest crawl": q.latest_crawl_query("hub"),
    "oldest snapshot": q.oldest_snapshot_query("model"),
    "trending page": q.trending_page_query("model", "likes", 7, None, 21, after_rank=40),
    "trending page by tag": q.trending_page_query("model", "downloads", 7, "text-generation", 21),
    "new repos": q.new_repos_query("model", T0, None, 21, after=(T0, 5)),
    "new repos by tag": q.new_repos_query("model", T0, "text-generation", 21),
    "repo by id": q.repo_query("model", "a/b"),
    "history blobs": q.history_blobs_query("model", 5000, D0, None, D0 + timedelta(days=9), 31),
    "recent papers": q.recent_papers_query(None, T0, 21, after=(T0, "2611.00001")),
    "recent papers by category": q.recent_papers_query("cs.CV", T0, 21, after=(T0, "2611.00001")),
    "arena latest": q.arena_latest_query("text", "overall", D0),
    "arena page": q.arena_page_query("text", "overall", D0, 51, after=(3, 1250.5, "gpt")),
}


KEYSET = {"new repos": "created_at", "recent papers": "published", "recent papers by category": "published",
          "history blobs": "date"}
"""Builders given a cursor above, and the index column their cursor must bound."""


@pytest.mark.parametrize("name", BUILDERS)
def test_builders_page_by_keyset_never_offset(name: str) -> None:
    # (SQLite's compiler writes "LIMIT ? OFFSET ?" with an offset of 0 for any limit; PostgreSQL's shows the truth)
    assert " OFFSET " not in str(BUILDERS[name].compile(dialect=postgresql.dialect())).upper()


def _plans(conn: Connection, stmt: Select) -> list[str]:
    """SQLite's plan for ``stmt`` with the parameters SQLAlchemy really sends."""
    sent: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        sent.append((statement, parameters))

    event.listen(conn, "before_cursor_execute", grab)
    try:
        conn.execute(stmt).all()
    finally:
        event.remove(conn, "before_cursor_execute", grab)
    statement, parameters = next((s, p) for s, p in sent if not s.startswith("BEGIN"))
    return [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]


@pytest.mark.parametrize("name", BUILDERS)
def test_every_read_is_an_index_search(tmp_path: Any, name: str) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    upgrade(engine)
    with engine.connect() as conn:
        plan = _plans(conn, BUILDERS[name])
    engine.dispose()
    steps = [p for p in plan if p.startswith(("SCAN", "SEARCH"))]
    assert steps and all(p.startswith("SEARCH") for p in steps), plan
    assert "MULTI-INDEX OR" not in plan, plan
    if name != "repo by id":  # (that one sorts the one or two rows sharing an id)
        # rows come in index order; at most ties of the first sort key are ordered on the fly
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan
    if name in KEYSET:
        column = KEYSET[name]
        assert (f"{column}>?" in steps[0] and f"{column}<?" in steps[0]) or f"{column}>? AND {column}<?" in steps[0], (
            f"a next page starts at its cursor inside the index range: {plan}"
        )


def test_rename_lookup_runs_only_after_a_miss(tmp_path: Any) -> None:
    """renames has no index on old_id: resolve_repo asks it only when the id matches no repo."""
    engine = make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    upgrade(engine)
    with engine.connect() as conn:
        plan = _plans(conn, q.rename_query("model", "a/b"))
    engine.dispose()
    assert any("repos" in p and p.startswith("SEARCH") for p in plan), plan


def test_windows_and_midnights() -> None:
    assert q.window_days(7, D0, D0 - timedelta(days=3)) == 3, "a young store answers with its longest window"
    assert q.window_days(7, D0, D0 - timedelta(days=30)) == 7
    assert q.window_days(7, D0, D0) == 0 and q.window_days(7, D0, None) == 0
    assert q.since_midnight(D0, 1) == datetime(2026, 11, 19, tzinfo=UTC)
    assert q.utc(datetime(2026, 1, 1, 5)) == datetime(2026, 1, 1, 5, tzinfo=UTC)


def _repo(kind: str, rid: int, repo_id: str, created: datetime | None, **extra: Any) -> dict[str, Any]:
    return {
        "kind": kind, "rid": rid, "hub_oid": f"{kind[0]}{rid:023d}", "repo_id": repo_id, "author": repo_id.split("/")[0],
        "created_at": created, "pipeline_tag": extra.get("pipeline_tag"), "tags": extra.get("tags", []),
        "first_seen": extra.get("first_seen", D0), "last_seen": extra.get("last_seen", D0),
        "deleted_on": extra.get("deleted_on"), "meta_hash": 0,
    }


def test_trending_pages_continue_after_the_last_rank(conn: Connection) -> None:
    conn.execute(repos.insert(), [_repo("model", rid, f"o/m{rid}", T0, pipeline_tag="text-generation") for rid in range(1, 11)])
    rows = [
        ("model", "likes", days, tag, rank, rank, 100 - rank, 50 - rank, None, D0 - timedelta(days=days), D0)
        for days in (1, 2) for tag in ("", "text-generation") for rank in range(1, 11)
    ]
    insert_rows(conn, trending, ["kind", "metric", "days", "tag", "rank", "rid", "value_latest", "delta", "growth",
                                 "date_from", "date_to"], rows)
    conn.execute(crawl_runs.insert().values(date=D0, source="hub", status="done"))
    for day in (D0 - timedelta(days=2), D0 - timedelta(days=1), D0):
        conn.execute(snapshots.insert().values(kind="model", chunk=0, date=day, payload=b"x"))
    page = q.read_trending(conn, "model", "likes", 90, None, 4, after_rank=3)
    assert [r["rank"] for r in page] == [4, 5, 6, 7] and page[0]["date_from"] == D0 - timedelta(days=2)
    assert [r["repo_id"] for r in page] == ["o/m4", "o/m5", "o/m6", "o/m7"], "ids are read from repos"
    tagged = q.read_trending(conn, "model", "likes", 1, "text-generation", 100)
    assert len(tagged) == 10 and {r["pipeline_tag"] for r in tagged} == {"text-generation"}
    assert q.read_trending(conn, "model", "downloads", 1, None, 10) == []
    assert q.read_trending(conn, "dataset", "likes", 1, None, 10) == [], "no snapshots of the kind: no window"


def test_new_repos_page_by_created_at_then_rid_and_skip_the_deleted(conn: Connection) -> None:
    same = T0 - timedelta(hours=1)
    rows = [
        _repo("model", 0, "o/old", T0 - timedelta(days=30)),
        _repo("model", 1, "o/tie-a", same, pipeline_tag="text-generation"),
        _repo("model", 2, "o/tie-b", same),
        _repo("model", 3, "o/tie-c", same, pipeline_tag="text-generation"),
        _repo("model", 4, "o/newest", T0),
        _repo("model", 5, "o/gone", T0, deleted_on=D0),
        _repo("model", 6, "o/legacy", None),
        _repo("dataset", 0, "o/data", T0),
    ]
    conn.execute(repos.insert(), rows)
    since = T0 - timedelta(days=2)
    whole = q.read_new(conn, "model", since, None, 100)
    assert [r["repo_id"] for r in whole] == ["o/newest", "o/tie-c", "o/tie-b", "o/tie-a"]
    assert whole[0]["created_at"] == T0 and whole[0]["created_at"].tzinfo is not None
    paged, after = [], None
    while True:
        page = q.read_new(conn, "model", since, None, 1, after)
        if not page:
            break
        paged += page
        after = (page[-1]["created_at"], page[-1]["rid"])
    assert paged == whole, "ties in created_at page by rid without repeats"
    assert [r["repo_id"] for r in q.read_new(conn, "model", since, "text-generation", 10)] == ["o/tie-c", "o/tie-a"]


def test_a_repo_is_found_by_its_id_or_an_old_one(conn: Connection) -> None:
    conn.execute(repos.insert(), [
        _repo("space", 0, "o/app", T0, deleted_on=D0, tags=["old"]),
        _repo("space", 1, "o/app", T0, tags=["new"]),
        _repo("space", 2, "o/renamed-v2", T0),
    ])
    conn.execute(renames.insert().values(kind="space", hub_oid="s00000000000000000000002", date=D0, rid=2, old_id="o/renamed",
                                         new_id="o/renamed-v2"))
    live = q.resolve_repo(conn, "space", "o/app")
    assert live is not None and live.rid == 1 and live.tags == ["new"], "the live repo wins over a deleted namesake"
    moved = q.resolve_repo(conn, "space", "o/renamed")
    assert moved is not None and moved.repo_id == "o/renamed-v2" and moved.renamed_from == "o/renamed"
    assert q.resolve_repo(conn, "space", "o/nothing") is None and q.resolve_repo(conn, "model", "o/app") is None


def _blob(n: int, values: dict[int, tuple[int, int, int, int]]) -> bytes:
    cols = {name: np.full(n, -1, dtype=np.int64) for name in codec.COLUMNS}
    for slot, numbers in values.items():
        for name, value in zip(codec.COLUMNS, numbers, strict=True):
            cols[name][slot] = value
    return codec.encode(cols)


def test_history_reads_one_slot_per_day_newest_first(conn: Connection) -> None:
    rid = CHUNK + 7  # chunk 1
    days = [D0 + timedelta(days=i) for i in range(6)]
    listed = {0: (1, 10, 100, 0), 1: (2, 11, 110, 1), 3: (4, 13, 150, 3), 4: (5, 14, 175, 4), 5: (6, -1, -1, 5)}
    conn.execute(snapshots.insert(), [
        {"kind": "model", "chunk": 1, "date": day, "payload": _blob(20, {7: listed[i]} if i in listed else {})}
        for i, day in enumerate(days)
    ] + [{"kind": "model", "chunk": 0, "date": day, "payload": _blob(CHUNK, {7: (99, 99, 99, 99)})} for day in days])
    ref = q.RepoRef("model", rid, "o/m", None, [], days[0], days[0], None)
    got = q.read_history(conn, ref, 10)
    assert [h.day for h in got] == [days[5], days[4], days[3], days[1], days[0]], "day 2: not listed"
    assert [h.likes for h in got] == [6, 5, 4, 2, 1] and got[0].downloads is None and got[0].downloads_all_time is None
    assert [h.daily_downloads for h in got] == [None, 25, None, 10, None], "only from the day right before"
    assert [h.day for h in q.read_history(conn, ref, 2, before=days[4])] == [days[3], days[1]]
    gone = q.RepoRef("model", rid, "o/m", None, [], days[1], days[3], days[4])
    assert [h.day for h in q.read_history(conn, gone, 10)] == [days[3], days[1]], "a deleted repo ends on its last day"


def test_recent_papers_by_category_page_by_published_then_id(conn: Connection) -> None:
    rows = [("2611.00003", T0, ["cs.CV", "cs.AI"]), ("2611.00002", T0, ["cs.CV"]), ("2611.00001", T0 - timedelta(hours=5),
             ["cs.LG", "cs.CV"]), ("2610.00009", T0 - timedelta(days=9), ["cs.CV"])]
    conn.execute(papers.insert(), [{"arxiv_id": a, "title": a, "authors": ["X"], "published": t, "primary_category": c[0],
                                    "first_seen": D0} for a, t, c in rows])
    conn.execute(paper_categories.insert(), [{"category": cat, "arxiv_id": a, "published": t} for a, t, c in rows for cat in c])
    since = T0 - timedelta(days=2)
    cv = q.read_papers(conn, "cs.CV", since, 10)
    assert [(p["arxiv_id"], p["category"]) for p in cv] == [("2611.00003", "cs.CV"), ("2611.00002", "cs.CV"),
                                                            ("2611.00001", "cs.CV")]
    assert q.read_papers(conn, "cs.CV", since, 10, after=(T0, "2611.00003")) == cv[1:]
    everything = q.read_papers(conn, None, since, 10)
    assert [(p["arxiv_id"], p["category"]) for p in everything] == [("2611.00003", "cs.CV"), ("2611.00002", "cs.CV"),
                                                                    ("2611.00001", "cs.LG")]
    assert everything[0]["published"] == T0 and everything[0]["authors"] == ["X"]


def test_arena_picks_the_publication_and_pages_through_tied_ranks(conn: Connection) -> None:
    rows = [(day, "text", "overall", name, None, None, rating, None, None, None, None, rank)
            for day in (D0 - timedelta(days=5), D0)
            for name, rank, rating in (("b", 1, 1300.4), ("a", 1, 1299.6), ("d", 1, 1299.6), ("c", 3, 1200.0))]
    insert_rows(conn, arena_rankings, ["publish_date", "subset", "category", "model_name", "organization", "license", "rating",
                                       "rating_lower", "rating_upper", "variance", "vote_count", "rank"], rows)
    day, page = q.read_arena(conn, "text", "overall", None, 2)
    # tied ranks (LMArena ranks by confidence interval): the higher rating first, then the name
    assert day == D0 and [(r["model_name"], r["rank"]) for r in page] == [("b", 1), ("a", 1)]
    _, rest = q.read_arena(conn, "text", "overall", None, 5, after=(1, 1299.6, "a"))
    assert [r["model_name"] for r in rest] == ["d", "c"]
    assert q.read_arena(conn, "text", "overall", D0 - timedelta(days=1), 5)[0] == D0 - timedelta(days=5)
    assert q.read_arena(conn, "text", "overall", D0 - timedelta(days=10), 5) == (None, [])
    assert q.stored_pairs(conn) == [("text", "overall")]
