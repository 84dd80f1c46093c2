"""The history as Parquet files that pandas, Polars, DuckDB and Spark read as they are.

The database (SQLite or PostgreSQL) stays the source of truth; the lake is derived from it, written
after every crawl (``hubsight crawl``), on demand by the SQL door when it is behind, and into any
folder by ``hubsight export``. Layout under the lake directory:

    repo_days/date=YYYY-MM-DD/data.parquet     the day's numbers: kind, rid, likes, downloads, ...
    hub_days/date=YYYY-MM-DD/data.parquet      the day's Hub-wide totals per kind
    author_days/date=YYYY-MM-DD/data.parquet   the day's totals per owner and kind
    repo_versions/valid_to=YYYY-MM-DD/data.parquet   versions closed that day (append-only)
    arena/publish_date=YYYY-MM-DD/data.parquet  one LMArena publication of every subset (append-only)
    repos.parquet                              current metadata, one row per repo ever seen (with rid)
    renames.parquet, papers.parquet, daily_papers.parquet, crawls.parquet
    _empty/                                    schema-only files, for a partitioned table with no day yet
    _manifest.json                             what has been written, per day and per source

Day partitions are immutable once written (only a forced re-crawl of the newest day rewrites its
own), so keeping the lake current costs one new file per day plus the small whole-table files.
``rid`` is a dense per-kind number joining the daily files to ``repos.parquet``: the days carry no
strings, so a day of a million models weighs a few megabytes. The SQL views (``store/views.py``)
hide it. Every file is written to a temporary name and renamed into place, so readers never see a
half-written file.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Connection, Engine, select, text

from hubsight.errors import HubsightError
from hubsight.store import snapshots as blobs
from hubsight.store import tagcodec
from hubsight.store.db import parse_url
from hubsight.store.schema import (
    TRACKED,
    Day,
    arena_rankings,
    crawl_runs,
    daily_papers,
    paper_categories,
    papers,
    renames,
    repo_versions,
)

__all__ = ["LAYOUT", "LakeError", "SyncReport", "default_dir", "fingerprint", "sync"]

LAYOUT = 2
"""Bumped when the files change shape: a lake of another layout is rewritten whole by the next sync."""
KINDS = ("model", "dataset", "space")
COMPRESSION = "zstd"
ROW_GROUP = 131_072
"""Rows per Parquet row group: min/max statistics per group let a one-repo query skip the rest."""

TS = pa.timestamp("ms", tz="UTC")
TRACKED_TYPES = {
    "pipeline_tag": pa.string(), "library_name": pa.string(), "tags": pa.list_(pa.string()), "gated": pa.string(),
    "sdk": pa.string(), "runtime_stage": pa.string(), "num_params": pa.int64(),
}
DAYS_SCHEMA = pa.schema([
    ("kind", pa.string()), ("rid", pa.int32()), ("likes", pa.int64()), ("downloads", pa.int64()),
    ("downloads_all_time", pa.int64()), ("daily_downloads", pa.int64()), ("trending_score", pa.int64()),
])
VERSIONS_SCHEMA = pa.schema([("kind", pa.string()), ("rid", pa.int32()), ("valid_from", pa.date32()),
                             *((n, TRACKED_TYPES[n]) for n in TRACKED)])
TOTALS_SCHEMA = pa.schema([
    ("kind", pa.string()), ("repos", pa.int64()), ("likes", pa.int64()), ("downloads", pa.int64()),
    ("downloads_all_time", pa.int64()), ("daily_downloads", pa.int64()), ("repos_with_daily", pa.int64()),
])
AUTHORS_SCHEMA = pa.schema([
    ("kind", pa.string()), ("author", pa.string()), ("repos", pa.int64()), ("likes", pa.int64()),
    ("downloads", pa.int64()), ("downloads_all_time", pa.int64()), ("daily_downloads", pa.int64()),
])
ARENA_SCHEMA = pa.schema([
    ("subset", pa.string()), ("category", pa.string()), ("model_name", pa.string()), ("organization", pa.string()),
    ("license", pa.string()), ("rating", pa.float64()), ("rating_lower", pa.float64()), ("rating_upper", pa.float64()),
    ("variance", pa.float64()), ("vote_count", pa.int64()), ("rank", pa.int32()),
])
REPOS_SCHEMA = pa.schema([
    ("kind", pa.string()), ("rid", pa.int32()), ("repo_id", pa.string()), ("author", pa.string()),
    ("created_at", TS), ("first_seen", pa.date32()), ("last_seen", pa.date32()), ("deleted_on", pa.date32()),
    ("meta_since", pa.date32()), *((n, TRACKED_TYPES[n]) for n in TRACKED),
])


class LakeError(HubsightError):
    """The lake directory cannot be written or read."""


@dataclass
class SyncReport:
    root: Path
    days_written: list[date] = field(default_factory=list)
    tables_written: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.days_written or self.tables_written)


def default_dir(db_url: str) -> Path:
    """Where a store's lake lives by default: beside a SQLite file (``history.db`` → ``history.lake``);
    for a server database, in the user data directory under a name made of its URL."""
    url = parse_url(db_url)  # StoreUnavailable for what is not a URL
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database).expanduser()
        return path.with_name(path.stem + ".lake")
    from hashlib import sha256

    from platformdirs import user_data_dir

    digest = sha256(url.render_as_string(hide_password=True).encode()).hexdigest()[:12]
    return Path(user_data_dir("hubsight", appauthor=False)) / f"lake-{url.get_backend_name()}-{digest}"


def fingerprint(conn: Connection) -> dict[str, Any]:
    """What the store holds, cheaply: every source's done dates and when each was stored. The lake is
    current when its manifest records the same."""
    rows = conn.execute(
        select(crawl_runs.c.source, crawl_runs.c.date, crawl_runs.c.finished_at).where(crawl_runs.c.status == "done")
    ).all()
    out: dict[str, dict[str, str]] = {}
    for source, day, finished in rows:
        out.setdefault(source, {})[day.isoformat()] = finished.isoformat() if finished else ""
    return {"layout": LAYOUT, "crawls": out}


# -- files ----------------------------------------------------------------------------------------------
def _write(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` atomically. Strings are dictionary-encoded; the dense ``rid`` is
    delta-encoded (as a dictionary it took two thirds of a day's file, delta-encoded almost nothing)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    strings = [f.name for f in table.schema if pa.types.is_string(f.type) or pa.types.is_list(f.type)]
    deltas = {f.name: "DELTA_BINARY_PACKED" for f in table.schema if f.name == "rid"}
    pq.write_table(table, tmp, compression=COMPRESSION, row_group_size=ROW_GROUP, use_dictionary=strings,
                   column_encoding=deltas or None, write_statistics=True)
    os.replace(tmp, path)


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """One writer at a time per lake (crawls, the SQL door catching up, exports)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        handle = open(root / ".lock", "w")  # noqa: SIM115
    except OSError as exc:
        raise LakeError(f"cannot write the history's Parquet files in {root}: {exc.strerror}; "
                        "set HUBSIGHT_LAKE to a writable directory") from None
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_manifest(root: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((root / "_manifest.json").read_text())
    except (OSError, ValueError):
        return {}
    return manifest if manifest.get("layout") == LAYOUT else {}


def _write_manifest(root: Path, manifest: dict[str, Any]) -> None:
    tmp = root / f"._manifest.json.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True))
    os.replace(tmp, root / "_manifest.json")


# -- the daily numbers -------------------------------------------------------------------------------------
def _nullable(values: np.ndarray) -> pa.Array:
    return pa.array(values, type=pa.int64(), mask=values < 0)


def day_table(conn: Connection, day: date, previous: date | None) -> pa.Table:
    """Every repo listed on ``day``: its numbers, and daily downloads against ``previous`` (the day before)."""
    parts = []
    for kind in KINDS:
        cols = blobs.read_day(conn, kind, day)
        if cols is None:
            continue
        rid = np.flatnonzero(cols["likes"] >= 0)
        all_time = cols["downloads_all_time"][rid]
        daily = np.full(len(rid), -1, dtype=np.int64)
        before = blobs.read_day(conn, kind, previous, n=len(cols["likes"])) if previous is not None else None
        if before is not None:
            prior = before["downloads_all_time"][rid]
            ok = (prior >= 0) & (all_time >= 0)
            daily[ok] = all_time[ok] - prior[ok]
        parts.append(pa.table({
            "kind": pa.array(np.full(len(rid), kind), type=pa.string()),
            "rid": pa.array(rid.astype(np.int32)),
            "likes": pa.array(cols["likes"][rid]),
            "downloads": _nullable(cols["downloads"][rid]),
            "downloads_all_time": _nullable(all_time),
            "daily_downloads": _nullable(daily),
            "trending_score": _nullable(cols["trending_score"][rid]),
        }, schema=DAYS_SCHEMA))
    return pa.concat_tables(parts) if parts else DAYS_SCHEMA.empty_table()


def totals_table(days: pa.Table) -> pa.Table:
    """Hub-wide totals of one day per kind: what the ``hub_days`` view reads without scanning every repo."""
    import duckdb

    with duckdb.connect() as db:
        db.register("d", days)
        out = db.sql(
            "SELECT kind, count(*) AS repos, sum(likes) AS likes, sum(downloads) AS downloads, "
            "sum(downloads_all_time) AS downloads_all_time, sum(daily_downloads) AS daily_downloads, "
            "count(daily_downloads) AS repos_with_daily FROM d GROUP BY kind ORDER BY kind"
        ).to_arrow_table()
    return out.cast(TOTALS_SCHEMA)


# -- whole tables ----------------------------------------------------------------------------------------
def authors_table(days: pa.Table, repos: pa.Table) -> pa.Table:
    """One day's totals per owner and kind (owners as in ``repos``, the current metadata)."""
    import duckdb

    with duckdb.connect() as db:
        db.register("d", days)
        db.register("r", repos.select(["kind", "rid", "author"]))
        out = db.sql(
            "SELECT d.kind, r.author, count(*) AS repos, sum(d.likes) AS likes, sum(d.downloads) AS downloads, "
            "sum(d.downloads_all_time) AS downloads_all_time, sum(d.daily_downloads) AS daily_downloads "
            "FROM d JOIN r ON r.kind = d.kind AND r.rid = d.rid WHERE r.author IS NOT NULL "
            "GROUP BY ALL ORDER BY d.kind, r.author"
        ).to_arrow_table()
    return out.cast(AUTHORS_SCHEMA)


def _json_list(value: Any) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in value]


