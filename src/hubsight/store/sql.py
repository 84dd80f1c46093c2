"""Read-only SQL over the whole history: DuckDB over the lake's Parquet files, contained.

Every door (``hubsight sql``, ``POST /v1/sql``, the sandbox's ``hf_history_sql``, the dashboard) runs
queries through ``HistorySQL.run``. What it allows:

- one statement, a SELECT (or WITH ... SELECT): anything else is refused before it runs;
- files: only the lake directory (``enable_external_access`` off with ``allowed_directories``), no
  extension installs or loads, and the configuration is locked once the views exist, so ``SET`` /
  ``PRAGMA`` / ``ATTACH`` / ``COPY`` / ``INSTALL`` fail even if they got past the statement check;
- a memory limit with no spilling to disk, and a time limit (the query is interrupted);
- at most ``max_rows`` rows come back (the result says ``truncated``).

An engine is kept per (store, lake) and rebuilt when the lake's manifest changes, so new crawls
show up without a restart. Before answering, the lake is brought up to the store if it lags
(``lake.sync``): a store crawled before the lake existed is readable at once.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field
from typing_extensions import TypedDict  # pydantic reads TypedDicts from typing_extensions before 3.12

from hubsight.errors import HubsightError
from hubsight.store import lake, views

__all__ = ["HistorySQL", "SqlError", "SqlResult", "for_settings"]

ALLOWED = {"SELECT"}


class SqlError(HubsightError):
    """A history SQL query that was refused, failed, or ran out of time or memory."""

    def __init__(self, message: str, kind: str = "SqlError") -> None:
        super().__init__(message)
        self.kind = kind

    @property
    def hint(self) -> str:
        return "The views and their columns:\n" + views.schema_text()

    @property
    def about_the_query(self) -> bool:
        """Whether the views' columns help fix it (a query refused or failing), unlike a store's failure."""
        return self.kind in ("SqlError", "SqlRefused")


class SqlMeta(TypedDict):
    """What an answer says about itself, declared once: ``POST /v1/sql``'s response model and MCP's
    ``history_sql`` answer this; ``hf_history_sql`` names the same keys in its meta."""

    row_count: Annotated[int, Field(description="Rows in this answer.")]
    truncated: Annotated[bool, Field(description="Whether more rows existed than the limit let through.")]
    elapsed_ms: Annotated[float, Field(description="How long the query ran, in milliseconds.")]
    as_of: Annotated[str | None, Field(description="The newest Hub crawl the history holds, YYYY-MM-DD.")]
    stored_from: Annotated[str | None, Field(description="The first Hub crawl the history holds, YYYY-MM-DD.")]
    hint: Annotated[str | None, Field(description="Why there are no rows, when there are none (the days the history holds).")]
    limit: Annotated[int, Field(description="The most rows this answer could hold.")]
    hard_cap_applied: Annotated[bool, Field(description="Whether the limit asked for was cut to HUBSIGHT_SQL_MAX_ROWS.")]


@dataclass
class SqlResult:
    columns: list[tuple[str, str]]
    rows: list[tuple[Any, ...]]
    truncated: bool
    elapsed_ms: float
    as_of: date | None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def dicts(self) -> list[dict[str, Any]]:
        """Rows as dicts of JSON values (see ``plain``)."""
        names = self.names
        return [dict(zip(names, map(plain, row), strict=True)) for row in self.rows]

    def lists(self) -> list[list[Any]]:
        """Rows as lists of JSON values (see ``plain``)."""
        return [[plain(v) for v in row] for row in self.rows]

    def meta_json(self) -> SqlMeta:
        return SqlMeta(row_count=len(self.rows), truncated=self.truncated, elapsed_ms=round(self.elapsed_ms, 2),
                       as_of=self.as_of.isoformat() if self.as_of else None, stored_from=self.meta.get("stored_from"),
                       hint=self.meta.get("hint"), limit=self.meta.get("limit", len(self.rows)),
                       hard_cap_applied=bool(self.meta.get("hard_cap_applied")))


def plain(value: Any) -> Any:
    """A DuckDB value as JSON: dates YYYY-MM-DD, instants as the helpers write them (``2025-01-31T07:09:51.000Z``), decimals as floats,
    lists and structs recursively; NaN and infinities as null."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


_NO_TABLE = re.compile(r"Catalog Error: Table with name (\S+) does not exist!(?:\s*Did you mean \"[^\"]*\"\?)?")


