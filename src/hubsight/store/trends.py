"""Rankings and series over any window of the history, computed in SQL (DuckDB over the lake).

One service for every door: ``GET /v1/trending`` and ``GET /v1/glance`` (HTTP), ``hf_history_trending``
(helpers) and the dashboard all call ``trending`` and ``glance`` here. The conventions are those of
the precomputed rankings (``crawl/trending.py``), without their caps:

- a window ends on the newest crawled day at or before ``date_to`` (default: the newest crawl) and
  starts on the newest crawled day at or before ``date_from`` (or ``date_to - days``); a window the
  store cannot cover is an error that names the crawled range;
- a repo not listed on the first day counts from 0; only gains rank (``delta > 0``); ties go to the
  larger current value, then the id; ``growth`` is delta over the first day's value (null from 0);
- downloads are differences of the all-time count; spaces have none;
- filters (author, library, tag, pipeline_tag, parameter range) apply to current metadata.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hubsight.errors import ContractError
from hubsight.helpers.registry import DOWNLOAD_KINDS
from hubsight.store.sql import HistorySQL, SqlError, plain

__all__ = ["Filters", "Window", "glance", "resolve_window", "trending"]

KINDS = ("model", "dataset", "space")
COLUMN = {"likes": "likes", "downloads": "downloads_all_time"}
MAX_LIMIT = 1000
DEFAULT_DAYS = 7


@dataclass(frozen=True)
class Filters:
    author: str | None = None
    library: str | None = None
    tag: str | None = None
    pipeline_tag: str | None = None
    min_params: int | None = None
    max_params: int | None = None

    def sql(self, args: list[Any]) -> str:
        parts = []
        for column, value in (("author", self.author), ("library_name", self.library), ("pipeline_tag", self.pipeline_tag)):
            if value is not None:
                parts.append(f"r.{column} = ?")
                args.append(value)
        if self.tag is not None:
            parts.append("list_contains(r.tags, ?)")
            args.append(self.tag)
        if self.min_params is not None:
            parts.append("r.num_params >= ?")
            args.append(self.min_params)
        if self.max_params is not None:
            parts.append("r.num_params <= ?")
            args.append(self.max_params)
        return "".join(f" AND {p}" for p in parts)


@dataclass(frozen=True)
class Window:
    date_from: date
    date_to: date
    stored: tuple[date, ...]

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days


def _hub_days(engine: HistorySQL) -> list[date]:
    result = engine.run("SELECT DISTINCT date FROM crawls WHERE source = 'hub' ORDER BY date", limit=100_000)
    return [row[0] for row in result.rows]


def _on_or_before(days: list[date], when: date) -> date | None:
    found = [d for d in days if d <= when]
    return found[-1] if found else None


def resolve_window(engine: HistorySQL, days: int | None, date_from: date | None, date_to: date | None) -> Window:
    stored = _hub_days(engine)
    if not stored:
        raise SqlError("the history holds no Hub crawl yet: run `hubsight crawl --only hub`", "NoHistory")
    span = f"the store holds Hub crawls from {stored[0]} to {stored[-1]} ({len(stored)} days)"
    if days is not None and date_from is not None:
        raise ContractError("give days or date_from, not both")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise ContractError(f"days must be a positive integer, got {days!r}")
    end = _on_or_before(stored, date_to) if date_to is not None else stored[-1]
    if end is None:
        raise ContractError(f"date_to {date_to} is before the first crawl: {span}")
    if days is None and date_from is None:  # the default window: a week, or all a younger store holds
        days = max(1, min(DEFAULT_DAYS, (end - stored[0]).days))
    try:
        start_at = date_from if date_from is not None else end - timedelta(days=days)
    except OverflowError:
        raise ContractError(f"days={days} reaches before year 1: {span}") from None
    if start_at >= end:
        raise ContractError(f"the window must start before it ends (date_from {start_at}, date_to {end})")
    start = _on_or_before(stored, start_at)
    if start is None:
        raise ContractError(
            f"a window starting {start_at} cannot be covered: {span}; use days <= {(end - stored[0]).days} "
            f"or date_from >= {stored[0]}"
        )
    return Window(start, end, tuple(stored))


def _cursor(values: tuple[Any, ...]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, ...]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != 3:
            raise ValueError
        return tuple(values)
    except (ValueError, UnicodeDecodeError):
        raise ContractError("cursor is not one this server gave: pass the next_cursor of the previous page") from None


def trending(
    engine: HistorySQL,
    kind: str,
    metric: str = "likes",
    window: Window | None = None,
    filters: Filters = Filters(),
    group_by: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
    series: bool = True,
) -> dict[str, Any]:
    """``{"items": [...], "meta": {...}}``: one page of the ranking, best first."""
    check(kind, metric, group_by, filters, limit)
    window = window or resolve_window(engine, 7, None, None)
    return _trending(engine, kind, metric, window, filters, group_by, limit, cursor, series)


def check(kind: str, metric: str, group_by: str | None, filters: Filters, limit: int) -> None:
    """The arguments' rules, before any reading: ContractError names the first broken one."""
    if kind not in KINDS:
        raise ContractError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if metric not in COLUMN:
        raise ContractError(f"metric must be likes or downloads, got {metric!r}")
    if kind not in DOWNLOAD_KINDS and metric == "downloads":
        raise ContractError("metric 'downloads' does not apply to spaces (the Hub counts none); use metric='likes'")
    if group_by not in (None, "author"):
        raise ContractError(f"group_by must be author or left out, got {group_by!r}")
    if kind != "model" and (filters.pipeline_tag or filters.library or filters.min_params is not None
                            or filters.max_params is not None):
        raise ContractError("pipeline_tag, library, min_params and max_params apply to models only")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ContractError(f"limit must be an integer from 1 to {MAX_LIMIT}, got {limit!r}")


