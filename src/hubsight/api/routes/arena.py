"""``GET /arena/rankings``: an LMArena leaderboard publication, best first.

Every publication of every subset is stored, so ``snapshot_date`` picks the newest publication on or
before that day (LMArena publishes every few days) and ``subset``/``category`` pick the leaderboard.
``elo_score`` is the published rating rounded to an integer, as the seed API gives it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from hubsight.api import pages
from hubsight.api.deps import StoreDep
from hubsight.api.errors import ApiError, ErrorBody
from hubsight.api.routes.common import NO_NUL, iso
from hubsight.store import history, queries

__all__ = ["COLUMNS", "router"]

router = APIRouter(tags=["arena"])

COLUMNS = ["snapshot_date", "model_name", "rank", "elo_score"]


class Ranking(BaseModel):
    snapshot_date: str = Field(description="The leaderboard's publish date, YYYY-MM-DD.")
    model_name: str
    rank: int = Field(description="LMArena's rank (upper bound): ties share a rank.")
    elo_score: int = Field(description="The rating, rounded.")


def shape(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "snapshot_date": iso(row["publish_date"]),
        "model_name": row["model_name"],
        "rank": row["rank"],
        "elo_score": None if row["rating"] is None else round(row["rating"]),
    }


def _page(conn: Connection, subset: str, category: str, day: date | None, limit: int, after: Any) -> tuple[Any, pages.Page]:
    if after is None:
        publish_date, found = queries.read_arena(conn, subset, category, day, limit + 1)
    else:
        publish_date, rank, rating, name = after
        found = conn.execute(queries.arena_page_query(subset, category, publish_date, limit + 1, (rank, rating, name)))
        found = [r._asdict() for r in found]
    rows, more = history.keyset(found, limit)
    next_cursor = None
    if more:
        last = rows[-1]
        rating = queries.NO_RATING if last["rating"] is None else last["rating"]
        next_cursor = pages.encode_cursor(iso(last["publish_date"]), last["rank"], rating, last["model_name"])
    return publish_date, pages.Page([shape(r) for r in rows], COLUMNS, next_cursor)


@router.get(
    "/arena/rankings",
    response_model=list[Ranking],
    summary="LMArena rankings",
    description=(
        "One publication of the LMArena leaderboard (`lmarena-ai/leaderboard-dataset`): the newest, or the newest "
        "on or before `snapshot_date`. An unknown subset or category is a 404 that lists the stored ones."
    ),
    responses=pages.list_responses({404: {"model": ErrorBody, "description": "No such leaderboard (subset, category) is stored."}}),
)
async def arena_rankings(
    request: Request,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=200, description="Rows per page (1–200); continue with `cursor`.")] = 50,
    snapshot_date: Annotated[
        date | None, Query(description="YYYY-MM-DD: the newest publication on or before it. Default: the newest.")
    ] = None,
    subset: Annotated[
        str, Query(max_length=32, pattern=NO_NUL, description="Leaderboard subset: `text`, `vision`, `webdev`, `text-to-image`, ...")
    ] = "text",
    category: Annotated[
        str, Query(max_length=64, pattern=NO_NUL, description="Category within the subset: `overall`, `coding`, `math`, ...")
    ] = "overall",
    cursor: pages.CursorParam = None,
    format: pages.FormatParam = None,
) -> Response:
    latest = await store.latest("arena")
    after = None
    if cursor is not None:
        stamp, rank, rating, name = pages.decode_cursor(cursor, (str, int, float, str))
        try:
            after = (date.fromisoformat(stamp), rank, rating, name)
        except ValueError:
            raise pages.bad_cursor() from None
    key = ("arena", subset, category, snapshot_date, limit, after, latest)
    day, page = await store.answer(key, _page, subset, category, snapshot_date, limit, after)
    if day is None:
        pairs = await store.answer(("arena-pairs", latest), queries.stored_pairs)
        if (subset, category) not in pairs:
            subsets = sorted({s for s, _ in pairs})
            if subset not in subsets:
                message = f"subset {subset!r} is not stored; stored subsets: {', '.join(subsets)}"
            else:
                cats = [c for s, c in pairs if s == subset]
                message = f"category {category!r} is not stored for subset {subset!r}; its categories: {', '.join(cats)}"
            raise ApiError(404, "NotFound", message)
    return pages.respond(request, page, format, ("arena", latest))
