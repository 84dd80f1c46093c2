"""Pages of rows as JSON or CSV, continued by an opaque keyset cursor.

A page that may have more rows carries the cursor of its last row in ``X-Next-Cursor`` and in
``Link: <url>; rel="next"`` (the same URL with ``cursor`` set). A cursor is the page's sort key, so
the next page starts exactly after it, whatever rows were read before: no OFFSET, no duplicates.

CSV (``format=csv``, or ``Accept: text/csv`` when ``format`` is not given) has one header line with
the JSON keys in order; a list is its items joined by ``;`` (``a;b``, empty for none), as spreadsheets
split them; null is empty, booleans are ``true``/``false``, objects are JSON.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import Query, Request
from fastapi.responses import Response

from hubsight.api.errors import ApiError, ErrorBody

__all__ = [
    "CACHE_SCOPE_KEY",
    "CursorParam",
    "FormatParam",
    "Page",
    "bad_cursor",
    "decode_cursor",
    "encode_cursor",
    "list_responses",
    "respond",
]

Format = Literal["json", "csv"]

CursorParam = Annotated[
    str | None,
    Query(
        max_length=500,
        description="Continue after the previous page: pass its `X-Next-Cursor` header (also in its `Link: rel=\"next\"`) unchanged.",
    ),
]
FormatParam = Annotated[
    Format | None,
    Query(description="`json` (default) or `csv`; without it, `Accept: text/csv` also selects CSV."),
]


def list_responses(extra: dict[int | str, dict[str, Any]] | None = None) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` of a list endpoint: the CSV variant, the pagination headers, the error body."""
    return {
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "headers": {
                "X-Next-Cursor": {"description": "Cursor of the next page; absent on the last page.", "schema": {"type": "string"}},
                "Link": {"description": 'The next page: `<url>; rel="next"`; absent on the last page.', "schema": {"type": "string"}},
            },
        },
        422: {"model": ErrorBody, "description": "A parameter is out of range or malformed; the message names it."},
        503: {"model": ErrorBody, "description": "The history store holds no crawl of this source yet, or cannot be read."},
        **(extra or {}),
    }


def encode_cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).rstrip(b"=").decode()


def decode_cursor(cursor: str, kinds: Sequence[type]) -> list[Any]:
    """The key values of a cursor, checked against the types this endpoint's cursors hold; else 422."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = orjson.loads(raw)
    except (binascii.Error, ValueError):
        values = None
    ok = isinstance(values, list) and len(values) == len(kinds) and all(
        isinstance(v, k) and not (k is int and isinstance(v, bool)) and not (k is str and "\x00" in v)
        for v, k in zip(values, kinds, strict=False)
    )
    if not ok:
        raise bad_cursor()
    return values  # type: ignore[return-value]


def decode_time_cursor(cursor: str, tie: type) -> tuple[datetime, Any]:
    """A cursor of (timestamp, tie-breaker of type ``tie``), for lists keyed on a time; the time in UTC. Else 422."""
    from hubsight.store.queries import utc

    stamp, key = decode_cursor(cursor, (str, tie))
    try:
        return utc(datetime.fromisoformat(stamp)), key  # type: ignore[return-value]
    except ValueError:
        raise bad_cursor() from None


def bad_cursor() -> ApiError:
    return ApiError(
        422,
        "ValidationError",
        "cursor: not a cursor of this endpoint; pass the X-Next-Cursor of the previous page unchanged, "
        "or leave cursor out for the first page",
    )


def wants_csv(request: Request, fmt: Format | None) -> bool:
    if fmt is not None:
        return fmt == "csv"
    return "text/csv" in request.headers.get("accept", "")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return orjson.dumps(value).decode()
    return str(value)


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


@dataclass
class Page:
    """One page of an answer, cached as is: rows in their JSON shape, their columns, the next cursor.

    Its JSON and CSV bodies are rendered once, on first use."""

    rows: list[dict[str, Any]]
    columns: Sequence[str]
    next_cursor: str | None = None
    _bodies: dict[bool, bytes] = field(default_factory=dict, repr=False)

    def body(self, csv: bool) -> bytes:
        body = self._bodies.get(csv)
        if body is None:
            body = self._bodies[csv] = to_csv(self.rows, self.columns).encode() if csv else orjson.dumps(self.rows)
        return body


CACHE_SCOPE_KEY = "hubsight.cache"
"""Where a route tells the response cache (``api/cache.py``) which crawl its answer came from."""


def respond(
    request: Request,
    page: Page,
    fmt: Format | None,
    source: tuple[str, date] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The page as JSON (a bare list, as the seed API answers) or CSV, with the next-page headers.

    ``source`` is (crawl source, crawl date) the answer came from: the response cache may replay it
    until a newer crawl of that source is stored.
    """
    out = dict(headers or {})
    if page.next_cursor is not None:
        out["X-Next-Cursor"] = page.next_cursor
        out["Link"] = f'<{request.url.include_query_params(cursor=page.next_cursor)}>; rel="next"'
    quota = getattr(request.state, "quota", None)
    if quota is not None:
        out.update(quota)
    box = request.scope.get(CACHE_SCOPE_KEY)
    if box is not None and source is not None:
        box.append(source)
    csv = wants_csv(request, fmt)
    media = "text/csv; charset=utf-8" if csv else "application/json"
    return Response(page.body(csv), media_type=media, headers=out)
