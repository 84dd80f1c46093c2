"""``GET /models/new`` (and ``/datasets/new``, ``/spaces/new``): repos the Hub created in the last N days.

"New" is the Hub's own ``createdAt``, never "first seen by the crawler": a first crawl does not make
the whole Hub new. ``first_seen_at`` keeps the seed API's key and carries that ``createdAt``. Deleted
repos are left out; repos the Hub gives no real ``createdAt`` (its 2022 placeholder) are never new.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, create_model
from sqlalchemy import Connection

from hubsight.api import pages
from hubsight.api.deps import StoreDep
from hubsight.api.routes import common
from hubsight.api.routes.common import KINDS, PATHS, TAGS, iso
from hubsight.store import history

__all__ = ["columns", "router"]

router = APIRouter()

LimitParam = Annotated[int, Query(ge=1, le=100, description="Rows per page (1–100); continue with `cursor`.")]


def columns(kind: str) -> list[str]:
    return ["id", "name", "author", *(["pipeline_tag"] if kind == "model" else []), "first_seen_at"]


def _row_model(kind: str) -> type[BaseModel]:
    fields: dict[str, Any] = {
        "id": (str, Field(description="owner/name")),
        "name": (str, Field(description="The name part of the id.")),
        "author": (str | None, Field(description="The owner part of the id.")),
    }
    if kind == "model":
        fields["pipeline_tag"] = (str | None, Field(description="The model's task."))
    fields["first_seen_at"] = (str, Field(description="The Hub's createdAt, ISO 8601 in UTC (`+00:00`)."))
    return create_model(f"New{kind.capitalize()}", **fields)


def shape(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row["repo_id"], "name": row["repo_id"].split("/", 1)[-1], "author": row["author"]}
    if kind == "model":
        out["pipeline_tag"] = row["pipeline_tag"]
    out["first_seen_at"] = iso(row["created_at"])
    return out


async def new_page(
    request: Request, store: StoreDep, kind: str, days: int, limit: int, cursor: str | None, format: Any,
    pipeline_tag: str | None = None,
) -> Response:
    after = pages.decode_time_cursor(cursor, int) if cursor is not None else None
    key = ("new", kind, pipeline_tag, days, limit, after)
    return await common.cached_page(request, store, "hub", key, _page, kind, pipeline_tag, days, limit, after, fmt=format)


def _page(conn: Connection, kind: str, tag: str | None, days: int, limit: int, after: Any, latest: date) -> pages.Page:
    rows, more = history.new_repos(conn, kind, latest, days, tag, limit, after)
    next_cursor = pages.encode_cursor(iso(rows[-1]["created_at"]), rows[-1]["rid"]) if more else None
    return pages.Page([shape(kind, r) for r in rows], columns(kind), next_cursor)


def _add(kind: str) -> None:
    description = (
        f"{TAGS[kind].capitalize()} the Hub created (its `createdAt`) since midnight UTC `days` days before the "
        "newest stored crawl, newest first; deleted ones are left out. `first_seen_at` is that `createdAt`."
    )
    params: dict[str, tuple[Any, Any]] = {"pipeline_tag": (common.PipelineTagParam, None)} if kind == "model" else {}
    params |= {"days": (common.DaysParam, 7), "limit": (LimitParam, 20), "cursor": (pages.CursorParam, None),
               "format": (pages.FormatParam, None)}
    common.add_route(
        router, f"/{PATHS[kind]}/new", f"{TAGS[kind]}_new", functools.partial(new_page, kind=kind), params,
        response_model=list[_row_model(kind)], summary=f"New {TAGS[kind]}", description=description,
        responses=pages.list_responses(), tags=[TAGS[kind]],
    )


for _kind in KINDS:
    _add(_kind)
