"""Repo helpers against the replica, checked against huggingface_hub's own answers."""

from __future__ import annotations

import pytest
from huggingface_hub import HfApi
from huggingface_hub.utils import get_session

from hubsight.helpers import (
    hf_datasets_search,
    hf_models_search,
    hf_repo_details,
    hf_repo_search,
    hf_spaces_search,
    hf_trending,
)


def test_search_with_more_rows_than_the_limit_says_so(run_helper, hf_api: HfApi) -> None:
    res, run = run_helper(lambda: hf_models_search(pipeline_tag="text-generation", sort="likes", limit=10))
    truth = [m.id for m in hf_api.list_models(pipeline_tag="text-generation", sort="likes", limit=10)]
    assert res["ok"] and [r["repo_id"] for r in res["items"]] == truth
    meta = res["meta"]
    assert meta["limit_boundary_hit"] is True and meta["more_available"] is True and meta["truncated"] is True
    assert meta["sample_complete"] is False and meta["exact_count"] is False and meta["total"] is None
    assert meta["requested_limit"] == 10 and meta["applied_limit"] == 10 and meta["hard_cap_applied"] is False
    assert meta["budget_used"] == len(run.trace) == 1


def test_search_that_exhausts_the_hub_is_exact(run_helper, hf_api: HfApi) -> None:
    truth = {m.id for m in hf_api.list_models(author="Qwen")}
    assert 0 < len(truth) < 100
    res, _ = run_helper(lambda: hf_models_search(author="Qwen"))
    assert {r["repo_id"] for r in res["items"]} == truth
    meta = res["meta"]
    assert meta["default_limit_used"] and meta["applied_limit"] == 100
    assert meta["limit_boundary_hit"] is False and meta["more_available"] is False and meta["truncated"] is False
    assert meta["sample_complete"] is True and meta["exact_count"] is True and meta["total"] == len(truth)


def test_limit_at_exactly_the_count_is_still_exact(run_helper, hf_api: HfApi) -> None:
    n = len(list(hf_api.list_models(author="Qwen")))
    res, _ = run_helper(lambda: hf_models_search(author="Qwen", limit=n))
    assert len(res["items"]) == n and res["meta"]["more_available"] is False and res["meta"]["exact_count"] is True
    res, _ = run_helper(lambda: hf_models_search(author="Qwen", limit=n - 1))
    assert res["meta"]["more_available"] is True and res["meta"]["limit_boundary_hit"] is True


def test_limit_above_the_maximum_is_clamped(run_helper) -> None:
    res, _ = run_helper(lambda: hf_models_search(limit=6000, fields=["repo_id"]))
    meta = res["meta"]
    assert meta["hard_cap_applied"] is True and meta["requested_limit"] == 6000 and meta["applied_limit"] == 5000
    assert len(res["items"]) == min(5000, meta["returned"])


def test_rows_are_canonical_and_fields_project(run_helper, hf_api: HfApi) -> None:
    res, _ = run_helper(lambda: hf_models_search(sort="likes", limit=3))
    row = res["items"][0]
    info = hf_api.model_info(row["repo_id"])
    assert set(row) == {
        "repo_id", "repo_type", "author", "likes", "downloads", "trending_score", "created_at", "last_modified",
        "pipeline_tag", "num_params", "repo_url", "tags", "library_name", "description", "paperswithcode_id",
        "sdk", "models", "datasets", "subdomain", "runtime_stage", "runtime",
    }
    assert row["repo_type"] == "model" and row["author"] == info.author and row["likes"] == info.likes
    assert row["repo_url"].endswith("/" + info.id)
    assert row["created_at"].endswith("Z")
    small, _ = run_helper(lambda: hf_models_search(sort="likes", limit=3, fields=["repo_id", "likes"]))
    assert [set(r) for r in small["items"]] == [{"repo_id", "likes"}] * 3


def test_num_params_and_date_post_filter(run_helper, hf_api: HfApi) -> None:
    res, _ = run_helper(lambda: hf_models_search(num_params="min:6B,max:128B", limit=5000, fields=["repo_id", "num_params"]))
    truth = {m.id for m in hf_api.list_models(num_parameters="min:6B,max:128B")}
    assert {r["repo_id"] for r in res["items"]} == truth
    assert all(6e9 <= r["num_params"] <= 128e9 for r in res["items"])

    since = "2026-10-01T00:00:00Z"
    res, _ = run_helper(
        lambda: hf_models_search(sort="created_at", limit=200, post_filter={"created_at": {"gte": since}},
                                 fields=["repo_id", "created_at"])
    )
    window = list(hf_api.list_models(sort="created_at", limit=200, expand=["createdAt"]))
    expected = [m.id for m in window if m.created_at.isoformat() >= "2026-10-01"]
    assert [r["repo_id"] for r in res["items"]] == expected and expected
    assert res["meta"]["scanned"] == 200 and res["meta"]["more_available"] == "unknown"


