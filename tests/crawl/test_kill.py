"""kill -9 at random points, then re-run: the store ends equal to an undisturbed crawl's."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from hubsight.replica import ReplicaServer
from tests.crawl.conftest import E2E_DAY, E2E_SEED
from tests.store.backends import dump

HUBSIGHT = str(Path(sys.executable).with_name("hubsight"))
KILL_SEEDS = {"sqlite": (1, 2), "postgresql": (3, 4)}


def _command(replica: ReplicaServer, db: str) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "HF_TOKEN": "", "HUBSIGHT_CRAWL_BACKOFF_SECONDS": "0.01", "NO_COLOR": "1"}
    env.pop("HF_ENDPOINT", None)
    return [HUBSIGHT, "crawl", "--endpoint", replica.url, "--db", db], env


@pytest.mark.timeout(120)
def test_a_crawl_killed_anywhere_and_rerun_equals_an_undisturbed_one(
    db_url_factory: Any, db_url: str, reference: tuple[dict[str, Any], int]
) -> None:
    expected, total = reference
    backend = "postgresql" if db_url.startswith("postgresql") else "sqlite"
    kills = []
    with ReplicaServer(scale="tiny", seed=E2E_SEED, start=E2E_DAY) as replica:
        counters = replica.state.counters
        for k, seed in enumerate(KILL_SEEDS[backend]):
            # a random point: after a random number of upstream requests, plus a moment into what follows
            rng = random.Random(seed)
            target, extra = rng.randint(1, total), rng.uniform(0, 0.3)
            url = db_url if k == 0 else db_url_factory(backend)
            command, env = _command(replica, url)
            start = counters.get("requests", 0)
            proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            while proc.poll() is None and counters.get("requests", 0) - start < target:
                time.sleep(0.002)
            time.sleep(extra)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
            kills.append((target, round(extra, 2), proc.returncode))
            rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
            assert rerun.returncode == 0, rerun.stderr
            assert rerun.stdout.startswith(f"crawl {E2E_DAY}: ")
            assert dump(url) == expected, f"killed after request {target} of {total} (+{extra:.2f}s)"
    assert all(code == -signal.SIGKILL for *_, code in kills), kills
