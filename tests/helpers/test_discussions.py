"""Discussion helpers against the replica, checked against huggingface_hub's own answers."""

from __future__ import annotations

import numpy as np
import pytest
from huggingface_hub import HfApi

from hubsight.helpers import hf_repo_discussion_details, hf_repo_discussions
from hubsight.hub import normalise
from hubsight.replica import community

PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}


def z(dt) -> str:
    return normalise.iso(dt)


def repo_with(replica, kind: str, pick) -> str:
    """A live repo of ``kind`` whose discussion count satisfies ``pick(counts)`` → index."""
    w = replica.world
    d = community.discussions(w, kind)
    counts = np.diff(d.offsets) * w.repos[kind].alive
    return w.repos[kind].ids[int(pick(counts))]


@pytest.fixture(scope="module")
def busiest(replica) -> tuple[str, list]:
    """The model with the most discussions (more than one Hub page of 50), and them as the client lists them."""
    rid = repo_with(replica, "model", np.argmax)
    threads = list(HfApi(endpoint=replica.url, token=False).get_repo_discussions(rid, repo_type="model"))
    assert len(threads) > 50 and len(threads) % 50
    return rid, threads


def expected(t, endpoint: str) -> dict:
    return {
        "num": t.num, "repo_id": t.repo_id, "repo_type": t.repo_type, "title": t.title, "author": t.author,
        "created_at": z(t.created_at), "status": t.status,
        "url": f"{endpoint}/{PREFIX[t.repo_type]}{t.repo_id}/discussions/{t.num}",
    }


# -- hf_repo_discussions ---------------------------------------------------------------------------
def test_default_window_with_more_discussions(run_helper, replica, busiest) -> None:
    rid, threads = busiest
    res, run = run_helper(lambda: hf_repo_discussions("model", rid))
    assert res["ok"] and res["items"] == [expected(t, replica.url) for t in threads[:20]]
    assert res["items"][0]["url"] == threads[0].url
    meta = res["meta"]
    assert meta["default_limit_used"] is True and meta["applied_limit"] == 20
    assert meta["limit_boundary_hit"] is True and meta["truncated"] is True and meta["more_available"] is True
    # the Hub sends the count with the first page: the total is exact although the rows are a window
    assert meta["sample_complete"] is False and meta["exact_count"] is True and meta["total"] == len(threads)
    assert meta["count_source"] == "hub"
    assert meta["budget_used"] == len(run.trace) == 1


