"""The crawl pauses Python's cyclic collector while it holds a day in memory, and always resumes it."""

from __future__ import annotations

import gc

from hubsight.crawl import crawl
from hubsight.crawl.runner import NoProgress, Task
from hubsight.replica import ReplicaServer
from tests.crawl.conftest import E2E_DAY, E2E_SEED, settings_for


class Watching(NoProgress):
    """Progress that notes whether the collector was on when each step began."""

    def __init__(self) -> None:
        self.collecting: list[bool] = []

    def task(self, description: str, total: int | None = None, rows: bool = True) -> Task:
        self.collecting.append(gc.isenabled())
        return super().task(description, total, rows)


def test_the_collector_pauses_during_a_crawl_and_runs_again_after_it_succeeds_or_fails(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'history.db'}"
    assert gc.isenabled()
    watching = Watching()
    with ReplicaServer(scale="tiny", seed=E2E_SEED, start=E2E_DAY) as replica:
        assert crawl(settings=settings_for(replica, url), only=["hub"], progress=watching).ok
        gone = replica.url
    assert watching.collecting and not any(watching.collecting)
    assert gc.isenabled()
    failed = crawl(settings=settings_for(type("Gone", (), {"url": gone})(), url, crawl_attempts=1), only=["hub"])
    assert not failed.ok and failed.results[0].error_type == "RetriesExhausted"
    assert gc.isenabled()
