"""``GET /papers/recent``: arXiv papers first submitted in the last N days, newest first.

Every category of a paper is stored, so ``category=cs.CV`` finds cross-listed papers too (through
``paper_categories``, indexed by category and date); the row's ``category`` is then the one asked
for, else the paper's primary category. ``pwc_sota_flag`` keeps the seed API's key: Papers with Code
closed in 2025, so no paper carries the flag and it is always false.
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
from hubsight.api.routes.common import NO_NUL, DaysParam, cached_page, iso
from hubsight.store import history, queries

__all__ = ["COLUMNS", "router"]

router = APIRouter(tags=["papers"])

COLUMNS = ["arxiv_id", "title", "authors", "submitted_at", "category", "pwc_sota_flag"]


class Paper(BaseModel):
    arxiv_id: str = Field(description="arXiv id without version, e.g. 2602.22212.")
    title: str
    authors: list[str]
    submitted_at: str = Field(description="First submission (arXiv `published`), ISO 8601 in UTC.")
    category: str | None = Field(description="The category asked for, else the paper's primary category.")
    pwc_sota_flag: bool = Field(description="Kept for compatibility: always false (Papers with Code closed).")


def shape(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "arxiv_id": row["arxiv_id"],
        "title": row["title"],
        "authors": row["authors"],
        "submitted_at": iso(row["published"]),
        "category": row["category"],
        "pwc_sota_flag": False,
    }


@router.get(
    "/papers/recent",
    response_model=list[Paper],
    summary="Recent arXiv papers",
    description=(
        "arXiv papers first submitted since midnight UTC `days` days before the newest papers crawl, newest "
        "first. The crawl follows cs.AI, cs.LG, cs.CL, cs.CV and stat.ML by default (HUBSIGHT_ARXIV_CATEGORIES)."
    ),
    responses=pages.list_responses(),
)
async def papers_recent(
    request: Request,
    store: StoreDep,
    category: Annotated[
        str | None, Query(max_length=32, pattern=NO_NUL, description="Only papers listed in this arXiv category, e.g. `cs.AI`.")
    ] = None,
    days: DaysParam = 7,
    limit: Annotated[int, Query(ge=1, le=100, description="Rows per page (1–100); continue with `cursor`.")] = 20,
    cursor: pages.CursorParam = None,
    format: pages.FormatParam = None,
) -> Response:
    after = pages.decode_time_cursor(cursor, str) if cursor is not None else None
    key = ("papers", category, days, limit, after)
    return await cached_page(request, store, "papers", key, _page, category, days, limit, after, fmt=format)


def _page(conn: Connection, category: str | None, days: int, limit: int, after: Any, latest: date) -> pages.Page:
    since = queries.since_midnight(latest, days)
    rows, more = history.keyset(queries.read_papers(conn, category, since, limit + 1, after), limit)
    next_cursor = pages.encode_cursor(iso(rows[-1]["published"]), rows[-1]["arxiv_id"]) if more else None
    return pages.Page([shape(r) for r in rows], COLUMNS, next_cursor)
