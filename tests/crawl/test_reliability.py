"""With 10% 5xx and 5% 429 injected everywhere, a crawl still ends with exactly the undisturbed data."""

from __future__ import annotations

from typing import Any

from hubsight.crawl import crawl
from hubsight.replica import Faults, ReplicaServer
from tests.crawl.conftest import E2E_DAY, E2E_SEED, settings_for
from tests.store.backends import dump


def test_a_faulty_upstream_gives_the_same_store_as_a_healthy_one(db_url: str, reference_dump: dict[str, Any]) -> None:
    faults = Faults(error_rate=0.10, rate_limit_rate=0.05, retry_after=0)
    with ReplicaServer(scale="tiny", seed=E2E_SEED, start=E2E_DAY, faults=faults) as replica:
        summary = crawl(settings=settings_for(replica, db_url))
        counters = dict(replica.state.counters)
    assert summary.ok, summary.line()
    assert counters["injected_5xx"] >= 3 and counters["injected_429"] >= 1, counters
    assert sum(r.retries for r in summary.results) >= 3, "our own retries did part of the work"
    assert dump(db_url) == reference_dump


def test_retries_are_bounded_and_the_error_says_so(db_url: str) -> None:
    faults = Faults(error_rate=1.0, retry_after=0)
    with ReplicaServer(scale="tiny", seed=E2E_SEED, start=E2E_DAY, faults=faults) as replica:
        summary = crawl(settings=settings_for(replica, db_url, crawl_attempts=3), only=["hub", "papers"])
        requests = replica.state.counters["requests"]
    for result in summary.results:
        assert result.error_type == "RetriesExhausted" and "gave up after 3 attempts (last: HTTP 5" in result.error
    assert requests == 3 + 3, "three attempts per source, then it stops"
    stored = dump(db_url)
    assert stored["crawl_runs"] == stored["repos"] == []