def test_datasets_and_spaces_search(run_helper, hf_api: HfApi) -> None:
    res, _ = run_helper(lambda: hf_datasets_search(language="en", task_categories="text-generation", limit=1000))
    truth = {d.id for d in hf_api.list_datasets(language="en", task_categories="text-generation")}
    assert {r["repo_id"] for r in res["items"]} == truth and truth
    assert res["meta"]["exact_count"] is True

    stages = ["RUNTIME_ERROR", "BUILD_ERROR"]
    res, _ = run_helper(
        lambda: hf_spaces_search(limit=5000, post_filter={"runtime_stage": {"in": stages}}, fields=["repo_id", "runtime_stage"])
    )
    truth = {s.id for s in hf_api.list_spaces(expand=["runtime"]) if s.runtime and s.runtime.stage in stages}
    assert {r["repo_id"] for r in res["items"]} == truth and truth
    bad, _ = run_helper(lambda: hf_spaces_search(sort="downloads"))
    assert not bad["ok"] and "unknown sort value 'downloads'" in bad["error"]


def test_cross_type_search_merges_by_the_sort_key(run_helper, hf_api: HfApi) -> None:
    res, run = run_helper(lambda: hf_repo_search(search="chat", sort="likes", limit=15, fields=["repo_id", "repo_type", "likes"]))
    truth = [(m.id, "model", m.likes) for m in hf_api.list_models(search="chat", sort="likes", limit=15)]
    truth += [(d.id, "dataset", d.likes) for d in hf_api.list_datasets(search="chat", sort="likes", limit=15)]
    truth += [(s.id, "space", s.likes) for s in hf_api.list_spaces(search="chat", sort="likes", limit=15)]
    top = sorted(truth, key=lambda t: -t[2])[:15]
    assert sorted(r["likes"] for r in res["items"]) == sorted(t[2] for t in top)
    assert {r["repo_type"] for r in res["items"]} <= {"model", "dataset", "space"}
    assert len(run.trace) == 3, "one request per repo type, made concurrently"


def test_repo_details_fan_out_and_missing_repos(run_helper, replica, hf_api: HfApi) -> None:
    ids = [m.id for m in hf_api.list_models(sort="likes", limit=6)]
    res, run = run_helper(lambda: hf_repo_details(repo_ids=[*ids, "nobody-here/none"], repo_type="model"))
    assert res["ok"] and [r["repo_id"] for r in res["items"]] == ids
    assert set(res["meta"]["errors"]) == {"nobody-here/none"} and res["meta"]["found"] == 6
    assert len(run.trace) == 7
    dataset = "lmarena-ai/leaderboard-dataset"
    one, run = run_helper(lambda: hf_repo_details(repo_id=dataset))
    assert one["item"]["repo_type"] == "dataset" and one["item"]["repo_id"] == dataset
    assert [c.status for c in run.trace] == [404, 200], "auto tries model, then dataset"
    missing, _ = run_helper(lambda: hf_repo_details(repo_id="nobody-here/none", repo_type="space"))
    assert not missing["ok"] and "no space named 'nobody-here/none'" in missing["error"]
    bad, run = run_helper(lambda: hf_repo_details(repo_id="a/b/c"))
    assert not bad["ok"] and "namespace/repo_name" in bad["error"] and run.trace == []


def test_trending_matches_the_hub_feed(run_helper, replica) -> None:
    feed = get_session().get(f"{replica.url}/api/trending", params={"type": "model", "limit": 20}).json()
    truth = [e["repoData"]["id"] for e in feed["recentlyTrending"]]
    res, _ = run_helper(lambda: hf_trending(limit=5))
    assert [r["repo_id"] for r in res["items"]] == truth[:5]
    assert [r["trending_rank"] for r in res["items"]] == [1, 2, 3, 4, 5]
    assert res["meta"]["more_available"] is (len(truth) > 5)
    capped, _ = run_helper(lambda: hf_trending(limit=50))
    assert capped["meta"]["hard_cap_applied"] is True and capped["meta"]["applied_limit"] == 20


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: hf_models_search(fields=["repo_id", "stars"]), "unknown field 'stars'; allowed: repo_id,"),
        (lambda: hf_models_search(post_filter={"stars": 3}), "unknown post_filter key 'stars'; allowed: repo_id,"),
        (lambda: hf_models_search(post_filter={"likes": {"above": 3}}), "unknown post_filter op for 'likes' 'above'; allowed: eq, in"),
        (lambda: hf_models_search(expand=["everything"]), "unknown expand value 'everything'; allowed: author,"),
        (lambda: hf_models_search(limit="ten"), "limit must be an integer"),
        (lambda: hf_models_search(repo_type="model"), "unknown argument 'repo_type'"),
        (lambda: hf_trending(where={"nope": 1}), "unknown where key 'nope'"),
    ],
)
def test_contract_violations_fail_fast_without_requests(run_helper, call, needle: str) -> None:
    res, run = run_helper(call)
    assert res["ok"] is False and res["items"] == [] and needle in res["error"]
    assert run.trace == []


def test_budget_is_enforced_per_request(run_helper) -> None:
    res, run = run_helper(lambda: hf_repo_search(search="a", limit=5), max_calls=2)
    assert res["ok"] is False and "budget exhausted" in res["error"] and "max_calls=2" in res["error"]
    assert run.calls_used == 2
