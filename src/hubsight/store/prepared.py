"""Hot reads without per-call SQLAlchemy work: a Core select compiled once per dialect, run on a plain cursor.

Executing a Core select costs SQLAlchemy about 150-200 µs per call (building the statement, its cache
key, the execution context, row objects), while SQLite answers a 20-row primary-key read in about
15 µs. A ``Prepared`` holds a builder called once with named ``bindparam``s, so the SQL is still
declared once as Core for SQLite and PostgreSQL. Each dialect's compiled text, parameter order and
bind/result processors are kept, and ``rows`` runs it on the Connection's DB-API connection: the rows
are the same values a Connection would give (dates as ``date`` on SQLite too), as tuples.

It is for reads only: no transaction is begun (SQLite's driver runs in autocommit mode here).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select
from sqlalchemy.engine import Dialect

__all__ = ["Prepared"]

_MISS = object()


@dataclass
class _Compiled:
    sql: str
    names: tuple[str, ...] | None
    """Parameter names in order for a positional paramstyle (SQLite's ``?``); None: pass them by name."""
    defaults: dict[str, Any]
    """Values the builder wrote in as literals (SQLAlchemy binds them too)."""
    binds: tuple[tuple[str, Callable[[Any], Any]], ...]
    types: tuple[Any, ...]
    """The selected columns' types for this dialect."""
    processed: tuple[tuple[int, Callable[[Any], Any]], ...] | None = None
    """(column index, result processor) of the columns whose driver values need converting; known after
    the first run, since a processor may depend on the driver's type code (PostgreSQL numerics)."""


class Prepared:
    """``build()`` returns a select whose variable parts are ``bindparam(name)``; ``rows(conn, **params)`` runs it."""

    def __init__(self, build: Callable[[], Select]) -> None:
        self._build = build
        self._by_dialect: dict[str, _Compiled] = {}
        self._lock = threading.Lock()

    def _compiled(self, dialect: Dialect) -> _Compiled:
        key = f"{dialect.name}+{dialect.driver}"
        done = self._by_dialect.get(key)
        if done is None:
            with self._lock:
                stmt = self._build()
                compiled = stmt.compile(dialect=dialect)
                binds = []
                for name, param in compiled.binds.items():
                    proc = param.type.dialect_impl(dialect).bind_processor(dialect)
                    if proc is not None:
                        binds.append((name, proc))
                types = tuple(col.type.dialect_impl(dialect) for col in stmt.selected_columns)
                names = tuple(compiled.positiontup or ()) if compiled.positional else None
                defaults = {k: v for k, v in compiled.params.items() if v is not None}
                done = self._by_dialect[key] = _Compiled(str(compiled), names, defaults, tuple(binds), types)
        return done

    def rows(self, conn: Connection, **params: Any) -> list[tuple[Any, ...]]:
        """The select's rows for ``params`` (every bindparam by name), read on ``conn``'s DB-API connection."""
        c = self._compiled(conn.dialect)
        params = {**c.defaults, **params}
        for name, proc in c.binds:
            params[name] = proc(params[name])
        args: Any = tuple(params[n] for n in c.names) if c.names is not None else params
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(c.sql, args)
            raw = cursor.fetchall()
            if c.processed is None:
                codes = [d[1] for d in cursor.description]
                procs = [t.result_processor(conn.dialect, code) for t, code in zip(c.types, codes, strict=True)]
                c.processed = tuple((i, p) for i, p in enumerate(procs) if p is not None)
        finally:
            cursor.close()
        if not c.processed:
            return raw
        out = [list(r) for r in raw]
        for i, proc in c.processed:
            seen: dict[Any, Any] = {}  # a page repeats its dates: each distinct value is converted once
            for r in out:
                v = r[i]
                got = seen.get(v, _MISS)
                if got is _MISS:
                    got = seen[v] = proc(v)
                r[i] = got
        return [tuple(r) for r in out]

    def scalar(self, conn: Connection, **params: Any) -> Any:
        rows = self.rows(conn, **params)
        return rows[0][0] if rows else None
