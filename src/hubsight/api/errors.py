"""One JSON body for every non-2xx answer of the HTTP API: ``{"error": {"type", "message"}}``.

Errors are translated here, once:

    ApiError (raised by routes and dependencies)  -> its status, type and message
    a HubsightError (hubsight.errors' tree)       -> the status of its branch in ``HUBSIGHT_STATUS``
    starlette HTTPException (unknown path, wrong method, ...) -> its status; type named after it
    RequestValidationError (malformed body, query, header)    -> 422 ValidationError, every problem listed
    anything else                                             -> 500 InternalError; details stay in the log

A script that fails is not an HTTP error: ``POST /v1/query`` answers 200 with ``ok: false``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from hubsight import errors
from hubsight.store.db import StoreUnavailable
from hubsight.store.history import NoHistory

__all__ = ["ERROR_RESPONSES", "HUBSIGHT_STATUS", "ApiError", "ErrorBody", "error_body", "hubsight_status", "install_error_handlers"]

log = logging.getLogger(__name__)


class ErrorDetail(BaseModel):
    type: str
    message: str


class ErrorBody(BaseModel):
    """The body of every non-2xx answer."""

    error: ErrorDetail


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "The request is malformed; the message lists every problem."},
}
"""For a route's ``responses=``: documents the error body instead of FastAPI's default 422 schema."""


class ApiError(Exception):
    """An error a route or dependency reports to the caller as is."""

    def __init__(self, status: int, type: str, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.type = type
        self.message = message
        self.headers = dict(headers or {})


HUBSIGHT_STATUS: tuple[tuple[type[errors.HubsightError], int, str], ...] = (
    (errors.ContractError, 422, "ValidationError"),
    (NoHistory, 503, "ServiceUnavailable"),  # a repo no crawl has listed: 404 (hubsight_status)
    (StoreUnavailable, 503, "ServiceUnavailable"),
    (errors.AuthRequired, 401, "Unauthorized"),
    (errors.BudgetExceeded, 429, "BudgetExceeded"),
    (errors.NotFound, 404, "NotFound"),
    (errors.RateLimited, 503, "ServiceUnavailable"),
    (errors.UpstreamTimeout, 504, "GatewayTimeout"),
    (errors.UpstreamError, 502, "BadGateway"),
    (errors.HubsightError, 500, "InternalError"),
)
"""hubsight's error tree as HTTP answers, first match wins; the SQL engine's errors carry their own
kind (``SQL_STATUS``)."""


def hubsight_status(exc: errors.HubsightError) -> tuple[int, str]:
    """(status, error type) of a hubsight error in the API's answers."""
    if isinstance(exc, NoHistory) and exc.missing == "repo":
        return 404, "NotFound"
    kind = getattr(exc, "kind", None)  # store.sql.SqlError
    if isinstance(kind, str):
        return SQL_STATUS.get(kind, 400), kind
    return next((status, name) for cls, status, name in HUBSIGHT_STATUS if isinstance(exc, cls))


SQL_STATUS = {"SqlTimeout": 408, "NoHistory": 503, "StoreUnavailable": 503}
"""The SQL engine's error kinds that are not the query's fault: the rest answer 400."""


def error_body(type: str, message: str) -> dict[str, Any]:
    return {"error": {"type": type, "message": message}}


def error_response(status: int, type: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(type, message), status_code=status, headers=dict(headers or {}))


def status_type(status: int) -> str:
    """The error type named after an HTTP status: 404 -> NotFound, 405 -> MethodNotAllowed."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "HTTPError"
    return "".join(word[:1].upper() + word[1:] for word in phrase.replace("-", " ").split())


def validation_message(errors: Sequence[Any]) -> str:
    """Every problem as ``where: what``, e.g. ``code: Field required; max_calls: Input should be a valid integer``."""
    parts = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p != "body"]
        if len(loc) > 1 and loc[0] in ("query", "path", "header", "cookie"):
            loc = loc[1:]  # "days: ...", not "query.days: ..."
        if loc and not all(p.isdigit() for p in loc):
            parts.append(f"{'.'.join(loc)}: {err.get('msg', 'invalid')}")
        elif err.get("type") == "missing":
            parts.append('request body: missing; send a JSON object such as {"code": "..."}')
        else:
            parts.append(f"request body: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "the request is malformed"


async def _api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.type, exc.message, exc.headers)


async def _hubsight_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.HubsightError)
    status, kind = hubsight_status(exc)
    return error_response(status, kind, str(exc))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = str(exc.detail)
    if exc.status_code == 404 and message == "Not Found":
        message = f"{request.url.path} is not a route of this API; see /docs"
    elif exc.status_code == 405 and message == "Method Not Allowed":
        allowed = next((v for k, v in (exc.headers or {}).items() if k.lower() == "allow"), "")
        message = f"{request.method} is not allowed on {request.url.path}" + (f"; use {allowed}" if allowed else "")
    return error_response(exc.status_code, status_type(exc.status_code), message, exc.headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    refund = getattr(request.state, "refund_quota", None)
    if refund is not None:  # the key was counted before the body was checked; a malformed request is not served
        await refund()
    return error_response(422, "ValidationError", validation_message(exc.errors()))


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "InternalError", "the server failed unexpectedly; retry, and report it if it persists")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(errors.HubsightError, _hubsight_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _internal_error)