def test_window_across_pages_and_exhaustion(run_helper, replica, busiest) -> None:
    rid, threads = busiest
    n = len(threads)
    res, run = run_helper(lambda: hf_repo_discussions("model", rid, limit=60))
    assert [r["num"] for r in res["items"]] == [t.num for t in threads[:60]]
    assert res["meta"]["more_available"] is (n > 60) and res["meta"]["budget_used"] == len(run.trace) == 2
    res, run = run_helper(lambda: hf_repo_discussions("model", rid, limit=n))
    assert res["items"] == [expected(t, replica.url) for t in threads]
    meta = res["meta"]
    assert meta["limit_boundary_hit"] is False and meta["truncated"] is False and meta["more_available"] is False
    assert meta["sample_complete"] is True and meta["exact_count"] is True and meta["total"] == n
    assert meta["budget_used"] == len(run.trace) == -(-n // 50)


def test_a_window_at_a_page_boundary_needs_no_probe(run_helper, busiest) -> None:
    rid, threads = busiest
    res, run = run_helper(lambda: hf_repo_discussions("model", rid, limit=50))
    assert len(res["items"]) == 50 and res["meta"]["more_available"] is True and res["meta"]["total"] == len(threads)
    assert res["meta"]["budget_used"] == len(run.trace) == 1, "the Hub's count says more exist"


def test_limit_above_the_maximum_is_clamped(run_helper, busiest) -> None:
    rid, threads = busiest
    res, _ = run_helper(lambda: hf_repo_discussions("model", rid, limit=500, fields=["num"]))
    meta = res["meta"]
    assert meta["hard_cap_applied"] is True and meta["requested_limit"] == 500 and meta["applied_limit"] == 200
    assert [r["num"] for r in res["items"]] == [t.num for t in threads[:200]]
    assert all(set(r) == {"num"} for r in res["items"])


@pytest.mark.parametrize("kind", ["dataset", "space"])
def test_small_repos_of_other_types_are_complete(run_helper, replica, hf_api: HfApi, kind: str) -> None:
    rid = repo_with(replica, kind, lambda c: np.flatnonzero((c > 0) & (c < 20))[0])
    truth = list(hf_api.get_repo_discussions(rid, repo_type=kind))
    res, run = run_helper(lambda: hf_repo_discussions(kind, rid))
    assert res["items"] == [expected(t, replica.url) for t in truth]
    assert all(f"/{PREFIX[kind]}{rid}/discussions/" in r["url"] for r in res["items"])
    meta = res["meta"]
    assert meta["more_available"] is False and meta["exact_count"] is True and meta["total"] == len(truth)
    assert meta["budget_used"] == len(run.trace) == 1


def test_repo_without_discussions(run_helper, replica) -> None:
    rid = repo_with(replica, "model", lambda c: np.flatnonzero(c == 0)[0])
    res, _ = run_helper(lambda: hf_repo_discussions("model", rid))
    assert res["ok"] and res["items"] == [] and res["meta"]["total"] == 0 and res["meta"]["more_available"] is False


def test_missing_and_malformed_repos(run_helper, busiest) -> None:
    rid, _ = busiest
    res, run = run_helper(lambda: hf_repo_discussions("model", "nobody-here/none"))
    assert res["ok"] is False and "nobody-here/none" in res["error"] and "not found" in res["error"]
    assert len(run.trace) == 1
    wrong_type, _ = run_helper(lambda: hf_repo_discussions("dataset", rid))
    assert wrong_type["ok"] is False and "not found" in wrong_type["error"]
    bad, run = run_helper(lambda: hf_repo_discussions("model", "a/b/c"))
    assert bad["ok"] is False and "not a valid repo id" in bad["error"] and run.trace == []
    bad, run = run_helper(lambda: hf_repo_discussions("bucket", rid))
    assert bad["ok"] is False and "unknown repo_type value 'bucket'; allowed: model, dataset, space" in bad["error"]
    assert run.trace == []
    bad, run = run_helper(lambda: hf_repo_discussions("model", rid, fields=["num", "body"]))
    assert bad["ok"] is False and "unknown field 'body'; allowed: num," in bad["error"] and run.trace == []


def test_discussions_budget_exhaustion(run_helper, busiest) -> None:
    rid, _ = busiest
    res, run = run_helper(lambda: hf_repo_discussions("model", rid, limit=60), max_calls=1)
    assert res["ok"] is False and "budget exhausted" in res["error"] and "max_calls=1" in res["error"]
    assert len(run.trace) == 1


# -- hf_repo_discussion_details --------------------------------------------------------------------
def richest(hf_api: HfApi, rid: str, threads: list, *, pr: bool):
    """Of the first 30 threads of one kind, the details with the most comments."""
    picked = [t for t in threads if t.is_pull_request == pr][:30]
    return max((hf_api.get_discussion_details(rid, t.num) for t in picked), key=lambda x: len(x.events))


@pytest.mark.parametrize("pr", [False, True])
def test_details_match_the_client(run_helper, replica, hf_api: HfApi, busiest, pr: bool) -> None:
    rid, threads = busiest
    x = richest(hf_api, rid, threads, pr=pr)
    comments = [e for e in x.events if e.type == "comment"]
    assert comments
    latest = comments[-1]
    res, run = run_helper(lambda: hf_repo_discussion_details("model", rid, x.num))
    assert res["ok"] and res["item"] == res["items"][0]
    assert res["item"] == {
        **expected(x, replica.url),
        "comment_count": len(comments),
        "latest_comment_author": latest.author,
        "latest_comment_created_at": z(latest.created_at),
        "latest_comment_text": latest.content,
        "latest_comment_html": latest.rendered,
    }
    assert res["meta"]["is_pull_request"] is pr and res["meta"]["event_count"] == len(x.events)
    assert res["meta"]["budget_used"] == len(run.trace) == 1


def test_details_fields_projection(run_helper, busiest) -> None:
    rid, threads = busiest
    res, _ = run_helper(lambda: hf_repo_discussion_details("model", rid, threads[0].num, fields=["title", "comment_count"]))
    assert set(res["item"]) == {"title", "comment_count"} and res["item"]["title"] == threads[0].title


def test_details_errors(run_helper, busiest) -> None:
    rid, threads = busiest
    res, run = run_helper(lambda: hf_repo_discussion_details("model", rid, len(threads) + 1))
    assert res["ok"] is False and f"discussion #{len(threads) + 1}" in res["error"] and "not found" in res["error"]
    assert len(run.trace) == 1
    res, _ = run_helper(lambda: hf_repo_discussion_details("model", "nobody-here/none", 1))
    assert res["ok"] is False and "nobody-here/none" in res["error"] and "not found" in res["error"]
    for num in (0, -3, True, "1"):
        bad, run = run_helper(lambda n=num: hf_repo_discussion_details("model", rid, n))
        assert bad["ok"] is False and "discussion_num must be a positive integer" in bad["error"] and run.trace == []
    bad, run = run_helper(lambda: hf_repo_discussion_details("model", rid, 1, fields=["body"]))
    assert bad["ok"] is False and "unknown field 'body'; allowed: num," in bad["error"] and run.trace == []
    res, run = run_helper(lambda: hf_repo_discussion_details("model", rid, 1), max_calls=0)
    assert res["ok"] is False and "budget exhausted" in res["error"] and run.trace == []


def test_details_with_a_token(run_helper, busiest, user_token: str) -> None:
    rid, threads = busiest
    res, _ = run_helper(lambda: hf_repo_discussion_details("model", rid, threads[-1].num), token=user_token)
    assert res["ok"] and res["item"]["num"] == threads[-1].num
