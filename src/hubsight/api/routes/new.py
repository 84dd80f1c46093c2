"""``GET /models/new`` (and ``/datasets/new``, ``/spaces/new``): repos the Hub created in the last N days.

"New" is the Hub's own ``createdAt``, never "first seen by the crawler": a first crawl does not make
the whole Hub new. ``first_seen_at`` keeps the seed API's key and carries that ``createdAt``. Deleted
repos are left out; repos the Hub gives no real ``createdAt`` (its 2022 placeholder) are never new.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, create_model
from sqlalchemy import Connection

from hubsight.api.deps import StoreDep
from hubsight.api.pages import (
    CursorParam,
    FormatParam,
    Page,
    decode_time_cursor,
    encode_cursor,
    list_responses,
    respond,
)
from hubsight.api.routes.common import KINDS, PATHS, TAGS, DaysParam, PipelineTagParam, iso
from hubsight.store import queries

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
    request: Request, store: StoreDep, kind: str, tag: str | None, days: int, limit: int, cursor: str | None, fmt: Any
) -> Response:
    latest = await store.latest("hub")
    after = None
    if cursor is not None:
        after = decode_time_cursor(cursor, int)
    key = ("new", kind, tag, days, limit, after, latest)
    page = await store.answer(key, _page, kind, tag, days, limit, after, latest)
    return respond(request, page, fmt, ("hub", latest))


def _page(conn: Connection, kind: str, tag: str | None, days: int, limit: int, after: Any, latest: date) -> Page:
    rows = queries.read_new(conn, kind, queries.since_midnight(latest, days), tag, limit + 1, after)
    page = rows[:limit]
    next_cursor = encode_cursor(iso(page[-1]["created_at"]), page[-1]["rid"]) if len(rows) > limit else None
    return Page([shape(kind, r) for r in page], columns(kind), next_cursor)


def _add(kind: str) -> None:
    path = f"/{PATHS[kind]}/new"
    model = _row_model(kind)
    description = (
        f"{TAGS[kind].capitalize()} the Hub created (its `createdAt`) since midnight UTC `days` days before the "
        "newest stored crawl, newest first; deleted ones are left out. `first_seen_at` is that `createdAt`."
    )
    if kind == "model":

        @router.get(path, response_model=list[model], summary="New models", description=description,
                    responses=list_responses(), tags=[TAGS[kind]])
        async def models_new(
            request: Request,
            store: StoreDep,
            pipeline_tag: PipelineTagParam = None,
            days: DaysParam = 7,
            limit: LimitParam = 20,
            cursor: CursorParam = None,
            format: FormatParam = None,
        ) -> Response:
            return await new_page(request, store, kind, pipeline_tag, days, limit, cursor, format)

    else:

        @router.get(path, response_model=list[model], summary=f"New {TAGS[kind]}", description=description,
                    responses=list_responses(), tags=[TAGS[kind]], name=f"{TAGS[kind]}_new")
        async def other_new(
            request: Request,
            store: StoreDep,
            days: DaysParam = 7,
            limit: LimitParam = 20,
            cursor: CursorParam = None,
            format: FormatParam = None,
        ) -> Response:
            return await new_page(request, store, kind, None, days, limit, cursor, format)


for _kind in KINDS:
    _add(_kind)
