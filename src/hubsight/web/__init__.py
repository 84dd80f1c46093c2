"""The dashboard: one static page (no build step) over the JSON API, with Chart.js vendored for offline use."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles


def mount(app: FastAPI) -> None:
    static = files("hubsight.web") / "static"
    index = (static / "index.html").read_text(encoding="utf-8")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def dashboard() -> HTMLResponse:
        return HTMLResponse(index)

    app.mount("/static", StaticFiles(directory=str(static)), name="static")
