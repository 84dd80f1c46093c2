"""Crawl tests: small replicas, each test's own store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hubsight.settings import Settings, get_settings
from tests.store.backends import db_url, db_url_factory  # noqa: F401


def settings_for(replica: Any, db: str, **overrides: Any) -> Settings:
    """Settings a test crawl uses: the replica for every source, no token, no pauses between retries."""
    return get_settings(
        hf_endpoint=replica.url, db=db, hf_token="", arxiv_delay_seconds=0, crawl_backoff_seconds=0.01, **overrides
    )


def listing(replica: Any, kind: str) -> list[dict[str, Any]]:
    """What the replica serves for a kind, through huggingface_hub's own pagination (the ground truth)."""
    from huggingface_hub.utils import build_hf_headers, paginate

    from hubsight.crawl.hub import EXPAND, PATHS

    params = [("expand", name) for name in EXPAND[kind]]
    return list(paginate(f"{replica.url}/api/{PATHS[kind]}", params=params, headers=build_hf_headers(token=False)))


E2E_DAY = date(2025, 1, 10)
"""End-to-end crawls (every source) use an early-2025 world: the LMArena history is then 27k rows
instead of 430k, so a whole crawl takes about a second and the kill -9 test can afford several runs."""
E2E_SEED = 21


@pytest.fixture(scope="session")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, list[tuple[Any, ...]]], int]:
    """(dump, upstream requests) of one undisturbed crawl of every source (SQLite; dumps compare across backends)."""
    from hubsight.crawl import crawl
    from hubsight.replica import ReplicaServer
    from tests.store.backends import dump

    url = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'history.db'}"
    with ReplicaServer(scale="tiny", seed=E2E_SEED, start=E2E_DAY) as replica:
        summary = crawl(settings=settings_for(replica, url))
        requests = replica.state.counters["requests"]
    assert summary.ok, summary.line()
    return dump(url), requests


@pytest.fixture(scope="session")
def reference_dump(reference: tuple[dict[str, list[tuple[Any, ...]]], int]) -> dict[str, list[tuple[Any, ...]]]:
    return reference[0]
