"""What the insights routes share: repo kinds and their URL segments, window and limit parameters, one
route per kind from one handler, and the read of a cached page."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, create_model

from hubsight.api.deps import StoreDep
from hubsight.api.fast import FastRoute
from hubsight.api.pages import Page, respond
from hubsight.helpers.registry import MAX_DAYS

__all__ = ["ID_KEY", "KINDS", "NO_NUL", "PATHS", "DaysParam", "Out", "PipelineTagParam", "add_route", "cached_page",
           "fast_routes", "iso", "page", "row_model"]

NO_NUL = r"^[^\x00]*$"
"""Text parameters may hold anything but NUL, which no stored id contains and PostgreSQL refuses."""

KINDS = ("model", "dataset", "space")
PATHS = {"model": "models", "dataset": "datasets", "space": "spaces"}
ID_KEY = {"model": "model_id", "dataset": "dataset_id", "space": "space_id"}
TAGS = {"model": "models", "dataset": "datasets", "space": "spaces"}

DaysParam = Annotated[
    int,
    Query(ge=1, le=MAX_DAYS, description=f"Lookback window in days (1–{MAX_DAYS}), ending at the newest stored crawl."),
]
PipelineTagParam = Annotated[
    str | None,
    Query(max_length=64, pattern=NO_NUL, description="Only models with this pipeline tag (task), e.g. `text-generation`."),
]


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601; datetimes are UTC with an explicit ``+00:00``, as the seed API writes them."""
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class Out:
    """One column of a route's rows, declared once: its key, type and meaning (the response schema, the
    CSV header and the JSON keys all come from it) and how a stored row gives its value."""

    name: str
    annotation: Any
    doc: str
    value: Callable[..., Any]
    optional: bool = False
    """Only some requests carry it (an option adds it): in the schema with a null default."""


def row_model(title: str, outs: Sequence[Out]) -> type[BaseModel]:
    """The response schema of rows made of ``outs`` (every column any request can carry)."""
    fields = {o.name: (o.annotation, Field(None, description=o.doc) if o.optional else Field(description=o.doc)) for o in outs}
    return create_model(title, **fields)  # type: ignore[call-overload]


def page(outs: Sequence[Out], items: Sequence[Any], next_cursor: str | None, *context: Any) -> Page:
    """A page of ``items`` as rows of ``outs`` (each value read as ``value(*context, item)``)."""
    return Page([{o.name: o.value(*context, item) for o in outs} for item in items], [o.name for o in outs], next_cursor)


def add_route(
    router: APIRouter, path: str, name: str, handler: Callable[..., Awaitable[Response]], params: dict[str, tuple[Any, Any]],
    **options: Any,
) -> None:
    """``GET path`` answered by ``handler(request=..., store=..., **params)``. FastAPI reads a route's
    parameters from its function's signature, so the signature is built from ``params`` (name ->
    (annotation, default)): each kind's route (``model_id`` or ``dataset_id``, with or without
    ``pipeline_tag``) is one declaration instead of one more copy of the function. The same
    declaration gives the fast path its query model (``fast_routes``)."""

    async def endpoint(**values: Any) -> Response:
        return await handler(**values)

    fixed = {"request": (Request, inspect.Parameter.empty), "store": (StoreDep, inspect.Parameter.empty)}
    endpoint.__name__ = endpoint.__qualname__ = name
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=a, default=d) for n, (a, d) in {**fixed, **params}.items()]
    )
    router.get(path, name=name, **options)(endpoint)
    _declared.append((router, FastRoute(router.prefix + path, name, handler, params)))


_declared: list[tuple[APIRouter, FastRoute]] = []
"""Every route ``add_route`` declared, with its router: the fast path (``api/fast.py``) serves the same handlers."""


def fast_routes(*routers: APIRouter) -> list[FastRoute]:
    """The routes declared on ``routers`` at a fixed path (no path parameter), for ``api.fast.FastPath``."""
    return [route for router, route in _declared if any(router is r for r in routers) and "{" not in route.path]


async def cached_page(
    request: Request, store: Any, source: str, key: tuple[Hashable, ...], fn: Callable[..., Any], *args: Any,
    fmt: Any, headers: dict[str, str] | None = None,
) -> Response:
    """The page ``fn(conn, *args, latest)`` as of ``source``'s newest crawl, cached under ``key`` and that
    date, answered as JSON or CSV (``pages.respond``)."""
    latest = await store.latest(source)
    page = await store.answer((*key, latest), fn, *args, latest)
    return respond(request, page, fmt, (source, latest), headers)
