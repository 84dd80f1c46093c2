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
from sqlalchemy import Connection

from hubsight.api import pages
from hubsight.api.deps import StoreDep
from hubsight.api.routes import common
from hubsight.api.routes.common import KINDS, PATHS, TAGS, iso
from hubsight.store import history

__all__ = ["outputs", "router"]

router = APIRouter()

LimitParam = Annotated[int, Query(ge=1, le=100, description="Rows per page (1–100); continue with `cursor`.")]


@functools.cache  # a few per kind; built once
def outputs(kind: str) -> tuple[common.Out, ...]:
    out = common.Out
    return (
        out("id", str, "owner/name", lambda r: r["repo_id"]),
        out("name", str, "The name part of the id.", lambda r: r["repo_id"].split("/", 1)[-1]),
        out("author", str | None, "The owner part of the id.", lambda r: r["author"]),
        *([out("pipeline_tag", str | None, "The model's task.", lambda r: r["pipeline_tag"])] if kind == "model" else []),
        out("first_seen_at", str, "The Hub's createdAt, ISO 8601 in UTC (`+00:00`).", lambda r: iso(r["created_at"])),
    )


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
    return common.page(outputs(kind), rows, next_cursor)


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
        response_model=list[common.row_model(f"New{kind.capitalize()}", outputs(kind))], summary=f"New {TAGS[kind]}",
        description=description,
        responses=pages.list_responses(), tags=[TAGS[kind]],
    )


for _kind in KINDS:
    _add(_kind)
