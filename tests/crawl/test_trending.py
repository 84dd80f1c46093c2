"""Trending: pure ranking maths on small arrays, then three crawled days against numpy ground truth."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from sqlalchemy import select

from hubsight.crawl import crawl
from hubsight.crawl.hub import KINDS
from hubsight.crawl.trending import rank, windows
from hubsight.replica import ReplicaServer
from hubsight.store.db import make_engine
from hubsight.store.schema import repos, trending
from tests.crawl.conftest import listing, settings_for

D = date(2026, 11, 23)


def test_windows_use_the_nearest_older_stored_day_and_skip_windows_without_one() -> None:
    stored = [D, D + timedelta(days=1), D + timedelta(days=3)]
    day = D + timedelta(days=3)
    assert windows(day, stored, max_days=5) == [(1, D + timedelta(days=1)), (2, D + timedelta(days=1)), (3, D)]
    assert windows(D, [D]) == []


def test_rank_orders_by_gain_counts_newcomers_from_zero_and_keeps_per_tag_tops() -> None:
    latest = np.array([10, 50, 7, 30, -1, 9, 12])
    before = np.array([5, 49, 7, 0, 3])  # rids 5 and 6 were not listed then; rid 4 is gone now
    tags = np.array([0, 0, 1, 1, 1, -1, 1])
    r = rank(latest, before, tags, top_all=3, top_tag=1)
    overall = r.tag == -1
    assert r.rid[overall].tolist() == [3, 6, 5], "gains 30, 12, 9: rid 0 (+5) misses the top 3"
    assert r.delta[overall].tolist() == [30, 12, 9] and r.base[overall].tolist() == [0, 0, 0]
    assert r.rank[overall].tolist() == [1, 2, 3]
    assert {int(t): int(rid) for t, rid in zip(r.tag[~overall], r.rid[~overall], strict=True)} == {0: 0, 1: 3}
    assert 2 not in r.rid and 4 not in r.rid, "no gain, or not listed today: not trending"


def test_rank_breaks_ties_by_current_value_then_age() -> None:
    r = rank(np.array([5, 9, 9, 5]), np.array([0, 4, 4, 0]))
    assert r.rid.tolist() == [1, 2, 0, 3]


def _expected(today: list[dict], then: dict[str, dict], field: str, rid_of: dict[str, int], top: int, tag: str | None):
    rows = []
    for row in today:
        if tag is not None and row.get("pipeline_tag") != tag:
            continue
        latest = row[field]
        base = then[row["_id"]][field] if row["_id"] in then else 0
        if latest - base > 0:
            rows.append((-(latest - base), -latest, rid_of[row["_id"]], row["id"], latest, latest - base, base))
    rows.sort()
    return [(rank, r[3], r[4], r[5], r[5] / r[6] if r[6] else None) for rank, r in enumerate(rows[:top], start=1)]


def test_three_crawled_days_give_the_trending_rows_numpy_would(db_url: str) -> None:
    served = []
    with ReplicaServer(scale="tiny", seed=13, start=D) as replica:
        settings = settings_for(replica, db_url)
        for step in range(3):
            if step:
                replica.world.advance(1)
            assert crawl(settings=settings, only=["hub"]).ok
            served.append({kind: listing(replica, kind) for kind in KINDS})
    engine = make_engine(db_url)
    with engine.connect() as conn:
        rid_of = {(r.kind, r.hub_oid): r.rid for r in conn.execute(select(repos.c.kind, repos.c.hub_oid, repos.c.rid))}
        rows = conn.execute(select(trending, repos.c.repo_id).join_from(
            trending, repos, (repos.c.kind == trending.c.kind) & (repos.c.rid == trending.c.rid))).all()
    engine.dispose()
    day3 = D + timedelta(days=2)
    assert {r.days for r in rows} == {1, 2}, "no stored day is 3 or more days older than the newest"
    assert {(r.days, r.date_from) for r in rows} == {(1, D + timedelta(days=1)), (2, D)}
    assert {r.date_to for r in rows} == {day3}
    got: dict[tuple, list] = {}
    for r in sorted(rows, key=lambda r: r.rank):
        got.setdefault((r.kind, r.metric, r.days, r.tag), []).append(
            (r.rank, r.repo_id, r.value_latest, r.delta, None if r.growth is None else round(r.growth, 9))
        )
    checked = 0
    for kind in KINDS:
        kind_rids = {oid: rid for (k, oid), rid in rid_of.items() if k == kind}
        tags = sorted({row["pipeline_tag"] for row in served[2][kind] if row.get("pipeline_tag")}) if kind == "model" else []
        for metric, field in (("likes", "likes"), ("downloads", "downloadsAllTime")):
            if kind == "space" and metric == "downloads":
                assert not [key for key in got if key[:2] == (kind, metric)], "spaces have no downloads"
                continue
            for days, then in ((1, served[1][kind]), (2, served[0][kind])):
                before = {row["_id"]: row for row in then}
                for tag, top in [(None, 1000)] + [(t, 200) for t in tags]:
                    expected = _expected(served[2][kind], before, field, kind_rids, top, tag)
                    expected = [(a, b, c, d, None if e is None else round(e, 9)) for a, b, c, d, e in expected]
                    assert got.get((kind, metric, days, tag or ""), []) == expected, (kind, metric, days, tag)
                    checked += len(expected)
    assert checked == len(rows) > 1000
