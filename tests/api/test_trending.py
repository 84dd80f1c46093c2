"""GET /{models,datasets,spaces}/trending against what the replica served over four crawled days."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hubsight.api.pages import encode_cursor
from tests.api import history_store
from tests.api.history_store import PATHS, Crawled, api, pages, parse_csv

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules

FIELD = {"likes": "likes", "downloads": "downloadsAllTime"}
ID_KEY = {"model": "model_id", "dataset": "dataset_id", "space": "space_id"}
SEED_KEYS = ["model_id", "pipeline_tag", "likes_latest", "likes_delta", "snapshot_date_from", "snapshot_date_to"]


def expected(c: Crawled, kind: str, metric: str, days: int, tag: str | None = None) -> tuple[list[tuple], Any]:
    """(rows sorted best first as (id, latest, delta, growth), date_from): the crawler's conventions,
    recomputed from the listings: gains only, newcomers count from 0, ranked by gain then current value."""
    window = min(days, (c.last - c.days[0]).days)
    date_from = c.last - timedelta(days=window)
    then = c.by_oid(date_from, kind)
    field = FIELD[metric]
    rows = []
    for row in c.served[c.last][kind]:
        if tag is not None and row.get("pipeline_tag") != tag:
            continue
        latest = row[field]
        base = then[row["_id"]][field] if row["_id"] in then else 0
        if latest - base > 0:
            rows.append((row["id"], latest, latest - base, (latest - base) / base if base else None))
    rows.sort(key=lambda r: (-r[2], -r[1]))
    return rows, date_from


def assert_same_ranking(got: list[tuple], want: list[tuple], depth: int) -> None:
    """Same (gain, value) sequence; ids equal per tie group (ties break by store order, not visible here)."""
    want = want[:depth]
    assert [(g[1], g[2]) for g in got] == [(w[1], w[2]) for w in want]
    groups: dict[tuple, tuple[set, set]] = {}
    for g, w in zip(got, want, strict=True):
        key = (w[1], w[2])
        groups.setdefault(key, (set(), set()))
        groups[key][0].add(g[0])
        groups[key][1].add(w[0])
    for key, (ids_got, ids_want) in groups.items():
        assert ids_got == ids_want, key
    for g, w in zip(got, want, strict=True):
        assert g[3] == pytest.approx(w[3]) if w[3] is not None else g[3] is None


@pytest.mark.parametrize(("kind", "metric"), [("model", "likes"), ("model", "downloads"), ("dataset", "likes"),
                                              ("dataset", "downloads"), ("space", "likes")])
async def test_every_page_matches_the_ground_truth(crawled: Crawled, kind: str, metric: str) -> None:
    async with api(crawled.url) as http:
        for days in (1, 3, 7):
            rows, _ = await pages(http, f"/{PATHS[kind]}/trending",
                                  {"days": days, "limit": 100, "metric": metric, "include_growth": "true"})
            want, date_from = expected(crawled, kind, metric, days)
            got = [(r[ID_KEY[kind]], r[f"{metric}_latest"], r[f"{metric}_delta"], r[f"{metric}_growth"]) for r in rows]
            assert_same_ranking(got, want, 1000)
            assert rows, "four crawled days give every kind some gainers"
            assert {(r["snapshot_date_from"], r["snapshot_date_to"]) for r in rows} == {
                (date_from.isoformat(), crawled.last.isoformat())
            }, "a window longer than the store falls back to the longest stored one"


async def test_the_default_answer_has_the_seed_shape(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        response = await http.get("/models/trending")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    rows = response.json()
    assert len(rows) == 20 and all(list(r) == SEED_KEYS for r in rows)
    want, _ = expected(crawled, "model", "likes", 7)
    assert_same_ranking([(r["model_id"], r["likes_latest"], r["likes_delta"], None) for r in rows],
                        [(w[0], w[1], w[2], None) for w in want], 20)
    by_id = crawled.by_id(crawled.last, "model")
    assert all(r["pipeline_tag"] == by_id[r["model_id"]].get("pipeline_tag") for r in rows)


async def test_other_kinds_and_metrics_keep_the_shape_with_their_keys(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        datasets = (await http.get("/datasets/trending", params={"limit": 3})).json()
        spaces = (await http.get("/spaces/trending", params={"limit": 3, "include_growth": True})).json()
        downloads = (await http.get("/models/trending", params={"limit": 3, "metric": "downloads"})).json()
    assert list(datasets[0]) == ["dataset_id", "likes_latest", "likes_delta", "snapshot_date_from", "snapshot_date_to"]
    assert list(spaces[0]) == ["space_id", "likes_latest", "likes_delta", "likes_growth", "snapshot_date_from",
                               "snapshot_date_to"]
    assert list(downloads[0]) == ["model_id", "pipeline_tag", "downloads_latest", "downloads_delta",
                                  "snapshot_date_from", "snapshot_date_to"]


async def test_pipeline_tag_ranks_within_the_tag(crawled: Crawled) -> None:
    tag = "text-generation"
    async with api(crawled.url) as http:
        rows, _ = await pages(http, "/models/trending", {"pipeline_tag": tag, "days": 3, "limit": 50})
        unknown = (await http.get("/models/trending", params={"pipeline_tag": "no-such-task"})).json()
    want, _ = expected(crawled, "model", "likes", 3, tag)
    assert rows and all(r["pipeline_tag"] == tag for r in rows)
    assert_same_ranking([(r["model_id"], r["likes_latest"], r["likes_delta"], None) for r in rows],
                        [(w[0], w[1], w[2], None) for w in want], 200)
    assert unknown == []


async def test_keyset_pages_give_the_big_page_beyond_100_rows_without_duplicates(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        big, n_big = await pages(http, "/models/trending", {"days": 3, "limit": 100, "metric": "downloads"})
        small, n_small = await pages(http, "/models/trending", {"days": 3, "limit": 7, "metric": "downloads"})
    assert len(big) > 100 and n_big > 1, "more than one page of 100 rows"
    assert small == big and n_small == -(-len(big) // 7)
    assert len({r["model_id"] for r in big}) == len(big)


async def test_csv_has_the_same_rows(crawled: Crawled) -> None:
    params = {"days": 2, "limit": 30, "include_growth": "true", "metric": "downloads"}
    async with api(crawled.url) as http:
        rows = (await http.get("/models/trending", params=params)).json()
        by_param = await http.get("/models/trending", params={**params, "format": "csv"})
        by_accept = await http.get("/models/trending", params=params, headers={"Accept": "text/csv"})
        explicit_json = await http.get("/models/trending", params={**params, "format": "json"}, headers={"Accept": "text/csv"})
    assert by_param.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_param.text.splitlines()[0] == ",".join(rows[0])
    for got in (parse_csv(by_param.text), parse_csv(by_accept.text)):
        assert got == rows
    assert by_param.headers["x-next-cursor"] and "format=csv" in by_param.headers["link"]
    assert explicit_json.json() == rows


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/models/trending", {"days": 0}, "days: Input should be greater than or equal to 1"),
        ("/models/trending", {"days": 91}, "days: Input should be less than or equal to 90"),
        ("/models/trending", {"limit": 0}, "limit: Input should be greater than or equal to 1"),
        ("/models/trending", {"limit": 101}, "limit: Input should be less than or equal to 100"),
        ("/models/trending", {"days": "week"}, "days: Input should be a valid integer"),
        ("/models/trending", {"metric": "views"}, "metric: Input should be 'likes' or 'downloads'"),
        ("/models/trending", {"include_growth": "maybe"}, "include_growth: Input should be a valid boolean"),
        ("/models/trending", {"format": "xml"}, "format: Input should be 'json' or 'csv'"),
        ("/models/trending", {"cursor": "not-a-cursor"}, "cursor: not a cursor of this endpoint"),
        ("/models/trending", {"cursor": encode_cursor("x")}, "cursor: not a cursor of this endpoint"),
        ("/spaces/trending", {"metric": "downloads"}, "metric: the Hub counts no downloads for spaces"),
        ("/models/trending", {"pipeline_tag": "text\x00generation"}, "pipeline_tag: String should match pattern"),
        ("/models/a/b%00c/history", {}, "model_id: String should match pattern"),
        ("/datasets/trending", {"days": 100, "limit": -1}, "days: Input should be less than or equal to 90; limit:"),
    ],
)
async def test_bad_parameters_are_422_naming_them(crawled: Crawled, path: str, params: dict, message: str) -> None:
    async with api(crawled.url) as http:
        response = await http.get(path, params=params)
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error"} and body["error"]["type"] == "ValidationError"
    assert body["error"]["message"].startswith(message), body


async def test_a_cursor_from_replaced_rankings_is_409(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        response = await http.get("/models/trending", params={"cursor": encode_cursor("2020-01-01", 5)})
    assert response.status_code == 409 and response.json()["error"]["type"] == "Conflict"
    assert "start again without cursor" in response.json()["error"]["message"]


async def test_no_crawl_yet_is_503_saying_what_to_run(tmp_path) -> None:
    async with api(f"sqlite:///{tmp_path / 'empty.db'}") as http:
        for path in ("/models/trending", "/datasets/new", "/models/a/b/history", "/papers/recent", "/arena/rankings"):
            response = await http.get(path)
            assert response.status_code == 503, path
            error = response.json()["error"]
            assert error["type"] == "ServiceUnavailable" and "hubsight crawl" in error["message"]
        assert (await http.get("/health")).status_code == 200
