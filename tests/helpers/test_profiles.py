"""hf_profile_summary against the replica, checked against huggingface_hub's overviews."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from huggingface_hub import HfApi
from huggingface_hub.utils import get_session

from hubsight.helpers import hf_profile_summary, hf_user_graph
from hubsight.helpers.registry import PROFILE_FIELDS
from hubsight.replica import ReplicaServer
from hubsight.replica.routes import social as replica_social

JULIEN = "hf_replica_julien-c"


@pytest.fixture(scope="module")
def star(replica: ReplicaServer) -> str:
    """The user with the most followers."""
    w = replica.world
    return w.owners.names[max(range(w.owners.n_users), key=lambda u: len(replica_social.followers_of(w, u)))]


def test_user_profile_matches_the_overview(run_helper, hf_api: HfApi) -> None:
    ov = hf_api.get_user_overview("julien-c")
    res, run = run_helper(lambda: hf_profile_summary(handle="julien-c"))
    item = res["item"]
    assert res["ok"] and set(item) == set(PROFILE_FIELDS)
    assert item["handle"] == ov.username and item["entity_type"] == "user" and item["display_name"] == ov.fullname
    assert item["bio"] == (ov.details or None) and item["description"] is None and item["avatar_url"] == ov.avatar_url
    assert (item["followers_count"], item["following_count"], item["likes_count"]) == (
        ov.num_followers, ov.num_following, ov.num_likes)
    assert (item["models_count"], item["datasets_count"], item["spaces_count"]) == (
        ov.num_models, ov.num_datasets, ov.num_spaces)
    assert (item["discussions_count"], item["papers_count"], item["upvotes_count"]) == (
        ov.num_discussions, ov.num_papers, ov.num_upvotes)
    assert item["organizations"] == [o.name for o in ov.orgs] and item["is_pro"] is ov.is_pro
    assert item["members_count"] is None and item["likes_sample"] is None and item["activity_sample"] is None
    assert [c.endpoint for c in run.trace] == ["/api/users/julien-c/overview"] and res["meta"]["budget_used"] == 1


def test_social_links_are_built_from_the_overview_handles(run_helper, replica: ReplicaServer, hf_api: HfApi) -> None:
    w = replica.world
    names = w.owners.names[: w.owners.n_users]
    overviews = {n: vars(hf_api.get_user_overview(n)) for n in names[:40]}
    with_github = next(n for n, ov in overviews.items() if ov.get("githubUsername"))
    without = next(n for n, ov in overviews.items() if not ov.get("twitterUsername"))
    ov = overviews[with_github]
    res, _ = run_helper(lambda: hf_profile_summary(handle=with_github))
    item = res["item"]
    assert item["github_url"] == f"https://github.com/{ov['githubUsername']}"
    expected = {
        "twitter_url": ("twitterUsername", "https://twitter.com/{}"),
        "linkedin_url": ("linkedinUsername", "https://www.linkedin.com/in/{}"),
        "bluesky_url": ("blueskyUsername", "https://bsky.app/profile/{}"),
    }
    for field, (key, template) in expected.items():
        assert item[field] == (template.format(ov[key]) if ov.get(key) else None)
    assert item["website_url"] == ov.get("websiteUrl")
    res, _ = run_helper(lambda: hf_profile_summary(handle=without))
    assert res["item"]["twitter_url"] is None


def test_org_profile(run_helper, hf_api: HfApi) -> None:
    ov = hf_api.get_organization_overview("huggingface")
    res, run = run_helper(lambda: hf_profile_summary(handle="huggingface"))
    item = res["item"]
    assert item["entity_type"] == "org" and item["handle"] == ov.name and item["description"] == ov.details
    assert item["members_count"] == ov.num_users and item["followers_count"] == ov.num_followers
    assert (item["models_count"], item["datasets_count"], item["spaces_count"]) == (
        ov.num_models, ov.num_datasets, ov.num_spaces)
    assert item["bio"] is None and item["following_count"] is None and item["organizations"] is None
    assert [c.status for c in run.trace] == [404, 200], "the user overview first, then the org overview"
    assert res["meta"]["budget_used"] == 2 and res["meta"]["entity_type"] == "org"


def test_samples_are_fetched_concurrently_and_match_the_hub(run_helper, replica: ReplicaServer) -> None:
    likes = get_session().get(f"{replica.url}/api/users/julien-c/likes").json()
    feed = get_session().get(f"{replica.url}/api/recent-activity",
                             params={"feedType": "user", "entity": "julien-c", "limit": 100}).json()["recentActivity"]
    res, run = run_helper(lambda: hf_profile_summary(handle="julien-c", include=["likes", "activity"],
                                                     likes_limit=3, activity_limit=4))
    item = res["item"]
    assert [s["repo_id"] for s in item["likes_sample"]] == [x["repo"]["name"] for x in likes[:3]]
    assert set(item["likes_sample"][0]) == {"liked_at", "repo_id", "repo_type", "repo_author", "repo_url"}
    assert [(a["event_type"], a["timestamp"]) for a in item["activity_sample"]] == [(e["type"], e["time"]) for e in feed[:4]]
    samples = res["meta"]["samples"]
    assert samples["likes"]["ok"] and samples["likes"]["more_available"] is (len(likes) > 3)
    assert samples["activity"]["ok"] and samples["activity"]["returned"] == 4
    assert sorted(c.endpoint for c in run.trace) == ["/api/recent-activity", "/api/users/julien-c/likes",
                                                    "/api/users/julien-c/overview"]
    assert res["meta"]["budget_used"] == len(run.trace) == 3

    org, run = run_helper(lambda: hf_profile_summary(handle="huggingface", include=["likes", "activity"], activity_limit=2))
    assert org["item"]["likes_sample"] is None and len(org["item"]["activity_sample"]) == 2
    assert "organizations have no likes" in org["meta"]["samples"]["likes"]["note"]
    assert run.trace[-1].params["feedType"] == "org" and len(run.trace) == 3


def test_a_sample_over_budget_is_reported_in_meta(run_helper) -> None:
    res, run = run_helper(lambda: hf_profile_summary(handle="julien-c", include=["likes"]), max_calls=1)
    assert res["ok"] and res["item"]["likes_sample"] == [] and len(run.trace) == 1
    assert res["meta"]["samples"]["likes"]["ok"] is False and "budget exhausted" in res["meta"]["samples"]["likes"]["error"]


def test_current_user_and_errors(run_helper) -> None:
    res, run = run_helper(lambda: hf_profile_summary(), token=JULIEN)
    assert res["item"]["handle"] == "julien-c"
    assert [c.endpoint for c in run.trace] == ["/api/whoami-v2", "/api/users/julien-c/overview"]
    anon, run = run_helper(lambda: hf_profile_summary())
    assert not anon["ok"] and "needs a Hub token" in anon["error"] and run.trace == []
    missing, _ = run_helper(lambda: hf_profile_summary(handle="nobody-by-this-name"))
    assert not missing["ok"] and "no user or organization named 'nobody-by-this-name'" in missing["error"]
    bad, run = run_helper(lambda: hf_profile_summary(handle="julien-c", include=["papers"]))
    assert not bad["ok"] and "allowed: likes, activity" in bad["error"] and run.trace == []
    bad, run = run_helper(lambda: hf_profile_summary(handle="julien-c", likes_limit=-1, include=["likes"]))
    assert not bad["ok"] and "likes_limit must be >= 0" in bad["error"] and run.trace == []
    bad, _ = run_helper(lambda: hf_profile_summary(handle="julien-c", fields=["handle"]))
    assert not bad["ok"] and "unknown argument 'fields'" in bad["error"]
    over, run = run_helper(lambda: hf_profile_summary(handle="huggingface"), max_calls=1)
    assert not over["ok"] and "budget exhausted" in over["error"] and len(run.trace) == 1


async def follower_profile_join(max_calls: int, letter: str = "b") -> dict[str, Any]:
    """The seed prompt's follower-profile join pattern, verbatim apart from the function around it and the
    initial letter (no follower in the tiny world starts with "b")."""
    followers_resp = await hf_user_graph(relation="followers", limit=100, scan_limit=100, fields=["username", "fullname"])
    followers = followers_resp.get("items") or []
    matches = []
    for follower in followers:
        username = follower.get("username")
        fullname = follower.get("fullname")
        starts_with_b = (
            (isinstance(username, str) and username.lower().startswith(letter))
            or (isinstance(fullname, str) and fullname.lower().startswith(letter))
        )
        if starts_with_b:
            matches.append(follower)
    remaining_profile_calls = max(0, max_calls - 1)
    results = []
    for follower in matches[:remaining_profile_calls]:
        username = follower.get("username")
        if not username:
            continue
        profile = await hf_profile_summary(handle=username)
        item = profile.get("item") or {}
        results.append({"username": username, "fullname": follower.get("fullname"), "github_url": item.get("github_url")})
    return {
        "results": results,
        "coverage": {
            "followers": followers_resp.get("meta") or {},
            "matching_followers_seen": len(matches),
            "profile_calls_used": len(results),
            "profile_hydration_partial": len(matches) > len(results),
        },
    }


@pytest.mark.parametrize("who", ["star", "julien-c"])
def test_follower_profile_join_pattern(run_helper, hf_api: HfApi, star: str, who: str) -> None:
    me = star if who == "star" else who
    followers = list(hf_api.list_user_followers(me))
    github = {u.username: vars(hf_api.get_user_overview(u.username)).get("githubUsername") for u in followers}
    # the letter that starts the most follower names with a GitHub handle among them (the seed asks for "b")
    letters = Counter(u.username[0].lower() for u in followers if github[u.username])
    for letter in ("b", *(x for x, _ in letters.most_common(1))):
        result, run = run_helper(lambda letter=letter: follower_profile_join(100, letter), token=f"hf_replica_{me}")
        expected = [
            {"username": u.username, "fullname": u.fullname,
             "github_url": f"https://github.com/{github[u.username]}" if github[u.username] else None}
            for u in followers
            if u.username.lower().startswith(letter) or (u.fullname or "").lower().startswith(letter)
        ]
        assert result["results"] == expected
        assert letter == "b" or any(e["github_url"] for e in expected)
        cov = result["coverage"]
        assert cov["matching_followers_seen"] == len(expected) and cov["profile_hydration_partial"] is False
        assert cov["followers"]["sample_complete"] is True and cov["followers"]["scan_limit"] == 100
        assert len(run.trace) == 2 + len(expected)
