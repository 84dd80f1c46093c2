"""Every Hub request hubsight makes passes through one traced, budgeted, time-limited HTTP transport.

huggingface_hub 2.x sends all traffic through one shared ``httpx2.Client`` built by a factory we may
replace (``set_client_factory``). We install a client whose transport, for each request,
charges the current run's budget, enforces a timeout (the client passes ``timeout=None`` on
listings, which would otherwise mean "wait forever"), and appends (endpoint, params, status, ms)
to the run's trace. The current run travels in a ContextVar, which ``asyncio.to_thread`` and our
executor copy into worker threads, so concurrent runs never see each other's budget.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx2

from hubsight.errors import BudgetExceeded, UpstreamTimeout


@dataclass
class Call:
    """One upstream request as recorded in a run's trace."""

    endpoint: str
    params: dict[str, Any]
    status: int | None
    ms: float
    error: str | None = None
    started: float = 0.0
    """perf_counter() when the request left: lets tests and benchmarks see overlap."""

    def as_dict(self) -> dict[str, Any]:
        return {"endpoint": self.endpoint, "params": self.params, "status": self.status, "ms": round(self.ms, 2), "error": self.error}


@dataclass
class Run:
    """Budget and trace of one script run (or one plain-Python helper call)."""

    max_calls: int
    token: str | None = None
    settings: Any = None
    """hubsight Settings for this run (endpoint, timeouts); None means get_settings()."""
    calls_used: int = 0
    exhausted: bool = False
    """An upstream request was refused because the budget was spent."""
    trace: list[Call] = field(default_factory=list)
    memo: dict[Any, Any] = field(default_factory=dict)
    """Answers that cannot change during a run (the token's user), asked once."""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def calls_remaining(self) -> int:
        return max(0, self.max_calls - self.calls_used)

    def charge(self, endpoint: str) -> None:
        with self._lock:
            if self.calls_used >= self.max_calls:
                self.exhausted = True
                raise BudgetExceeded(
                    f"call budget exhausted: {self.calls_used} of max_calls={self.max_calls} upstream calls used "
                    f"before {endpoint}; raise max_calls or narrow the script"
                )
            self.calls_used += 1

    def record(self, call: Call) -> None:
        with self._lock:
            self.trace.append(call)


_current: contextvars.ContextVar[Run | None] = contextvars.ContextVar("hubsight_run", default=None)


def current_run() -> Run | None:
    return _current.get()


@contextmanager
def use_run(run: Run) -> Iterator[Run]:
    token = _current.set(run)
    try:
        yield run
    finally:
        _current.reset(token)


def _params(url: httpx2.URL) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in url.params.multi_items():
        if key in out:
            out[key] = [*out[key], value] if isinstance(out[key], list) else [out[key], value]
        else:
            out[key] = value
    return out


class TracedTransport(httpx2.HTTPTransport):
    def __init__(self, timeout: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timeout = timeout

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        limits = request.extensions.get("timeout") or {}
        if not limits or any(v is None for v in limits.values()):
            request.extensions["timeout"] = {k: self.timeout for k in ("connect", "read", "write", "pool")}
        endpoint = request.url.path
        # huggingface_hub's own once-a-day telemetry fetch is not the run's work: never charge it
        run = None if endpoint in UNCHARGED else _current.get()
        if run is not None:
            run.charge(endpoint)
        began = time.perf_counter()
        try:
            response = super().handle_request(request)
        except Exception as exc:
            if run is not None:
                run.record(Call(endpoint, _params(request.url), None, (time.perf_counter() - began) * 1000, type(exc).__name__, began))
            if isinstance(exc, httpx2.TimeoutException):
                # Not an httpx2 error any more, so the client's backoff (1+2+4+8+8 s on listings) does not
                # turn one slow answer into half a minute: the caller decides whether to retry.
                raise UpstreamTimeout(
                    f"the Hub did not answer in time ({endpoint}, {self.timeout:g}s); retry later or raise HUBSIGHT_HTTP_TIMEOUT"
                ) from exc
            raise
        if run is not None:
            run.record(Call(endpoint, _params(request.url), response.status_code, (time.perf_counter() - began) * 1000, None, began))
        return response


UNCHARGED = frozenset({"/api/agent-harnesses"})

_installed: float | None = None
_install_lock = threading.Lock()


def install(timeout: float) -> None:
    """Make huggingface_hub's shared client the traced one (idempotent; a new timeout reinstalls)."""
    global _installed
    if _installed == timeout:
        return
    with _install_lock:
        if _installed == timeout:
            return
        from huggingface_hub import set_client_factory
        from huggingface_hub.utils._http import hf_request_event_hook

        def factory() -> httpx2.Client:
            return httpx2.Client(
                transport=TracedTransport(timeout=timeout, limits=httpx2.Limits(max_connections=256, max_keepalive_connections=64)),
                event_hooks={"request": [hf_request_event_hook]},
                follow_redirects=True,
                timeout=timeout,
            )

        set_client_factory(factory)
        _installed = timeout
