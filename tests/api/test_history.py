"""GET /{models,datasets,spaces}/{id}/history: every crawled day of a repo, as the replica served it."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest

from tests.api import history_store
from tests.api.history_store import KINDS, PATHS, Crawled, api, pages, parse_csv

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules

SEED_KEYS = ["snapshot_date", "downloads_30d", "likes", "pipeline_tag", "tags"]


def served_meta(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """The tracked metadata of one listed row, as the history names it."""
    gated = row.get("gated") or None
    if kind == "model":
        params = (row.get("safetensors") or {}).get("total") or (row.get("gguf") or {}).get("total")
        return {"pipeline_tag": row.get("pipeline_tag"), "library_name": row.get("library_name"), "tags": row["tags"],
                "gated": gated, "num_params": params}
    if kind == "dataset":
        return {"tags": row["tags"], "gated": gated}
    return {"tags": row["tags"], "sdk": row.get("sdk"), "runtime_stage": (row.get("runtime") or {}).get("stage")}


def expected(c: Crawled, kind: str, oid: str) -> list[dict[str, Any]]:
    """Newest first; each day's metadata as the replica listed it that day."""
    listed = [(day, c.by_oid(day, kind)[oid]) for day in reversed(c.days) if oid in c.by_oid(day, kind)]
    gone = [day for day in c.days if day > listed[0][0]]
    deleted_on = gone[0].isoformat() if gone else None
    out = []
    for day, row in listed:
        out_row: dict[str, Any] = {"snapshot_date": day.isoformat()}
        if kind != "space":
            out_row["downloads_30d"] = row["downloads"]
        out_row["likes"] = row["likes"]
        out_row |= served_meta(kind, row)
        out_row["deleted_on"] = deleted_on
        if kind != "space":
            out_row["downloads_all_time"] = row["downloadsAllTime"]
            previous = c.by_oid(day - timedelta(days=1), kind).get(oid) if day - timedelta(days=1) in c.served else None
            out_row["daily_downloads"] = row["downloadsAllTime"] - previous["downloadsAllTime"] if previous else None
        out.append(out_row)
    return out


def basic(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in ("downloads_all_time", "daily_downloads")} for r in rows]


@pytest.mark.parametrize("kind", KINDS)
async def test_history_is_every_day_the_replica_served(crawled: Crawled, kind: str) -> None:
    rows = crawled.served[crawled.last][kind]
    sample = random.Random(5).sample(rows, 15)
    async with api(crawled.url) as http:
        for row in sample:
            path = f"/{PATHS[kind]}/{row['id']}/history"
            want = expected(crawled, kind, row["_id"])
            plain = await http.get(path)
            assert plain.status_code == 200 and plain.json() == basic(want)
            if kind != "space":
                daily = await http.get(path, params={"include_daily_downloads": "true"})
                assert daily.json() == want


async def test_the_seed_shape_and_a_repo_id_with_a_slash(crawled: Crawled) -> None:
    row = max(crawled.served[crawled.last]["model"], key=lambda r: r["likes"])
    async with api(crawled.url) as http:
        response = await http.get(f"/models/{row['id']}/history", params={"limit": 3})
    rows = response.json()
    assert len(rows) == 3 and all([k for k in r if k in SEED_KEYS] == SEED_KEYS for r in rows), "the seed's keys, in order"
    assert [r["snapshot_date"] for r in rows] == [d.isoformat() for d in reversed(crawled.days[-3:])]
    assert rows[0]["likes"] == row["likes"] and rows[0]["downloads_30d"] == row["downloads"]


async def test_a_repo_born_during_the_crawls_starts_on_its_first_day(crawled: Crawled) -> None:
    first = crawled.by_oid(crawled.days[0], "model")
    born = [r for r in crawled.served[crawled.last]["model"] if r["_id"] not in first]
    assert born
    async with api(crawled.url) as http:
        for row in born[:5]:
            got = (await http.get(f"/models/{row['id']}/history", params={"include_daily_downloads": True})).json()
            assert got == expected(crawled, "model", row["_id"]) and len(got) < len(crawled.days)
            assert got[-1]["daily_downloads"] is None, "no day before its first"


