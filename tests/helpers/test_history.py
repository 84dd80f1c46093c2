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


def expected_gains(crawled: Crawled, kind: str, column: str, first: Any, last: Any) -> list[tuple[str, int, int]]:
    """(repo_id, delta, latest) of every gainer between two crawl days, ranked, from what the replica served."""
    before = {r["_id"]: r[column] for r in crawled.served[first][kind]}
    now = crawled.by_oid(crawled.last, kind)  # rows are named by the repo's current id
    rows = [(now.get(r["_id"], r)["id"], r[column] - before.get(r["_id"], 0), r[column]) for r in crawled.served[last][kind]]
    return sorted((r for r in rows if r[1] > 0), key=lambda r: (-r[1], -r[2], r[0]))


def test_trending_ranks_any_window_as_the_replica_served(crawled: Crawled) -> None:
    trending = call(crawled.url, lambda: helpers.hf_history_trending(metric="downloads", days=3, limit=5,
                                                                     fields=["repo_id", "delta", "date_from"]))
    assert trending["ok"], trending["error"]
    assert set(trending["items"][0]) == {"repo_id", "delta", "date_from"}
    truth = expected_gains(crawled, "model", "downloadsAllTime", crawled.days[0], crawled.last)
    assert [(r["repo_id"], r["delta"]) for r in trending["items"]] == [(i, d) for i, d, _ in truth[:5]]
    assert trending["meta"]["window"] == [crawled.days[0].isoformat(), crawled.last.isoformat()]
    assert trending["meta"]["total"] == len(truth) and trending["meta"]["exact_count"] is True
    # an older window, by dates: from the first to the second crawl day
    older = call(crawled.url, lambda: helpers.hf_history_trending(
        repo_type="space", date_from=crawled.days[0].isoformat(), date_to=crawled.days[1].isoformat(), limit=1000))
    truth = expected_gains(crawled, "space", "likes", crawled.days[0], crawled.days[1])
    assert older["ok"] and [(r["repo_id"], r["delta"]) for r in older["items"]] == [(i, d) for i, d, _ in truth]


def test_trending_filters_and_groups_by_author(crawled: Crawled) -> None:
    last = crawled.by_id(crawled.last, "model")
    library = max({r.get("library_name") for r in last.values()} - {None},
                  key=lambda lib: sum(r.get("library_name") == lib for r in last.values()))
    got = call(crawled.url, lambda: helpers.hf_history_trending(library=library, days=3, limit=1000,
                                                                fields=["repo_id", "library_name", "delta"]))
    truth = [t for t in expected_gains(crawled, "model", "likes", crawled.days[0], crawled.last)
             if last[t[0]].get("library_name") == library]
    assert got["ok"] and truth and [(r["repo_id"], r["delta"]) for r in got["items"]] == [(i, d) for i, d, _ in truth]
    by_author = call(crawled.url, lambda: helpers.hf_history_trending(group_by="author", days=3, limit=3))
    sums: dict[str, int] = {}
    before = {r["_id"]: r["likes"] for r in crawled.served[crawled.days[0]]["model"]}
    for r in crawled.served[crawled.last]["model"]:
        author = r["id"].split("/")[0]
        sums[author] = sums.get(author, 0) + r["likes"] - before.get(r["_id"], 0)
    best = sorted(sums.items(), key=lambda kv: -kv[1])[:3]
    assert by_author["ok"] and [(r["author"], r["delta"]) for r in by_author["items"]] == best


def test_a_window_the_store_cannot_cover_says_so(crawled: Crawled) -> None:
    got = call(crawled.url, lambda: helpers.hf_history_trending(repo_type="space", days=90))
    assert got["ok"] is False and "cannot be covered" in got["error"]
    assert f"from {crawled.days[0]} to {crawled.last}" in got["error"]


