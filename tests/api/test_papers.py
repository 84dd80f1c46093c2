"""GET /papers/recent against the replica's arXiv: every category of a paper, newest first."""

from __future__ import annotations

from typing import Any

import pytest

from hubsight.store.queries import since_midnight
from tests.api import history_store
from tests.api.history_store import Crawled, api, pages, parse_csv

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules

SEED_KEYS = ["arxiv_id", "title", "authors", "submitted_at", "category", "pwc_sota_flag"]


def expected(c: Crawled, category: str | None, days: int) -> list[dict[str, Any]]:
    since = since_midnight(c.last, days)
    rows = [p for p in c.papers if p["published"] >= since and (category is None or category in p["categories"])]
    rows.sort(key=lambda p: (p["published"], p["arxiv_id"]), reverse=True)
    return [
        {
            "arxiv_id": p["arxiv_id"],
            "title": p["title"],
            "authors": p["authors"],
            "submitted_at": p["published"].isoformat(),
            "category": category or p["primary"],
            "pwc_sota_flag": False,
        }
        for p in rows
    ]


@pytest.mark.parametrize("category", [None, "cs.AI", "cs.CV", "stat.ML"])
async def test_recent_papers_are_the_ones_arxiv_had(crawled: Crawled, category: str | None) -> None:
    async with api(crawled.url) as http:
        for days in (1, 3, 90):
            params: dict[str, Any] = {"days": days, "limit": 100} | ({"category": category} if category else {})
            rows, _ = await pages(http, "/papers/recent", params)
            assert rows == expected(crawled, category, days)
    assert expected(crawled, category, 3)


async def test_cross_listed_papers_are_found_by_every_category(crawled: Crawled) -> None:
    cross = next(p for p in crawled.papers if len(p["categories"]) > 1 and p["primary"] in crawled.categories)
    other = next(c for c in cross["categories"] if c != cross["primary"])
    async with api(crawled.url) as http:
        rows, _ = await pages(http, "/papers/recent", {"category": other, "days": 90, "limit": 100})
    hit = next(r for r in rows if r["arxiv_id"] == cross["arxiv_id"])
    assert hit["category"] == other


async def test_seed_shape_default_window_pages_and_csv(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        first = (await http.get("/papers/recent")).json()
        big, _ = await pages(http, "/papers/recent", {"days": 90, "limit": 100})
        small, n = await pages(http, "/papers/recent", {"days": 90, "limit": 9})
        csv = await http.get("/papers/recent", params={"format": "csv"})
    assert len(first) == 20 and all(list(r) == SEED_KEYS for r in first)
    assert first == expected(crawled, None, 7)[:20]
    assert len(big) > 100 and small == big and n > 1 and len({r["arxiv_id"] for r in big}) == len(big)
    assert parse_csv(csv.text, strings=frozenset({"arxiv_id", "title"})) == first


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"days": 0}, "days: Input should be greater than or equal to 1"),
        ({"days": 91}, "days: Input should be less than or equal to 90"),
        ({"limit": 101}, "limit: Input should be less than or equal to 100"),
        ({"category": "x" * 33}, "category: String should have at most 32 characters"),
    ],
)
async def test_bad_parameters_are_422(crawled: Crawled, params: dict, message: str) -> None:
    async with api(crawled.url) as http:
        response = await http.get("/papers/recent", params=params)
    assert response.status_code == 422 and response.json()["error"]["message"].startswith(message)
