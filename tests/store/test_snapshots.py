"""Day blobs: a day of numbers survives the trip through chunks and the database unchanged."""

from __future__ import annotations

from datetime import date

import numpy as np

from hubsight.store import snapshots as blobs
from hubsight.store.db import insert_rows, make_engine, upgrade
from hubsight.store.schema import CHUNK, snapshots


def _day(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    cols = {name: rng.integers(0, 10**9, n) for name in blobs.COLUMNS}
    cols["likes"][rng.random(n) < 0.1] = -1  # not listed
    cols["downloads"][:] = -1  # no value (a space)
    return cols


def test_days_round_trip_through_chunks_and_the_store(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    days = {date(2026, 11, 23): _day(2 * CHUNK + 17, 1), date(2026, 11, 24): _day(2 * CHUNK + 40, 2)}
    with engine.begin() as conn:
        for day, cols in days.items():
            insert_rows(conn, snapshots, ["kind", "chunk", "date", "payload"], [("model", c, day, p) for c, p in blobs.split(cols)])
    with engine.connect() as conn:
        assert blobs.stored_dates(conn, "model") == sorted(days)
        first = blobs.read_day(conn, "model", date(2026, 11, 23), n=2 * CHUNK + 40)
        second = blobs.read_day(conn, "model", date(2026, 11, 24))
        assert blobs.read_day(conn, "model", date(2026, 11, 25)) is None
    engine.dispose()
    for name in blobs.COLUMNS:
        assert np.array_equal(first[name][: 2 * CHUNK + 17], days[date(2026, 11, 23)][name])
        assert (first[name][2 * CHUNK + 17 :] == -1).all(), "slots of repos born later read as not listed"
        assert np.array_equal(second[name], days[date(2026, 11, 24)][name])
