"""The response cache replays a 200 answer for the same request until a newer crawl of its source is known."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from tests.api import history_store
from tests.api.history_store import Crawled, api

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules


def counted(history: Any, method: str) -> list[Any]:
    """Record the first argument of every call of ``history.<method>`` (the call still happens)."""
    calls: list[Any] = []
    original = getattr(history, method)

    async def counting(first: Any, *args: Any, **options: Any) -> Any:
        calls.append(first)
        return await original(first, *args, **options)

    setattr(history, method, counting)
    return calls


async def test_the_same_request_is_replayed_until_a_newer_crawl(crawled: Crawled) -> None:
    async with api(crawled.url, api_cache_seconds=60) as http:
        history = http._transport.app.state.history  # type: ignore[attr-defined]
        calls = counted(history, "answer")
        first = await http.get("/models/trending", params={"limit": 5})
        again = await http.get("/models/trending", params={"limit": 5})
        assert again.content == first.content and again.headers["link"] == first.headers["link"]
        assert len(calls) == 1, "the second request never reached the route"
        csv = await http.get("/models/trending", params={"limit": 5}, headers={"Accept": "text/csv"})
        assert csv.headers["content-type"].startswith("text/csv") and len(calls) == 2
        bad = [await http.get("/models/trending", params={"days": 0}) for _ in range(2)]
        assert [r.status_code for r in bad] == [422, 422], "errors are never replayed"
        history._latest["hub"] = (time.monotonic(), crawled.last + timedelta(days=1))  # as if a crawl had landed
        await http.get("/models/trending", params={"limit": 5})
        assert len(calls) == 3 and calls[-1][-1] == crawled.last + timedelta(days=1)


async def test_nothing_is_replayed_when_the_newest_crawl_must_be_checked(crawled: Crawled) -> None:
    async with api(crawled.url, api_cache_seconds=0) as http:
        history = http._transport.app.state.history  # type: ignore[attr-defined]
        reads = counted(history, "read")
        for _ in range(3):
            assert (await http.get("/papers/recent", params={"limit": 2})).status_code == 200
    assert len(reads) >= 3, "each request read the newest crawl date again"


async def test_with_no_cache_entries_every_request_reads_the_store(crawled: Crawled) -> None:
    async with api(crawled.url, api_cache_seconds=60, api_cache_entries=0) as http:
        history = http._transport.app.state.history  # type: ignore[attr-defined]
        reads = counted(history, "read")
        answers = [await http.get("/models/trending", params={"limit": 5}) for _ in range(3)]
    assert len({a.content for a in answers}) == 1 and answers[0].status_code == 200
    assert len(reads) >= 3, "no response or answer was replayed from memory"
