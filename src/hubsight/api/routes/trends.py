"""``GET /v1/trending`` (any window, any filter, no cap) and ``GET /v1/glance`` (Hub-wide series).

Thin: the rankings and series are computed by ``store/trends.py`` in the SQL engine, in the thread
pool. The seed's own ``/models/trending`` keeps its precomputed 1–90 day windows and shapes.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from hubsight.api.deps import StoreDep, quota
from hubsight.api.errors import ERROR_RESPONSES, ErrorBody
from hubsight.store import trends

router = APIRouter(tags=["history SQL"])
RESPONSES = {
    **ERROR_RESPONSES,
    400: {"model": ErrorBody, "description": "The engine could not answer (the message says why)."},
    408: {"model": ErrorBody, "description": "The computation ran past HUBSIGHT_SQL_TIMEOUT."},
    503: {"model": ErrorBody, "description": "There is no history yet (run `hubsight crawl`)."},
}


@router.get("/v1/trending", summary="What gained most over any window, with filters", responses=RESPONSES)
async def v1_trending(
    request: Request,
    store: StoreDep,
    kind: Annotated[Literal["model", "dataset", "space"], Query(description="Repo kind.")] = "model",
    metric: Annotated[Literal["likes", "downloads"], Query(description="likes, or downloads (all-time count differences; not spaces).")] = "likes",
    days: Annotated[int | None, Query(ge=1, description="Window length in days, ending at `to`: any length the store covers (default: 7, or all a younger store holds).")] = None,
    from_: Annotated[date | None, Query(alias="from", description="Window start, YYYY-MM-DD (instead of days).")] = None,
    to: Annotated[date | None, Query(description="Window end, YYYY-MM-DD (default: the newest crawl).")] = None,
    author: Annotated[str | None, Query(max_length=100, description="Only this owner's repos.")] = None,
    library: Annotated[str | None, Query(max_length=64, description="Only models of this library (e.g. gguf, diffusers).")] = None,
    tag: Annotated[str | None, Query(max_length=200, description="Only repos with this tag (e.g. license:mit).")] = None,
    pipeline_tag: Annotated[str | None, Query(max_length=64, description="Only models of this task.")] = None,
    min_params: Annotated[int | None, Query(ge=0, description="Only models with at least this many parameters.")] = None,
    max_params: Annotated[int | None, Query(ge=0, description="Only models with at most this many parameters.")] = None,
    group_by: Annotated[Literal["author"] | None, Query(description="Rank owners by the sum of their repos' gains.")] = None,
    limit: Annotated[int, Query(ge=1, le=trends.MAX_LIMIT, description="Rows per page.")] = 50,
    cursor: Annotated[str | None, Query(max_length=500, description="`meta.next_cursor` of the previous page.")] = None,
) -> JSONResponse:
    filters = trends.Filters(author, library, tag, pipeline_tag, min_params, max_params)
    trends.check(kind, metric, group_by, filters, limit)  # a ContractError is a 422 (api/errors.py)
    engine = await store.sql_call(store.sql)
    window = await store.sql_call(trends.resolve_window, engine, days, from_, to)
    answer = await store.sql_call(trends.trending, engine, kind, metric, window, filters, group_by, limit, cursor)
    return JSONResponse(answer, headers=quota(request))


@router.get("/v1/glance", summary="The Hub at a glance: new repos and totals per day", responses=RESPONSES)
async def v1_glance(
    request: Request,
    store: StoreDep,
    days: Annotated[int | None, Query(ge=1, description="Only the last N days (default: the whole history).")] = None,
) -> JSONResponse:
    engine = await store.sql_call(store.sql)
    return JSONResponse(await store.sql_call(trends.glance, engine, days), headers=quota(request))
