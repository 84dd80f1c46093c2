"""/v1/repos/suggest, /facets and /latest: what the dashboard's lookup box, pickers and New page read."""

from __future__ import annotations

from collections import Counter

from tests.api import history_store
from tests.api.history_store import Crawled, api

crawled = history_store.crawled


async def test_suggest_finds_ids_by_prefix_then_by_any_part(crawled: Crawled) -> None:
    served = sorted(crawled.by_id(crawled.last, "model"))
    target = served[len(served) // 2]
    owner, name = target.split("/", 1)
    target_prefix = target[:-2]  # a publisher has many ids with the same head ("Qwen/Qwen2.5-..."): a long prefix
    async with api(crawled.url) as http:
        by_prefix = (await http.get("/v1/repos/suggest", params={"q": f"{owner}/", "kind": "model", "limit": 20})).json()["items"]
        by_word = (await http.get("/v1/repos/suggest", params={"q": name[1:].upper(), "kind": "model"})).json()["items"]
        exact = (await http.get("/v1/repos/suggest", params={"q": target_prefix, "kind": "model", "limit": 20})).json()["items"]
        every_kind = (await http.get("/v1/repos/suggest", params={"q": owner[:2]})).json()["items"]
        empty = await http.get("/v1/repos/suggest", params={"q": ""})
    live = [i["repo_id"] for i in by_prefix if i["deleted_on"] is None]
    assert live == [i for i in served if i.startswith(f"{owner}/")][: len(live)], "ids under the owner, in order"
    assert all(i["repo_id"].startswith(f"{owner}/") for i in by_prefix)
    assert target in [i["repo_id"] for i in exact]
    assert target in [i["repo_id"] for i in by_word], "a part of the name, in any case"
    assert every_kind and all(i["kind"] in ("model", "dataset", "space") for i in every_kind)
    assert empty.status_code == 422 and "q" in empty.json()["error"]["message"]


async def test_suggest_marks_deleted_repos(crawled: Crawled) -> None:
    first, last = crawled.by_id(crawled.days[0], "model"), crawled.by_id(crawled.last, "model")
    gone = sorted(set(first) - set(last) - {row["id"] for row in last.values()})
    assert gone, "the replica deletes a few repos over the days"
    async with api(crawled.url) as http:
        items = (await http.get("/v1/repos/suggest", params={"q": gone[0], "kind": "model"})).json()["items"]
    match = [i for i in items if i["repo_id"] == gone[0]]
    assert match and match[0]["deleted_on"] is not None


async def test_facets_are_every_pipeline_tag_and_library_in_the_store(crawled: Crawled) -> None:
    rows = crawled.served[crawled.last]["model"]
    tags = Counter(r["pipeline_tag"] for r in rows if r.get("pipeline_tag"))
    async with api(crawled.url) as http:
        body = (await http.get("/v1/repos/facets", params={"kind": "model"})).json()
        spaces = (await http.get("/v1/repos/facets", params={"kind": "space"})).json()
    assert {f["value"]: f["count"] for f in body["fields"]["pipeline_tag"]} == dict(tags)
    assert len(tags) > 12, "more than the dozen the dashboard used to hard-code"
    assert body["fields"]["library_name"] and body["date"] == crawled.last.isoformat()
    assert "pipeline_tag" not in spaces["fields"] and spaces["fields"]["sdk"]


async def test_latest_numbers_are_the_newest_crawl(crawled: Crawled) -> None:
    served = crawled.by_id(crawled.last, "model")
    ids = sorted(served)[:5]
    async with api(crawled.url) as http:
        body = (await http.get("/v1/repos/latest", params={"kind": "model", "ids": [*ids, "nobody/nothing"]})).json()
    assert [i["repo_id"] for i in body["items"]] == ids, "unknown ids are left out"
    async with api(crawled.url) as http:
        nul = await http.get("/v1/repos/latest", params={"ids": ["a\x00b"]})
    assert nul.status_code == 422 and "ids" in nul.json()["error"]["message"]
    for item in body["items"]:
        row = served[item["repo_id"]]
        assert (item["likes"], item["downloads"], item["date"]) == (row["likes"], row["downloads"], crawled.last.isoformat())