async def test_renamed_and_deleted_repos_keep_their_history(crawled: Crawled) -> None:
    first, last = crawled.by_oid(crawled.days[0], "dataset"), crawled.by_oid(crawled.last, "dataset")
    renamed = [(row["id"], last[oid]["id"], oid) for oid, row in first.items() if oid in last and last[oid]["id"] != row["id"]]
    deleted = [(row["id"], oid) for oid, row in first.items() if oid not in last]
    assert renamed and deleted
    async with api(crawled.url) as http:
        old_id, new_id, oid = renamed[0]
        by_old = await http.get(f"/datasets/{old_id}/history")
        by_new = await http.get(f"/datasets/{new_id}/history")
        assert by_old.status_code == 200 and by_old.json() == by_new.json() == basic(expected(crawled, "dataset", oid))
        assert by_old.headers["x-repo-id"] == new_id and "x-repo-id" not in by_new.headers
        gone_id, gone_oid = deleted[0]
        gone = await http.get(f"/datasets/{gone_id}/history")
        assert gone.status_code == 200 and gone.json() == basic(expected(crawled, "dataset", gone_oid))
        assert gone.json()[0]["snapshot_date"] < crawled.last.isoformat(), "it ends on its last listed day"
        assert gone.headers["x-hubsight-deleted"] == gone.json()[0]["deleted_on"] is not None
        assert "x-hubsight-deleted" not in by_new.headers and by_new.json()[0]["deleted_on"] is None


@pytest.mark.parametrize("kind", KINDS)
async def test_a_past_day_shows_that_days_metadata(crawled: Crawled, kind: str) -> None:
    """Repos whose tracked metadata changed between crawls: each day's row has what was listed that day."""
    first, last = crawled.by_oid(crawled.days[0], kind), crawled.by_oid(crawled.last, kind)
    changed = [oid for oid in first if oid in last and served_meta(kind, first[oid]) != served_meta(kind, last[oid])]
    assert changed, f"the replica's clock changed no {kind}'s metadata over {len(crawled.days)} days"
    async with api(crawled.url) as http:
        for oid in changed[:10]:
            got = (await http.get(f"/{PATHS[kind]}/{last[oid]['id']}/history")).json()
            assert got == basic(expected(crawled, kind, oid))
            assert {k: got[-1][k] for k in served_meta(kind, first[oid])} == served_meta(kind, first[oid])


async def test_keyset_pages_and_csv_give_the_same_rows(crawled: Crawled) -> None:
    row = crawled.served[crawled.last]["model"][0]
    path = f"/models/{row['id']}/history"
    async with api(crawled.url) as http:
        big, _ = await pages(http, path, {"limit": 180, "include_daily_downloads": True})
        small, n = await pages(http, path, {"limit": 1, "include_daily_downloads": True})
        csv = await http.get(path, params={"format": "csv", "include_daily_downloads": True})
    assert small == big and n == len(crawled.days) == len(big)
    assert parse_csv(csv.text) == big
    if len(big[0]["tags"]) > 1:
        assert ";".join(big[0]["tags"]) in csv.text.splitlines()[1], "a list is a;b in its cell, not JSON"
    assert "[" not in csv.text


@pytest.mark.parametrize(
    ("path", "params", "status", "message"),
    [
        ("/models/nobody/nothing/history", {}, 404, "model 'nobody/nothing' is not in the history store"),
        ("/spaces/nobody/nothing/history", {}, 404, "space 'nobody/nothing' is not in the history store"),
        ("/models/{id}/history", {"limit": 0}, 422, "limit: Input should be greater than or equal to 1"),
        ("/models/{id}/history", {"limit": 181}, 422, "limit: Input should be less than or equal to 180"),
        ("/models/{id}/history", {"include_daily_downloads": "sure"}, 422, "include_daily_downloads: Input should be a valid boolean"),
        ("/models/{id}/history", {"cursor": "!!"}, 422, "cursor: not a cursor of this endpoint"),
    ],
)
async def test_unknown_repos_are_404_and_bad_parameters_422(
    crawled: Crawled, path: str, params: dict, status: int, message: str
) -> None:
    path = path.replace("{id}", crawled.served[crawled.last]["model"][0]["id"])
    async with api(crawled.url) as http:
        response = await http.get(path, params=params)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["type"] == ("NotFound" if status == 404 else "ValidationError") and error["message"].startswith(message)