def _dates(values: list[Any]) -> pa.Array:
    return pa.array(values, type=pa.date32())


def _utc(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes (stored in UTC), PostgreSQL aware ones: both become aware UTC."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _repos_typed(sqlite: bool) -> str:
    """Plain rows from the database typed by DuckDB, not row by row in Python: on SQLite dates are day
    numbers and tags come joined (``tagcodec``; the few lists stored plain as JSON in ``tags_plain``), on
    PostgreSQL dates are text and tags JSON text."""
    day = (lambda c: f"CAST(DATE '1970-01-01' + CAST({c} AS INTEGER) AS DATE)") if sqlite else (lambda c: f"CAST({c} AS DATE)")
    as_list = "CAST(from_json({}, '[\"VARCHAR\"]') AS VARCHAR[])"
    tags = (f"CASE WHEN tags_plain IS NOT NULL THEN {as_list.format('tags_plain')} WHEN tags_raw = '' THEN []::VARCHAR[] "
            f"ELSE string_split(tags_raw, chr({ord(tagcodec.SEPARATOR)})) END" if sqlite else as_list.format("tags_raw"))
    return (
        f"SELECT kind, rid, repo_id, author, make_timestamptz(created_ms * 1000) AS created_at, "
        f"{day('first_seen')} AS first_seen, {day('last_seen')} AS last_seen, {day('deleted_on')} AS deleted_on, "
        f"{day('coalesce(meta_since, first_seen)')} AS meta_since, pipeline_tag, library_name, {tags} AS tags, gated, "
        "sdk, runtime_stage, num_params FROM raw"
    )


REPO_ROW_NAMES = ("kind", "rid", "repo_id", "author", "created_ms", "first_seen", "last_seen", "deleted_on", "meta_since",
                  "pipeline_tag", "library_name", "tags_raw", "gated", "sdk", "runtime_stage", "num_params")


def _repo_rows(conn: Connection, since: date | None) -> pa.Table:
    """``repos`` rows as stored (dates as text or day numbers, epoch-millisecond instants, tags as JSON
    text or joined); with ``since``, only the rows a crawl after that day wrote (new, changed, renamed
    or revived: ``last_seen``) or marked deleted."""
    sqlite = conn.dialect.name == "sqlite"
    as_text = (lambda c: c) if sqlite else (lambda c: f"CAST({c} AS TEXT)")
    created = "created_at" if sqlite else "CAST(EXTRACT(EPOCH FROM created_at) * 1000 AS BIGINT)"
    query = (
        f"SELECT kind, rid, repo_id, author, {created}, {as_text('first_seen')}, {as_text('last_seen')}, "
        f"{as_text('deleted_on')}, {as_text('meta_since')}, pipeline_tag, library_name, {as_text('tags')}, gated, sdk, "
        "runtime_stage, num_params FROM repos"
    )
    if since is not None:
        query += " WHERE last_seen > :since OR deleted_on > :since" if sqlite else \
            " WHERE last_seen > CAST(:since AS DATE) OR deleted_on > CAST(:since AS DATE)"
    bound = Day().process_bind_param(since, conn.dialect) if sqlite else since.isoformat() if since else None
    path = conn.engine.url.database if sqlite else None
    if path and path != ":memory:" and not path.startswith("file:"):
        raw = _sqlite_arrow(path, query.replace(":since", "?"), [bound, bound] if since is not None else [])
    else:
        rows = conn.execute(text(query), {"since": bound} if since is not None else {}).fetchall()
        columns = list(zip(*rows, strict=True)) if rows else [() for _ in REPO_ROW_NAMES]
        del rows
        raw = pa.table({n: pa.array(col) for n, col in zip(REPO_ROW_NAMES, columns, strict=True)})
    if sqlite:
        joined, plain = tagcodec.unpack_columns(raw.column(11).to_pylist())
        raw = raw.set_column(11, "tags_raw", pa.array(joined, type=pa.string()))
    day = pa.int32() if sqlite else pa.string()
    types = [pa.string(), pa.int32(), pa.string(), pa.string(), pa.int64(), day, day, day,
             day, pa.string(), pa.string(), pa.string(), pa.string(), pa.string(), pa.string(), pa.int64()]
    raw = raw.cast(pa.schema(list(zip(REPO_ROW_NAMES, types, strict=True))))
    return raw.append_column("tags_plain", pa.array(plain, type=pa.string())) if sqlite else raw


def _sqlite_arrow(path: str, query: str, params: list[Any]) -> pa.Table:
    """A query's rows on a SQLite file read straight into Arrow (ADBC), typed from all of them at once."""
    import adbc_driver_sqlite.dbapi as adbc

    with adbc.connect(f"file:{quote(str(Path(path).expanduser()))}?mode=ro") as db, db.cursor() as cursor:
        cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(1 << 30)})
        cursor.execute(query, params or None)
        table = cursor.fetch_arrow_table()
    return table.rename_columns(list(REPO_ROW_NAMES))