def _trending(engine: HistorySQL, kind: str, metric: str, window: Window, filters: Filters, group_by: str | None,
              limit: int, cursor: str | None, series: bool) -> dict[str, Any]:
    column = COLUMN[metric]
    args: list[Any] = [window.date_to, kind, window.date_from, kind]
    where = filters.sql(args)
    grouped = bool(group_by)
    base = (
        f"WITH hi AS (SELECT rid, {column} AS v FROM _days WHERE date = ? AND kind = ?), "
        f"lo AS (SELECT rid, {column} AS v FROM _days WHERE date = ? AND kind = ?), "
        "t AS (SELECT r.repo_id, r.author, r.pipeline_tag, r.library_name, r.num_params, hi.v AS value_to, "
        "lo.v AS value_from, hi.v - coalesce(lo.v, 0) AS delta "
        f"FROM hi JOIN _repos r ON r.kind = '{kind}' AND r.rid = hi.rid LEFT JOIN lo ON lo.rid = hi.rid "
        f"WHERE hi.v IS NOT NULL{where}) "
    )
    if grouped:
        base += (
            ", g AS (SELECT author AS k, count(*) AS repos, sum(value_to) AS value_to, sum(coalesce(value_from, 0)) AS value_from, "
            "sum(delta) AS delta FROM t WHERE author IS NOT NULL GROUP BY author) "
        )
        source, name = "g", "k"
    else:
        source, name = "t", "repo_id"
    keyset = ""
    if cursor is not None:
        last_delta, last_value, last_key = decode_cursor(cursor)
        keyset = (" AND (delta < ? OR (delta = ? AND value_to < ?) OR (delta = ? AND value_to = ? AND "
                  f"{name} > ?))")
        args += [last_delta, last_delta, last_value, last_delta, last_value, last_key]
    # the total counts the whole ranking; the page starts after the cursor
    sql = (base + f", ranked AS (SELECT *, count(*) OVER () AS total FROM {source} WHERE delta > 0) "
           f"SELECT * FROM ranked WHERE true{keyset} ORDER BY delta DESC, value_to DESC, {name} LIMIT {limit + 1}")
    result = engine.run(sql, args, limit=limit + 1)
    rows = result.dicts()
    page, more = rows[:limit], len(rows) > limit
    first_rank = 1 if cursor is None else None
    items = []
    for i, row in enumerate(page):
        value_from = row["value_from"]
        growth = row["delta"] / value_from if value_from else None
        item = {"rank": None if first_rank is None else first_rank + i}
        if grouped:
            item |= {"author": row["k"], "repos": row["repos"]}
        else:
            item |= {"kind": kind, "repo_id": row["repo_id"], "author": row["author"], "pipeline_tag": row["pipeline_tag"],
                     "library_name": row["library_name"], "num_params": row["num_params"]}
        item |= {"value_from": value_from, "value_to": row["value_to"], "delta": row["delta"], "growth": growth}
        items.append(item)
    if cursor is not None and page:  # ranks continue: count the rows ranked above this page
        above = _rank_of(engine, base, source, name, args[: len(args) - 6], decode_cursor(cursor))
        for i, item in enumerate(items):
            item["rank"] = above + 1 + i
    if series and items and not grouped:
        _add_series(engine, kind, column, window, items)
    last = page[-1] if page else None
    next_cursor = _cursor((last["delta"], last["value_to"], last[name])) if more and last else None
    return {
        "items": items,
        "meta": {
            "kind": kind, "metric": metric, "group_by": group_by,
            "date_from": window.date_from.isoformat(), "date_to": window.date_to.isoformat(), "days": window.days,
            "total": page[0]["total"] if page else 0, "next_cursor": next_cursor, "more_available": more,
            "stored_from": window.stored[0].isoformat(), "stored_to": window.stored[-1].isoformat(),
            "filters": {k: v for k, v in filters.__dict__.items() if v is not None},
        },
    }


