"""Shared fixtures: one tiny replica per test session, driven through the real clients."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from huggingface_hub import HfApi

from hubsight.replica import ReplicaServer

REPLICA_SEED = 7
REPLICA_DATE = date(2026, 11, 23)


@pytest.fixture(scope="session")
def replica() -> Iterator[ReplicaServer]:
    """A running tiny replica. Tests must not advance its clock or set faults: use ``fresh_replica``."""
    with ReplicaServer(scale="tiny", seed=REPLICA_SEED, start=REPLICA_DATE) as server:
        yield server


@pytest.fixture
def fresh_replica() -> Iterator[ReplicaServer]:
    """A private replica a test may advance or break."""
    with ReplicaServer(scale="tiny", seed=REPLICA_SEED, start=REPLICA_DATE) as server:
        yield server


@pytest.fixture(scope="session")
def hf_api(replica: ReplicaServer) -> HfApi:
    return HfApi(endpoint=replica.url, token=False)


@pytest.fixture(scope="session")
def user_token(replica: ReplicaServer) -> str:
    """A token the replica accepts: ``hf_replica_<username>``."""
    return "hf_replica_julien-c"
