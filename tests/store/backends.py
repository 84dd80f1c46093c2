"""Every store test runs on SQLite and on the real PostgreSQL, each test in a database of its own.

PostgreSQL isolation: a fresh schema per test, put first on the ``search_path`` through the URL
(``options=-csearch_path=...``), so subprocesses given the URL land in the same place; dropped after.
The server is ``HUBSIGHT_TEST_PG`` (scripts/test exports it); an unreachable server fails, not skips.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

PG_URL = os.environ.get("HUBSIGHT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="pg", marks=pytest.mark.postgres)]


def fresh_db(backend: str, tmp_path: Any) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'history.db'}"
        return
    schema = f"hs_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A URL to an empty database of its own, on each backend in turn."""
    yield from fresh_db(request.param, tmp_path)


@pytest.fixture
def db_url_factory(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Any]:
    """``make(backend)`` → another empty database (for comparing two crawls)."""
    cleanups = []

    def make(backend: str) -> str:
        where = tmp_path / uuid.uuid4().hex[:8]
        where.mkdir()
        gen = fresh_db(backend, where)
        url = next(gen)
        cleanups.append(gen)
        return url

    yield make
    for gen in cleanups:
        next(gen, None)


def _plain(value: Any) -> Any:
    """One representation per value whatever the backend returned (aware/naive datetimes, memoryview...)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, float):
        return round(value, 9)
    return value


VOLATILE = {"crawl_runs": {"started_at", "finished_at"}}
"""Columns that say when a crawl ran, not what it stored."""


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, normalised and sorted: equal dumps mean equal stores."""
    from hubsight.store.db import make_engine
    from hubsight.store.schema import metadata

    engine = make_engine(url)
    out = {}
    try:
        with engine.connect() as conn:
            for table in metadata.sorted_tables:
                cols = [c for c in table.columns if c.name not in VOLATILE.get(table.name, set())]
                rows = conn.execute(select(*cols)).all()
                plain = [tuple(_plain(v) for v in row) for row in rows]
                out[table.name] = sorted(plain, key=lambda row: [(v is None, 0 if v is None else v) for v in row])
    finally:
        engine.dispose()
    return out
