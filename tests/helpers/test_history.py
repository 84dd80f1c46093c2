"""History helpers over a crawled store: the same rows as the replica served, no budget, ok=false when the store
cannot answer; and a script that joins live Hub data with history in the sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import hubsight.helpers as helpers
from hubsight.hub.session import Run, use_run
from hubsight.settings import get_settings
from tests.api import history_store
from tests.api.history_store import DAYS, SEED, START, Crawled, settings_for

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules


def call(url: str, fn: Callable[[], Awaitable[dict[str, Any]]]) -> dict[str, Any]:
    run = Run(max_calls=5, settings=get_settings(db=url, hf_token=""))

    async def main() -> dict[str, Any]:
        with use_run(run):
            return await fn()

    return asyncio.run(main())


def test_repo_history_is_every_crawled_day(crawled: Crawled) -> None:
    row = max(crawled.served[crawled.last]["model"], key=lambda r: r["downloadsAllTime"])
    got = call(crawled.url, lambda: helpers.hf_repo_history(row["id"], limit=3))
    assert got["ok"], got["error"]
    days = list(reversed(crawled.days))[:3]
    served = [crawled.by_id(day, "model")[row["id"]] for day in days]
    assert [r["snapshot_date"] for r in got["items"]] == [d.isoformat() for d in days]
    assert [r["likes"] for r in got["items"]] == [s["likes"] for s in served]
    assert [r["downloads"] for r in got["items"]] == [s["downloads"] for s in served]
    all_time = [crawled.by_id(day, "model")[row["id"]]["downloadsAllTime"] for day in reversed(crawled.days)]
    assert [r["daily_downloads"] for r in got["items"]] == [all_time[i] - all_time[i + 1] for i in range(3)]
    meta = got["meta"]
    assert meta["budget_used"] == 0 and meta["source"] == "history store" and meta["more_available"] is True
    assert meta["store_date"] == crawled.last.isoformat()


def test_trending_and_new_helpers_read_the_precomputed_rankings(crawled: Crawled) -> None:
    trending = call(crawled.url, lambda: helpers.hf_history_trending(metric="downloads", days=3, limit=5,
                                                                     fields=["repo_id", "delta", "date_from"]))
    assert trending["ok"] and len(trending["items"]) == 5 and set(trending["items"][0]) == {"repo_id", "delta", "date_from"}
    deltas = [r["delta"] for r in trending["items"]]
    assert deltas == sorted(deltas, reverse=True) and trending["meta"]["window"] == [
        crawled.days[0].isoformat(), crawled.last.isoformat()]
    spaces = call(crawled.url, lambda: helpers.hf_history_trending(repo_type="space", days=90))
    assert spaces["ok"] and spaces["meta"]["days_requested"] == 90 and spaces["items"][0]["date_from"] == crawled.days[0].isoformat()
    new = call(crawled.url, lambda: helpers.hf_history_new(days=1, limit=1000))
    assert new["ok"] and new["items"] and all(r["created_at"] >= new["meta"]["since"] for r in new["items"])
    assert all(r["repo_type"] == "model" for r in new["items"]) and new["meta"]["budget_used"] == 0


@pytest.mark.parametrize(
    ("make", "error_type", "message"),
    [
        (lambda: helpers.hf_repo_history("nobody/nothing"), "NoHistory", "is not in the history store"),
        (lambda: helpers.hf_repo_history("no-slash"), "ContractError", "repo_id must be an owner/name string"),
        (lambda: helpers.hf_repo_history("a/b", repo_type="collection"), "ContractError", "unknown repo_type value"),
        (lambda: helpers.hf_history_trending(days=0), "ContractError", "days must be an integer from 1 to 90"),
        (lambda: helpers.hf_history_trending(repo_type="space", metric="downloads"), "ContractError", "not apply to spaces"),
        (lambda: helpers.hf_history_new(repo_type="dataset", pipeline_tag="x"), "ContractError", "models only"),
        (lambda: helpers.hf_history_trending(fields=["views"]), "ContractError", "unknown field 'views'"),
    ],
)
def test_bad_calls_and_unknown_repos_are_ok_false(crawled: Crawled, make: Any, error_type: str, message: str) -> None:
    got = call(crawled.url, make)
    assert got["ok"] is False and got["meta"]["error_type"] == error_type and message in got["error"], got


def test_an_empty_or_missing_store_is_ok_false_saying_what_to_run(tmp_path: Any) -> None:
    missing = call(f"sqlite:///{tmp_path / 'none.db'}", lambda: helpers.hf_history_trending())
    assert missing["ok"] is False and "run `hubsight crawl`" in missing["error"]
    assert not (tmp_path / "none.db").exists(), "a read does not create a store"
    from hubsight.store.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    upgrade(engine)
    engine.dispose()
    empty = call(f"sqlite:///{tmp_path / 'empty.db'}", lambda: helpers.hf_repo_history("a/b"))
    assert empty["ok"] is False and empty["meta"]["error_type"] == "NoHistory" and "hubsight crawl --only hub" in empty["error"]


JOIN = """\
live = await hf_models_search(sort="likes", limit=5, fields=["repo_id", "likes"])
rows = []
for model in live["items"]:
    history = await hf_repo_history(model["repo_id"], limit=4)
    likes = [day["likes"] for day in history["items"]]
    rows.append({"repo_id": model["repo_id"], "likes_now": model["likes"], "likes_by_day": likes,
                 "gained": likes[0] - likes[-1] if likes else None})
result = rows
result
"""


def test_a_script_joins_live_search_with_history(crawled: Crawled) -> None:
    from hubsight.replica import ReplicaServer
    from hubsight.sandbox import run_script

    with ReplicaServer(scale="tiny", seed=SEED, start=START) as replica:
        replica.world.advance(DAYS - 1)  # the world as the last crawl saw it
        envelope = asyncio.run(run_script(JOIN, settings=settings_for(replica.url, crawled.url)))
    assert envelope["ok"], envelope["error"]
    rows = envelope["result"]
    assert len(rows) == 5
    for row in rows:
        served = [crawled.by_id(day, "model")[row["repo_id"]]["likes"] for day in reversed(crawled.days)]
        assert row["likes_by_day"] == served and row["likes_now"] == served[0]
        assert row["gained"] == served[0] - served[-1]
    assert envelope["meta"]["calls_used"] == 1, "history costs no upstream call"