def repos_table(conn: Connection, latest: date | None, base: Path | None = None, since: date | None = None) -> pa.Table:
    """Current metadata of every repo ever seen (a million and more at scale).

    With ``base`` (the path of the lake's ``repos.parquet`` as of hub day ``since``), only the rows written or
    deleted after ``since`` are read from the database and patched in: a day's crawl rewrites a few
    thousand rows, so the daily cost is a read of the file, not of the whole table. A live repo's
    ``last_seen`` is the newest crawl (``latest``)."""
    import duckdb

    raw = _repo_rows(conn, since if base is not None else None)
    live_last = f"DATE '{latest.isoformat()}'" if latest else "last_seen"  # a date, not user text
    with duckdb.connect() as db:
        db.register("raw", raw)
        fresh = f"SELECT * FROM ({_repos_typed(conn.dialect.name == 'sqlite')})"
        if base is not None:
            quoted = str(base).replace("'", "''")  # our own file; DuckDB reads it 4x faster than pyarrow
            db.execute(f"CREATE VIEW base AS SELECT * FROM read_parquet('{quoted}')")
            fresh = (f"SELECT * FROM base WHERE NOT EXISTS (SELECT 1 FROM raw WHERE raw.kind = base.kind AND raw.rid = base.rid) "
                     f"UNION ALL {fresh}")
        table = db.sql(
            f"SELECT * REPLACE (CASE WHEN deleted_on IS NULL THEN {live_last} ELSE last_seen END AS last_seen) "
            f"FROM ({fresh}) ORDER BY kind, rid"
        ).to_arrow_table()
    return table.select(REPOS_SCHEMA.names).cast(REPOS_SCHEMA)


