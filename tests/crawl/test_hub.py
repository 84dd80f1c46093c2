"""The hub source against a replica: every repo, exact numbers, new/deleted/renamed, idempotent days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import select

from hubsight.crawl import crawl
from hubsight.crawl.hub import KINDS, LEGACY_CREATED_AT
from hubsight.replica import ReplicaServer
from hubsight.store import snapshots as blobs
from hubsight.store.db import make_engine
from hubsight.store.schema import crawl_runs, renames, repos
from tests.crawl.conftest import listing, settings_for
from tests.store.backends import dump

DAY = date(2026, 11, 23)


def _repos(url: str) -> dict[tuple[str, str], dict]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = {(r.kind, r.hub_oid): r._asdict() for r in conn.execute(select(repos))}
    engine.dispose()
    return rows


def _day(url: str, kind: str, day: date) -> dict[str, np.ndarray]:
    engine = make_engine(url)
    with engine.connect() as conn:
        cols = blobs.read_day(conn, kind, day)
    engine.dispose()
    assert cols is not None
    return cols


def _aware(value: datetime | None) -> datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)


def test_a_crawl_stores_every_repo_with_the_numbers_the_hub_serves(db_url: str) -> None:
    with ReplicaServer(scale="tiny", seed=11, start=DAY) as replica:
        summary = crawl(settings=settings_for(replica, db_url), only=["hub"])
        served = {kind: listing(replica, kind) for kind in KINDS}
    assert summary.ok and summary.day == DAY, "a replica's own date is the default crawl date"
    stored = _repos(db_url)
    assert len(stored) == sum(len(rows) for rows in served.values())
    for kind in KINDS:
        cols = _day(db_url, kind, DAY)
        for row in served[kind]:
            repo = stored[(kind, row["_id"])]
            assert repo["repo_id"] == row["id"] and repo["author"] == row["id"].split("/")[0]
            assert repo["tags"] == row["tags"]
            assert repo["pipeline_tag"] == row.get("pipeline_tag")
            assert repo["gated"] == (row.get("gated") or None)
            if kind == "space":
                assert repo["sdk"] == row["sdk"] and repo["runtime_stage"] == row["runtime"]["stage"]
            expected_created = None if row["createdAt"] == LEGACY_CREATED_AT else datetime.fromisoformat(row["createdAt"])
            assert _aware(repo["created_at"]) == expected_created
            rid = repo["rid"]
            assert cols["likes"][rid] == row["likes"]
            assert cols["trending_score"][rid] == row["trendingScore"]
            assert cols["downloads"][rid] == row.get("downloads", -1)
            assert cols["downloads_all_time"][rid] == row.get("downloadsAllTime", -1)
        assert sorted(r["rid"] for (k, _), r in stored.items() if k == kind) == list(range(len(served[kind]))), "dense rids"
    # "new" comes from createdAt, not from first sight: on a first crawl only the lately created are new
    since = datetime.combine(DAY - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    created = [r for r in stored.values() if r["created_at"] is not None and _aware(r["created_at"]) >= since]
    stats = summary.results[0].stats
    assert 0 < len(created) < len(stored) / 20
    assert sum(stats[k]["created"] for k in KINDS) == len(created)
    assert any(r["created_at"] is None for r in stored.values()), "the Hub's placeholder createdAt is stored as unknown"
    assert all(r["first_seen"] == DAY for r in stored.values())
    engine = make_engine(db_url)
    with engine.connect() as conn:
        (run,) = conn.execute(select(crawl_runs)).all()
    engine.dispose()
    assert (run.date, run.source, run.status) == (DAY, "hub", "done") and run.stats == stats
    assert summary.line().startswith(f"crawl {DAY}: hub 3,300 repos ({len(created)} new, 0 deleted, 0 renamed) in ")


def test_a_second_day_gives_daily_downloads_deletions_and_renames(db_url: str) -> None:
    with ReplicaServer(scale="tiny", seed=11, start=DAY) as replica:
        settings = settings_for(replica, db_url)
        crawl(settings=settings, only=["hub"])
        before = {kind: {r["_id"]: r for r in listing(replica, kind)} for kind in KINDS}
        replica.world.advance(1)
        summary = crawl(settings=settings, only=["hub"])
        after = {kind: {r["_id"]: r for r in listing(replica, kind)} for kind in KINDS}
    day2 = DAY + timedelta(days=1)
    assert summary.ok and summary.day == day2
    stored = _repos(db_url)
    engine = make_engine(db_url)
    with engine.connect() as conn:
        renamed = {(r.kind, r.hub_oid): r for r in conn.execute(select(renames))}
    engine.dispose()
    expected_renames = {
        (kind, oid): (row["id"], after[kind][oid]["id"])
        for kind in KINDS for oid, row in before[kind].items()
        if oid in after[kind] and after[kind][oid]["id"] != row["id"]
    }
    assert expected_renames, "the replica renames a few repos a day"
    assert {key: (r.old_id, r.new_id) for key, r in renamed.items()} == expected_renames
    assert all(r.date == day2 for r in renamed.values())
    for kind in KINDS:
        gone = set(before[kind]) - set(after[kind])
        born = set(after[kind]) - set(before[kind])
        assert gone and born
        assert {oid for (k, oid), r in stored.items() if k == kind and r["deleted_on"] == day2} == gone
        assert all(stored[(kind, oid)]["last_seen"] == DAY for oid in gone), "a deleted repo was last seen the day before"
        assert all(stored[(kind, oid)]["first_seen"] == day2 for oid in born)
        for (key, (_old, new)) in expected_renames.items():
            if key[0] == kind:
                assert stored[key]["repo_id"] == new
        if kind == "space":
            continue
        d1, d2 = _day(db_url, kind, DAY), _day(db_url, kind, day2)
        for oid, row in after[kind].items():
            rid = stored[(kind, oid)]["rid"]
            if oid in before[kind]:
                daily = row["downloadsAllTime"] - before[kind][oid]["downloadsAllTime"]
                assert d2["downloads_all_time"][rid] - d1["downloads_all_time"][rid] == daily
            else:
                assert rid >= len(before[kind]) and (rid >= len(d1["likes"]) or d1["likes"][rid] == -1)
        for oid in gone:
            assert d2["likes"][stored[(kind, oid)]["rid"]] == -1, "deleted repos are not listed on the new day"


def test_rerunning_a_date_changes_nothing_and_force_recrawls_it(db_url: str) -> None:
    with ReplicaServer(scale="tiny", seed=11, start=DAY) as replica:
        settings = settings_for(replica, db_url)
        crawl(settings=settings, only=["hub"])
        replica.world.advance(1)
        crawl(settings=settings, only=["hub"])
        first = dump(db_url)
        again = crawl(settings=settings, only=["hub"])
        assert [r.status for r in again.results] == ["skipped"]
        assert "hub already stored (--force re-crawls)" in again.line()
        assert dump(db_url) == first
        forced = crawl(settings=settings, only=["hub"], force=True)
        assert [r.status for r in forced.results] == ["done"]
        assert dump(db_url) == first, "the same Hub crawled again gives the same store"
        refused = crawl(DAY, settings=settings, only=["hub"], force=True)
    assert refused.results[0].status == "failed" and refused.results[0].error_type == "CrawlRefused"
    assert "cannot be crawled as of 2026-11-23" in refused.results[0].error
    assert dump(db_url) == first


@pytest.mark.parametrize("kind", ["model"])
def test_deleted_repo_that_comes_back_is_alive_again(db_url: str, kind: str) -> None:
    from hubsight.crawl import writer
    from hubsight.crawl.hub import Known

    with ReplicaServer(scale="tiny", seed=11, start=DAY) as replica:
        settings = settings_for(replica, db_url)
        crawl(settings=settings, only=["hub"])
        table = replica.world.repos[kind]
        table.alive[5] = False
        replica.world.version += 1
        crawl(DAY + timedelta(days=1), settings=settings, only=["hub"])
        table.alive[5] = True
        replica.world.version += 1
        crawl(DAY + timedelta(days=2), settings=settings, only=["hub"])
    engine = make_engine(db_url)
    with engine.connect() as conn:
        known: Known = writer.load_known(conn, kind)
        row = conn.execute(select(repos).where(repos.c.kind == kind, repos.c.rid == 5)).one()
    engine.dispose()
    assert known.alive[5] and row.deleted_on is None and row.last_seen == DAY + timedelta(days=2)
