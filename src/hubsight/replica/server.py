"""Running the replica: in the foreground for the CLI, or in a background thread for tests and demos."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import AbstractContextManager
from datetime import date
from types import TracebackType

import uvicorn

from hubsight.replica.app import create_app
from hubsight.replica.state import Faults, ReplicaState
from hubsight.replica.world import World


class ReplicaServer(AbstractContextManager["ReplicaServer"]):
    """A real uvicorn server in a daemon thread. ``port=0`` picks a free port.

    >>> with ReplicaServer(scale="tiny", seed=1) as replica:   # doctest: +SKIP
    ...     HfApi(endpoint=replica.url).list_models(limit=5)
    """

    def __init__(
        self,
        *,
        seed: int = 0,
        scale: str | int = "tiny",
        start: date | None = None,
        faults: Faults | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        world: World | None = None,
    ) -> None:
        self.app = create_app(seed=seed, scale=scale, start=start, faults=faults, world=world)
        self.host = host
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.port = self._sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def state(self) -> ReplicaState:
        return self.app.state.replica

    @property
    def world(self) -> World:
        return self.state.world

    def start(self) -> ReplicaServer:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the replica server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