def _patchable(had: dict[str, str], now: dict[str, str]) -> date | None:
    """The hub day ``repos.parquet`` was last written for, when every crawl since is of a later day
    (so the rows those crawls wrote are exactly what changed); None when a full rewrite is needed."""
    if not had or any(now.get(day) != stamp for day, stamp in had.items()):
        return None
    last = max(had)
    if any(day <= last for day in now if day not in had):
        return None
    return date.fromisoformat(last)


def versions_table(conn: Connection, valid_to: date) -> pa.Table:
    v = repo_versions.c
    rows = conn.execute(
        select(v.kind, v.rid, v.valid_from, *(v[n] for n in TRACKED)).where(v.valid_to == valid_to).order_by(v.kind, v.rid)
    ).all()
    data: dict[str, list[Any]] = {name: [] for name in VERSIONS_SCHEMA.names}
    for row in rows:
        for name, value in zip(VERSIONS_SCHEMA.names, row, strict=True):
            data[name].append(_json_list(value) if name == "tags" else value)
    return pa.table(data, schema=VERSIONS_SCHEMA)


def renames_table(conn: Connection) -> pa.Table:
    n = renames.c
    rows = conn.execute(select(n.kind, n.rid, n.old_id, n.new_id, n.date).order_by(n.date, n.kind)).all()
    return pa.table({
        "kind": pa.array([r[0] for r in rows], type=pa.string()),
        "rid": pa.array([r[1] for r in rows], type=pa.int32()),
        "old_repo_id": pa.array([r[2] for r in rows], type=pa.string()),
        "new_repo_id": pa.array([r[3] for r in rows], type=pa.string()),
        "date": _dates([r[4] for r in rows]),
    })


