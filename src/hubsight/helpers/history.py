"""History helpers: hubsight's own store of daily Hub snapshots (``HUBSIGHT_DB``, filled by ``hubsight crawl``).

They read the store through the history service the HTTP API reads it through (``store/history.py``),
in a worker thread, and make no Hub request: they cost no budget. Rows use the live helpers' canonical names
(``repo_id``, ``repo_type``, ``likes``, ``downloads``), so a script can join live data with history.
An empty store, a store that never listed the repo, or an unreadable store is ``ok=false`` with a
message that says what to run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Connection

from hubsight.errors import ContractError
from hubsight.helpers.runtime import Ctx
from hubsight.hub.normalise import iso
from hubsight.store import history, queries
from hubsight.store.history import NoHistory

__all__ = ["NoHistory", "hf_history_new", "hf_history_sql", "hf_history_trending", "hf_repo_history"]

T = TypeVar("T")
SOURCE = "history store"


async def _read(ctx: Ctx, fn: Callable[..., T], *args: Any) -> T:
    """``fn(conn, *args)`` through the history service, in a worker thread. Its ``NoHistory`` and
    ``StoreUnavailable`` come back from the helper as ``ok=false`` with their type (helpers/runtime.py)."""
    ctx.source = SOURCE
    return await asyncio.to_thread(history.read, ctx.settings.db, fn, *args)


# -- hf_repo_history ------------------------------------------------------------------------------------
def _history(conn: Connection, kind: str, repo_id: str, limit: int) -> tuple[date, queries.RepoRef, list[queries.HistoryDay], bool]:
    return history.latest(conn, "hub"), *history.repo_history(conn, kind, repo_id, limit)


async def hf_repo_history(ctx: Ctx, **args: Any) -> dict[str, Any]:
    kind = args["repo_type"]
    repo_id = args["repo_id"]
    if not isinstance(repo_id, str) or "/" not in repo_id:
        raise ContractError(f"repo_id must be an owner/name string, got {repo_id!r}")
    plan = ctx.limit()
    latest, ref, days, more = await _read(ctx, _history, kind, repo_id, plan.applied)
    rows = [
        {
            "repo_id": ref.repo_id,
            "repo_type": kind,
            "snapshot_date": d.day.isoformat(),
            "likes": d.likes,
            "downloads": d.downloads,
            "downloads_all_time": d.downloads_all_time,
            "daily_downloads": d.daily_downloads,
            "trending_score": d.trending_score,
            **d.meta,
            "deleted_on": ref.deleted_on.isoformat() if ref.deleted_on else None,
        }
        for d in days
    ]
    return ctx.ok(
        rows,
        store_date=latest.isoformat(),
        limit=plan.applied,
        hard_cap_applied=plan.hard_cap_applied,
        more_available=more,
        renamed_from=ref.renamed_from,
        deleted_on=ref.deleted_on.isoformat() if ref.deleted_on else None,
    )


# -- hf_history_trending -------------------------------------------------------------------------------
def _date_arg(name: str, value: Any) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ContractError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None


def _int_arg(name: str, value: Any) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ContractError(f"{name} must be a non-negative integer or None, got {value!r}")
    return value


def _sql_engine(ctx: Ctx) -> Any:
    from hubsight.store.sql import for_settings

    return for_settings(ctx.settings)


async def hf_history_trending(ctx: Ctx, **args: Any) -> dict[str, Any]:
    from hubsight.store import trends
    from hubsight.store.sql import SqlError

    kind, metric = args["repo_type"], args["metric"]
    date_from, date_to = _date_arg("date_from", args["date_from"]), _date_arg("date_to", args["date_to"])
    days = args["days"] if date_from is None else None
    filters = trends.Filters(
        author=args["author"], library=args["library"], tag=args["tag"], pipeline_tag=args["pipeline_tag"],
        min_params=_int_arg("min_params", args["min_params"]), max_params=_int_arg("max_params", args["max_params"]),
    )
    plan = ctx.limit()
    trends.check(kind, metric, args["group_by"], filters, plan.applied)
    ctx.source = SOURCE
    def work() -> dict[str, Any]:
        engine = _sql_engine(ctx)
        window = trends.resolve_window(engine, days, date_from, date_to)
        return trends.trending(engine, kind, metric, window, filters, args["group_by"], plan.applied, series=False)

    try:
        answer = await asyncio.to_thread(work)
    except SqlError as exc:
        return ctx.fail(f"{ctx.spec.name}: {exc}", error_type=exc.kind)
    meta = answer["meta"]
    rows = [
        {k: v for k, v in {
            "rank": r["rank"], "repo_id": r.get("repo_id"), "repo_type": kind if "repo_id" in r else None,
            "author": r.get("author"), "repos": r.get("repos"), "pipeline_tag": r.get("pipeline_tag"),
            "library_name": r.get("library_name"), "num_params": r.get("num_params"), "metric": metric,
            "latest": r["value_to"], "value_from": r["value_from"], "delta": r["delta"], "growth": r["growth"],
            "date_from": meta["date_from"], "date_to": meta["date_to"],
        }.items() if not (args["group_by"] and k in ("repo_id", "repo_type", "pipeline_tag", "library_name", "num_params"))}
        for r in answer["items"]
    ]
    if args["group_by"]:
        return ctx.ok(rows, project=False, store_date=meta["stored_to"], window=[meta["date_from"], meta["date_to"]],
                      total=meta["total"], exact_count=True, limit=plan.applied, hard_cap_applied=plan.hard_cap_applied,
                      more_available=meta["more_available"], group_by="author")
    return ctx.ok(
        rows,
        store_date=meta["stored_to"],
        days_requested=days,
        window=[meta["date_from"], meta["date_to"]],
        total=meta["total"],
        exact_count=True,
        limit=plan.applied,
        hard_cap_applied=plan.hard_cap_applied,
        more_available=meta["more_available"],
        filters=meta["filters"],
    )


# -- hf_history_sql ------------------------------------------------------------------------------------
async def hf_history_sql(ctx: Ctx, **args: Any) -> dict[str, Any]:
    from hubsight.store.sql import SqlError

    sql, params = args["sql"], args["params"]
    if not isinstance(sql, str):
        raise ContractError(f"sql must be a string holding one SELECT statement, got {type(sql).__name__}")
    if params is not None and not isinstance(params, list | dict):
        raise ContractError(f"params must be a list, a dict or None, got {type(params).__name__}")
    plan = ctx.limit()
    ctx.source = SOURCE
    try:
        result = await asyncio.to_thread(lambda: _sql_engine(ctx).run(sql, params, plan.applied))
    except SqlError as exc:
        hint = f". {exc.hint}" if exc.about_the_query else ""
        return ctx.fail(f"{ctx.spec.name}: {exc}{hint}", error_type=exc.kind)
    meta = result.meta_json()
    return ctx.ok(
        result.dicts(),
        project=False,
        columns=[{"name": n, "type": t} for n, t in result.columns],
        row_count=meta["row_count"],
        truncated=result.truncated,
        more_available=result.truncated,
        as_of=meta["as_of"],
        stored_from=meta["stored_from"],
        **({"hint": meta["hint"]} if meta["hint"] else {}),
        elapsed_ms=meta["elapsed_ms"],
        limit=plan.applied,
        hard_cap_applied=plan.hard_cap_applied or meta["hard_cap_applied"],  # the contract's cap, or the server's
    )


# -- hf_history_new ------------------------------------------------------------------------------------
def _new(conn: Connection, kind: str, days: int, tag: str | None, limit: int) -> tuple[date, list[dict[str, Any]], bool]:
    latest = history.latest(conn, "hub")
    return latest, *history.new_repos(conn, kind, latest, days, tag, limit)


async def hf_history_new(ctx: Ctx, **args: Any) -> dict[str, Any]:
    kind = args["repo_type"]
    days = ctx.spec.param("days").default if args["days"] is None else args["days"]  # 1..MAX_DAYS: the declaration
    tag = args["pipeline_tag"]
    if tag is not None and kind != "model":
        raise ContractError("pipeline_tag applies to models only; leave it None for datasets and spaces")
    plan = ctx.limit()
    latest, found, more = await _read(ctx, _new, kind, days, tag, plan.applied)
    rows = [
        {
            "repo_id": r["repo_id"],
            "repo_type": kind,
            "author": r["author"],
            "pipeline_tag": r["pipeline_tag"],
            "created_at": iso(r["created_at"]),
            "first_seen": r["first_seen"].isoformat(),
        }
        for r in found
    ]
    return ctx.ok(
        rows,
        store_date=latest.isoformat(),
        since=iso(queries.since_midnight(latest, days)),
        limit=plan.applied,
        hard_cap_applied=plan.hard_cap_applied,
        more_available=more,
        limit_boundary_hit=more,
    )
