"""Days of numbers for every repo of a kind, split into chunk blobs and put back together.

A repo's numbers for a day live in blob ``rid // CHUNK`` at slot ``rid % CHUNK`` (see ``codec.py``).
``likes`` decides presence: -1 there means the repo was not listed that day; -1 in another column
means the Hub gave no value (spaces have no downloads).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
from sqlalchemy import Connection, select

from hubsight.store import codec
from hubsight.store.schema import CHUNK, snapshots

COLUMNS = codec.COLUMNS


def empty(n: int) -> dict[str, np.ndarray]:
    """Columns of ``n`` slots, all "not listed"."""
    return {name: np.full(n, -1, dtype=np.int64) for name in COLUMNS}


def split(columns: dict[str, np.ndarray]) -> Iterator[tuple[int, bytes]]:
    """``(chunk, payload)`` for every chunk of a day's columns; the last chunk is as long as it needs to be."""
    n = len(columns[COLUMNS[0]])
    for chunk, lo in enumerate(range(0, n, CHUNK)):
        yield chunk, codec.encode({name: columns[name][lo : lo + CHUNK] for name in COLUMNS})


def payloads(conn: Connection, kind: str, day: date) -> list[tuple[int, bytes]]:
    """The raw ``(chunk, payload)`` rows of a kind's day (decode them with ``assemble``)."""
    query = select(snapshots.c.chunk, snapshots.c.payload).where(snapshots.c.kind == kind, snapshots.c.date == day)
    return [(chunk, bytes(payload)) for chunk, payload in conn.execute(query)]


def assemble(rows: list[tuple[int, bytes]], n: int | None = None) -> dict[str, np.ndarray]:
    """Columns indexed by rid from a day's ``(chunk, payload)`` rows, padded with -1 to ``n``."""
    parts = {chunk: codec.decode(payload) for chunk, payload in rows}
    size = max((chunk * CHUNK + len(cols[COLUMNS[0]]) for chunk, cols in parts.items()), default=0)
    out = empty(max(size, n or 0))
    for chunk, cols in parts.items():
        lo = chunk * CHUNK
        for name in COLUMNS:
            out[name][lo : lo + len(cols[name])] = cols[name]
    return out


def read_day(conn: Connection, kind: str, day: date, n: int | None = None) -> dict[str, np.ndarray] | None:
    """All of a kind's numbers on ``day`` as columns indexed by rid (padded with -1 to ``n``), or None."""
    rows = payloads(conn, kind, day)
    return assemble(rows, n) if rows else None


def stored_dates(conn: Connection, kind: str) -> list[date]:
    """Days with a snapshot of ``kind``, oldest first."""
    return list(conn.scalars(select(snapshots.c.date).where(snapshots.c.kind == kind, snapshots.c.chunk == 0).order_by(snapshots.c.date)))
