"""The API in process (httpx.ASGITransport, lifespan entered) and under a real uvicorn server in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
import uvicorn
from fastapi import FastAPI

from hubsight.api import create_app
from hubsight.settings import Settings, get_settings

TOKEN = "hf_replica_julien-c"
SERVER_TOKEN = "hf_replica_the-operator"
"""The server's own HF_TOKEN in these tests: it must never serve a caller, nor be shown."""


@pytest.fixture
def settings(replica) -> Settings:
    return get_settings(hf_endpoint=replica.url, hf_token=SERVER_TOKEN, sandbox_timeout=20.0)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest_asyncio.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An in-process client; the app's lifespan runs around it, as under a server."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hubsight.test") as http:
            yield http


class ApiServer:
    """The app under a real uvicorn server (lifespan on) in a daemon thread, on a free port."""

    def __init__(self, app: FastAPI) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    def __enter__(self) -> ApiServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            assert self._thread.is_alive() and time.monotonic() < deadline, "the API server did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self._sock.close()


@pytest.fixture(scope="module")
def live_url(replica) -> Iterator[str]:
    settings = get_settings(hf_endpoint=replica.url, hf_token=SERVER_TOKEN)
    with ApiServer(create_app(settings)) as server:
        yield server.url
