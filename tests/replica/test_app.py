"""The replica's clock and fault injection, seen from a client."""

from __future__ import annotations

import time

import httpx
import numpy as np
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError

from hubsight.replica import ReplicaServer, World
from tests.conftest import REPLICA_DATE, REPLICA_SEED


def snapshot(api: HfApi) -> dict[str, dict]:
    fields = ["likes", "downloads", "downloadsAllTime", "createdAt", "trendingScore"]
    return {m._id: m for m in api.list_models(expand=fields)}


def test_clock_reads_the_world_date(replica) -> None:
    clock = httpx.get(f"{replica.url}/_replica/clock").json()
    assert clock["date"] == REPLICA_DATE.isoformat()
    assert clock["now"].endswith("Z") and clock["day"] == 0
    assert clock["counts"]["model"] == int(replica.world.repos["model"].alive.sum())


def test_advancing_the_clock_produces_real_history(fresh_replica) -> None:
    api = HfApi(endpoint=fresh_replica.url, token=False)
    before = snapshot(api)
    clock = httpx.post(f"{fresh_replica.url}/_replica/clock/advance", params={"days": 3}).json()
    assert clock["day"] == 3 and clock["date"] == "2026-11-26"
    after = snapshot(api)

    survivors = before.keys() & after.keys()
    assert all(after[k].likes >= before[k].likes for k in survivors)
    assert all(after[k].downloads_all_time >= before[k].downloads_all_time for k in survivors)
    assert sum(after[k].likes - before[k].likes for k in survivors) > 0
    grew = sorted(survivors, key=lambda k: after[k].likes - before[k].likes, reverse=True)
    # growth is concentrated: the biggest risers gain far more than the median repo
    gains = [after[k].likes - before[k].likes for k in grew]
    assert gains[0] >= 5 * max(1, gains[len(gains) // 2])

    born = after.keys() - before.keys()
    assert born, "new repos appear"
    assert all(after[k].created_at.date().isoformat() >= "2026-11-23" for k in born)
    assert before.keys() - after.keys(), "a few repos are deleted"
    renamed = [k for k in survivors if after[k].id != before[k].id]
    assert renamed, "a few repos are renamed but keep their _id"
    old_id = before[renamed[0]].id
    assert api.model_info(old_id).id == after[renamed[0]].id, "the old name still resolves"
    assert any(after[k].trending_score != before[k].trending_score for k in survivors)


def test_the_world_is_deterministic_for_seed_scale_and_date() -> None:
    a = World(seed=REPLICA_SEED, scale="tiny", start=REPLICA_DATE)
    b = World(seed=REPLICA_SEED, scale="tiny", start=REPLICA_DATE)
    c = World(seed=REPLICA_SEED + 1, scale="tiny", start=REPLICA_DATE)
    assert a.repos["model"].ids == b.repos["model"].ids
    assert a.repos["model"].ids != c.repos["model"].ids
    a.advance(2)
    b.advance(1)
    b.advance(1)
    for kind in ("model", "dataset", "space"):
        assert a.repos[kind].ids == b.repos[kind].ids
        assert np.array_equal(a.repos[kind].likes, b.repos[kind].likes)


def test_bad_advance_is_a_clear_400(replica) -> None:
    r = httpx.post(f"{replica.url}/_replica/clock/advance", params={"days": "soon"})
    assert r.status_code == 400 and "days must be an integer" in r.json()["error"]


def test_faults_inject_5xx_and_429_with_retry_after() -> None:
    with ReplicaServer(scale=60, seed=1) as server:
        api = HfApi(endpoint=server.url, token=False)
        model = server.world.repos["model"].ids[0]
        httpx.post(f"{server.url}/_replica/faults", json={"error_rate": 1.0})
        with pytest.raises(HfHubHTTPError) as err:
            api.model_info(model)
        assert err.value.response.status_code in (500, 502, 503)

        httpx.post(f"{server.url}/_replica/faults", json={"error_rate": 0, "rate_limit_rate": 1.0, "retry_after": 7})
        r = httpx.get(f"{server.url}/api/models/{model}")
        assert r.status_code == 429 and r.headers["retry-after"] == "7"
        # control routes stay reachable whatever the faults
        assert httpx.get(f"{server.url}/_replica/clock").status_code == 200

        httpx.post(f"{server.url}/_replica/faults", json={"rate_limit_rate": 0, "latency_ms": 120})
        began = time.perf_counter()
        api.model_info(model)
        assert time.perf_counter() - began >= 0.12
        faults = httpx.get(f"{server.url}/_replica/faults").json()
        assert faults["counters"]["injected_429"] >= 1 and faults["counters"]["injected_5xx"] >= 1


def test_listings_survive_rate_limits_through_the_clients_retries() -> None:
    with ReplicaServer(scale=2500, seed=2) as server:
        httpx.post(f"{server.url}/_replica/faults", json={"rate_limit_rate": 0.4, "retry_after": 0})
        ids = [m.id for m in HfApi(endpoint=server.url, token=False).list_models()]
        assert len(ids) == int(server.world.repos["model"].alive.sum())


def test_bad_fault_settings_are_refused(replica) -> None:
    r = httpx.post(f"{replica.url}/_replica/faults", json={"error_rate": 3})
    assert r.status_code == 400 and "error_rate" in r.json()["error"]
    r = httpx.post(f"{replica.url}/_replica/faults", json={"typo": 1})
    assert r.status_code == 400 and "unknown fault setting 'typo'" in r.json()["error"]


def test_latency_above_its_bound_is_refused_and_the_hub_stays_reachable(replica) -> None:
    from hubsight.replica.state import MAX_LATENCY_MS

    r = httpx.post(f"{replica.url}/_replica/faults", json={"latency_ms": 1e12})
    assert r.status_code == 400
    assert f"latency_ms must be at most {MAX_LATENCY_MS:g}" in r.json()["error"]
    assert httpx.get(f"{replica.url}/_replica/faults").json()["latency_ms"] == 0
    assert httpx.get(f"{replica.url}/api/models", params={"limit": 1}, timeout=5).status_code == 200
    r = httpx.post(f"{replica.url}/_replica/faults", params={"latency_ms": "inf"})
    assert r.status_code == 400 and "latency_ms" in r.json()["error"]
    r = httpx.post(f"{replica.url}/_replica/faults", json={"latency_ms": MAX_LATENCY_MS + 1})
    assert r.status_code == 400


def test_advancing_beyond_the_bound_is_a_400_that_names_it(replica) -> None:
    from hubsight.replica.app import MAX_ADVANCE_DAYS

    began = time.perf_counter()
    r = httpx.post(f"{replica.url}/_replica/clock/advance", params={"days": 1000}, timeout=10)
    assert r.status_code == 400
    assert f"days must be between 1 and {MAX_ADVANCE_DAYS}" in r.json()["error"]
    assert time.perf_counter() - began < 2, "a refused advance must not run"
    assert httpx.get(f"{replica.url}/_replica/clock").json()["day"] == 0


def test_an_advance_stops_when_its_client_gives_up(fresh_replica) -> None:
    """A client that times out does not leave the clock running on in the background."""
    url = fresh_replica.url
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(f"{url}/_replica/clock/advance", params={"days": 300}, timeout=0.5)
    time.sleep(1.5)
    day = httpx.get(f"{url}/_replica/clock").json()["day"]
    time.sleep(1.0)
    assert httpx.get(f"{url}/_replica/clock").json()["day"] == day < 300


def test_an_undecodable_cursor_is_a_400_not_a_500(replica) -> None:
    for path in ("/api/models", "/api/datasets", "/api/models/x/y/likers", "/api/collections", "/api/users/julien-c/followers"):
        r = httpx.get(f"{replica.url}{path}?cursor=%FF")
        assert r.status_code in (400, 404), (path, r.status_code, r.text)
        if path in ("/api/models", "/api/datasets", "/api/collections"):
            assert r.status_code == 400 and "invalid cursor" in r.json()["error"], (path, r.text)
    assert httpx.get(f"{replica.url}/api/models?search=%E9t%C3%A9&cursor=%C3%A9").status_code == 400
