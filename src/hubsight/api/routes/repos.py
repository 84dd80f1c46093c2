"""``/v1/repos/*``: small reads the dashboard needs to find and describe repos.

- ``suggest``: repos whose id starts with, then contains, what was typed (the lookup box).
- ``facets``: the values of a kind's metadata fields in the store, with counts (the pickers).
- ``latest``: the newest crawled day's likes and downloads of a few repos (the New page).

Each answer is cached per (question, newest Hub crawl), like every insights answer.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import Connection, func, select

from hubsight.api.deps import StoreDep
from hubsight.api.errors import ApiError
from hubsight.api.routes.common import NO_NUL, iso
from hubsight.store import codec
from hubsight.store.schema import CHUNK, repos, snapshots

__all__ = ["FACETS", "router"]

router = APIRouter(prefix="/v1/repos", tags=["repos"])

Kind = Literal["model", "dataset", "space"]
FACETS: dict[str, tuple[str, ...]] = {
    "model": ("pipeline_tag", "library_name"),
    "dataset": (),
    "space": ("sdk", "runtime_stage"),
}
_TOP = "\U0010ffff"  # sorts after every character: [q, q + _TOP) is every id that starts with q


class Suggestion(BaseModel):
    kind: Kind
    repo_id: str = Field(description="The repo's current id, owner/name.")
    deleted_on: str | None = Field(description="The first crawl day the repo was missing from the Hub; null while it is listed.")


class Suggestions(BaseModel):
    items: list[Suggestion]


@router.get("/suggest", response_model=Suggestions, summary="Repos matching what was typed")
async def suggest(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200, pattern=NO_NUL, description="Part of an id: `owner/`, `owner/na`, or a word of the name.")],
    kind: Annotated[Kind | None, Query(description="Only this kind (default: all three).")] = None,
    limit: Annotated[int, Query(ge=1, le=20, description="Most suggestions (1–20).")] = 8,
) -> dict[str, Any]:
    """Ids that start with `q` (case-sensitive, an index range), then ids that contain it in any case
    (only for two characters or more), live repos first. Deleted repos say when they went."""
    latest = await store.latest("hub")
    kinds = (kind,) if kind else ("model", "dataset", "space")
    items = await store.answer(("suggest", q, kinds, limit, latest), _suggest, q, kinds, limit)
    return {"items": items}


def _suggest(conn: Connection, q: str, kinds: tuple[str, ...], limit: int) -> list[dict[str, Any]]:
    r = repos.c
    found: dict[tuple[str, str], dict[str, Any]] = {}

    def add(rows: Any) -> None:
        for row in rows:
            key = (row.kind, row.repo_id)
            if key not in found or found[key]["deleted_on"] is not None:
                found[key] = {"kind": row.kind, "repo_id": row.repo_id, "deleted_on": iso(row.deleted_on)}

    for kind in kinds:
        add(conn.execute(
            select(r.kind, r.repo_id, r.deleted_on)
            .where(r.kind == kind, r.repo_id >= q, r.repo_id < q + _TOP)
            .order_by(r.repo_id).limit(limit)
        ))
    if len(found) < limit and len(q) >= 2:
        pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        for kind in kinds:
            add(conn.execute(
                select(r.kind, r.repo_id, r.deleted_on)
                .where(r.kind == kind, func.lower(r.repo_id).like(pattern, escape="\\"))
                .limit(limit)
            ))
    items = sorted(found.values(), key=lambda i: (
        i["deleted_on"] is not None, not i["repo_id"].startswith(q), kinds.index(i["kind"]), i["repo_id"]
    ))
    return items[:limit]


class FacetValue(BaseModel):
    value: str
    count: int = Field(description="Repos of this kind listed with this value on the newest crawl.")


class Facets(BaseModel):
    kind: Kind
    date: str = Field(description="The newest Hub crawl, YYYY-MM-DD.")
    fields: dict[str, list[FacetValue]] = Field(description="Field name to its values, most common first.")


@router.get("/facets", response_model=Facets, summary="The values of a kind's metadata fields in the store")
async def facets(store: StoreDep, kind: Annotated[Kind, Query(description="model, dataset or space.")] = "model") -> dict[str, Any]:
    """Every pipeline tag and library of models (sdk and runtime stage of spaces) among live repos, with
    how many repos have it: what the dashboard's pickers offer."""
    latest = await store.latest("hub")
    fields = await store.answer(("facets", kind, latest), _facets, kind)
    return {"kind": kind, "date": iso(latest), "fields": fields}


