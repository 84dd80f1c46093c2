"""Running helpers against the session replica, inside a run with a known budget and token."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from hubsight.hub.session import Run, use_run
from hubsight.settings import get_settings

RunHelper = Callable[..., tuple[dict[str, Any], Run]]


@pytest.fixture
def run_helper(replica) -> RunHelper:
    """``run_helper(coro_fn, max_calls=100, token=None)`` → (envelope, run) against the replica."""

    def go(call: Callable[[], Awaitable[dict[str, Any]]], max_calls: int = 100, token: str | None = None,
           endpoint: str | None = None) -> tuple[dict[str, Any], Run]:
        run = Run(max_calls=max_calls, token=token, settings=get_settings(hf_endpoint=endpoint or replica.url, hf_token=""))

        async def main() -> dict[str, Any]:
            with use_run(run):
                return await call()

        return asyncio.run(main()), run

    return go