def papers_table(conn: Connection) -> pa.Table:
    p, c = papers.c, paper_categories.c
    cats: dict[str, list[str]] = {}
    for arxiv_id, category in conn.execute(select(c.arxiv_id, c.category).order_by(c.arxiv_id, c.category)):
        cats.setdefault(arxiv_id, []).append(category)
    rows = conn.execute(
        select(p.arxiv_id, p.title, p.summary, p.authors, p.primary_category, p.published, p.updated).order_by(p.published)
    ).all()
    return pa.table({
        "arxiv_id": pa.array([r.arxiv_id for r in rows], type=pa.string()),
        "title": pa.array([r.title for r in rows], type=pa.string()),
        "summary": pa.array([r.summary for r in rows], type=pa.string()),
        "authors": pa.array([_json_list(r.authors) for r in rows], type=pa.list_(pa.string())),
        "categories": pa.array([cats.get(r.arxiv_id, []) for r in rows], type=pa.list_(pa.string())),
        "primary_category": pa.array([r.primary_category for r in rows], type=pa.string()),
        "published": pa.array([_utc(r.published) for r in rows], type=TS),
        "updated": pa.array([_utc(r.updated) for r in rows], type=TS),
    })


def daily_papers_table(conn: Connection) -> pa.Table:
    d = daily_papers.c
    rows = conn.execute(select(d.date, d.paper_id, d.rank, d.title, d.upvotes, d.num_comments).order_by(d.date, d.rank)).all()
    return pa.table({
        "date": _dates([r[0] for r in rows]),
        "paper_id": pa.array([r[1] for r in rows], type=pa.string()),
        "rank": pa.array([r[2] for r in rows], type=pa.int32()),
        "title": pa.array([r[3] for r in rows], type=pa.string()),
        "upvotes": pa.array([r[4] for r in rows], type=pa.int32()),
        "num_comments": pa.array([r[5] for r in rows], type=pa.int32()),
    })


