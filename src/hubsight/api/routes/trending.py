"""``GET /models/trending`` (and ``/datasets/trending``, ``/spaces/trending``): who gained most over N days.

Rankings are precomputed by each crawl (``trending`` table), so a page is a primary-key range read.
By default the shape is the seed API's: ``{model_id, pipeline_tag, likes_latest, likes_delta,
snapshot_date_from, snapshot_date_to}``. ``metric=downloads`` ranks by downloads gained in the window
(differences of the Hub's all-time count) with keys ``downloads_latest``/``downloads_delta``;
``include_growth=true`` adds ``<metric>_growth``.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from hubsight.api import pages
from hubsight.api.deps import StoreDep
from hubsight.api.errors import ApiError, ErrorBody
from hubsight.api.routes import common
from hubsight.api.routes.common import ID_KEY, KINDS, PATHS, TAGS, iso
from hubsight.helpers.registry import DOWNLOAD_KINDS
from hubsight.store import history, queries

__all__ = ["outputs", "router"]

router = APIRouter()

Metric = Literal["likes", "downloads"]
LimitParam = Annotated[int, Query(ge=1, le=100, description="Rows per page (1–100); continue with `cursor`.")]
GrowthParam = Annotated[
    bool, Query(description="Add `<metric>_growth`: the gain as a fraction of the value at the window's start (null from 0).")
]


@functools.cache  # a few per kind; built once
def outputs(kind: str, metrics: tuple[str, ...], growth: bool) -> tuple[common.Out, ...]:
    """The columns of a kind's ranking rows for ``metrics`` (the schema lists every metric the kind has)."""
    out = common.Out
    cols = [out(ID_KEY[kind], str, f"The {kind}'s current id, owner/name.", lambda r: r["repo_id"])]
    if kind == "model":
        cols.append(out("pipeline_tag", str | None, "The model's task, as the Hub lists it.", lambda r: r["pipeline_tag"]))
    every = len(metrics) > 1
    for metric in metrics:
        what = "Likes" if metric == "likes" else "All-time downloads"
        cols += [
            out(f"{metric}_latest", int | None, f"{what} on snapshot_date_to (metric={metric}).", lambda r: r["latest"],
                optional=every),
            out(f"{metric}_delta", int | None,
                f"{metric.capitalize()} gained from snapshot_date_from to snapshot_date_to (metric={metric}).",
                lambda r: r["delta"], optional=every),
        ]
        if growth:
            cols.append(out(f"{metric}_growth", float | None, "delta / value at snapshot_date_from (include_growth=true).",
                            lambda r: r["growth"], optional=True))
    return (
        *cols,
        out("snapshot_date_from", str, "The stored day the window starts at (YYYY-MM-DD).", lambda r: iso(r["date_from"])),
        out("snapshot_date_to", str, "The newest stored day (YYYY-MM-DD).", lambda r: iso(r["date_to"])),
    )


def _metrics(kind: str) -> tuple[str, ...]:
    return ("likes", "downloads") if kind in DOWNLOAD_KINDS else ("likes",)


async def trending_page(
    request: Request, store: StoreDep, kind: str, days: int, limit: int, metric: Metric, include_growth: bool,
    cursor: str | None, format: Any, pipeline_tag: str | None = None,
) -> Response:
    if kind not in DOWNLOAD_KINDS and metric == "downloads":
        raise ApiError(422, "ValidationError", "metric: the Hub counts no downloads for spaces; use metric=likes")
    latest = await store.latest("hub")
    after = 0
    if cursor is not None:
        stamp, after = pages.decode_cursor(cursor, (str, int))
        if stamp != latest.isoformat():
            raise ApiError(
                409,
                "Conflict",
                f"cursor: the rankings were recomputed by the crawl of {latest} after this cursor was issued; "
                "start again without cursor",
            )
    key = ("trending", kind, metric, days, pipeline_tag, limit, after, include_growth, latest)
    # a primary-key range of at most 101 rows: a bounded read (api/store.py)
    page = await store.answer(key, _page, kind, metric, days, pipeline_tag, limit, after, include_growth, latest, bounded=True)
    return pages.respond(request, page, format, ("hub", latest))


def _page(
    conn: Connection, kind: str, metric: str, days: int, tag: str | None, limit: int, after: int, growth: bool, latest: date
) -> pages.Page:
    rows, more = history.keyset(queries.read_trending(conn, kind, metric, days, tag, limit + 1, after), limit)
    next_cursor = pages.encode_cursor(latest.isoformat(), rows[-1]["rank"]) if more else None
    return common.page(outputs(kind, (metric,), growth), rows, next_cursor)


def _add(kind: str) -> None:
    responses = pages.list_responses({409: {"model": ErrorBody, "description": "The cursor is from rankings a newer crawl replaced."}})
    description = (
        f"{TAGS[kind].capitalize()} ranked by the likes (or, with `metric=downloads`, downloads) they gained over the "
        "last `days` days, from daily snapshots of the whole Hub. While the store holds fewer days than asked, "
        "the longest stored window answers (`snapshot_date_from` says which); with a single stored day there is "
        "no window yet and the list is empty. Up to 1,000 rows (200 per pipeline tag) page on with `cursor`."
    )
    if kind not in DOWNLOAD_KINDS:
        description += " Spaces have no downloads on the Hub: `metric=downloads` is refused."
    rank_by = "Rank by `likes` (default) or `downloads` gained" + ("." if kind == "model" else " (not for spaces).")
    params: dict[str, tuple[Any, Any]] = {"pipeline_tag": (common.PipelineTagParam, None)} if kind == "model" else {}
    params |= {
        "days": (common.DaysParam, 7),
        "limit": (LimitParam, 20),
        "metric": (Annotated[Metric, Query(description=rank_by)], "likes"),
        "include_growth": (GrowthParam, False),
        "cursor": (pages.CursorParam, None),
        "format": (pages.FormatParam, None),
    }
    common.add_route(
        router, f"/{PATHS[kind]}/trending", f"{TAGS[kind]}_trending", functools.partial(trending_page, kind=kind), params,
        response_model=list[common.row_model(f"Trending{kind.capitalize()}", outputs(kind, _metrics(kind), growth=True))],
        summary=f"Trending {TAGS[kind]}", description=description,
        responses=responses, tags=[TAGS[kind]],
    )


for _kind in KINDS:
    _add(_kind)
