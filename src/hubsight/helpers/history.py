"""History helpers: hubsight's own store of daily Hub snapshots (``HUBSIGHT_DB``, filled by ``hubsight crawl``).

They read the store through the same query layer as the HTTP API (``store/queries.py``), in a worker
thread, and make no Hub request: they cost no budget. Rows use the live helpers' canonical names
(``repo_id``, ``repo_type``, ``likes``, ``downloads``), so a script can join live data with history.
An empty store, a store that never listed the repo, or an unreadable store is ``ok=false`` with a
message that says what to run.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from hubsight.errors import ContractError, HubsightError
from hubsight.helpers.runtime import Ctx
from hubsight.store import queries

T = TypeVar("T")
SOURCE = "history store"
MAX_DAYS = 90

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


class NoHistory(HubsightError):
    """The history store has nothing to answer with: no store, no crawl, or not this repo."""


def _engine(url: str) -> Engine:
    """One engine per store URL, made on first use. A missing SQLite file is not created by a read."""
    engine = _engines.get(url)
    if engine is None:
        from hubsight.store.db import make_engine, normalise_url

        parsed = make_url(normalise_url(url))
        path = parsed.database if parsed.get_backend_name() == "sqlite" else None
        if path and path != ":memory:" and not path.startswith("file:") and not Path(path).expanduser().exists():
            raise NoHistory(f"there is no history store at {path}: run `hubsight crawl` first (HUBSIGHT_DB)")
        with _lock:
            engine = _engines.get(url)
            if engine is None:
                engine = _engines[url] = make_engine(url)
    return engine


def _run(url: str, fn: Callable[..., T], *args: Any) -> T:
    try:
        with _engine(url).connect() as conn:
            return fn(conn, *args)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise NoHistory(f"the history store cannot be read ({reason}): run `hubsight crawl` to create and fill it") from None


async def _read(ctx: Ctx, fn: Callable[..., T], *args: Any) -> T:
    ctx.source = SOURCE
    return await asyncio.to_thread(_run, ctx.settings.db, fn, *args)


def _latest(conn: Connection) -> Any:
    day = conn.scalar(queries.latest_crawl_query("hub"))
    if day is None:
        raise NoHistory("the history store holds no Hub crawl yet: run `hubsight crawl --only hub`")
    return day


def _days(days: Any) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ContractError(f"days must be an integer from 1 to {MAX_DAYS}, got {days!r}")
    return days


def _failure(ctx: Ctx, exc: NoHistory) -> dict[str, Any]:
    return ctx.fail(f"{ctx.spec.name}: {exc}", error_type="NoHistory")


# -- hf_repo_history ------------------------------------------------------------------------------------
def _history(conn: Connection, kind: str, repo_id: str, limit: int) -> tuple[Any, queries.RepoRef, list[queries.HistoryDay]]:
    latest = _latest(conn)
    ref = queries.resolve_repo(conn, kind, repo_id)
    if ref is None:
        raise NoHistory(f"{kind} {repo_id!r} is not in the history store: no crawl has listed it (ids are case-sensitive)")
    return latest, ref, queries.read_history(conn, ref, limit + 1)


async def hf_repo_history(ctx: Ctx, **args: Any) -> dict[str, Any]:
    kind = args["repo_type"]
    repo_id = args["repo_id"]
    if not isinstance(repo_id, str) or "/" not in repo_id:
        raise ContractError(f"repo_id must be an owner/name string, got {repo_id!r}")
    plan = ctx.limit()
    try:
        latest, ref, days = await _read(ctx, _history, kind, repo_id, plan.applied)
    except NoHistory as exc:
        return _failure(ctx, exc)
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
        }
        for d in days[: plan.applied]
    ]
    return ctx.ok(
        rows,
        store_date=latest.isoformat(),
        limit=plan.applied,
        hard_cap_applied=plan.hard_cap_applied,
        more_available=len(days) > plan.applied,
        renamed_from=ref.renamed_from,
        deleted_on=ref.deleted_on.isoformat() if ref.deleted_on else None,
    )


# -- hf_history_trending -------------------------------------------------------------------------------
def _trending(conn: Connection, kind: str, metric: str, days: int, tag: str | None, limit: int) -> tuple[Any, list]:
    return _latest(conn), queries.read_trending(conn, kind, metric, days, tag, limit + 1)


async def hf_history_trending(ctx: Ctx, **args: Any) -> dict[str, Any]:
    kind, metric = args["repo_type"], args["metric"]
    days = _days(args["days"])
    tag = args["pipeline_tag"]
    if kind == "space" and metric == "downloads":
        raise ContractError("metric 'downloads' does not apply to spaces (the Hub counts none); use metric='likes'")
    if tag is not None and kind != "model":
        raise ContractError("pipeline_tag applies to models only; leave it None for datasets and spaces")
    plan = ctx.limit()
    try:
        latest, found = await _read(ctx, _trending, kind, metric, days, tag, plan.applied)
    except NoHistory as exc:
        return _failure(ctx, exc)
    rows = [
        {
            "rank": r["rank"],
            "repo_id": r["repo_id"],
            "repo_type": kind,
            "pipeline_tag": r["pipeline_tag"],
            "metric": metric,
            "latest": r["latest"],
            "delta": r["delta"],
            "growth": r["growth"],
            "date_from": r["date_from"].isoformat(),
            "date_to": r["date_to"].isoformat(),
        }
        for r in found[: plan.applied]
    ]
    window = (rows[0]["date_from"], rows[0]["date_to"]) if rows else None
    return ctx.ok(
        rows,
        store_date=latest.isoformat(),
        days_requested=days,
        window=list(window) if window else None,
        limit=plan.applied,
        hard_cap_applied=plan.hard_cap_applied,
        more_available=len(found) > plan.applied,
        ranking_depth=1000 if tag is None else 200,
    )


# -- hf_history_new ------------------------------------------------------------------------------------
def _new(conn: Connection, kind: str, days: int, tag: str | None, limit: int) -> tuple[Any, list]:
    latest = _latest(conn)
    return latest, queries.read_new(conn, kind, queries.since_midnight(latest, days), tag, limit + 1)


async def hf_history_new(ctx: Ctx, **args: Any) -> dict[str, Any]:
    kind = args["repo_type"]
    days = _days(args["days"])
    tag = args["pipeline_tag"]
    if tag is not None and kind != "model":
        raise ContractError("pipeline_tag applies to models only; leave it None for datasets and spaces")
    plan = ctx.limit()
    try:
        latest, found = await _read(ctx, _new, kind, days, tag, plan.applied)
    except NoHistory as exc:
        return _failure(ctx, exc)
    rows = [
        {
            "repo_id": r["repo_id"],
            "repo_type": kind,
            "author": r["author"],
            "pipeline_tag": r["pipeline_tag"],
            "created_at": r["created_at"].isoformat(),
            "first_seen": r["first_seen"].isoformat(),
        }
        for r in found[: plan.applied]
    ]
    return ctx.ok(
        rows,
        store_date=latest.isoformat(),
        since=queries.since_midnight(latest, days).isoformat(),
        limit=plan.applied,
        hard_cap_applied=plan.hard_cap_applied,
        more_available=len(found) > plan.applied,
        limit_boundary_hit=len(found) > plan.applied,
    )
