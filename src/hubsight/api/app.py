"""The API's app factory: settings, error handlers, routers, and a lifespan that closes the sandbox pool
and the history store's engine."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from hubsight import __version__
from hubsight.api.cache import ResponseCache
from hubsight.api.errors import install_error_handlers
from hubsight.api.fast import FastPath
from hubsight.api.keys import KEY_RESPONSES, optional_key_in_openapi, require_api_key
from hubsight.api.routes import arena, health, history, new, papers, query, repos, sql, trending, trends
from hubsight.api.routes.common import fast_routes
from hubsight.api.store import HistoryStore
from hubsight.body_limit import BodyLimit
from hubsight.sandbox import close
from hubsight.settings import Settings, get_settings

__all__ = ["create_app"]

DESCRIPTION = """\
Ask the Hugging Face Hub anything by sending a small async Python script that calls the `hf_*`
helpers; it runs in a sandbox and comes back as one envelope `{ok, result, error, meta}`.
`hubsight prompt` prints the guide an LLM reads to write these scripts.

Send your Hub token as `Authorization: Bearer <token>` to act as yourself; without it, scripts run
anonymously. Every non-2xx answer has the body `{"error": {"type", "message"}}`.

**History** (from `hubsight crawl`, daily snapshots of every model, dataset and space, arXiv and
LMArena): what is trending over N days by likes or downloads (`/models/trending`), what the Hub
created lately (`/models/new`), how one repo changed (`/models/{model_id}/history`), the same for
`/datasets` and `/spaces`, recent papers (`/papers/recent`) and arena rankings (`/arena/rankings`).
Lists answer JSON, or CSV with `format=csv` / `Accept: text/csv`, and continue past their `limit`
with the `cursor` from `X-Next-Cursor` (also `Link: rel="next"`). When the server requires API keys
(`HUBSIGHT_API_KEYS_REQUIRED`), send one as `X-API-Key`; `/health` and `/docs` stay open.
"""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    try:
        yield
    finally:
        app.state.history.dispose()
        await close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new API app for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()
    # /docs is served by web.mount from vendored Swagger UI assets: FastAPI's default loads them from a CDN
    app = FastAPI(
        title="hubsight", version=__version__, description=DESCRIPTION, lifespan=_lifespan, docs_url=None, redoc_url=None
    )
    app.state.settings = settings
    app.state.script_settings = settings.model_copy(update={"hf_token": None})
    app.state.history = HistoryStore(settings)
    install_error_handlers(app)
    # innermost of ours: the hot list routes without FastAPI's per-request work, the rest through FastAPI
    app.add_middleware(FastPath, routes=fast_routes(trending.router, new.router))
    app.add_middleware(
        ResponseCache, enabled=not settings.api_keys_required and settings.api_cache_entries > 0,
        entries=settings.api_cache_entries,
    )
    app.add_middleware(BodyLimit)  # outermost of ours: an oversized body is refused before anything reads it
    app.include_router(health.router)
    metered = {"dependencies": [Depends(require_api_key)], "responses": KEY_RESPONSES}
    app.include_router(query.router, **metered)
    for module in (trending, new, history, papers, arena, repos, sql, trends):
        app.include_router(module.router, **metered)
    from hubsight import web

    optional_key_in_openapi(app)  # keys off: the document says no key is needed
    web.mount(app)  # the dashboard at / (static files, no build step)
    return app
