"""Prepared selects give the rows a Connection gives for the same select, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, func, select

from hubsight.store.db import insert_rows
from hubsight.store.prepared import Prepared
from hubsight.store.schema import crawl_runs, trending

D0 = date(2026, 11, 20)
COLUMNS = ["kind", "metric", "days", "tag", "rank", "rid", "value_latest", "delta", "growth", "date_from", "date_to"]


def _page(tag: Any, after: Any, limit: Any) -> Any:
    t = trending.c
    return (select(t.rank, t.rid, t.value_latest, t.growth, t.date_from, t.date_to)
            .where(t.kind == "model", t.metric == "likes", t.tag == tag, t.rank > after).order_by(t.rank).limit(limit))


PAGE = Prepared(lambda: _page(bindparam("tag"), bindparam("after"), bindparam("limit")))
LATEST = Prepared(lambda: select(func.max(crawl_runs.c.date)).where(crawl_runs.c.source == "hub"))


def test_rows_are_the_connections_rows(conn: Connection) -> None:
    rows = [("model", "likes", 1, tag, rank, rank, 100 - rank, 10 - rank, None if rank % 2 else rank / 4,
             D0 - timedelta(days=1), D0)
            for tag in ("", "text-generation") for rank in range(1, 8)]
    insert_rows(conn, trending, COLUMNS, rows)
    for tag, after, limit in (("", 0, 3), ("text-generation", 2, 100), ("none-such", 0, 5)):
        expected = [tuple(r) for r in conn.execute(_page(tag, after, limit))]
        assert PAGE.rows(conn, tag=tag, after=after, limit=limit) == expected
    got = PAGE.rows(conn, tag="", after=0, limit=2)
    assert isinstance(got[0][4], date) and got[1][3] == 0.5, "dates and floats come back as the Connection gives them"
    assert LATEST.scalar(conn) is None, "no rows: None, like Connection.scalar"
    conn.execute(crawl_runs.insert().values(date=D0, source="hub", status="done"))
    conn.execute(crawl_runs.insert().values(date=D0 + timedelta(days=3), source="papers", status="done"))
    assert LATEST.scalar(conn) == D0, "the builder's own literal ('hub') is bound too"
