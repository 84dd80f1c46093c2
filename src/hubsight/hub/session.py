"""Every Hub request hubsight makes passes through one traced, budgeted, time-limited HTTP transport.

huggingface_hub 2.x sends all traffic through one shared ``httpx2.Client`` built by a factory we may
replace (``set_client_factory``). We install a client whose transport, for each request,
charges the current run's budget, enforces a timeout (the client passes ``timeout=None`` on
listings, which would otherwise mean "wait forever"), and appends (endpoint, params, status, ms)
to the run's trace. The current run travels in a ContextVar, which ``asyncio.to_thread`` and our
executor copy into worker threads, so concurrent runs never see each other's budget.

A logical request counts once: huggingface_hub's own retries (of a 5xx, a 429, a dropped
connection) are traced but not charged. A connection that cannot be made is tried again briefly
here and then reported as ``Unreachable``, naming the endpoint, instead of after half a minute of
the client's backoff.
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

from hubsight.errors import BudgetExceeded, Unreachable, UpstreamTimeout

RETRIED_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
"""Statuses huggingface_hub's backoff retries: the next identical request from the thread is that retry."""
MAX_UNCHARGED_RETRIES = 5
"""huggingface_hub's own max_retries: past it, a repeat is a new request."""
CONNECT_RETRY_WAITS = (0.2, 0.5)
"""Pauses between connection attempts before saying the Hub is unreachable (under a second in all)."""


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
    _retrying: dict[int, tuple[str, str, int]] = field(default_factory=dict, repr=False)
    """Per thread: the request that just failed in a way huggingface_hub retries, and its retries so far."""

    @property
    def calls_remaining(self) -> int:
        return max(0, self.max_calls - self.calls_used)

    def charge(self, endpoint: str, method: str = "GET", url: str | None = None) -> bool:
        """Count one request against the budget; a retry of the request that just failed is free.

        Returns whether the request was charged (False for a retry)."""
        with self._lock:
            thread = threading.get_ident()
            pending = self._retrying.get(thread)
            if url is not None and pending is not None and pending[:2] == (method, url) and pending[2] < MAX_UNCHARGED_RETRIES:
                self._retrying[thread] = (method, url, pending[2] + 1)
                return False
            self._retrying.pop(thread, None)
            if self.calls_used >= self.max_calls:
                self.exhausted = True
                raise BudgetExceeded(
                    f"call budget exhausted: {self.calls_used} of max_calls={self.max_calls} upstream calls used "
                    f"before {endpoint}; raise max_calls or narrow the script"
                )
            self.calls_used += 1
            for spent in _spent.get():
                spent[0] += 1
            return True

    def settled(self, method: str, url: str, retried: bool) -> None:
        """After a request: remember it when huggingface_hub will retry it, forget it otherwise."""
        with self._lock:
            thread = threading.get_ident()
            if retried:
                count = self._retrying.get(thread, (method, url, 0))
                self._retrying[thread] = (method, url, count[2] if count[:2] == (method, url) else 0)
            else:
                self._retrying.pop(thread, None)

    def record(self, call: Call) -> None:
        with self._lock:
            self.trace.append(call)


_current: contextvars.ContextVar[Run | None] = contextvars.ContextVar("hubsight_run", default=None)
_spent: contextvars.ContextVar[tuple[list[int], ...]] = contextvars.ContextVar("hubsight_spent", default=())
"""The counters of the helper calls under way in this context, outermost first: a request counts for
the call that made it and the calls it runs within (a summary's samples), in its own task and the
threads it reads in (they copy the context), never for calls gathered beside it."""


@contextmanager
def counting() -> Iterator[list[int]]:
    """Inside: ``[n]``, the requests charged to the run from here (retries are free, as in ``charge``)."""
    spent = [0]
    token = _spent.set((*_spent.get(), spent))
    try:
        yield spent
    finally:
        _spent.reset(token)


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


CONNECT_SECONDS = 5.0
"""Most seconds to open a connection: a host that drops packets is reported after this, not after the
whole read timeout (a real Hub connects in well under a second)."""


class TracedTransport(httpx2.HTTPTransport):
    def __init__(self, timeout: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timeout = timeout

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        limits = request.extensions.get("timeout") or {}
        if not limits or any(v is None for v in limits.values()):
            request.extensions["timeout"] = {k: self.timeout for k in ("connect", "read", "write", "pool")}
        connect = request.extensions["timeout"].get("connect")
        request.extensions["timeout"]["connect"] = min(connect or self.timeout, CONNECT_SECONDS)
        endpoint = request.url.path
        # huggingface_hub's own once-a-day telemetry fetch is not the run's work: never charge it
        run = None if endpoint in UNCHARGED else _current.get()
        method, url = request.method, str(request.url)
        if run is not None:
            run.charge(endpoint, method, url)
        began = time.perf_counter()
        try:
            response = self._send(request)
        except Exception as exc:
            if run is not None:
                run.record(Call(endpoint, _params(request.url), None, (time.perf_counter() - began) * 1000, type(exc).__name__, began))
                # huggingface_hub retries these (a ConnectError becomes Unreachable below: never retried)
                retried = isinstance(exc, httpx2.NetworkError | httpx2.RemoteProtocolError) and not isinstance(
                    exc, httpx2.ConnectError)
                run.settled(method, url, retried=retried)
            if isinstance(exc, httpx2.ConnectTimeout):
                origin = f"{request.url.scheme}://{request.url.netloc.decode()}"
                error = UpstreamTimeout(
                    f"cannot reach the Hub at {origin} (ConnectTimeout after {CONNECT_SECONDS:g} s); check HF_ENDPOINT"
                )
                error.request = request  # type: ignore[attr-defined]  # as on httpx errors: callers name the host
                raise error from exc
            if isinstance(exc, httpx2.TimeoutException):
                # Not an httpx2 error any more, so the client's backoff (1+2+4+8+8 s on listings) does not
                # turn one slow answer into half a minute: the caller decides whether to retry.
                raise UpstreamTimeout(
                    f"the Hub did not answer in time ({endpoint}, {self.timeout:g}s); retry later or raise HUBSIGHT_HTTP_TIMEOUT"
                ) from exc
            if isinstance(exc, httpx2.ConnectError):
                # Already retried here, briefly; the client's backoff would spend half a minute more.
                origin = f"{request.url.scheme}://{request.url.netloc.decode()}"
                error = Unreachable(f"cannot reach the Hub at {origin} (ConnectError); check HF_ENDPOINT")
                error.request = request  # type: ignore[attr-defined]  # as on httpx errors: callers name the host
                raise error from exc
            raise
        if run is not None:
            run.record(Call(endpoint, _params(request.url), response.status_code, (time.perf_counter() - began) * 1000, None, began))
            run.settled(method, url, retried=response.status_code in RETRIED_STATUSES)
        return response

    def _send(self, request: httpx2.Request) -> httpx2.Response:
        """The request, with a few quick new attempts when no connection could be made (nothing was sent)."""
        for wait in CONNECT_RETRY_WAITS:
            try:
                return super().handle_request(request)
            except httpx2.ConnectError:
                time.sleep(wait)
        return super().handle_request(request)


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
