"""A fast path for the hot GET list routes: their own handlers, without FastAPI's per-request work.

FastAPI answers a GET by walking its routers, then solving the route's dependency graph: each query
parameter is looked up and validated on its own, each dependency called. For ``/models/trending``
that is about 200 µs a request, more than the SQLite read behind it. This middleware serves the
routes declared with ``routes.common.add_route`` at a fixed path (``/{kind}/trending``, ``/{kind}/new``)
from the same declaration: it finds the route by its exact path, validates the query string with one
pydantic model built from the route's parameter declarations (the annotations, constraints and
defaults FastAPI reads, so the handler gets the same values) and awaits the route's handler with the
same arguments. The handler's Response is sent as FastAPI sends it.

It only answers what FastAPI would answer from the handler; everything else goes on to FastAPI
unchanged, which answers it exactly as before (error body, headers, logging):

    not a GET, another path (a trailing slash, a path parameter), a root_path    -> FastAPI
    a parameter given twice, or one the model refuses (FastAPI's 422 says why)   -> FastAPI
    the handler raising (ApiError, NoHistory, the store down, a bug)             -> FastAPI, which runs it again
    API keys required (``keys.require_api_key`` must count every request)        -> FastAPI, every request
    dependency overrides set on the app (tests replacing a dependency)          -> FastAPI

The handlers only read, and nothing is sent before one returns, so handing a request over is always safe.
The only dependency of these routes besides the store and the request is ``require_api_key``, a no-op
while keys are off: ``create_app`` installs this middleware only then.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, create_model
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["FastPath", "FastRoute"]


@dataclass(frozen=True)
class FastRoute:
    """A GET route as ``add_route`` declared it: its path, handler and parameters (name -> (annotation, default))."""

    path: str
    name: str
    handler: Callable[..., Awaitable[Any]]
    params: dict[str, tuple[Any, Any]]

    def query_model(self) -> type[BaseModel]:
        """The route's query parameters as one model: the same fields FastAPI validates one by one."""
        fields = {n: (a, ... if d is inspect.Parameter.empty else d) for n, (a, d) in self.params.items()}
        return create_model(  # type: ignore[call-overload, no-any-return]
            f"{self.name}_query", __config__=ConfigDict(protected_namespaces=()), **fields
        )


class FastPath:
    """ASGI middleware serving ``routes`` (fixed paths, GET) from their handlers; the rest goes to ``app``."""

    def __init__(self, app: ASGIApp, routes: Iterable[FastRoute] = ()) -> None:
        self.app = app
        self._routes: dict[str, tuple[FastRoute, type[BaseModel]]] = {}
        for route in routes:
            if "{" in route.path:
                raise ValueError(f"{route.path}: the fast path serves fixed paths only")
            self._routes[route.path] = (route, route.query_model())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        found = self._routes.get(scope["path"]) if scope["type"] == "http" and scope["method"] == "GET" else None
        if found is None or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        route, model = found
        fastapi = scope["app"]
        if fastapi.dependency_overrides or fastapi.state.settings.api_keys_required:
            await self.app(scope, receive, send)
            return
        pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)  # as starlette reads it
        query = dict(pairs)
        try:
            if len(query) != len(pairs):
                raise ValueError("a parameter given twice")
            values = model.model_validate(query)
            response = await route.handler(
                request=Request(scope, receive, send), store=fastapi.state.history, **{n: getattr(values, n) for n in route.params}
            )
        except Exception:  # a ValidationError, or the handler's: FastAPI answers it
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)
