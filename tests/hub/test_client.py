"""The Hub client: every upstream failure becomes one of hubsight's typed errors, with a message that says what to do.

First a table of what huggingface_hub and httpx2 raise (built the way they build them, from real responses),
then the replica's injected faults through the real client: an HfApi method, a raw GET, and a helper.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import httpx2
import pytest
from huggingface_hub.errors import HFValidationError
from huggingface_hub.utils import hf_raise_for_status

from hubsight import errors
from hubsight.helpers import hf_repo_details
from hubsight.hub.client import HubClient
from hubsight.hub.session import Run, use_run
from hubsight.replica import ReplicaServer
from hubsight.settings import get_settings

URL = "http://hub.test/api/models/org/x"
WHAT = "model_info org/x"


def hub_answer(status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Callable[[], Any]:
    """A call that fails the way huggingface_hub fails on this answer from the Hub."""

    def call() -> Any:
        hf_raise_for_status(httpx2.Response(status, headers=headers or {}, content=body, request=httpx2.Request("GET", URL)))

    return call


def raising(exc: BaseException) -> Callable[[], Any]:
    def call() -> Any:
        raise exc

    return call


ERROR = b'{"error": "%s"}'


@pytest.mark.parametrize(
    ("call", "kind", "status", "fragments"),
    [
        pytest.param(hub_answer(404, {"X-Error-Code": "RepoNotFound"}), errors.NotFound, 404, ["not found on the Hub", "repo_type", "private repos need a token"], id="repo-not-found"),
        pytest.param(hub_answer(401, {"X-Error-Code": "RepoNotFound"}), errors.NotFound, 404, ["not found on the Hub"], id="anonymous-401-for-a-missing-repo"),
        pytest.param(hub_answer(404, {"X-Error-Code": "RevisionNotFound"}), errors.NotFound, 404, ["not found on the Hub"], id="revision-not-found"),
        pytest.param(hub_answer(404, {"X-Error-Code": "EntryNotFound"}), errors.NotFound, 404, ["not found on the Hub"], id="file-not-found"),
        pytest.param(hub_answer(404, body=ERROR % b"no such user"), errors.NotFound, 404, ["not found on the Hub", "no such user"], id="plain-404"),
        pytest.param(hub_answer(403, {"X-Error-Code": "GatedRepo"}), errors.AccessDenied, 403, ["gated", "accept its terms", "token"], id="gated"),
        pytest.param(hub_answer(401), errors.AccessDenied, 401, ["refused the token", "HF_TOKEN"], id="bad-token"),
        pytest.param(hub_answer(403), errors.AccessDenied, 403, ["access denied", "permission"], id="forbidden"),
        pytest.param(hub_answer(429, {"Retry-After": "3"}), errors.RateLimited, 429, ["rate-limited", "wait and retry"], id="rate-limited"),
        pytest.param(hub_answer(400, body=ERROR % b"bad sort key"), errors.ContractError, None, ["rejected the request (400)", "bad sort key"], id="bad-request"),
        pytest.param(hub_answer(503, body=ERROR % b"down for maintenance"), errors.UpstreamError, 503, ["the Hub answered 503", "down for maintenance"], id="server-error"),
        pytest.param(hub_answer(502), errors.UpstreamError, 502, ["the Hub answered 502"], id="server-error-without-a-message"),
        pytest.param(raising(httpx2.ReadTimeout("timed out")), errors.UpstreamTimeout, None, ["did not answer in time", "HUBSIGHT_HTTP_TIMEOUT"], id="timeout"),
        pytest.param(raising(httpx2.ConnectError("refused")), errors.UpstreamError, None, ["cannot reach the Hub", "HF_ENDPOINT"], id="unreachable"),
        pytest.param(raising(HFValidationError("Repo id must be in the form 'repo_name' or 'namespace/repo_name'")), errors.ContractError, None, ["namespace/repo_name"], id="invalid-repo-id"),
        pytest.param(raising(ValueError("limit must be positive")), errors.ContractError, None, ["limit must be positive"], id="value-error"),
        pytest.param(raising(RuntimeError("boom")), errors.UpstreamError, None, ["unexpected RuntimeError", "boom"], id="anything-else"),
    ],
)
def test_an_upstream_failure_becomes_a_typed_error_that_says_what_to_do(call, kind: type, status: int | None, fragments: list[str]) -> None:
    with pytest.raises(errors.HubsightError) as caught:
        asyncio.run(HubClient(get_settings(hf_token="")).call(WHAT, call))
    err = caught.value
    assert type(err) is kind or (kind is errors.UpstreamError and isinstance(err, errors.UpstreamError)), repr(err)
    assert str(err).startswith(f"{WHAT}: "), "the message says which call failed"
    assert getattr(err, "status", None) == status
    for fragment in fragments:
        assert fragment in str(err)


@pytest.mark.parametrize("err", [errors.ContractError("bad field"), errors.BudgetExceeded("budget exhausted (max_calls=2)")], ids=["contract", "budget"])
def test_hubsights_own_errors_pass_through_unchanged(err: errors.HubsightError) -> None:
    with pytest.raises(type(err)) as caught:
        asyncio.run(HubClient(get_settings(hf_token="")).call(WHAT, raising(err)))
    assert caught.value is err


# -- the replica's faults, through the real client -----------------------------------------------------
@pytest.fixture(scope="module")
def faulty() -> Iterator[ReplicaServer]:
    with ReplicaServer(scale=60, seed=3) as replica:
        yield replica


@pytest.fixture
def faults(faulty: ReplicaServer) -> Iterator[Callable[[dict], None]]:
    def set_faults(values: dict) -> None:
        httpx.post(f"{faulty.url}/_replica/faults", json=values).raise_for_status()

    yield set_faults
    set_faults({"latency_ms": 0, "error_rate": 0, "rate_limit_rate": 0, "retry_after": 1})


async def via_hfapi(client: HubClient, replica: ReplicaServer) -> Any:
    repo_id = replica.world.repos["model"].ids[0]
    return await client.call(f"model_info {repo_id}", client.api.model_info, repo_id)


async def via_get(client: HubClient, replica: ReplicaServer) -> Any:
    return await client.get_json("/api/trending", params={"type": "model"})


async def via_helper(client: HubClient, replica: ReplicaServer) -> Any:
    """A helper never raises: the same error comes back in its envelope."""
    env = await hf_repo_details(repo_id=replica.world.repos["model"].ids[0], repo_type="model")
    assert env["ok"] is False and env["items"] == [], env
    raise getattr(errors, env["meta"]["error_type"])(env["error"])


@pytest.mark.parametrize("door", [via_hfapi, via_get, via_helper], ids=["hfapi-method", "raw-get", "helper-envelope"])
@pytest.mark.parametrize(
    ("fault", "kind", "fragment"),
    [
        pytest.param({"error_rate": 1.0}, errors.UpstreamError, "the Hub answered 50", id="5xx"),
        pytest.param({"rate_limit_rate": 1.0, "retry_after": 0}, errors.RateLimited, "rate-limited by the Hub (429)", id="429"),
        pytest.param({"latency_ms": 1500}, errors.UpstreamTimeout, "did not answer in time", id="slow"),
    ],
)
def test_the_replicas_faults_are_clear_errors(faulty: ReplicaServer, faults, door, fault: dict, kind: type, fragment: str) -> None:
    faults(fault)
    run = Run(max_calls=20, settings=get_settings(hf_endpoint=faulty.url, hf_token="", http_timeout=0.5))

    async def main() -> Any:
        with use_run(run):
            return await door(HubClient(run.settings, run=run), faulty)

    with pytest.raises(errors.UpstreamError) as caught:
        asyncio.run(main())
    assert isinstance(caught.value, kind) and fragment in str(caught.value), repr(caught.value)