def test_new_helper_lists_repos_created_since(crawled: Crawled) -> None:
    new = call(crawled.url, lambda: helpers.hf_history_new(days=1, limit=1000))
    assert new["ok"] and new["items"] and all(r["created_at"] >= new["meta"]["since"] for r in new["items"])
    assert all(r["repo_type"] == "model" for r in new["items"]) and new["meta"]["budget_used"] == 0
    from tests.helpers.test_timestamps import HUB_TIME

    assert all(HUB_TIME.match(r["created_at"]) for r in new["items"]), "the live helpers' timestamp format"
    week, unset = (call(crawled.url, lambda d=d: helpers.hf_history_new(days=d, limit=1000)) for d in (7, None))
    assert unset["ok"] and unset["meta"]["since"] == week["meta"]["since"] < new["meta"]["since"], "None is the default week"


def test_history_sql_answers_from_the_same_days_the_replica_served(crawled: Crawled) -> None:
    row = max(crawled.served[crawled.last]["model"], key=lambda r: r["likes"])
    got = call(crawled.url, lambda: helpers.hf_history_sql(
        "SELECT date, likes, downloads FROM repo_days WHERE kind = 'model' AND repo_id = ? ORDER BY date",
        params=[row["id"]]))
    assert got["ok"], got["error"]
    assert [r["date"] for r in got["items"]] == [d.isoformat() for d in crawled.days]
    assert [r["likes"] for r in got["items"]] == [crawled.by_id(d, "model")[row["id"]]["likes"] for d in crawled.days]
    assert got["meta"]["budget_used"] == 0 and got["meta"]["truncated"] is False
    assert [c["name"] for c in got["meta"]["columns"]] == ["date", "likes", "downloads"]
    capped = call(crawled.url, lambda: helpers.hf_history_sql("SELECT repo_id FROM repos", limit=3))
    assert capped["ok"] and len(capped["items"]) == 3 and capped["meta"]["truncated"] is True
    bad = call(crawled.url, lambda: helpers.hf_history_sql("SELECT nope FROM repo_days"))
    assert bad["ok"] is False and "nope" in bad["error"] and "repo_days(date DATE" in bad["error"]
    refused = call(crawled.url, lambda: helpers.hf_history_sql("DELETE FROM repos"))
    assert refused["ok"] is False and refused["meta"]["error_type"] == "SqlRefused"
    before = call(crawled.url, lambda: helpers.hf_history_sql("SELECT * FROM repo_days WHERE date < DATE '2020-01-01'"))
    assert before["ok"] and before["items"] == [] and before["meta"]["stored_from"] == crawled.days[0].isoformat()
    assert crawled.days[0].isoformat() in before["meta"]["hint"], "no rows is not the same as nothing that day"


def test_history_sql_takes_as_long_a_query_as_every_other_door(crawled: Crawled) -> None:
    from hubsight.store.views import MAX_SQL_CHARS

    # an analyst's query with a long IN list: 5,000 characters ran on /v1/sql and MCP, not in scripts
    ids = ", ".join(f"'org/repo-{i:05d}'" for i in range(300))
    long = f"SELECT count(*) AS n FROM repos WHERE repo_id IN ({ids})"
    assert 4096 < len(long) < MAX_SQL_CHARS
    got = call(crawled.url, lambda: helpers.hf_history_sql(long))
    assert got["ok"], got["error"]
    too_long = call(crawled.url, lambda: helpers.hf_history_sql("SELECT 1 --" + "x" * MAX_SQL_CHARS))
    assert too_long["ok"] is False and f"pass at most {MAX_SQL_CHARS}" in too_long["error"]