def _facets(conn: Connection, kind: str) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for name in FACETS[kind]:
        column = repos.c[name]
        rows = conn.execute(
            select(column, func.count())
            .where(repos.c.kind == kind, repos.c.deleted_on.is_(None), column.is_not(None))
            .group_by(column).order_by(func.count().desc(), column)
        )
        out[name] = [{"value": value, "count": count} for value, count in rows]
    return out


class Latest(BaseModel):
    repo_id: str
    date: str | None = Field(description="The newest crawl day the repo was listed on; null if none holds it.")
    likes: int | None
    downloads: int | None = Field(description="The Hub's 30-day downloads that day.")
    downloads_all_time: int | None
    deleted_on: str | None


class LatestList(BaseModel):
    items: list[Latest] = Field(description="One per id found, in the order asked; ids not in the store are left out.")


@router.get("/latest", response_model=LatestList, summary="The newest likes and downloads of a few repos")
async def latest_numbers(
    store: StoreDep,
    ids: Annotated[list[str], Query(min_length=1, max_length=100, description="Repo ids (current ones), 1–100, repeated: `ids=a/b&ids=c/d`.")],
    kind: Annotated[Kind, Query(description="model, dataset or space.")] = "model",
) -> dict[str, Any]:
    bad = next((i for i in ids if "\x00" in i or not 0 < len(i) <= 200), None)
    if bad is not None:
        raise ApiError(422, "ValidationError", "ids: each id is owner/name, 1–200 characters, without NUL")
    latest = await store.latest("hub")
    items = await store.answer(("latest", kind, tuple(ids), latest), _latest, kind, list(ids), latest)
    return {"items": items}


def _latest(conn: Connection, kind: str, ids: list[str], latest: date) -> list[dict[str, Any]]:
    r, s = repos.c, snapshots.c
    rows = conn.execute(
        select(r.rid, r.repo_id, r.last_seen, r.deleted_on).where(r.kind == kind, r.repo_id.in_(set(ids)))
        .order_by(r.deleted_on.is_not(None), r.rid.desc())
    ).all()
    by_id: dict[str, Any] = {}
    for row in rows:
        by_id.setdefault(row.repo_id, row)  # a live repo wins over a deleted one that had the same id
    blobs: dict[tuple[int, date], dict[str, Any]] = {}
    out = []
    for repo_id in dict.fromkeys(ids):
        row = by_id.get(repo_id)
        if row is None:
            continue
        day = latest if row.deleted_on is None else min(row.last_seen, latest)  # a live repo is in every crawl
        key = (row.rid // CHUNK, day)
        if key not in blobs:
            payload = conn.scalar(select(s.payload).where(s.kind == kind, s.chunk == key[0], s.date == day))
            blobs[key] = codec.decode(bytes(payload)) if payload is not None else {}
        cols, slot = blobs[key], row.rid % CHUNK

        def value(name: str, cols: dict[str, Any] = cols, slot: int = slot) -> int | None:
            if not cols or slot >= len(cols[name]) or cols[name][slot] < 0:
                return None
            return int(cols[name][slot])

        listed = value("likes") is not None
        out.append({
            "repo_id": repo_id, "date": iso(day) if listed else None, "likes": value("likes"),
            "downloads": value("downloads"), "downloads_all_time": value("downloads_all_time"),
            "deleted_on": iso(row.deleted_on),
        })
    return out
