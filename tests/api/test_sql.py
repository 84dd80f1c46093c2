"""POST /v1/sql, GET /v1/sql/views, GET /v1/trending and GET /v1/glance over a crawled store (both backends)."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx

from hubsight.store import views
from tests.api import history_store
from tests.api.history_store import Crawled, api

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules


def gains(c: Crawled, kind: str, column: str, first: Any, last: Any) -> list[tuple[str, int]]:
    before = {r["_id"]: r[column] for r in c.served[first][kind]}
    now = c.by_oid(c.last, kind)  # rows are named by the repo's current id
    rows = [(now.get(r["_id"], r)["id"], r[column] - before.get(r["_id"], 0), r[column]) for r in c.served[last][kind]]
    return [(i, d) for i, d, _ in sorted((r for r in rows if r[1] > 0), key=lambda r: (-r[1], -r[2], r[0]))]


async def test_sql_answers_columns_rows_and_meta(crawled: Crawled) -> None:
    row = max(crawled.served[crawled.last]["model"], key=lambda r: r["likes"])
    async with api(crawled.url) as http:
        response = await http.post("/v1/sql", json={
            "sql": "SELECT date, likes FROM repo_days WHERE kind = 'model' AND repo_id = $id ORDER BY date",
            "params": {"id": row["id"]}})
    body = response.json()
    assert response.status_code == 200 and body["ok"] is True
    assert body["columns"] == [{"name": "date", "type": "DATE"}, {"name": "likes", "type": "BIGINT"}]
    assert body["rows"] == [[d.isoformat(), crawled.by_id(d, "model")[row["id"]]["likes"]] for d in crawled.days]
    assert body["meta"]["row_count"] == len(crawled.days) and body["meta"]["truncated"] is False
    assert body["meta"]["as_of"] == crawled.last.isoformat() and body["meta"]["elapsed_ms"] >= 0
    assert body["meta"]["stored_from"] == crawled.days[0].isoformat() and body["meta"]["hint"] is None


async def test_no_rows_say_which_days_the_history_holds(crawled: Crawled) -> None:
    # a day before the first crawl answers no rows: that is not "no repos that day"
    async with api(crawled.url) as http:
        response = await http.post("/v1/sql", json={"sql": "SELECT repo_id FROM repo_days WHERE date = DATE '2020-01-01'"})
    meta = response.json()["meta"]
    assert response.status_code == 200 and meta["row_count"] == 0
    assert crawled.days[0].isoformat() in meta["hint"] and crawled.last.isoformat() in meta["hint"], meta
    async with api(crawled.url) as http:  # papers and arena have crawls of their own: the hint names theirs too
        papers = (await http.post("/v1/sql", json={"sql": "SELECT * FROM arena WHERE 1 = 0"})).json()["meta"]
    assert "arena crawl" in papers["hint"] and "papers crawl" in papers["hint"], papers["hint"]


async def test_bad_or_refused_sql_is_400_with_the_views(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        bad = await http.post("/v1/sql", json={"sql": "SELECT nope FROM repo_days"})
        refused = await http.post("/v1/sql", json={"sql": "COPY repos TO '/tmp/x.csv'"})
        files = await http.post("/v1/sql", json={"sql": "SELECT * FROM read_csv('/etc/passwd')"})
        unknown = await http.post("/v1/sql", json={"sql": "SELECT 1", "format": "xml"})
        huge = await http.post("/v1/sql", json={"sql": "SELECT 1 " + " " * 100_001})
        capped = await http.post("/v1/sql", json={"sql": "SELECT repo_id FROM repos", "limit": 2})
    for response, kind, text in ((bad, "SqlError", "nope"), (refused, "SqlRefused", "COPY"),
                                 (files, "SqlRefused", "/etc/passwd")):
        body = response.json()
        assert response.status_code == 400 and body["ok"] is False and body["error"]["type"] == kind
        assert text in body["error"]["message"] and [v["name"] for v in body["error"]["views"]] == [v.name for v in views.VIEWS]
    assert unknown.status_code == 422 and "format" in unknown.text
    assert huge.status_code == 422
    assert capped.json()["meta"] == capped.json()["meta"] | {"row_count": 2, "truncated": True}


async def test_views_and_examples_are_listed_and_every_example_runs(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        listing = (await http.get("/v1/sql/views")).json()
        assert [v["name"] for v in listing["views"]] == [v.name for v in views.VIEWS]
        assert listing["views"][0]["columns"][0] == {"name": "date", "type": "DATE", "description": "the crawl day"}
        for example in listing["examples"]:
            response = await http.post("/v1/sql", json={"sql": example["sql"]})
            assert response.status_code == 200, (example["title"], response.text)


async def test_sql_spends_quota_when_keys_are_required(crawled: Crawled) -> None:
    from tests.api.test_keys import new_key

    key = new_key(crawled.url, "sql", 2)
    async with api(crawled.url, api_keys_required=True) as http:
        anonymous = await http.post("/v1/sql", json={"sql": "SELECT 1"})
        first = await http.post("/v1/sql", json={"sql": "SELECT 1"}, headers={"X-API-Key": key})
        await http.post("/v1/sql", json={"sql": "SELECT 1"}, headers={"X-API-Key": key})
        spent = await http.post("/v1/sql", json={"sql": "SELECT 1"}, headers={"X-API-Key": key})
    assert anonymous.status_code == 401 and first.status_code == 200 and first.headers["x-quota-remaining"] == "1"
    assert spent.status_code == 429


async def test_trending_any_window_filters_and_pages(crawled: Crawled) -> None:
    first, last = crawled.days[0], crawled.last
    async with api(crawled.url) as http:
        whole = (await http.get("/v1/trending", params={"days": (last - first).days, "limit": 1000})).json()
        assert [(i["repo_id"], i["delta"]) for i in whole["items"]] == gains(crawled, "model", "likes", first, last)
        assert whole["meta"]["date_from"] == first.isoformat() and whole["meta"]["total"] == len(whole["items"])
        assert len(whole["items"][0]["series"]) == len(crawled.days)
        paged, cursor = [], None
        while True:
            page = (await http.get("/v1/trending", params={"days": 3, "limit": 7, **({"cursor": cursor} if cursor else {})})).json()
            paged += page["items"]
            cursor = page["meta"]["next_cursor"]
            if cursor is None:
                break
        assert [(i["rank"], i["repo_id"]) for i in paged] == [(i["rank"], i["repo_id"]) for i in whole["items"]]
        older = (await http.get("/v1/trending", params={"kind": "dataset", "metric": "downloads", "from": first.isoformat(),
                                                         "to": crawled.days[1].isoformat(), "limit": 1000})).json()
        assert [(i["repo_id"], i["delta"]) for i in older["items"]] == gains(
            crawled, "dataset", "downloadsAllTime", first, crawled.days[1])
        gguf = (await http.get("/v1/trending", params={"days": 3, "library": "gguf", "limit": 1000})).json()
        assert gguf["items"] and {i["library_name"] for i in gguf["items"]} == {"gguf"}
        authors = (await http.get("/v1/trending", params={"days": 3, "group_by": "author", "limit": 5})).json()
        assert [a["rank"] for a in authors["items"]] == [1, 2, 3, 4, 5] and all("author" in a for a in authors["items"])
        default = (await http.get("/v1/trending")).json()
        assert default["meta"]["days"] == min(7, (last - first).days), "a week, or all a younger store holds"
        too_long = await http.get("/v1/trending", params={"days": 400})
        spaces = await http.get("/v1/trending", params={"kind": "space", "metric": "downloads"})
    assert too_long.status_code == 422 and "cannot be covered" in too_long.json()["error"]["message"]
    assert spaces.status_code == 422 and "spaces" in spaces.json()["error"]["message"]


async def test_glance_series_cover_the_history(crawled: Crawled) -> None:
    async with api(crawled.url) as http:
        glance = (await http.get("/v1/glance")).json()
    totals = [(t["date"], t["kind"], t["likes"]) for t in glance["series"]["totals"]]
    want = [(d.isoformat(), kind, sum(r["likes"] for r in crawled.served[d][kind]))
            for d in crawled.days for kind in ("dataset", "model", "space")]
    assert totals == want
    assert glance["meta"]["date_from"] == crawled.days[0].isoformat() and glance["risers"]
    assert {r["kind"] for r in glance["series"]["new_repos"]} <= {"model", "dataset", "space"}


def test_health_answers_while_a_long_query_runs(crawled: Crawled) -> None:
    from hubsight.api import create_app
    from hubsight.settings import get_settings
    from tests.api.conftest import ApiServer

    app = create_app(get_settings(db=crawled.url, sql_timeout=3.0))
    with ApiServer(app) as server:
        results: list[int] = []

        def heavy() -> None:
            r = httpx.post(f"{server.url}/v1/sql", timeout=60,
                           json={"sql": "SELECT count(*) FROM repo_days a, repo_days b, repo_days c"})
            results.append(r.status_code)

        workers = [threading.Thread(target=heavy) for _ in range(3)]
        for w in workers:
            w.start()
        time.sleep(0.5)
        health = httpx.get(f"{server.url}/health", timeout=10)
        in_flight = sum(w.is_alive() for w in workers)
        for w in workers:
            w.join(60)
    assert health.status_code == 200 and in_flight >= 1, "health answered while the queries ran"
    assert results == [408, 408, 408], "each was stopped at the time limit"
