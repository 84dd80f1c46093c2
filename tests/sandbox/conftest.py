"""Running scripts against the session replica; the sandbox pool is closed once, at the end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from hubsight.sandbox import close, run_script
from hubsight.settings import Settings, get_settings

NORMAL = 'resp = await hf_models_search(limit=min(max_calls, 3))\nresult = [r["repo_id"] for r in resp["items"]]\nresult'


@pytest_asyncio.fixture(scope="session", loop_scope="session", autouse=True)
async def _sandbox_pool() -> AsyncIterator[None]:
    yield
    await close()


@pytest.fixture
def settings(replica) -> Settings:
    """Replica settings with tight limits: a runaway script costs a second, a memory bomb hits 64 MB fast."""
    return get_settings(
        hf_endpoint=replica.url, hf_token="", sandbox_cpu_seconds=1.0, sandbox_memory_mb=64, sandbox_timeout=20.0
    )


async def assert_healthy(settings: Settings) -> dict[str, Any]:
    """The next normal script still runs normally."""
    env = await run_script(NORMAL, settings=settings)
    assert env["ok"], env["error"]
    assert len(env["result"]) == 3 and all(isinstance(r, str) for r in env["result"])
    assert env["meta"]["calls_used"] == 1
    return env
