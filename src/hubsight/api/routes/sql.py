"""``POST /v1/sql``: one read-only SQL query over the whole history; ``GET /v1/sql/views``: what it can read.

The query runs in the contained DuckDB of ``store/sql.py`` (views over the lake's Parquet files), in
the thread pool: DuckDB releases the GIL while it works, so the event loop stays free. A query that
is refused or fails answers 400 with the engine's message and the list of views and their columns,
so an LLM can fix its query; 408 when it ran out of time.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from hubsight.api.deps import StoreDep, quota
from hubsight.api.errors import ERROR_RESPONSES, SQL_STATUS, ErrorBody
from hubsight.store import sql as history_sql
from hubsight.store import views

router = APIRouter(tags=["history SQL"])

EXAMPLE = views.EXAMPLES[0].sql


class SqlRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"sql": EXAMPLE, "limit": 20}]})

    sql: str = Field(max_length=views.MAX_SQL_CHARS, description="One SELECT (or WITH ... SELECT) over the views of `GET /v1/sql/views`.")
    params: list[Any] | dict[str, Any] | None = Field(
        None, description="Values for `?`/`$1` placeholders (a list) or `$name` ones (an object)."
    )
    limit: int = Field(1000, ge=1, description="Most rows to return (clamped to HUBSIGHT_SQL_MAX_ROWS); `meta.truncated` says if more existed.")


class Column(BaseModel):
    name: str
    type: str


class SqlAnswer(BaseModel):
    ok: bool
    columns: list[Column]
    rows: list[list[Any]]
    meta: history_sql.SqlMeta


class ViewColumn(BaseModel):
    name: str
    type: str
    description: str


class ViewInfo(BaseModel):
    name: str
    description: str
    columns: list[ViewColumn]


class ExampleInfo(BaseModel):
    title: str
    sql: str


class ViewsAnswer(BaseModel):
    views: list[ViewInfo]
    examples: list[ExampleInfo]


def catalogue() -> dict[str, Any]:
    """The views and examples as plain JSON (``store/views.py`` rendered)."""
    return {
        "views": [
            {"name": v.name, "description": v.description,
             "columns": [{"name": c.name, "type": c.type, "description": c.description} for c in v.columns]}
            for v in views.VIEWS
        ],
        "examples": [{"title": e.title, "sql": e.sql} for e in views.EXAMPLES],
    }


RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERROR_RESPONSES,
    400: {"model": ErrorBody, "description": "The query was refused or failed; `error.views` lists what can be read."},
    408: {"model": ErrorBody, "description": "The query ran past HUBSIGHT_SQL_TIMEOUT and was stopped."},
    503: {"model": ErrorBody, "description": "There is no history yet (run `hubsight crawl`)."},
}


def failure(request: Request, exc: history_sql.SqlError) -> JSONResponse:
    body = {"ok": False, "error": {"type": exc.kind, "message": str(exc), "views": catalogue()["views"]}}
    return JSONResponse(body, status_code=SQL_STATUS.get(exc.kind, 400), headers=quota(request))


@router.post("/v1/sql", response_model=SqlAnswer, summary="Ask the history anything in SQL", responses=RESPONSES)
async def run_sql(body: SqlRequest, request: Request, store: StoreDep) -> JSONResponse:
    """Run one read-only query; rows come as lists in the order of `columns`."""
    try:
        engine = store.sql()
        result = await store.sql_call(engine.run, body.sql, body.params, body.limit)
    except history_sql.SqlError as exc:
        return failure(request, exc)
    return JSONResponse({
        "ok": True,
        "columns": [{"name": n, "type": t} for n, t in result.columns],
        "rows": result.lists(),
        "meta": result.meta_json(),
    }, headers=quota(request))


@router.get("/v1/sql/views", response_model=ViewsAnswer, summary="The history's SQL views and example queries")
async def list_views(request: Request) -> JSONResponse:
    return JSONResponse(catalogue(), headers=quota(request))