def _duck_error(exc: Exception) -> str:
    text = str(exc).strip()
    text = text.split("\n\nLINE")[0].strip() if "\n\nLINE" in text else text
    # DuckDB suggests the nearest relation, private ones (_totals) too: name the views instead
    return _NO_TABLE.sub(lambda m: f"no view {m.group(1)}: the views are {', '.join(v.name for v in views.VIEWS)}", text)


class HistorySQL:
    """A contained DuckDB over one lake. Thread-safe: each query runs on a cursor of its own."""

    def __init__(self, root: Path, timeout: float = 10.0, memory_mb: int = 1024, max_rows: int = 10_000,
                 engine: Any = None, threads: int = 2) -> None:
        self.root = Path(root).resolve()
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.max_rows = max_rows
        self.store = engine
        self.threads = threads
        self._db: Any = None
        self._version: str | None = None
        self._lock = threading.Lock()
        self._checked = 0.0

    # -- the database ----------------------------------------------------------------------------
    def _build(self) -> Any:
        import duckdb

        config = {
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
            "allow_community_extensions": False,
            "memory_limit": f"{self.memory_mb}MB",
            "max_temp_directory_size": "0B",
            "threads": self.threads,
        }
        db = duckdb.connect(":memory:", config=config)
        root = str(self.root)
        db.execute(f"SET allowed_directories = ['{root}/']")
        db.execute("SET enable_external_access = false")
        for name, sql in lake_relations(self.root).items():
            # the current metadata is joined by nearly every query: held in memory, read once per crawl
            db.execute(f"CREATE {'TABLE' if name == '_repos' else 'VIEW'} {name} AS {sql}")
        for view in views.VIEWS:
            db.execute(f"CREATE VIEW {view.name} AS {view.sql.format(root=root)}")
        db.execute("SET lock_configuration = true")
        return db

    def _manifest_version(self) -> str:
        try:
            return str((self.root / "_manifest.json").stat().st_mtime_ns)
        except OSError:
            return ""

    def _ensure(self) -> Any:
        now = time.monotonic()
        with self._lock:
            if self.store is not None and now - self._checked > 1.0:
                # checked at most once a second while the store answers; each call while it does not
                from sqlalchemy.exc import SQLAlchemyError

                try:
                    if lake.stale(self.store, self.root):
                        lake.sync(self.store, self.root)
                except lake.LakeError as exc:
                    raise SqlError(str(exc), "StoreUnavailable") from None
                except SQLAlchemyError as exc:
                    from hubsight.store.db import cannot_read, cause, unreadable

                    if unreadable(exc):
                        raise SqlError(cannot_read(self.store, exc), "StoreUnavailable") from None
                    raise SqlError(
                        f"the history store cannot be read ({cause(exc)}): run `hubsight crawl` to create and fill it",
                        "NoHistory",
                    ) from None
                self._checked = now
            if not (self.root / "_manifest.json").exists():
                raise SqlError(
                    f"there is no history at {self.root}: run `hubsight crawl` first (or set HUBSIGHT_LAKE)", "NoHistory"
                )
            version = self._manifest_version()
            if self._db is None or version != self._version:
                old = self._db
                self._db = self._build()
                self._version = version
                if old is not None:
                    old.close()
            return self._db

    def as_of(self) -> date | None:
        return self.span()[1]

    def span(self, source: str = "hub") -> tuple[date | None, date | None]:
        """The first and the newest crawl of ``source`` (hub, papers, arena) the history holds."""
        crawls = lake.read_manifest(self.root).get("crawls", {}).get(source, {})
        return (date.fromisoformat(min(crawls)), date.fromisoformat(max(crawls))) if crawls else (None, None)

    def held(self) -> str:
        """What the history holds, in words: each source's days, or that it was never crawled."""
        parts = []
        for source, label in (("hub", "Hub"), ("papers", "papers"), ("arena", "arena")):
            first, last = self.span(source)
            parts.append(f"{label} crawls from {first} to {last}" if first else
                         f"no {label} crawl (`hubsight crawl --only {source}`)")
        return ", ".join(parts)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # -- queries -----------------------------------------------------------------------------------
    def check(self, sql: str) -> str:
        """The one SELECT statement in ``sql``, or SqlError saying what is allowed."""
        import duckdb

        if not isinstance(sql, str) or not sql.strip():
            raise SqlError("sql must be a non-empty string holding one SELECT (or WITH ... SELECT) statement")
        if len(sql) > views.MAX_SQL_CHARS:
            raise SqlError(f"sql is {len(sql):,} characters long; at most {views.MAX_SQL_CHARS:,} are accepted")
        try:
            statements = duckdb.extract_statements(sql)
        except duckdb.Error as exc:
            raise SqlError(f"the query does not parse: {_duck_error(exc)}") from None
        if len(statements) != 1:
            raise SqlError(f"one statement per query, got {len(statements)}: send them one at a time")
        kind = statements[0].type.name
        if kind not in ALLOWED:
            raise SqlError(
                f"only read queries run here (one SELECT or WITH ... SELECT), got a {kind} statement", "SqlRefused"
            )
        return statements[0].query

    def run(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None, limit: int = 1000) -> SqlResult:
        import duckdb

        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise SqlError(f"limit must be a positive integer, got {limit!r}")
        if params is not None and not isinstance(params, list | tuple | dict):
            raise SqlError(f"params must be a list (for ? or $1) or an object (for $name), got {type(params).__name__}")
        query = self.check(sql).strip().rstrip(";")
        cap = min(limit, self.max_rows)
        db = self._ensure()
        cursor = db.cursor()
        timer = threading.Timer(self.timeout, cursor.interrupt)
        began = time.perf_counter()
        timer.start()
        try:
            cursor.execute(f"SELECT * FROM ({query}\n) AS q LIMIT {cap + 1}", params)
            columns = [(d[0], str(d[1])) for d in cursor.description]
            rows = cursor.fetchall()
        except duckdb.InterruptException:
            raise SqlError(
                f"the query ran longer than {self.timeout:g} s and was stopped (HUBSIGHT_SQL_TIMEOUT); "
                "filter on date and kind first, or aggregate before joining", "SqlTimeout"
            ) from None
        except duckdb.OutOfMemoryException:
            raise SqlError(
                f"the query needed more than {self.memory_mb} MB (HUBSIGHT_SQL_MEMORY_MB); "
                "filter on date and kind first, or aggregate before joining", "SqlTooBig"
            ) from None
        except duckdb.PermissionException as exc:
            raise SqlError(f"not allowed: {_duck_error(exc)}; only the history's views can be read", "SqlRefused") from None
        except duckdb.Error as exc:
            raise SqlError(_duck_error(exc)) from None
        finally:
            timer.cancel()
            cursor.close()
        elapsed = (time.perf_counter() - began) * 1000
        truncated = len(rows) > cap
        first, last = self.span()
        hint = None
        if not rows:  # a day outside the history answers no rows too: say which days there are
            hint = f"no rows; the history holds {self.held()}: check the query's dates and filters"
        meta = {"limit": cap, "hard_cap_applied": limit > self.max_rows, "stored_from": first.isoformat() if first else None,
                "hint": hint}
        return SqlResult(columns, rows[:cap], truncated, elapsed, last, meta)


