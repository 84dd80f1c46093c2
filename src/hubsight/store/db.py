"""Engines for the history store, built from a URL on demand, and the migrations every command runs first.

SQLite is the embedded default and gets the pragmas a single-writer, many-reader store wants (WAL,
synchronous=NORMAL, foreign keys); PostgreSQL goes through psycopg 3. Nothing here runs at import time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import JSON, Connection, Date, Engine, Table, create_engine, event, insert, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, OperationalError, SQLAlchemyError

from hubsight.errors import HubsightError
from hubsight.store.schema import Day, Tags

MIGRATIONS = Path(__file__).with_name("migrations")


class StoreUnavailable(HubsightError):
    """The history store cannot be opened (bad URL, server down, unwritable path)."""


def normalise_url(url: str) -> str:
    """``postgres://`` and ``postgresql://`` mean psycopg 3 here (psycopg2 is not a dependency)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _compact_json(value: Any) -> str:
    """Compact JSON, fast (tags of a million repos are serialised on a first crawl)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # what orjson refuses (non-str keys, big ints), json still writes
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def missing_sqlite(url: str) -> str | None:
    """The path of a SQLite store ``url`` names that does not exist yet, else None (reads never create one)."""
    parsed = parse_url(url)  # StoreUnavailable for what is not a URL (a port that is not a number, ...)
    path = parsed.database if parsed.get_backend_name() == "sqlite" else None
    if path and path != ":memory:" and not path.startswith("file:"):
        try:
            exists = Path(path).expanduser().exists()
        except OSError as exc:  # a name too long for the file system, ...
            shown = path if len(path) <= 80 else path[:80] + "..."
            raise StoreUnavailable(f"the history store path {shown} cannot be used: {exc.strerror}; "
                                   "check HUBSIGHT_DB (or --db)") from None
        if not exists:
            return path
    return None


_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def parse_url(url: str) -> URL:
    """``url`` parsed (``postgres://`` normalised); StoreUnavailable saying what a store URL looks like."""
    url = normalise_url(url)
    try:
        return make_url(url)
    except Exception as exc:
        shown = _PASSWORD.sub(r"\1***@", url)  # a URL that does not parse may still hold a password
        raise StoreUnavailable(f"{shown!r} is not a database URL: use sqlite:///path/to/file.db or postgresql+psycopg://...") from exc


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` (SQLite file, ``:memory:``, or PostgreSQL). Connects lazily."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreUnavailable(f"cannot create the directory of {database}: {exc.strerror}") from exc
        engine = create_engine(parsed, json_serializer=_compact_json, **kwargs)

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            # the driver's own transaction handling commits before DDL (a crawl's DROP INDEX would
            # outlive a kill -9); SQLAlchemy's recipe: no implicit transactions, BEGIN on begin()
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA cache_size=-65536")  # 64 MB: bulk inserts touch many index pages
            cur.execute("PRAGMA journal_size_limit=67108864")  # a big crawl's WAL shrinks back to 64 MB
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            # writers take the write lock up front (see ``writing``): a deferred transaction that
            # reads and then writes fails at once (SQLITE_BUSY) when another writer got there first
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("hubsight_write") else "BEGIN")

        return engine
    if parsed.get_backend_name() == "postgresql":
        try:
            return create_engine(parsed, json_serializer=_compact_json, pool_pre_ping=True, **kwargs)
        except (ImportError, ArgumentError) as exc:
            raise StoreUnavailable(f"cannot use {parsed.render_as_string(hide_password=True)}: {exc}") from exc
    raise StoreUnavailable(
        f"{parsed.get_backend_name()} is not a supported store: use sqlite:///path/to/file.db or postgresql+psycopg://..."
    )


def writing(engine: Engine) -> AbstractContextManager[Connection]:
    """A write transaction: on SQLite it holds the write lock from its first statement (waiting up
    to busy_timeout for another writer), so its reads and writes see one state; elsewhere ``begin()``."""
    return engine.execution_options(hubsight_write=True).begin()


def describe(engine: Engine) -> str:
    """The URL without its password, for messages."""
    return engine.url.render_as_string(hide_password=True)


def cause(exc: SQLAlchemyError) -> str:
    """The first line of the driver's own message (``file is not a database``), for messages."""
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


def cannot_read(engine: Engine, exc: SQLAlchemyError) -> str:
    """What to say when ``unreadable(exc)``: the store (no password), the driver's cause, what to check."""
    return f"the history store {describe(engine)} cannot be read: {cause(exc)}; check HUBSIGHT_DB (or --db)"


def unreadable(exc: SQLAlchemyError) -> bool:
    """Whether ``exc`` says the store cannot be reached or read at all (server down, a file that is not
    a database), rather than that one statement failed."""
    if isinstance(exc, OperationalError) or type(exc) is DatabaseError:  # sqlite3's DatabaseError itself
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def _refuse_foreign(conn: Connection, cfg: Any, where: str) -> None:
    """StoreUnavailable when the database (its default schema) holds another application's tables:
    an app's own file given as --db by mistake gets nothing added to it."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    tables = sorted(inspect(conn).get_table_names())
    if not tables:
        return
    fix = "point --db (or HUBSIGHT_DB) at a new file or database, or at a hubsight store"
    if "alembic_version" not in tables:
        shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
        raise StoreUnavailable(f"{where} is not a hubsight history store: it holds other tables ({shown}); {fix}")
    known = [script.revision for script in ScriptDirectory.from_config(cfg).walk_revisions()]
    for (version,) in conn.execute(text("SELECT version_num FROM alembic_version")):
        if version not in known:
            raise StoreUnavailable(
                f"{where} is not a hubsight history store: its schema revision {str(version)[:40]!r} is none of "
                f"hubsight's ({', '.join(sorted(known))}; a newer hubsight's, or another application's); {fix}"
            )


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (idempotent; every command calls it first)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with writing(engine) as conn:
            if conn.dialect.name == "postgresql":
                # two commands starting at once on a fresh database must not both create the tables
                conn.execute(text("SELECT pg_advisory_xact_lock(74207331)"))
            _refuse_foreign(conn, cfg, describe(engine))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except DBAPIError as exc:
        if unreadable(exc):
            raise StoreUnavailable(f"cannot open the history store {describe(engine)}: {cause(exc)}") from exc
        raise


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Bulk-insert plain tuples: COPY on PostgreSQL, executemany elsewhere. Returns the row count."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    if conn.dialect.name == "postgresql":
        json_cols = {i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON | Tags)}
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        names = ", ".join(f'"{c}"' for c in columns)
        with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                if json_cols:
                    row = [_compact_json(v) if i in json_cols and v is not None else v for i, v in enumerate(row)]
                copy.write_row(row)
        return len(rows)
    if conn.dialect.name == "sqlite":
        names = ", ".join(f'"{c}"' for c in columns)
        conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})',
                             _sqlite_values(conn, table, columns, rows))
        return len(rows)
    conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
    return len(rows)


def _sqlite_values(conn: Connection, table: Table, columns: Sequence[str], rows: list[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Rows converted by the column types' own bind processors, for the driver's executemany (2-4x
    faster than Core's, which builds a parameter dict per row)."""
    procs = [table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for name in columns]
    todo = [(i, p, {} if isinstance(table.c[columns[i]].type, Date | Day) else None) for i, p in enumerate(procs) if p]
    if not todo:
        return [tuple(row) for row in rows]
    converted = []
    for row in rows:
        row = list(row)
        for i, proc, memo in todo:
            value = row[i]
            if value is None:
                continue
            if memo is None:
                row[i] = proc(value)
            else:  # dates repeat a lot: convert each once
                hit = memo.get(value)
                row[i] = hit if hit is not None else memo.setdefault(value, proc(value))
        converted.append(tuple(row))
    return converted


def update_rows(conn: Connection, table: Table, keys: Sequence[str], columns: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> int:
    """Set ``columns`` of the rows named by ``keys``: each row is the new values, then the key values.
    SQLite runs the driver's executemany; elsewhere Core's. Returns the row count."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    if conn.dialect.name == "sqlite":
        sets = ", ".join(f'"{c}" = ?' for c in columns)
        where = " AND ".join(f'"{k}" = ?' for k in keys)
        conn.exec_driver_sql(f'UPDATE "{table.name}" SET {sets} WHERE {where}',
                             _sqlite_values(conn, table, [*columns, *keys], rows))
        return len(rows)
    from sqlalchemy import bindparam, update

    statement = update(table).where(*(table.c[k] == bindparam(f"k_{k}") for k in keys)).values(
        {c: bindparam(f"v_{c}") for c in columns})
    conn.execute(statement, [{**{f"v_{c}": v for c, v in zip(columns, row, strict=False)},
                              **{f"k_{k}": v for k, v in zip(keys, row[len(columns):], strict=True)}} for row in rows])
    return len(rows)