def arena_dates(conn: Connection) -> list[date]:
    return sorted(conn.scalars(select(arena_rankings.c.publish_date).distinct()))


def arena_table(conn: Connection, day: date) -> pa.Table:
    """One publication date of every leaderboard (publications never change, so they are written once)."""
    a = arena_rankings.c
    names = ["subset", "category", "model_name", "organization", "license", "rating", "rating_lower",
             "rating_upper", "variance", "vote_count", "rank"]
    types = [pa.string(), pa.string(), pa.string(), pa.string(), pa.string(), pa.float64(), pa.float64(),
             pa.float64(), pa.float64(), pa.int64(), pa.int32()]
    rows = conn.execute(
        select(*(a[n] for n in names)).where(a.publish_date == day).order_by(a.subset, a.category, a.rank)
    ).all()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pa.table({n: pa.array(col, type=t) for n, col, t in zip(names, columns, types, strict=True)}, schema=ARENA_SCHEMA)


def crawls_table(conn: Connection) -> pa.Table:
    c = crawl_runs.c
    rows = conn.execute(
        select(c.date, c.source, c.started_at, c.finished_at).where(c.status == "done").order_by(c.date, c.source)
    ).all()
    return pa.table({
        "date": _dates([r[0] for r in rows]),
        "source": pa.array([r[1] for r in rows], type=pa.string()),
        "started_at": pa.array([_utc(r[2]) for r in rows], type=TS),
        "finished_at": pa.array([_utc(r[3]) for r in rows], type=TS),
    })


TABLES: dict[str, tuple[str, Callable[[Connection], pa.Table]]] = {
    "renames": ("hub", renames_table),
    "papers": ("papers", papers_table),
    "daily_papers": ("papers", daily_papers_table),
}
"""Whole-table files, each rewritten when its source's crawls change."""


