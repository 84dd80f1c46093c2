"""``GET /models/{model_id}/history`` (and datasets, spaces): one repo's daily snapshots, newest first.

The numbers (likes, 30-day downloads, all-time downloads) are the repo's slot in the day blobs of
its chunk, so a page decodes at most ``limit + 1`` small blobs. The metadata of each row is the
version that covered that day (``repo_versions``). An id the repo had before a rename still finds it;
``X-Repo-Id`` then names the current id. A deleted repo answers ``X-Hubsight-Deleted: <date>``.
"""

from __future__ import annotations

import functools
import inspect
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from hubsight.api import pages
from hubsight.api.deps import StoreDep
from hubsight.api.errors import ApiError, ErrorBody
from hubsight.api.routes import common
from hubsight.api.routes.common import ID_KEY, KINDS, NO_NUL, PATHS, TAGS, iso
from hubsight.helpers.registry import DOWNLOAD_KINDS
from hubsight.store import history

__all__ = ["outputs", "router"]

router = APIRouter()

LimitParam = Annotated[int, Query(ge=1, le=180, description="Snapshot days per page (1–180); continue with `cursor`.")]
DailyParam = Annotated[
    bool,
    Query(description="Add `downloads_all_time` and `daily_downloads` (its difference from the previous day; null without one)."),
]


META = {
    "model": ("pipeline_tag", "library_name", "tags", "gated", "num_params"),
    "dataset": ("tags", "gated"),
    "space": ("tags", "sdk", "runtime_stage"),
}
"""The tracked metadata each kind's rows carry, as it was listed that day."""
META_DOC: dict[str, tuple[Any, str]] = {
    "pipeline_tag": (str | None, "The model's task that day."),
    "library_name": (str | None, "The model's library that day."),
    "tags": (list[str], "The repo's tags that day."),
    "gated": (str | None, "null when open that day, else 'auto' or 'manual'."),
    "num_params": (int | None, "Parameters (safetensors, else gguf total) that day."),
    "sdk": (str | None, "The space's SDK that day."),
    "runtime_stage": (str | None, "The space's runtime stage that day (RUNNING, SLEEPING, ...)."),
}


@functools.cache  # a few per kind; built once
def outputs(kind: str, daily: bool) -> tuple[common.Out, ...]:
    """The columns of a kind's snapshot rows; ``daily`` adds the all-time and daily downloads."""
    out = common.Out
    counted = kind in DOWNLOAD_KINDS
    return (
        out("snapshot_date", str, "Crawl day, YYYY-MM-DD.", lambda ref, d: iso(d.day)),
        *([out("downloads_30d", int | None, "The Hub's `downloads` that day: the last 30 days.", lambda ref, d: d.downloads)]
          if counted else []),
        out("likes", int, "Likes that day.", lambda ref, d: d.likes),
        *(out(name, *META_DOC[name], functools.partial(lambda name, ref, d: d.meta.get(name), name)) for name in META[kind]),
        *([out("downloads_all_time", int | None, "All-time downloads that day (include_daily_downloads).",
               lambda ref, d: d.downloads_all_time, optional=True),
           out("daily_downloads", int | None, "Downloads that day (include_daily_downloads).",
               lambda ref, d: d.daily_downloads, optional=True)] if daily and counted else []),
        out("deleted_on", str | None, "The day the repo vanished from the Hub's listing; null while it lives.",
            lambda ref, d: iso(ref.deleted_on) if ref.deleted_on else None),
    )


def _page(conn: Connection, kind: str, repo_id: str, limit: int, before: date | None, daily: bool) -> tuple[Any, pages.Page]:
    ref, days, more = history.repo_history(conn, kind, repo_id, limit, before)
    next_cursor = pages.encode_cursor(iso(days[-1].day)) if more else None
    return ref, common.page(outputs(kind, daily), days, next_cursor, ref)


async def history_page(
    request: Request, store: StoreDep, kind: str, limit: int, cursor: str | None, format: Any,
    include_daily_downloads: bool = False, **repo_id: str,
) -> Response:
    if kind not in DOWNLOAD_KINDS and include_daily_downloads:
        raise ApiError(422, "ValidationError", "include_daily_downloads: the Hub counts no downloads for spaces")
    (repo,) = repo_id.values()
    latest = await store.latest("hub")
    before = None
    if cursor is not None:
        (stamp,) = pages.decode_cursor(cursor, (str,))
        try:
            before = date.fromisoformat(stamp)
        except ValueError:
            raise pages.bad_cursor() from None
    key = ("history", kind, repo, limit, before, include_daily_downloads, latest)
    ref, page = await store.answer(key, _page, kind, repo, limit, before, include_daily_downloads)
    headers = {"X-Repo-Id": ref.repo_id} if ref.renamed_from else {}
    if ref.deleted_on is not None:
        headers["X-Hubsight-Deleted"] = iso(ref.deleted_on)
    return pages.respond(request, page, format, ("hub", latest), headers or None)


def _add(kind: str) -> None:
    responses = pages.list_responses({404: {"model": ErrorBody, "description": f"No crawl has listed this {kind}."}})
    description = (
        f"Daily snapshots of one {kind}, newest first: likes"
        + (" and downloads" if kind in DOWNLOAD_KINDS else "")
        + " per crawled day, with its metadata (" + ", ".join(META[kind]) + ") as it was that day. A pre-rename id "
        "still works (`X-Repo-Id` names the current one); a deleted repo's rows carry `deleted_on` and the "
        "answer an `X-Hubsight-Deleted: <date>` header."
    )
    the_id = Annotated[str, Path(pattern=NO_NUL, description=f"The {kind}'s id, owner/name (it contains a slash).")]
    params: dict[str, tuple[Any, Any]] = {ID_KEY[kind]: (the_id, inspect.Parameter.empty), "limit": (LimitParam, 30)}
    if kind in DOWNLOAD_KINDS:
        params["include_daily_downloads"] = (DailyParam, False)
    params |= {"cursor": (pages.CursorParam, None), "format": (pages.FormatParam, None)}
    common.add_route(
        router, f"/{PATHS[kind]}/{{{ID_KEY[kind]}:path}}/history", f"{kind}_history",
        functools.partial(history_page, kind=kind), params,
        response_model=list[common.row_model(f"{kind.capitalize()}Snapshot", outputs(kind, daily=True))],
        summary=f"{kind.capitalize()} history", description=description, responses=responses, tags=[TAGS[kind]],
    )


for _kind in KINDS:
    _add(_kind)
