"""GET /arena/rankings against the replica's LMArena leaderboard dataset: any publication, subset, category."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hubsight.replica import arena
from tests.api import history_store
from tests.api.history_store import ARENA_DAY, ARENA_SEED, Crawled, api, pages, parse_csv

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules

SEED_KEYS = ["snapshot_date", "model_name", "rank", "elo_score"]


def expected(subset: str, category: str, on_or_before: date | None = None) -> list[dict[str, Any]]:
    rows = [r for r in arena.rows(ARENA_SEED, ARENA_DAY, subset) if r["category"] == category]
    dates = sorted({str(r["leaderboard_publish_date"]) for r in rows})
    if on_or_before is not None:
        dates = [d for d in dates if d <= on_or_before.isoformat()]
    if not dates:
        return []
    rows = [r for r in rows if str(r["leaderboard_publish_date"]) == dates[-1]]
    rows.sort(key=lambda r: (r["rank"], -r["rating"], r["model_name"]))
    return [{"snapshot_date": dates[-1], "model_name": r["model_name"], "rank": r["rank"], "elo_score": round(r["rating"])}
            for r in rows]


async def test_the_default_is_the_newest_text_overall_publication(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        rows = (await http.get("/arena/rankings")).json()
    want = expected("text", "overall")
    assert len(rows) == min(50, len(want)) and all(list(r) == SEED_KEYS for r in rows)
    assert rows == want[:50]
    assert rows[0]["rank"] == 1 and rows[0]["snapshot_date"] <= ARENA_DAY.isoformat()


@pytest.mark.parametrize(
    ("subset", "category", "day"),
    [("text", "coding", None), ("vision", "overall", None), ("text", "overall", date(2024, 9, 1)),
     ("webdev", "overall", date(2024, 12, 31))],
)
async def test_subset_category_and_snapshot_date_pick_the_publication(
    crawled: Crawled, subset: str, category: str, day: date | None
) -> None:
    params: dict[str, Any] = {"subset": subset, "category": category, "limit": 200}
    if day is not None:
        params["snapshot_date"] = day.isoformat()
    async with api(crawled.url) as http:
        rows, _ = await pages(http, "/arena/rankings", params)
        small, n = await pages(http, "/arena/rankings", {**params, "limit": 4})
    want = expected(subset, category, day)
    assert rows == want and want
    assert small == rows and n == -(-len(rows) // 4)


async def test_before_the_first_publication_is_empty_and_csv_matches(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        early = await http.get("/arena/rankings", params={"snapshot_date": "2020-01-01"})
        json_rows = (await http.get("/arena/rankings", params={"limit": 10})).json()
        csv = await http.get("/arena/rankings", params={"limit": 10}, headers={"Accept": "text/csv"})
    assert early.status_code == 200 and early.json() == []
    assert parse_csv(csv.text) == json_rows


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"subset": "nope"}, 404, "subset 'nope' is not stored; stored subsets: text,"),
        ({"category": "poetry"}, 404, "category 'poetry' is not stored for subset 'text'; its categories: chinese,"),
        ({"limit": 0}, 422, "limit: Input should be greater than or equal to 1"),
        ({"limit": 201}, 422, "limit: Input should be less than or equal to 200"),
        ({"snapshot_date": "2025-13-01"}, 422, "snapshot_date: Input should be a valid date"),
        ({"cursor": "WyIyMDI1LTAxLTEwIl0"}, 422, "cursor: not a cursor of this endpoint"),
    ],
)
async def test_unknown_leaderboards_are_404_and_bad_parameters_422(
    crawled: Crawled, params: dict, status: int, message: str
) -> None:
    async with api(crawled.url) as http:
        response = await http.get("/arena/rankings", params=params)
    assert response.status_code == status and response.json()["error"]["message"].startswith(message), response.text