def lake_relations(root: Path) -> dict[str, str]:
    """The private relations over the lake's files; a partitioned table with no day yet reads its
    schema-only file instead (a glob that matches nothing is an error in DuckDB)."""
    root_s = str(root)
    out = {}
    for name, sql in views.PRIVATE.items():
        out[name] = sql.format(root=root_s)
    for name, folder, key in (("_days", "repo_days", "date"), ("_versions", "repo_versions", "valid_to"),
                              ("_arena", "arena", "publish_date"), ("_totals", "hub_days", "date"),
                              ("_authors", "author_days", "date")):
        if not any((root / folder).glob("*/*.parquet")):
            out[name] = f"SELECT *, CAST(NULL AS DATE) AS {key} FROM read_parquet('{root_s}/_empty/{folder}.parquet')"
    return out


_engines: dict[tuple[Any, ...], HistorySQL] = {}
_engines_lock = threading.Lock()


def for_settings(settings: Any) -> HistorySQL:
    """The process's engine for the configured store and lake (made on first use)."""
    from hubsight.store import history
    from hubsight.store.db import missing_sqlite

    key = (settings.db, str(settings.lake_dir), settings.sql_timeout, settings.sql_memory_mb, settings.sql_max_rows)
    with _engines_lock:
        found = _engines.get(key)
        if found is None:
            missing = missing_sqlite(settings.db)
            if missing is not None:  # a read never creates a store
                raise SqlError(f"there is no history store at {missing}: run `hubsight crawl` first (HUBSIGHT_DB)",
                               "NoHistory")
            if not _engines:
                import atexit

                atexit.register(close_all)
            found = _engines[key] = HistorySQL(
                settings.lake_dir, settings.sql_timeout, settings.sql_memory_mb, settings.sql_max_rows,
                engine=history.engine(settings.db),  # the store engine the history service shares
            )
        return found


def close_all() -> None:
    """Close every engine ``for_settings`` made (DuckDB databases and store connections)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.close()
            if engine.store is not None:
                engine.store.dispose()
        _engines.clear()