def _rank_of(engine: HistorySQL, base: str, source: str, name: str, args: list[Any], last: tuple[Any, ...]) -> int:
    delta, value, key = last
    sql = (base + f"SELECT count(*) FROM {source} WHERE delta > 0 AND (delta > ? OR (delta = ? AND value_to > ?) "
           f"OR (delta = ? AND value_to = ? AND {name} <= ?))")
    return int(engine.run(sql, [*args, delta, delta, value, delta, value, key], limit=1).rows[0][0])


def _add_series(engine: HistorySQL, kind: str, column: str, window: Window, items: list[dict[str, Any]]) -> None:
    """Each item's daily values over the window, oldest first (null on a day it was not listed)."""
    days = [d for d in window.stored if window.date_from <= d <= window.date_to]
    ids = [item["repo_id"] for item in items]
    placeholders = ", ".join("?" for _ in ids)
    result = engine.run(
        f"SELECT r.repo_id, d.date, d.{column} FROM _days d JOIN _repos r ON r.kind = d.kind AND r.rid = d.rid "
        f"WHERE d.kind = ? AND d.date BETWEEN ? AND ? AND r.repo_id IN ({placeholders})",
        [kind, window.date_from, window.date_to, *ids], limit=len(ids) * (len(days) + 1),
    )
    values: dict[str, dict[date, Any]] = {}
    for repo_id, day, value in result.rows:
        values.setdefault(repo_id, {})[day] = value
    for item in items:
        mine = values.get(item["repo_id"], {})
        item["series"] = [mine.get(d) for d in days]
    if items:
        items[0].setdefault("series_dates", [d.isoformat() for d in days])


def glance(engine: HistorySQL, days: int | None = None) -> dict[str, Any]:
    """Hub-wide series over the stored history (or its last ``days`` days)."""
    stored = _hub_days(engine)
    if not stored:
        raise SqlError("the history holds no Hub crawl yet: run `hubsight crawl --only hub`", "NoHistory")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise ContractError(f"days must be a positive integer, got {days!r}")
    try:
        lo = stored[0] if days is None else max(stored[0], stored[-1] - timedelta(days=days))
    except OverflowError:
        lo = stored[0]
    hi = stored[-1]
    new = engine.run(
        "SELECT CAST(created_at AS DATE) AS date, kind, count(*) AS count FROM repos "
        "WHERE created_at >= CAST(? AS DATE) AND CAST(created_at AS DATE) <= ? GROUP BY ALL ORDER BY date, kind",
        [lo, hi], limit=100_000,
    )
    pipes = engine.run(
        "SELECT CAST(created_at AS DATE) AS date, coalesce(pipeline_tag, '(none)') AS pipeline_tag, count(*) AS count "
        "FROM repos WHERE kind = 'model' AND created_at >= CAST(? AS DATE) AND CAST(created_at AS DATE) <= ? "
        "GROUP BY ALL ORDER BY date, count DESC",
        [lo, hi], limit=100_000,
    )
    totals = engine.run(
        "SELECT date, kind, repos, likes, downloads, daily_downloads FROM hub_days WHERE date BETWEEN ? AND ? "
        "ORDER BY date, kind",
        [lo, hi], limit=100_000,
    )
    risers = trending(engine, "model", "likes", resolve_window(engine, 1, None, None), limit=10, series=False) \
        if len(stored) > 1 else {"items": []}
    return {
        "series": {"new_repos": new.dicts(), "new_models_by_pipeline": pipes.dicts(), "totals": totals.dicts()},
        "risers": risers["items"],
        "meta": {"date_from": plain(lo), "date_to": plain(hi), "crawled_days": len([d for d in stored if lo <= d <= hi])},
    }