@pytest.mark.parametrize(
    ("make", "error_type", "message"),
    [
        (lambda: helpers.hf_repo_history("nobody/nothing"), "NoHistory", "is not in the history store"),
        (lambda: helpers.hf_repo_history("no-slash"), "ContractError", "repo_id must be an owner/name string"),
        (lambda: helpers.hf_repo_history("a/b", repo_type="collection"), "ContractError", "unknown repo_type value"),
        (lambda: helpers.hf_history_trending(days=0), "ContractError", "days must be a positive integer"),
        (lambda: helpers.hf_history_trending(date_from="yesterday"), "ContractError", "date_from must be a date YYYY-MM-DD"),
        (lambda: helpers.hf_history_trending(group_by="org"), "ContractError", "unknown group_by value"),
        (lambda: helpers.hf_history_trending(repo_type="space", metric="downloads"), "ContractError", "not apply to spaces"),
        (lambda: helpers.hf_history_new(repo_type="dataset", pipeline_tag="x"), "ContractError", "models only"),
        (lambda: helpers.hf_history_trending(fields=["views"]), "ContractError", "unknown field 'views'"),
    ],
)
def test_bad_calls_and_unknown_repos_are_ok_false(crawled: Crawled, make: Any, error_type: str, message: str) -> None:
    got = call(crawled.url, make)
    assert got["ok"] is False and got["meta"]["error_type"] == error_type and message in got["error"], got
    if error_type == "NoHistory":
        assert got["meta"]["missing"] == "repo", "an unknown repo is told apart from a store with no crawl"


def test_an_empty_or_missing_store_is_ok_false_saying_what_to_run(tmp_path: Any) -> None:
    missing = call(f"sqlite:///{tmp_path / 'none.db'}", lambda: helpers.hf_repo_history("a/b"))
    assert missing["ok"] is False and "run `hubsight crawl`" in missing["error"] and missing["meta"]["missing"] == "store"
    assert not (tmp_path / "none.db").exists(), "a read does not create a store"
    from hubsight.store.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    upgrade(engine)
    engine.dispose()
    empty = call(f"sqlite:///{tmp_path / 'empty.db'}", lambda: helpers.hf_repo_history("a/b"))
    assert empty["ok"] is False and empty["meta"]["error_type"] == "NoHistory" and "hubsight crawl --only hub" in empty["error"]
    assert empty["meta"]["missing"] == "crawl", "an agent can tell an empty store from an unknown repo"


def test_an_unreadable_store_is_ok_false_naming_the_store_and_the_cause(tmp_path: Any) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"these bytes are not a SQLite database\n" * 200)
    calls = {
        "hf_repo_history": lambda: helpers.hf_repo_history("a/b"),
        "hf_history_trending": lambda: helpers.hf_history_trending(),
        "hf_history_new": lambda: helpers.hf_history_new(),
        "hf_history_sql": lambda: helpers.hf_history_sql("SELECT 1"),
    }
    for name, make in calls.items():
        got = call(f"sqlite:///{junk}", make)
        assert got["ok"] is False and got["meta"]["error_type"] == "StoreUnavailable", (name, got)
        assert str(junk) in got["error"] and "not a database" in got["error"], (name, got["error"])
        assert "hubsight crawl" not in got["error"], (name, got["error"])
        malformed = call("nonsense", make)
        assert malformed["ok"] is False and malformed["meta"]["error_type"] == "StoreUnavailable", (name, malformed)
        assert "'nonsense' is not a database URL" in malformed["error"], (name, malformed["error"])
    assert junk.read_bytes().startswith(b"these bytes"), "a read leaves the file alone"


@pytest.mark.parametrize(("url", "needle"), [
    ("postgresql://u@h:abc/db", "is not a database URL"),
    ("postgresql+psycopg://u:s3cret@127.0.0.1:54x2/test", "is not a database URL"),
    ("postgresql://[::1/db", "is not a database URL"),
    ("sqlite:///" + "a" * 5000, "File name too long"),
])
def test_a_url_that_cannot_name_a_store_is_store_unavailable_from_every_history_helper(url: str, needle: str) -> None:
    for make in (lambda: helpers.hf_repo_history("a/b"), lambda: helpers.hf_history_trending(),
                 lambda: helpers.hf_history_new(), lambda: helpers.hf_history_sql("SELECT 1")):
        got = call(url, make)
        assert got["ok"] is False and got["meta"]["error_type"] == "StoreUnavailable", got
        assert needle in got["error"] and len(got["error"]) < 600, got["error"][:300]
        assert "s3cret" not in got["error"], "a password in the URL is never shown"


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
