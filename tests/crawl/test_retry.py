"""Retries: which failures are transient, how long to wait, and that attempts are bounded."""

from __future__ import annotations

import httpx2
import pytest
from huggingface_hub.errors import HfHubHTTPError

from hubsight.crawl.errors import RetriesExhausted
from hubsight.crawl.retry import Retrier, retry_after, transient
from hubsight.errors import UpstreamTimeout


def _http(status: int, headers: dict[str, str] | None = None) -> HfHubHTTPError:
    request = httpx2.Request("GET", "http://hub/api/models")
    return HfHubHTTPError(f"{status}", response=httpx2.Response(status, headers=headers or {}, request=request))


@pytest.mark.parametrize(
    ("exc", "again", "hint"),
    [
        (_http(503), True, None),
        (_http(429, {"Retry-After": "7"}), True, 7.0),
        (_http(404), False, None),
        (_http(400), False, None),
        (UpstreamTimeout("slow"), True, None),
        (httpx2.ConnectError("refused"), True, None),
        (ValueError("a bug"), False, None),
    ],
)
def test_transient_failures_are_told_apart(exc: Exception, again: bool, hint: float | None) -> None:
    assert transient(exc)[:2] == (again, hint)


def test_a_wrapped_http_error_is_found_through_the_cause_chain() -> None:
    try:
        try:
            raise _http(502)
        except HfHubHTTPError as inner:
            raise FileNotFoundError("cannot find the file") from inner
    except FileNotFoundError as outer:
        assert transient(outer)[0]


def test_retry_after_takes_seconds_or_an_http_date() -> None:
    assert retry_after({"retry-after": "3"}) == 3.0
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0, "a date in the past: go now"
    assert retry_after({}) is None


def test_retries_wait_as_told_and_give_up_after_the_attempts() -> None:
    waits: list[float] = []
    retrier = Retrier(attempts=3, backoff=1.0, sleep=waits.append)
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise _http(429, {"Retry-After": "5"})
        if len(calls) == 2:
            raise _http(500)
        return "ok"

    assert retrier("GET /api/models", flaky) == "ok"
    assert waits[0] == 5.0 and 0.75 <= waits[1] / 2.0 <= 1.25, "Retry-After wins, else exponential backoff"
    with pytest.raises(RetriesExhausted, match=r"GET /api/models: gave up after 3 attempts \(last: HTTP 503\)"):
        retrier("GET /api/models", lambda: (_ for _ in ()).throw(_http(503)))
    with pytest.raises(HfHubHTTPError):
        retrier("GET /api/models", lambda: (_ for _ in ()).throw(_http(401)))


def test_progress_restarts_the_attempt_count() -> None:
    done = {"n": 0}

    def resumable() -> str:
        done["n"] += 1  # each attempt gets one page further, then fails
        if done["n"] < 6:
            raise _http(503)
        return "finished"

    assert Retrier(attempts=2, backoff=0, sleep=lambda _s: None)("arxiv", resumable, progress=lambda: done["n"]) == "finished"
