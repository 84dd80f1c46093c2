"""``GET /health``: the process is up, and the history store it serves answers (503 when it does not)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import Connection, text

from hubsight.api.errors import ApiError, ErrorBody
from hubsight.store.db import StoreUnavailable

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok"] = "ok"


def _ping(conn: Connection) -> None:
    # SQLite's SELECT 1 never opens the file: its schema version is read from the file's header
    conn.execute(text("PRAGMA schema_version" if conn.dialect.name == "sqlite" else "SELECT 1"))


@router.get(
    "/health",
    response_model=Health,
    summary="Liveness check",
    responses={503: {"model": ErrorBody, "description": "The history store is unreachable."}},
)
async def health(request: Request) -> Health:
    try:
        await request.app.state.history.read(_ping)
    except StoreUnavailable as exc:
        raise ApiError(503, "ServiceUnavailable", f"the history store is unreachable: {exc}") from None
    return Health()
