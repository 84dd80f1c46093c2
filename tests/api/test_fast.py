"""The fast path (api/fast.py) answers exactly what FastAPI answers: bodies, statuses, headers, errors."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from hubsight.api import create_app
from hubsight.api.fast import FastPath
from hubsight.api.pages import encode_cursor
from hubsight.settings import get_settings
from tests.api import history_store
from tests.api.history_store import Crawled

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules

REQUESTS: list[tuple[str, dict[str, Any], dict[str, str]]] = [
    ("/models/trending", {}, {}),
    ("/models/trending", {"days": 2, "limit": 3}, {}),
    ("/models/trending", {"days": "3", "limit": "5", "metric": "downloads", "include_growth": "yes", "_r": "1"}, {}),
    ("/models/trending", {"limit": 2, "format": "csv"}, {}),
    ("/models/trending", {"limit": 2}, {"Accept": "text/csv"}),
    ("/models/trending", {"pipeline_tag": "text-generation", "limit": 2}, {}),
    ("/models/trending", {"pipeline_tag": "", "limit": 2}, {}),
    ("/datasets/trending", {"limit": 2, "metric": "downloads"}, {}),
    ("/spaces/trending", {"limit": 2}, {}),
    ("/models/new", {"days": 30, "limit": 2}, {}),
    ("/datasets/new", {"limit": 2, "format": "csv"}, {}),
    # what the fast path hands to FastAPI: errors, repeated parameters, other paths and methods
    ("/models/trending", {"days": 0}, {}),
    ("/models/trending", {"limit": "many"}, {}),
    ("/models/trending", {"pipeline_tag": "a\x00b"}, {}),
    ("/models/trending", {"cursor": "not-a-cursor"}, {}),
    ("/models/trending", {"cursor": encode_cursor("2020-01-01", 5)}, {}),
    ("/spaces/trending", {"metric": "downloads"}, {}),
    ("/models/trending?days=1&days=2", {}, {}),
    ("/models/trending/", {}, {}),
    ("/models/new", {"days": 91}, {}),
]


@asynccontextmanager
async def client(url: str, fast: bool):
    app = create_app(get_settings(db=url))
    if not fast:  # any dependency override sends every request through FastAPI
        app.dependency_overrides[object] = object
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hubsight.test") as http:
            yield http


def _seen(response: httpx.Response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, sorted(response.headers.multi_items()), response.content


async def test_the_fast_path_answers_what_fastapi_answers(crawled: Crawled) -> None:
    async with client(crawled.url, fast=True) as fast, client(crawled.url, fast=False) as slow:
        for path, params, headers in REQUESTS:
            for method in ("GET", "HEAD", "POST"):
                got = await fast.request(method, path, params=params, headers=headers)
                want = await slow.request(method, path, params=params, headers=headers)
                assert _seen(got) == _seen(want), (method, path, params)
        ok = await fast.get("/models/trending", params={"limit": 2})
        assert ok.status_code == 200 and len(ok.json()) == 2 and "cursor=" in ok.headers["link"]


async def test_the_fast_path_serves_the_list_routes_at_fixed_paths(crawled: Crawled) -> None:
    app = create_app(get_settings(db=crawled.url))
    middleware = next(m for m in app.user_middleware if m.cls is FastPath)
    paths = {r.path for r in middleware.kwargs["routes"]}
    assert paths == {f"/{p}/{what}" for p in ("models", "datasets", "spaces") for what in ("trending", "new")}


@pytest.mark.parametrize("required", [True, False])
async def test_keys_required_send_every_request_through_the_key_check(crawled: Crawled, required: bool) -> None:
    async with history_store.api(crawled.url, api_keys_required=required) as http:
        response = await http.get("/models/trending", params={"limit": 1})
    assert response.status_code == (401 if required else 200)
