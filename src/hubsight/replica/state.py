"""Shared replica state and the small response helpers every route uses."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from hubsight.replica.listing import Lister, encode_cursor
from hubsight.replica.render import Renderer
from hubsight.replica.world import World

MAX_LATENCY_MS = 60_000.0
"""Injected latency is at most a minute: past that every request would outlive any client's timeout."""
MAX_RETRY_AFTER = 3600


@dataclass
class Faults:
    """Injected trouble: extra latency, a share of 5xx answers and a share of 429 answers."""

    latency_ms: float = 0.0
    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    retry_after: int = 1

    def validate(self) -> None:
        for name in ("error_rate", "rate_limit_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.error_rate + self.rate_limit_rate > 1.0:
            raise ValueError("error_rate + rate_limit_rate must not exceed 1")
        if not 0 <= self.latency_ms <= MAX_LATENCY_MS:
            raise ValueError(f"latency_ms must be at most {MAX_LATENCY_MS:g} (one minute) and >= 0, got {self.latency_ms:g}")
        if not 0 <= self.retry_after <= MAX_RETRY_AFTER:
            raise ValueError(f"retry_after must be between 0 and {MAX_RETRY_AFTER} seconds, got {self.retry_after}")


@dataclass
class ReplicaState:
    world: World
    faults: Faults = field(default_factory=Faults)
    lock: threading.RLock = field(default_factory=threading.RLock)
    counters: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.render = Renderer(self.world)
        self.lister = Lister(self.world)
        self.fault_rng = random.Random(self.world.seed)

    def count(self, key: str) -> None:
        self.counters[key] = self.counters.get(key, 0) + 1


def state_of(request: Request) -> ReplicaState:
    return request.app.state.replica


def json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json", headers=headers)


def hub_error(status: int, message: str, code: str | None = None) -> Response:
    """An error the way the Hub sends it: JSON ``{"error": ...}`` plus X-Error-* headers.

    Header values must be latin-1: a message quoting what the client sent (a cursor, a search term)
    is escaped there, and stays verbatim in the body."""
    headers = {"X-Error-Message": " ".join(message.splitlines()).encode("ascii", "backslashreplace").decode("ascii")}
    if code:
        headers["X-Error-Code"] = code
    return json({"error": message}, status=status, headers=headers)


def repo_not_found(repo_type: str, repo_id: str) -> Response:
    return hub_error(404, f"{repo_type.title()} {repo_id} does not exist", "RepoNotFound")


def bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return auth[7:].strip() if auth.lower().startswith("bearer ") else None


def int_param(request: Request, name: str, default: int, lo: int = 0, hi: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from None
    if value < lo or (hi is not None and value > hi):
        raise ValueError(f"{name} must be between {lo} and {hi}, got {value}")
    return value


def next_link(request: Request, cursor: str) -> str:
    """Absolute URL of the next page: every query param repeated, plus the cursor."""
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
    pairs.append(("cursor", cursor))
    url = request.url.replace_query_params(**{})
    from urllib.parse import urlencode

    return f"{str(url).split('?', 1)[0]}?{urlencode(pairs)}"


def listing_page(request: Request, body: Any, end: int, total: int) -> Response:
    """One page of a cursor listing as JSON, with ``Link: <next>; rel="next"`` while rows remain past ``end``."""
    headers = {"Link": f'<{next_link(request, encode_cursor(end))}>; rel="next"'} if end < total else {}
    return json(body, headers=headers)
