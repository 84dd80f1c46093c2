"""Per-request retries for every crawl source: transient failures (408, 429, 5xx, timeouts, dropped
connections) are retried with exponential backoff, honouring ``Retry-After``, for a bounded number of
attempts; anything else (400, 401, 404, a schema change) fails at once. What a failure is (its status,
Retry-After, whether it is transient) is read by ``hub.client.failure``, as for the helpers."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar

from hubsight.crawl.errors import RetriesExhausted
from hubsight.hub.client import RETRY_STATUSES, failure, retry_after

__all__ = ["RETRY_STATUSES", "Retrier", "from_settings", "host_of", "retry_after", "transient"]

T = TypeVar("T")
log = logging.getLogger("hubsight.crawl")

UNREACHABLE = ("ConnectError", "ConnectionError", "ConnectTimeout")
"""Reasons that mean nothing answered at the address (refused, no route, unknown host, dropped)."""
REMEMBER_UNREACHABLE = 600.0
"""Seconds a host that outlasted every attempt stays given up on: the crawl's other sources fail at
once instead of spending the same retry budget again on it."""
_unreachable: dict[str, float] = {}
MAX_WAIT = 600.0
"""Longest single pause, whatever Retry-After says: a day's crawl should not stall for hours."""


def transient(exc: BaseException) -> tuple[bool, float | None, str]:
    """(retry?, Retry-After seconds, short reason) for an exception from any crawl client."""
    found = failure(exc)
    return found.transient, found.retry_after, found.reason


def host_of(exc: BaseException) -> str | None:
    """scheme://host[:port] of the request that raised ``exc`` (httpx or requests), if it says."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        try:
            request = getattr(current, "request", None)
        except RuntimeError:  # httpx: an error raised outside a request has none
            request = None
        url = getattr(request, "url", None)
        if url is not None:
            from urllib.parse import urlsplit

            parts = urlsplit(str(url))
            if parts.netloc:
                return f"{parts.scheme}://{parts.netloc}"
        current = current.__cause__ or current.__context__
    return None


def _advice(reason: str) -> str:
    if reason in UNREACHABLE:
        return "nothing answered there: check --endpoint (or HF_ENDPOINT) and that the server is up"
    return "the upstream is failing, retry the crawl later or raise HUBSIGHT_CRAWL_ATTEMPTS"


class Retrier:
    """Runs a call until it succeeds, fails for good, or runs out of attempts."""

    def __init__(self, attempts: int, backoff: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.sleep = sleep
        self.retries = 0

    def wait(self, attempt: int, hint: float | None) -> float:
        if hint is not None:
            return min(MAX_WAIT, hint)
        return min(MAX_WAIT, self.backoff * 2 ** (attempt - 1) * random.uniform(0.75, 1.25))

    def __call__(self, what: str, call: Callable[[], T], progress: Callable[[], int] | None = None) -> T:
        """Run ``call``; a ``progress`` counter that grew since the last failure restarts the attempt count
        (a resumable call that fails on page 9 of 10 is not out of attempts)."""
        attempt = 0
        mark = progress() if progress is not None else 0
        while True:
            attempt += 1
            try:
                return call()
            except Exception as exc:
                again, hint, reason = transient(exc)
                if not again:
                    raise
                if progress is not None and progress() > mark:
                    mark, attempt = progress(), 1
                host = host_of(exc) if reason in UNREACHABLE else None
                given_up = _unreachable.get(host) if host else None
                if given_up is not None and time.monotonic() - given_up < REMEMBER_UNREACHABLE:
                    raise RetriesExhausted(
                        f"{what}: not tried, {host} did not answer the attempts above"
                    ) from exc
                if attempt >= self.attempts:
                    if host:
                        _unreachable[host] = time.monotonic()
                    raise RetriesExhausted(
                        f"{what}: gave up after {self.attempts} attempts (last: {reason}); {_advice(reason)}"
                    ) from exc
                pause = self.wait(attempt, hint)
                self.retries += 1
                problem = f"cannot reach {host or 'the endpoint'} ({reason})" if reason in UNREACHABLE else reason
                # a warning, so that the CLI shows it at once: a crawl that retries must not look hung
                log.warning(
                    "%s: %s; retrying (attempt %d of %d, next in %.1f s)", what, problem, attempt + 1, self.attempts, pause
                )
                self.sleep(pause)


def from_settings(settings: Any) -> Retrier:
    return Retrier(settings.crawl_attempts, settings.crawl_backoff_seconds)
