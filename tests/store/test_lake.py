"""The Parquet lake: after daily crawls, the current-metadata file kept up by patching each day's
changes is the same as one written from the whole database, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pyarrow.parquet as pq
from sqlalchemy import func, select

from hubsight.settings import get_settings
from hubsight.store import lake
from hubsight.store.db import make_engine
from hubsight.store.schema import renames, repos
from tests.api import history_store
from tests.api.history_store import Crawled

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules


def test_patched_current_metadata_equals_a_full_rewrite(crawled: Crawled) -> None:
    root = get_settings(db=crawled.url).lake_dir
    engine = make_engine(crawled.url)
    try:
        with engine.connect() as conn:
            after_first = crawled.days[0]
            # the later crawls brought every kind of change the patch must carry
            assert conn.scalar(select(func.count()).where(repos.c.first_seen > after_first)) > 0
            assert conn.scalar(select(func.count()).where(repos.c.deleted_on > after_first)) > 0
            assert conn.scalar(select(func.count()).where(repos.c.meta_since > after_first)) > 0
            assert conn.scalar(select(func.count()).select_from(renames)) > 0
            whole = lake.repos_table(conn, crawled.last)
        patched = pq.read_table(root / "repos.parquet")
    finally:
        engine.dispose()
    assert patched.schema == whole.schema
    assert patched.num_rows == whole.num_rows
    assert patched.to_pylist() == whole.to_pylist()
    live = [r for r in patched.to_pylist() if r["deleted_on"] is None]
    assert live and {r["last_seen"] for r in live} == {crawled.last}


def test_patch_only_follows_later_days() -> None:
    had = {"2026-11-23": "t1", "2026-11-24": "t2"}
    assert lake._patchable(had, {**had, "2026-11-25": "t3"}) == date(2026, 11, 24)
    assert lake._patchable(had, {**had, "2026-11-24": "t2-again"}) is None  # a re-crawl of a known day
    assert lake._patchable(had, {**had, "2026-11-20": "t0"}) is None  # an older day filled in
    assert lake._patchable({}, had) is None  # a new lake


def test_current_metadata_keeps_any_tag_list(db_url: str) -> None:
    from datetime import date as day

    from hubsight.store.db import upgrade

    odd = [[], ["transformers", "region:us"], [""], ["a\x1fb", "c"], None]
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(repos.insert(), [
            {"kind": "model", "rid": rid, "hub_oid": f"{rid:024x}", "repo_id": f"o/m{rid}", "tags": tags,
             "first_seen": day(2026, 11, 23), "last_seen": day(2026, 11, 23), "meta_hash": 0}
            for rid, tags in enumerate(odd)
        ])
    with engine.connect() as conn:
        table = lake.repos_table(conn, day(2026, 11, 23))
    engine.dispose()
    assert table.column("tags").to_pylist() == odd
