"""GET /{models,datasets,spaces}/new: the Hub's createdAt over a window, never "first seen by the crawler"."""

from __future__ import annotations

from datetime import datetime

import pytest

from hubsight.store.queries import since_midnight
from tests.api import history_store
from tests.api.history_store import KINDS, PATHS, Crawled, api, created, pages, parse_csv

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules

SEED_KEYS = ["id", "name", "author", "pipeline_tag", "first_seen_at"]


def expected(c: Crawled, kind: str, days: int, tag: str | None = None) -> list[tuple[str, datetime]]:
    since = since_midnight(c.last, days)
    rows = [
        (row["id"], created(row))
        for row in c.served[c.last][kind]
        if created(row) is not None and created(row) >= since and (tag is None or row.get("pipeline_tag") == tag)
    ]
    return sorted(rows, key=lambda r: r[1], reverse=True)


@pytest.mark.parametrize("kind", KINDS)
async def test_new_repos_are_the_ones_the_hub_created_in_the_window(crawled: Crawled, kind: str) -> None:
    async with api(crawled.url) as http:
        for days in (1, 2, 4, 90):
            rows, _ = await pages(http, f"/{PATHS[kind]}/new", {"days": days, "limit": 100})
            want = expected(crawled, kind, days)
            assert sorted(r["id"] for r in rows) == sorted(w[0] for w in want)
            assert [r["first_seen_at"] for r in rows] == [w[1].isoformat() for w in want], "newest first"
            assert all(datetime.fromisoformat(r["first_seen_at"]).utcoffset().total_seconds() == 0 for r in rows)
    assert expected(crawled, kind, 1), "the replica creates repos every day"


async def test_the_seed_shape_and_a_first_crawl_does_not_make_the_hub_new(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        response = await http.get("/models/new", params={"days": 90, "limit": 100})
        rows = response.json()
        everything, _ = await pages(http, "/models/new", {"days": 90, "limit": 100})
    assert all(list(r) == SEED_KEYS for r in rows)
    row = rows[0]
    served = crawled.by_id(crawled.last, "model")[row["id"]]
    assert row["name"] == row["id"].split("/")[1] and row["author"] == row["id"].split("/")[0]
    assert row["pipeline_tag"] == served.get("pipeline_tag")
    assert row["first_seen_at"].endswith("+00:00") and datetime.fromisoformat(row["first_seen_at"]) == created(served)
    total = len(crawled.served[crawled.last]["model"])
    assert 0 < len(everything) < total / 2, "new means created lately, not first crawled"


async def test_deleted_repos_are_not_new(crawled: Crawled) -> None:
    first, last = crawled.days[0], crawled.last
    alive = set(crawled.by_oid(last, "model"))
    gone = {row["id"] for oid, row in crawled.by_oid(crawled.days[1], "model").items() if oid not in alive}
    async with api(crawled.url) as http:
        rows, _ = await pages(http, "/models/new", {"days": 90, "limit": 100})
    assert not gone & {r["id"] for r in rows}
    assert first < last


async def test_pipeline_tag_filters_and_keyset_pages_equal_one_page(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        tagged, _ = await pages(http, "/models/new", {"pipeline_tag": "text-generation", "days": 90, "limit": 100})
        big, _ = await pages(http, "/spaces/new", {"days": 90, "limit": 100})
        small, n = await pages(http, "/spaces/new", {"days": 90, "limit": 3})
        csv = await http.get("/spaces/new", params={"days": 90, "limit": 100}, headers={"Accept": "text/csv"})
    want = expected(crawled, "model", 90, "text-generation")
    assert sorted(r["id"] for r in tagged) == sorted(w[0] for w in want) and all(r["pipeline_tag"] == "text-generation" for r in tagged)
    assert small == big and n > 1 and len({r["id"] for r in small}) == len(small)
    assert list(big[0]) == ["id", "name", "author", "first_seen_at"]
    assert parse_csv(csv.text) == big[:100]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"days": 0}, "days: Input should be greater than or equal to 1"),
        ({"days": 91}, "days: Input should be less than or equal to 90"),
        ({"limit": 101}, "limit: Input should be less than or equal to 100"),
        ({"pipeline_tag": "x" * 65}, "pipeline_tag: String should have at most 64 characters"),
        ({"cursor": "WyJub3QgYSBkYXRlIiwgMV0"}, "cursor: not a cursor of this endpoint"),
    ],
)
async def test_bad_parameters_are_422(crawled: Crawled, params: dict, message: str) -> None:
    async with api(crawled.url) as http:
        response = await http.get("/models/new", params=params)
    assert response.status_code == 422 and response.json()["error"]["message"].startswith(message)
