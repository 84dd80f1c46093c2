"""The arena source: every publish date of every subset, exactly as the dataset's parquet files hold them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from hubsight.crawl import crawl
from hubsight.replica import ReplicaServer, arena
from hubsight.store.db import make_engine
from hubsight.store.schema import arena_rankings
from tests.crawl.conftest import settings_for

D = date(2025, 1, 10)
"""A world of early 2025: the leaderboard then has 50 publications (27k rows) instead of ~200 (430k),
which keeps the test fast; the code path is the same."""


def _truth(seed: int, today: date) -> set[tuple]:
    rows = set()
    for subset in arena.SUBSETS:
        for r in arena.rows(seed, today, subset):
            rows.add((
                r["leaderboard_publish_date"], subset, r["category"], r["model_name"], r["organization"], r["license"],
                round(r["rating"], 6), round(r["rating_lower"], 6), round(r["rating_upper"], 6), round(r["variance"], 6),
                r["vote_count"], r["rank"],
            ))
    return rows


def _stored(url: str) -> set[tuple]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = {
            (r.publish_date.isoformat(), r.subset, r.category, r.model_name, r.organization, r.license, round(r.rating, 6),
             round(r.rating_lower, 6), round(r.rating_upper, 6), round(r.variance, 6), r.vote_count, r.rank)
            for r in conn.execute(select(arena_rankings))
        }
    engine.dispose()
    return rows


def test_every_publish_date_is_stored_as_published_and_new_ones_are_added(db_url: str) -> None:
    seed = 7
    with ReplicaServer(scale="tiny", seed=seed, start=D) as replica:
        settings = settings_for(replica, db_url)
        first = crawl(settings=settings, only=["arena"])
        truth = _truth(seed, D)
        assert first.ok and _stored(db_url) == truth
        stats = first.results[0].stats
        dates = {row[0] for row in truth}
        assert stats["subsets"] == len(arena.SUBSETS) and stats["publish_dates"] == len(dates) > 40
        assert f"arena {len(arena.SUBSETS)} subsets / {len(dates)} dates" in first.line()

        replica.world.advance(8)  # the leaderboard republishes every 2 to 7 days
        later = D + timedelta(days=8)
        second = crawl(settings=settings, only=["arena"])
        truth_later = _truth(seed, later)
        new_dates = {row[0] for row in truth_later} - dates
        assert new_dates and second.ok
        assert second.results[0].stats["rows_written"] == len([r for r in truth_later if r[0] in new_dates])
        assert _stored(db_url) == truth_later, "history is kept, new publications are added"

        third = crawl(later + timedelta(days=1), settings=settings, only=["arena"])
    assert third.results[0].stats.get("unchanged") and third.results[0].stats["rows_written"] == 0, (
        "an unchanged dataset is not downloaded again"
    )