# -- sync ---------------------------------------------------------------------------------------------
def sync(engine: Engine, root: Path, say: Callable[[str], None] | None = None) -> SyncReport:
    """Bring the lake at ``root`` up to the store: write the day partitions it lacks (or whose crawl was
    redone) and rewrite the whole-table files whose source changed. Idempotent; a no-op when current."""
    note = say or (lambda _msg: None)
    root = Path(root)
    report = SyncReport(root)
    with _locked(root), engine.connect() as conn:
        manifest = read_manifest(root)
        current = fingerprint(conn)
        if manifest.get("crawls") == current["crawls"] and (root / "repos.parquet").exists():
            return report
        if not manifest:  # a new lake, or one of another layout: every day is written again
            for folder in ("repo_days", "hub_days", "author_days", "repo_versions", "arena", "_empty"):
                for file in (root / folder).glob("**/*.parquet") if (root / folder).exists() else ():
                    file.unlink()
        had = manifest.get("crawls", {})
        hub_now, hub_had = current["crawls"].get("hub", {}), had.get("hub", {})
        hub_days = sorted(date.fromisoformat(d) for d in hub_now)
        for empty, schema in (("repo_days", DAYS_SCHEMA), ("repo_versions", VERSIONS_SCHEMA), ("arena", ARENA_SCHEMA),
                              ("hub_days", TOTALS_SCHEMA), ("author_days", AUTHORS_SCHEMA)):
            if not (root / "_empty" / f"{empty}.parquet").exists():
                _write(schema.empty_table(), root / "_empty" / f"{empty}.parquet")
        keep = {d.isoformat() for d in hub_days}
        for folder, key in (("repo_days", "date"), ("hub_days", "date"), ("author_days", "date"), ("repo_versions", "valid_to")):
            for part in (root / folder).glob(f"{key}=*") if (root / folder).exists() else ():
                if part.name.removeprefix(f"{key}=") not in keep:  # a store recreated under the same lake
                    for file in part.iterdir():
                        file.unlink()
                    part.rmdir()
        changed = {s for s in current["crawls"] if current["crawls"][s] != had.get(s)}
        current_repos: pa.Table | None = None
        if "hub" in changed or not (root / "repos.parquet").exists():
            note("writing current metadata")
            since = _patchable(hub_had, hub_now) if (root / "repos.parquet").exists() else None
            base = root / "repos.parquet" if since is not None else None
            current_repos = repos_table(conn, hub_days[-1] if hub_days else None, base, since)
            _write(current_repos, root / "repos.parquet")
            report.tables_written.append("repos")
        stored = set(hub_days)
        for day in hub_days:
            key = day.isoformat()
            if (hub_had.get(key) == hub_now[key] and (root / "repo_days" / f"date={key}" / "data.parquet").exists()
                    and (root / "hub_days" / f"date={key}" / "data.parquet").exists()
                    and (root / "author_days" / f"date={key}" / "data.parquet").exists()):
                continue
            note(f"writing the numbers of {key}")
            previous = day - timedelta(days=1)
            numbers = day_table(conn, day, previous if previous in stored else None)
            _write(numbers, root / "repo_days" / f"date={key}" / "data.parquet")
            _write(totals_table(numbers), root / "hub_days" / f"date={key}" / "data.parquet")
            if current_repos is None:
                current_repos = pq.read_table(root / "repos.parquet")
            _write(authors_table(numbers, current_repos), root / "author_days" / f"date={key}" / "data.parquet")
            closed = versions_table(conn, day)
            target = root / "repo_versions" / f"valid_to={key}" / "data.parquet"
            if closed.num_rows:
                _write(closed, target)
            elif target.exists():
                target.unlink()
            report.days_written.append(day)
        _sync_arena(conn, root, current["crawls"].get("arena", {}), had.get("arena", {}), report, note)
        for name, (source, build) in TABLES.items():
            if source in changed or not (root / f"{name}.parquet").exists():
                _write(build(conn), root / f"{name}.parquet")
                report.tables_written.append(name)
        if changed or not (root / "crawls.parquet").exists():
            _write(crawls_table(conn), root / "crawls.parquet")
            report.tables_written.append("crawls")
        _write_manifest(root, current)
    return report


def _sync_arena(conn: Connection, root: Path, now: dict[str, str], had: dict[str, str], report: SyncReport,
                note: Callable[[str], None]) -> None:
    """Write the publication dates the lake lacks; a forced re-crawl of an arena day rewrites them all."""
    folder = root / "arena"
    redone = any(day in had and had[day] != stamp for day, stamp in now.items())
    present = {p.parent.name.removeprefix("publish_date=") for p in folder.glob("publish_date=*/data.parquet")}
    wanted = arena_dates(conn)
    for day in wanted:
        key = day.isoformat()
        if key in present and not redone:
            continue
        note(f"writing the LMArena publication of {key}")
        _write(arena_table(conn, day), folder / f"publish_date={key}" / "data.parquet")
        report.tables_written.append(f"arena {key}")
    for key in present - {d.isoformat() for d in wanted}:
        (folder / f"publish_date={key}" / "data.parquet").unlink(missing_ok=True)


def stale(engine: Engine, root: Path) -> bool:
    """Whether the lake lags the store (a cheap query and a small file read)."""
    with engine.connect() as conn:
        return read_manifest(Path(root)).get("crawls") != fingerprint(conn)["crawls"]

