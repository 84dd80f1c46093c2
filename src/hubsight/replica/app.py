"""The replica as an ASGI app: Hub routes, the clock, fault injection."""

from __future__ import annotations

import asyncio
from datetime import date

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from hubsight.replica.state import Faults, ReplicaState, hub_error, int_param, json, state_of
from hubsight.replica.world import World

CONTROL_PREFIX = "/_replica"
MAX_ADVANCE_DAYS = 366
"""One request moves the clock at most a year: longer runs outlive a client's timeout (advance in steps)."""


class FaultMiddleware:
    """Latency, 5xx and 429 for every Hub route; the control routes under /_replica stay clean."""

    def __init__(self, app: ASGIApp, state: ReplicaState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        faults = self.state.faults
        self.state.count("requests")
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000)
        roll = self.state.fault_rng.random()
        if roll < faults.error_rate:
            self.state.count("injected_5xx")
            status = self.state.fault_rng.choice([500, 502, 503])
            response = hub_error(status, f"injected server error {status}")
        elif roll < faults.error_rate + faults.rate_limit_rate:
            self.state.count("injected_429")
            response = hub_error(429, "You have been rate-limited; retry after the delay in Retry-After.")
            response.headers["Retry-After"] = str(faults.retry_after)
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)


def clock_body(state: ReplicaState) -> dict:
    w = state.world
    from hubsight.replica.render import iso

    return {
        "date": w.today.isoformat(),
        "now": iso(w.now_ts),
        "day": w.day,
        "start": w.start.isoformat(),
        "seed": w.seed,
        "scale": w.scale_name,
        "counts": {kind: int(t.alive.sum()) for kind, t in w.repos.items()},
    }


async def get_clock(request: Request) -> Response:
    return json(clock_body(state_of(request)))


async def advance_clock(request: Request) -> Response:
    state = state_of(request)
    try:
        days = int_param(request, "days", 1, lo=1, hi=MAX_ADVANCE_DAYS)
    except ValueError as exc:
        return hub_error(400, f"{exc} (one request advances at most {MAX_ADVANCE_DAYS} days: advance in steps)")
    with state.lock:
        for _ in range(days):
            await asyncio.to_thread(state.world.advance, 1)
            if await request.is_disconnected():
                break  # the client gave up: do not go on advancing for nobody
    return json(clock_body(state))


async def faults_endpoint(request: Request) -> Response:
    state = state_of(request)
    if request.method == "POST":
        try:
            body = await request.json() if await request.body() else {}
            if not isinstance(body, dict):
                raise ValueError("expected a JSON object")
            merged = {**state.faults.__dict__, **{k: v for k, v in request.query_params.items()}, **body}
            unknown = set(merged) - set(Faults.__dataclass_fields__)
            if unknown:
                raise ValueError(f"unknown fault setting {sorted(unknown)[0]!r}: use {', '.join(Faults.__dataclass_fields__)}")
            new = Faults(
                latency_ms=float(merged["latency_ms"]),
                error_rate=float(merged["error_rate"]),
                rate_limit_rate=float(merged["rate_limit_rate"]),
                retry_after=int(merged["retry_after"]),
            )
            new.validate()
        except ValueError as exc:
            return hub_error(400, str(exc))
        state.faults = new
    return json({**state.faults.__dict__, "counters": state.counters})


async def agent_harnesses(request: Request) -> Response:
    """The registry huggingface_hub fetches once a day to label its user-agent."""
    return json(
        {
            "standardEnvVars": ["AI_AGENT", "AGENT"],
            "harnesses": {
                "claude-code": {"envVars": {"CLAUDECODE": "1"}},
                "cursor": {"envVars": {"CURSOR_AGENT": "*"}},
                "codex": {"envVars": {"CODEX_SANDBOX": "*"}},
            },
        }
    )


async def not_found(request: Request, exc: Exception) -> Response:
    return hub_error(404, f"Not found: {request.url.path}")


def create_app(
    seed: int = 0,
    scale: str | int = "small",
    start: date | None = None,
    faults: Faults | None = None,
    world: World | None = None,
) -> Starlette:
    from hubsight.replica.routes import all_routes

    state = ReplicaState(world or World(seed=seed, scale=scale, start=start), faults or Faults())
    state.faults.validate()
    routes = [
        Route(f"{CONTROL_PREFIX}/clock", get_clock, methods=["GET"]),
        Route(f"{CONTROL_PREFIX}/clock/advance", advance_clock, methods=["POST"]),
        Route(f"{CONTROL_PREFIX}/faults", faults_endpoint, methods=["GET", "POST"]),
        Route("/api/agent-harnesses", agent_harnesses, methods=["GET"]),
        *all_routes(),
    ]
    app = Starlette(routes=routes, exception_handlers={404: not_found})
    app.state.replica = state
    app.add_middleware(FaultMiddleware, state=state)
    return app
