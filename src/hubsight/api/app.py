"""The API's app factory: settings, error handlers, routers, and a lifespan that closes the sandbox pool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from hubsight import __version__
from hubsight.api.errors import install_error_handlers
from hubsight.api.routes import health, query
from hubsight.sandbox import close
from hubsight.settings import Settings, get_settings

__all__ = ["create_app"]

DESCRIPTION = """\
Ask the Hugging Face Hub anything by sending a small async Python script that calls the `hf_*`
helpers; it runs in a sandbox and comes back as one envelope `{ok, result, error, meta}`.
`hubsight prompt` prints the guide an LLM reads to write these scripts.

Send your Hub token as `Authorization: Bearer <token>` to act as yourself; without it, scripts run
anonymously. Every non-2xx answer has the body `{"error": {"type", "message"}}`.
"""


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    try:
        yield
    finally:
        await close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new API app for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()
    app = FastAPI(title="hubsight", version=__version__, description=DESCRIPTION, lifespan=_lifespan)
    app.state.settings = settings
    app.state.script_settings = settings.model_copy(update={"hf_token": None})
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(query.router)
    return app
