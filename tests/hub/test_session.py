"""The traced Hub session: budget per run, a trace of every request, timeouts, a free event loop."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from hubsight.errors import BudgetExceeded, UpstreamTimeout
from hubsight.helpers import hf_repo_details
from hubsight.hub.client import HubClient
from hubsight.hub.session import Run, use_run
from hubsight.replica import ReplicaServer
from hubsight.settings import get_settings


@pytest.fixture(scope="module")
def slow_replica():
    with ReplicaServer(scale=60, seed=5) as server:
        httpx.post(f"{server.url}/_replica/faults", json={"latency_ms": 150})
        yield server


def settings_for(url: str, timeout: float = 10.0):
    return get_settings(hf_endpoint=url, hf_token="", http_timeout=timeout)


def test_each_request_is_traced_with_endpoint_params_status_and_ms(replica) -> None:
    run = Run(max_calls=5, settings=settings_for(replica.url))

    async def main() -> None:
        with use_run(run):
            client = HubClient(run.settings)
            await client.call("list", lambda: list(client.api.list_models(author="Qwen", limit=3)))

    asyncio.run(main())
    (call,) = run.trace
    assert call.endpoint == "/api/models" and call.status == 200 and call.ms > 0
    assert call.params["author"] == "Qwen" and call.params["limit"] == "3"
    assert run.calls_used == 1


def test_budget_stops_the_request_that_would_exceed_it(replica) -> None:
    run = Run(max_calls=1, settings=settings_for(replica.url))

    async def main() -> None:
        with use_run(run):
            client = HubClient(run.settings)
            ids = replica.world.repos["model"].ids
            await client.call("first", client.api.model_info, ids[0])
            with pytest.raises(BudgetExceeded, match="max_calls=1"):
                await client.call("second", client.api.model_info, ids[1])

    asyncio.run(main())
    assert run.calls_used == 1 and len(run.trace) == 1


def test_concurrent_runs_keep_separate_budgets(replica) -> None:
    runs = [Run(max_calls=10, settings=settings_for(replica.url)) for _ in range(4)]
    ids = replica.world.repos["model"].ids

    async def one(run: Run, n: int) -> None:
        with use_run(run):
            client = HubClient(run.settings)
            await asyncio.gather(*(client.call("info", client.api.model_info, ids[i]) for i in range(n)))

    async def main() -> None:
        await asyncio.gather(*(one(run, n) for run, n in zip(runs, (1, 2, 3, 4), strict=True)))

    asyncio.run(main())
    assert [r.calls_used for r in runs] == [1, 2, 3, 4]


def test_listings_time_out_although_the_client_asks_for_no_timeout(slow_replica) -> None:
    run = Run(max_calls=5, settings=settings_for(slow_replica.url, timeout=0.05))

    async def main() -> None:
        with use_run(run):
            client = HubClient(run.settings)
            with pytest.raises(UpstreamTimeout, match="did not answer in time"):
                await client.call("list", lambda: list(client.api.list_repo_likers(slow_replica.world.repos["model"].ids[0])))

    asyncio.run(main())
    assert run.trace and run.trace[0].error is not None


def test_fan_out_overlaps_and_the_event_loop_stays_free(slow_replica) -> None:
    run = Run(max_calls=20, settings=settings_for(slow_replica.url))
    ids = slow_replica.world.repos["model"].ids[:6]
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    async def main() -> dict:
        task = asyncio.create_task(ticker())
        with use_run(run):
            res = await hf_repo_details(repo_ids=ids, repo_type="model")
        task.cancel()
        return res

    res = asyncio.run(main())
    assert res["ok"] and len(res["items"]) == 6
    assert ticks >= 5, "the loop kept running while requests were in flight"
    starts = [c.started for c in run.trace]
    ends = [c.started + c.ms / 1000 for c in run.trace]
    assert max(starts) < min(ends), "the six detail requests were in flight at the same time"


def test_the_clients_own_telemetry_fetch_is_not_charged(replica) -> None:
    from huggingface_hub.utils import get_session

    run = Run(max_calls=1, settings=settings_for(replica.url))
    HubClient(run.settings)
    with use_run(run):
        assert get_session().get(f"{replica.url}/api/agent-harnesses").status_code == 200
    assert run.calls_used == 0


UNREACHABLE = "http://127.0.0.1:1"  # nothing listens on port 1


@pytest.mark.parametrize(
    ("helper", "kwargs"),
    [
        ("hf_user_likes", {"username": "julien-c", "limit": 5}),
        ("hf_models_search", {"limit": 3}),
        ("hf_repo_details", {"repo_id": "org/model"}),
        ("hf_trending", {"limit": 3}),
        ("hf_recent_activity", {"feed_type": "user", "entity": "julien-c", "limit": 3}),
        ("hf_user_graph", {"username": "julien-c", "relation": "followers", "limit": 3}),
        ("hf_collections_search", {"owner": "Qwen", "limit": 3}),
    ],
)
def test_an_unreachable_hub_is_said_quickly_and_costs_one_call(helper: str, kwargs: dict) -> None:
    import time

    import hubsight.helpers as helpers

    run = Run(max_calls=3, settings=settings_for(UNREACHABLE))

    async def main() -> dict:
        with use_run(run):
            return await getattr(helpers, helper)(**kwargs)

    began = time.perf_counter()
    env = asyncio.run(main())
    took = time.perf_counter() - began
    assert env["ok"] is False
    assert f"cannot reach the Hub at {UNREACHABLE} (ConnectError); check HF_ENDPOINT" in env["error"], env["error"]
    assert run.calls_used == 1, "one logical request, however often it was retried"
    assert took < 5.0, f"{took:.1f} s to say the Hub is unreachable (the retry schedule is under a second)"


class _FlakyHub:
    """A Hub that answers 503 to the first request for each path, then an empty listing."""

    def __init__(self) -> None:
        import http.server
        import threading

        seen: set[str] = set()
        self.hits = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits += 1
                path = self.path.split("?")[0]
                first = path not in seen
                seen.add(path)
                body = b'{"error": "busy"}' if first else b"[]"
                self.send_response(503 if first else 200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                if first:
                    self.send_header("retry-after", "0")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _FlakyHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_retries_of_one_request_are_charged_once() -> None:
    with _FlakyHub() as hub:
        run = Run(max_calls=1, settings=settings_for(hub.url))

        async def main() -> None:
            with use_run(run):
                client = HubClient(run.settings)
                await client.call("list", lambda: list(client.api.list_models(limit=3)))

        asyncio.run(main())
    assert hub.hits == 2, "huggingface_hub retried the 503 once"
    assert run.calls_used == 1 and not run.exhausted
    assert [c.status for c in run.trace] == [503, 200]
