"""People helpers against the replica, checked against huggingface_hub's own answers."""

from __future__ import annotations

from typing import Any

import pytest
from huggingface_hub import HfApi
from huggingface_hub.utils import get_session

from hubsight.helpers import hf_org_members, hf_repo_likers, hf_user_graph, hf_user_likes, hf_whoami
from hubsight.helpers.contracts import LimitPlan
from hubsight.helpers.social import scan, scan_coverage
from hubsight.replica import ReplicaServer
from hubsight.replica.routes import social as replica_social
from hubsight.replica.world import World
from tests.conftest import REPLICA_DATE, REPLICA_SEED

JULIEN = "hf_replica_julien-c"


# -- subjects, picked from the replica's world; every expected value below comes from HfApi ----
def most(w: World, size, pool: range) -> str:
    return w.owners.names[max(pool, key=lambda i: (size(i), -i))]


def users(w: World) -> range:
    return range(w.owners.n_users)


def orgs(w: World) -> range:
    return range(w.owners.n_users, len(w.owners.names))


@pytest.fixture(scope="module")
def star(replica: ReplicaServer) -> str:
    """The user with the most followers."""
    w = replica.world
    return most(w, lambda u: len(replica_social.followers_of(w, u)), users(w))


@pytest.fixture(scope="module")
def pro_star(replica: ReplicaServer) -> str:
    """The user with the most PRO followers (the most followers overall may have none)."""
    w = replica.world
    return most(w, lambda u: int(w.owners.is_pro[replica_social.followers_of(w, u)].sum()), users(w))


@pytest.fixture(scope="module")
def fan(replica: ReplicaServer) -> str:
    """The user with the most likes (well over one ranking window)."""
    w = replica.world
    return most(w, lambda u: len(replica_social.likes_of(w, u)), users(w))


@pytest.fixture(scope="module")
def casual(replica: ReplicaServer) -> str:
    """A user with a handful of likes (fewer than one ranking window)."""
    w = replica.world
    return most(w, lambda u: 0 < len(replica_social.likes_of(w, u)) <= 5, users(w))


def raw_likes(replica: ReplicaServer, user: str) -> list[dict[str, Any]]:
    """The likes listing exactly as the Hub sends it (HfApi.list_liked_repos drops liked_at and the order)."""
    return get_session().get(f"{replica.url}/api/users/{user}/likes").json()


def repo_info(api: HfApi, kind: str, repo_id: str) -> Any:
    return {"model": api.model_info, "dataset": api.dataset_info, "space": api.space_info}[kind](repo_id)


# -- hf_user_graph ------------------------------------------------------------------------------
def test_followers_window_and_exact_scan(run_helper, hf_api: HfApi, star: str) -> None:
    truth = [u.username for u in hf_api.list_user_followers(star)]
    assert len(truth) > 6
    res, run = run_helper(lambda: hf_user_graph(username=star, limit=5))
    assert res["ok"] and [r["username"] for r in res["items"]] == truth[:5]
    meta = res["meta"]
    assert meta["limit_boundary_hit"] is True and meta["more_available"] is True and meta["truncated"] is True
    assert meta["sample_complete"] is False and meta["exact_count"] is False and meta["total"] is None
    assert meta["requested_limit"] == 5 and meta["applied_limit"] == 5 and meta["hard_cap_applied"] is False
    assert meta["budget_used"] == len(run.trace) == 1 and run.trace[0].endpoint == f"/api/users/{star}/followers"

    whole, _ = run_helper(lambda: hf_user_graph(username=star, limit=len(truth)))
    meta = whole["meta"]
    assert [r["username"] for r in whole["items"]] == truth
    assert meta["limit_boundary_hit"] is False and meta["more_available"] is False and meta["truncated"] is False
    assert meta["sample_complete"] is True and meta["exact_count"] is True and meta["total"] == len(truth)
    default, _ = run_helper(lambda: hf_user_graph(username=star))
    assert default["meta"]["default_limit_used"] is True and default["meta"]["applied_limit"] == 1000
    assert len(default["items"]) == len(truth)


@pytest.fixture(scope="module")
def paged_replica() -> Any:
    """A small replica: its most followed organization spans three of the Hub's 500-row people pages."""
    with ReplicaServer(scale="small", seed=REPLICA_SEED, start=REPLICA_DATE) as server:
        yield server


def test_page_ends_are_known_from_the_hubs_link_header(run_helper, paged_replica: ReplicaServer) -> None:
    w = paged_replica.world
    top = most(w, lambda g: len(replica_social.followers_of(w, g)), orgs(w))
    truth = [u.username for u in HfApi(endpoint=paged_replica.url).list_organization_followers(top)]
    assert len(truth) > 1000 and len(truth) % replica_social.PEOPLE_PAGE, "three pages, the last one short"

    def graph(**kw: Any) -> tuple[dict[str, Any], int]:
        res, run = run_helper(lambda: hf_user_graph(username=top, **kw), endpoint=paged_replica.url)
        pages = sum(c.endpoint == f"/api/organizations/{top}/followers" for c in run.trace)
        return res, pages

    # a limit at a page's end: the page's Link header says more exist, so no second page is read to find out
    res, pages = graph(limit=500)
    meta = res["meta"]
    assert [r["username"] for r in res["items"]] == truth[:500] and pages == 1
    assert meta["more_available"] is True and meta["limit_boundary_hit"] is True and meta["truncated"] is True
    assert meta["exact_count"] is False and meta["total"] is None
    # the default limit (1000) ends on the second page's end: more exist, the Hub said so (not "unknown")
    res, pages = graph()
    meta = res["meta"]
    assert len(res["items"]) == 1000 and pages == 2
    assert meta["more_available"] is True and meta["truncated"] is True and meta["source_exhausted"] is False
    # a filtered scan stopped at a page's end: rows exist beyond it, whether they match is unknown
    res, pages = graph(scan_limit=500, where={"username": {"icontains": "a"}})
    meta = res["meta"]
    assert pages == 1 and meta["scanned"] == 500 and meta["more_available"] == "unknown"
    # every row seen: the exact total, one request per page
    res, pages = graph(limit=len(truth))
    meta = res["meta"]
    assert [r["username"] for r in res["items"]] == truth and pages == 3
    assert meta["exact_count"] is True and meta["total"] == len(truth) and meta["more_available"] is False
    count, pages = graph(count_only=True, where={"username": {"icontains": ""}})
    assert count["meta"]["count"] == len(truth) and count["meta"]["exact_count"] is True and pages == 3


def test_actor_rows_are_canonical_and_fields_project(run_helper, hf_api: HfApi, star: str) -> None:
    truth = {u.username: u for u in hf_api.list_user_followers(star)}
    res, _ = run_helper(lambda: hf_user_graph(username=star, limit=3))
    for row in res["items"]:
        assert set(row) == {"username", "fullname", "is_pro", "role", "type"}
        u = truth[row["username"]]
        assert (row["fullname"], row["is_pro"], row["role"], row["type"]) == (u.fullname, u.is_pro, None, "user")
    small, _ = run_helper(lambda: hf_user_graph(username=star, limit=3, fields=["username"]))
    assert [set(r) for r in small["items"]] == [{"username"}] * 3


def test_pro_only_and_where_filter_locally(run_helper, hf_api: HfApi, star: str) -> None:
    followers = list(hf_api.list_user_followers(star))
    pro = [u.username for u in followers if u.is_pro]
    res, _ = run_helper(lambda: hf_user_graph(username=star, pro_only=True, limit=100))
    assert [r["username"] for r in res["items"]] == pro and all(r["is_pro"] for r in res["items"])
    assert res["meta"]["exact_count"] is True and res["meta"]["total"] == len(pro) and res["meta"]["more_available"] is False

    with_a = [u.username for u in followers if "a" in u.username.lower()]
    res, _ = run_helper(lambda: hf_user_graph(username=star, where={"username": {"icontains": "A"}}, limit=2))
    assert [r["username"] for r in res["items"]] == with_a[:2]
    assert res["meta"]["more_available"] is (len(with_a) > 2) and res["meta"]["limit_boundary_hit"] is (len(with_a) > 2)

    # a filtered scan that stops at scan_limit cannot know whether the unread rows match
    part, _ = run_helper(lambda: hf_user_graph(username=star, where={"is_pro": False}, scan_limit=4, limit=100))
    assert [r["username"] for r in part["items"]] == [u.username for u in followers[:4] if not u.is_pro]
    meta = part["meta"]
    assert meta["scanned"] == 4 and meta["scan_limit_hit"] is True and meta["limit_boundary_hit"] is True
    assert meta["more_available"] == "unknown" and meta["truncated"] is True and meta["exact_count"] is False


def test_counts_come_from_the_overview_unless_filtered(run_helper, hf_api: HfApi, star: str) -> None:
    following = list(hf_api.list_user_following(star))
    res, run = run_helper(lambda: hf_user_graph(username=star, relation="following", count_only=True))
    meta = res["meta"]
    assert res["items"] == [] and meta["count"] == meta["total"] == len(following)
    assert meta["count_source"] == "overview" and meta["exact_count"] is True and meta["lower_bound"] is False
    assert [c.endpoint for c in run.trace] == [f"/api/users/{star}/overview"] and meta["budget_used"] == 1

    pro = [u for u in hf_api.list_user_followers(star) if u.is_pro]
    res, run = run_helper(lambda: hf_user_graph(username=star, count_only=True, pro_only=True))
    meta = res["meta"]
    assert meta["count"] == meta["total"] == len(pro) and meta["count_source"] == "scan" and meta["exact_count"] is True
    assert [c.endpoint for c in run.trace] == [f"/api/users/{star}/followers"]


def test_org_followers_and_org_errors(run_helper, replica: ReplicaServer, hf_api: HfApi) -> None:
    w = replica.world
    org = most(w, lambda g: len(replica_social.followers_of(w, g)), orgs(w))
    truth = [u.username for u in hf_api.list_organization_followers(org)]
    res, run = run_helper(lambda: hf_user_graph(username=org, limit=10))
    assert [r["username"] for r in res["items"]] == truth[:10] and res["meta"]["entity_type"] == "org"
    assert [c.status for c in run.trace] == [404, 200] and res["meta"]["budget_used"] == 2
    count, _ = run_helper(lambda: hf_user_graph(username=org, count_only=True))
    assert count["meta"]["count"] == len(truth) and count["meta"]["entity_type"] == "org"
    following, _ = run_helper(lambda: hf_user_graph(username=org, relation="following"))
    assert not following["ok"] and "organizations have no following list" in following["error"]
    missing, _ = run_helper(lambda: hf_user_graph(username="nobody-by-this-name"))
    assert not missing["ok"] and "no user or organization named 'nobody-by-this-name'" in missing["error"]


def test_current_user_needs_a_token(run_helper, hf_api: HfApi) -> None:
    me = HfApi(endpoint=hf_api.endpoint, token=JULIEN).whoami()["name"]
    res, run = run_helper(lambda: hf_user_graph(relation="following"), token=JULIEN)
    assert [r["username"] for r in res["items"]] == [u.username for u in hf_api.list_user_following(me)]
    assert [c.endpoint for c in run.trace] == ["/api/whoami-v2", f"/api/users/{me}/following"]
    assert res["meta"]["budget_used"] == 2 and res["meta"]["entity"] == me
    count, run = run_helper(lambda: hf_user_graph(count_only=True), token=JULIEN)
    assert count["meta"]["count"] == len(list(hf_api.list_user_followers(me)))
    assert [c.endpoint for c in run.trace] == ["/api/whoami-v2", f"/api/users/{me}/overview"]
    anon, run = run_helper(lambda: hf_user_graph())
    assert not anon["ok"] and "needs a Hub token" in anon["error"] and run.trace == []


def test_limits_clamp_and_bad_keys_fail_fast(run_helper, star: str) -> None:
    res, _ = run_helper(lambda: hf_user_graph(username=star, limit=20000, scan_limit=50000))
    meta = res["meta"]
    assert meta["hard_cap_applied"] is True and meta["applied_limit"] == 10000 and meta["requested_limit"] == 20000
    assert meta["scan_limit"] == 10000 and meta["requested_scan_limit"] == 50000
    bad, run = run_helper(lambda: hf_user_graph(username=star, fields=["login"]))
    assert not bad["ok"] and "unknown field 'login'" in bad["error"] and "username, fullname, is_pro, role, type" in bad["error"]
    assert run.trace == []
    bad, _ = run_helper(lambda: hf_user_graph(username=star, where={"followers": 3}))
    assert not bad["ok"] and "unknown where key 'followers'" in bad["error"] and "allowed: username" in bad["error"]
    bad, _ = run_helper(lambda: hf_user_graph(username=star, relation="friends"))
    assert not bad["ok"] and "allowed: followers, following" in bad["error"]
    bad, run = run_helper(lambda: hf_user_graph(username="a/b"))
    assert not bad["ok"] and "username must be" in bad["error"] and run.trace == []


def test_budget_exhaustion_is_an_error(run_helper, star: str) -> None:
    res, run = run_helper(lambda: hf_user_graph(), token=JULIEN, max_calls=1)
    assert not res["ok"] and "budget exhausted" in res["error"] and len(run.trace) == 1


def test_probe_never_costs_a_request() -> None:
    """At a page's end the scan stops once it has enough: the page's next link says whether more rows exist."""
    page = 500

    def source(n: int, fetched: list[int]):
        def pages():
            for start in range(0, n, page):
                fetched.append(start)
                yield [{"i": i} for i in range(start, min(n, start + page))], start + page >= n
        return pages

    def run(n: int, **kw: Any) -> tuple[Any, list[int]]:
        fetched: list[int] = []
        return scan(source(n, fetched), lambda r: r, lambda r: True, **kw), fetched

    result, fetched = run(1500, scan_limit=10_000, want=1000)
    assert result.exhausted is False and len(result.rows) == 1000 and fetched == [0, 500]
    plan = LimitPlan(1000, 1000, False, False)
    meta = scan_coverage(plan, LimitPlan(None, 10_000, True, False), result, returned=1000, filtered=False)
    assert meta["more_available"] is True and meta["truncated"] is True and meta["limit_boundary_hit"] is True
    assert meta["sample_complete"] is False and meta["exact_count"] is False and meta["total"] is None
    result, fetched = run(1000, scan_limit=10_000, want=1000)
    assert result.exhausted is True and len(result.rows) == 1000 and fetched == [0, 500], "the last page says so"
    meta = scan_coverage(plan, LimitPlan(None, 10_000, True, False), result, returned=1000, filtered=False)
    assert meta["exact_count"] is True and meta["total"] == 1000 and meta["more_available"] is False
    result, fetched = run(1500, scan_limit=10_000, want=999)
    assert result.exhausted is False and len(result.rows) == 1000 and fetched == [0, 500]
    result, fetched = run(1000, scan_limit=10_000, want=None)
    assert result.exhausted is True and result.scanned == 1000 and fetched == [0, 500]
    result, fetched = run(1500, scan_limit=1200, want=None)
    assert result.exhausted is False and result.scanned == 1200 and fetched == [0, 500, 1000]
    result, fetched = run(2500, scan_limit=2000, want=None)
    assert result.exhausted is False and result.scanned == 2000 and fetched == [0, 500, 1000, 1500]


# -- hf_org_members -----------------------------------------------------------------------------
def test_org_members_with_roles(run_helper, replica: ReplicaServer, hf_api: HfApi) -> None:
    w = replica.world
    org = most(w, lambda g: len(w.members.of("dst", g)), orgs(w))
    truth = [(u.username, u.role, u.is_pro) for u in hf_api.list_organization_members(org)]
    res, run = run_helper(lambda: hf_org_members(org, limit=10, fields=["username", "role", "is_pro"]))
    assert [(r["username"], r["role"], r["is_pro"]) for r in res["items"]] == truth[:10]
    assert res["meta"]["more_available"] is True and res["meta"]["limit_boundary_hit"] is True and len(run.trace) == 1
    whole, _ = run_helper(lambda: hf_org_members(org, limit=len(truth)))
    assert len(whole["items"]) == len(truth) and whole["meta"]["exact_count"] is True
    assert {r["type"] for r in whole["items"]} == {"user"}

    count, run = run_helper(lambda: hf_org_members(org, count_only=True))
    assert count["meta"]["count"] == len(truth) and count["meta"]["count_source"] == "overview"
    assert [c.endpoint for c in run.trace] == [f"/api/organizations/{org}/overview"]
    admins = [t for t in truth if t[1] == "admin"]
    count, run = run_helper(lambda: hf_org_members(org, count_only=True, where={"role": "admin"}))
    assert count["meta"]["count"] == len(admins) and count["meta"]["count_source"] == "scan"
    assert count["meta"]["exact_count"] is True and count["items"] == []
    missing, _ = run_helper(lambda: hf_org_members("no-such-org"))
    assert not missing["ok"] and "no organization named 'no-such-org'" in missing["error"]


# -- hf_repo_likers -----------------------------------------------------------------------------
def test_repo_likers(run_helper, replica: ReplicaServer, hf_api: HfApi) -> None:
    w = replica.world
    spaces = w.likes["space"].counts("dst", len(w.repos["space"]))
    space = w.repos["space"].ids[max(range(len(spaces)), key=lambda i: (10 <= spaces[i] <= 40, spaces[i]))]
    truth = [u.username for u in hf_api.list_repo_likers(space, repo_type="space")]
    res, run = run_helper(lambda: hf_repo_likers(space, "space", limit=5))
    assert [r["username"] for r in res["items"]] == truth[:5] and res["meta"]["more_available"] is True
    assert res["meta"]["budget_used"] == len(run.trace) == 1 and res["meta"]["scan_limit"] == 10000

    pro = [u for u in truth if hf_api.get_user_overview(u).is_pro]  # HfApi's likers rows carry no isPro
    res, _ = run_helper(lambda: hf_repo_likers(space, "space", pro_only=True))
    assert [r["username"] for r in res["items"]] == pro and res["meta"]["total"] == len(pro)
    count, _ = run_helper(lambda: hf_repo_likers(space, "space", count_only=True))
    assert count["meta"]["count"] == len(truth) and count["meta"]["exact_count"] is True
    capped, _ = run_helper(lambda: hf_repo_likers(space, "space", limit=50_000))
    assert capped["meta"]["hard_cap_applied"] is True and capped["meta"]["applied_limit"] == 10000

    missing, _ = run_helper(lambda: hf_repo_likers(space, "model"))
    assert not missing["ok"] and f"no model named {space!r}" in missing["error"]
    bad, run = run_helper(lambda: hf_repo_likers("a/b/c", "model"))
    assert not bad["ok"] and "not a valid repo id" in bad["error"] and run.trace == []


# -- hf_user_likes ------------------------------------------------------------------------------
def test_likes_recency_mode(run_helper, replica: ReplicaServer, hf_api: HfApi, fan: str) -> None:
    raw = raw_likes(replica, fan)
    liked = hf_api.list_liked_repos(fan)
    assert {r["repo"]["name"] for r in raw} == {*liked.models, *liked.datasets, *liked.spaces}
    res, run = run_helper(lambda: hf_user_likes(username=fan, limit=10))
    assert [(r["repo_id"], r["liked_at"]) for r in res["items"]] == [(x["repo"]["name"], x["createdAt"]) for x in raw[:10]]
    row = res["items"][0]
    assert row["repo_author"] == row["repo_id"].split("/")[0] and row["repo_likes"] is None
    assert row["repo_url"].endswith(row["repo_id"]) and row["repo_type"] in ("model", "dataset", "space")
    meta = res["meta"]
    assert meta["more_available"] is True and meta["limit_boundary_hit"] is True and meta["exact_count"] is False
    assert meta["budget_used"] == len(run.trace) == 1
    # the nulls are said to be unread, and how to read them, not left for the caller to guess at
    assert meta["enriched"] == 0 and "sort='repo_likes'" in meta["note"] and "repo_likes" in meta["note"]

    models, _ = run_helper(lambda: hf_user_likes(username=fan, repo_types=["model"], limit=2000))
    assert [r["repo_id"] for r in models["items"]] == [x["repo"]["name"] for x in raw if x["repo"]["type"] == "model"]
    assert set(r["repo_id"] for r in models["items"]) == set(liked.models)
    assert models["meta"]["exact_count"] is True and models["meta"]["more_available"] is False

    since = raw[20]["createdAt"]
    recent, _ = run_helper(lambda: hf_user_likes(username=fan, where={"liked_at": {"gte": since}}, fields=["repo_id"]))
    assert [r["repo_id"] for r in recent["items"]] == [x["repo"]["name"] for x in raw if x["createdAt"] >= since]
    bad, _ = run_helper(lambda: hf_user_likes(username=fan, where={"repo_likes": {"gte": 10}}))
    assert not bad["ok"] and "sort='repo_likes'" in bad["error"]


def test_likes_counts(run_helper, hf_api: HfApi, fan: str) -> None:
    liked = hf_api.list_liked_repos(fan)
    res, run = run_helper(lambda: hf_user_likes(username=fan, count_only=True))
    assert res["meta"]["count"] == liked.total and res["meta"]["count_source"] == "overview" and len(run.trace) == 1
    res, _ = run_helper(lambda: hf_user_likes(username=fan, count_only=True, repo_types=["dataset", "space"]))
    assert res["meta"]["count"] == len(liked.datasets) + len(liked.spaces) and res["meta"]["count_source"] == "scan"
    assert res["meta"]["exact_count"] is True and res["items"] == []


def test_likes_of_the_current_user(run_helper, hf_api: HfApi) -> None:
    liked = hf_api.list_liked_repos("julien-c")
    res, run = run_helper(lambda: hf_user_likes(), token=JULIEN)
    assert {r["repo_id"] for r in res["items"]} == {*liked.models, *liked.datasets, *liked.spaces}
    assert [c.endpoint for c in run.trace] == ["/api/whoami-v2", "/api/users/julien-c/likes"]
    anon, run = run_helper(lambda: hf_user_likes())
    assert not anon["ok"] and "needs a Hub token" in anon["error"] and run.trace == []
    missing, _ = run_helper(lambda: hf_user_likes(username="nobody-by-this-name"))
    assert not missing["ok"] and "no user named 'nobody-by-this-name'" in missing["error"]


def test_coverage_pattern_ranks_a_bounded_window(run_helper, replica: ReplicaServer, hf_api: HfApi, fan: str) -> None:
    """The seed's coverage pattern: a user with more likes than the window gets a partial ranking, said so."""

    async def script(max_calls: int = 100) -> dict[str, Any]:
        resp = await hf_user_likes(
            username=fan,
            sort="repo_likes",
            ranking_window=50,
            limit=20,
            fields=["repo_id", "repo_likes", "repo_url"],
        )
        return {"results": resp["items"], "coverage": resp["meta"]}

    result, run = run_helper(script)
    window = raw_likes(replica, fan)[:50]
    stats = [(x["repo"]["name"], repo_info(hf_api, x["repo"]["type"], x["repo"]["name"]).likes) for x in window]
    expected = sorted(stats, key=lambda s: s[1], reverse=True)[:20]
    assert [(r["repo_id"], r["repo_likes"]) for r in result["results"]] == expected
    cov = result["coverage"]
    assert cov["ranking_window"] == 50 and cov["ranking_window_hit"] is True and cov["ranking_complete"] is False
    assert cov["truncated"] is True and cov["more_available"] is True and cov["exact_count"] is False
    assert cov["enriched"] == 50 and cov["missing_repos"] == []
    assert cov["budget_used"] == len(run.trace) == 51, "one likes page, then one detail request per window entry"


def test_ranking_a_whole_small_history_is_complete(run_helper, replica: ReplicaServer, hf_api: HfApi, casual: str) -> None:
    raw = raw_likes(replica, casual)
    res, run = run_helper(lambda: hf_user_likes(username=casual, sort="repo_downloads", ranking_window=80, limit=20))
    infos = [repo_info(hf_api, x["repo"]["type"], x["repo"]["name"]) for x in raw]
    downloads = [getattr(i, "downloads", None) if x["repo"]["type"] != "space" else None for x, i in zip(raw, infos, strict=True)]
    assert sorted(r["repo_downloads"] or -1 for r in res["items"]) == sorted(d or -1 for d in downloads)
    ranked = [r["repo_downloads"] for r in res["items"] if r["repo_downloads"] is not None]
    assert ranked == sorted(ranked, reverse=True)
    meta = res["meta"]
    assert meta["ranking_complete"] is True and meta["ranking_window_hit"] is False and meta["exact_count"] is True
    assert meta["more_available"] is False and meta["total"] == len(raw)
    assert meta["ranking_window"] == 50 and meta["requested_ranking_window"] == 80 and meta["hard_cap_applied"] is True
    assert meta["budget_used"] == len(run.trace) == 1 + len(raw)


def test_a_vanished_liked_repo_is_reported_not_fatal(run_helper, fresh_replica: ReplicaServer, monkeypatch) -> None:
    w = fresh_replica.world
    victim = 0
    real = replica_social.likes_of

    def with_a_ghost(world: World, user: int) -> list:
        return [(world.now_ts, "model", victim), *real(world, user)]

    user = "julien-c"
    ghost = w.repos["model"].ids[victim]
    w.repos["model"].alive[victim] = False
    monkeypatch.setattr(replica_social, "likes_of", with_a_ghost)
    res, _ = run_helper(lambda: hf_user_likes(username=user, sort="repo_likes"), endpoint=fresh_replica.url)
    assert res["ok"] and ghost not in {r["repo_id"] for r in res["items"]}
    assert res["meta"]["missing_repos"] == [ghost] and res["meta"]["ranking_complete"] is False
    assert res["meta"]["enriched"] == len(res["items"])


def test_ranking_over_budget_fails_cleanly(run_helper, fan: str) -> None:
    res, run = run_helper(lambda: hf_user_likes(username=fan, sort="repo_likes"), max_calls=10)
    assert not res["ok"] and "budget exhausted" in res["error"] and len(run.trace) == 10


# -- hf_whoami ----------------------------------------------------------------------------------
def test_whoami(run_helper, hf_api: HfApi) -> None:
    me = HfApi(endpoint=hf_api.endpoint, token=JULIEN).whoami()
    res, run = run_helper(hf_whoami, token=JULIEN)
    assert res["item"] == {"username": me["name"], "fullname": me["fullname"], "is_pro": me["isPro"]}
    assert res["meta"]["budget_used"] == len(run.trace) == 1
    anon, run = run_helper(hf_whoami)
    assert not anon["ok"] and "needs a Hub token" in anon["error"] and run.trace == []
    bad, _ = run_helper(hf_whoami, token="hf_replica_nobody-at-all")
    assert not bad["ok"] and "401" in bad["error"]


def test_the_process_tokens_user_is_remembered_across_runs_and_a_callers_is_not(replica: ReplicaServer) -> None:
    """The server's own HF_TOKEN user is asked once per whoami_cache_seconds (the seed's runtime asks once
    per process); a caller's token is asked on every run, since nothing of it may outlive its run."""
    import asyncio

    from hubsight.hub.session import Run, use_run
    from hubsight.settings import get_settings

    def whoami(token: str | None, **settings: Any) -> tuple[dict[str, Any], Run]:
        conf = get_settings(hf_endpoint=replica.url, **settings)
        run = Run(max_calls=5, token=token, settings=conf)

        async def go() -> dict[str, Any]:
            with use_run(run):
                return await hf_whoami()

        return asyncio.run(go()), run

    process = {"hf_token": JULIEN, "whoami_cache_seconds": 60}
    first, run = whoami(None, **process)
    assert first["ok"] and [c.endpoint for c in run.trace] == ["/api/whoami-v2"]
    again, run = whoami(None, **process)
    assert again["item"] == first["item"] and run.trace == [] and again["meta"]["budget_used"] == 0
    assert again["meta"]["cached"] is True and "cached" not in first["meta"]
    for _ in range(2):  # the same token as a caller's: asked each time
        res, run = whoami(JULIEN, hf_token="", whoami_cache_seconds=60)
        assert res["item"] == first["item"] and [c.endpoint for c in run.trace] == ["/api/whoami-v2"]
    off, run = whoami(None, hf_token=JULIEN, whoami_cache_seconds=0)
    assert off["item"] == first["item"] and [c.endpoint for c in run.trace] == ["/api/whoami-v2"]


# -- the seed prompt's patterns, run as plain async Python ----------------------------------------
async def follower_likes_aggregation(max_calls: int) -> dict[str, Any]:
    followers_resp = await hf_user_graph(relation="followers", limit=100, fields=["username"])
    followers = followers_resp.get("items") or []
    results = []
    for follower in followers:
        username = follower.get("username")
        if not username:
            continue
        likes_resp = await hf_user_likes(username=username, repo_types=["model"], limit=20, fields=["repo_id", "liked_at"])
        results.append({"follower": username, "liked_models": likes_resp.get("items") or []})
    return {"results": results, "coverage": {"followers": followers_resp.get("meta") or {}}}


async def pro_follower_model_likes(max_calls: int) -> dict[str, Any]:
    followers_resp = await hf_user_graph(relation="followers", pro_only=True, limit=100, fields=["username"])
    followers = followers_resp.get("items") or []
    remaining_calls = max(0, max_calls - 1)
    results = {}
    meta = followers_resp.get("meta") or {}
    partial = meta.get("limit_boundary_hit") or meta.get("more_available") not in {False, None}
    processed_followers = 0
    for follower in followers:
        if remaining_calls <= 0:
            partial = True
            break
        username = follower.get("username")
        if not username:
            continue
        likes_resp = await hf_user_likes(username=username, repo_types=["model"], limit=2,
                                         fields=["repo_id", "repo_author", "liked_at"])
        remaining_calls -= 1
        likes_meta = likes_resp.get("meta") or {}
        if likes_meta.get("limit_boundary_hit") or likes_meta.get("more_available") not in {False, None}:
            partial = True
        items = likes_resp.get("items") or []
        if items:
            results[username] = items
        processed_followers += 1
    return {"results": results, "coverage": {"followers": meta, "processed_followers": processed_followers,
                                             "partial": partial}}


def test_follower_likes_aggregation_pattern(run_helper, replica: ReplicaServer, hf_api: HfApi, star: str) -> None:
    result, run = run_helper(lambda: follower_likes_aggregation(100), token=f"hf_replica_{star}", max_calls=100)
    followers = [u.username for u in hf_api.list_user_followers(star)]
    assert [r["follower"] for r in result["results"]] == followers
    assert result["coverage"]["followers"]["sample_complete"] is True
    for entry in result["results"]:
        models = [x for x in raw_likes(replica, entry["follower"]) if x["repo"]["type"] == "model"][:20]
        assert entry["liked_models"] == [{"repo_id": x["repo"]["name"], "liked_at": x["createdAt"]} for x in models]
    assert any(entry["liked_models"] for entry in result["results"])
    assert len(run.trace) == 2 + len(followers)


@pytest.mark.parametrize("token", [JULIEN, "star"])
def test_current_user_pro_follower_model_likes_pattern(run_helper, replica: ReplicaServer, hf_api: HfApi,
                                                       pro_star: str, token: str) -> None:
    token = f"hf_replica_{pro_star}" if token == "star" else token
    me = HfApi(endpoint=replica.url, token=token).whoami()["name"]
    result, _ = run_helper(lambda: pro_follower_model_likes(100), token=token)
    pro = [u.username for u in hf_api.list_user_followers(me) if u.is_pro]
    expected = {}
    for name in pro:
        models = [x for x in raw_likes(replica, name) if x["repo"]["type"] == "model"]
        if models:
            expected[name] = [{"repo_id": x["repo"]["name"], "repo_author": x["repo"]["name"].split("/")[0],
                               "liked_at": x["createdAt"]} for x in models[:2]]
    assert expected or token == JULIEN, "the star's pro followers like models"
    assert result["results"] == expected and result["coverage"]["processed_followers"] == len(pro)
    assert result["coverage"]["followers"]["exact_count"] is True


def test_the_token_user_is_asked_once_per_run(run_helper) -> None:
    async def two_current_user_calls() -> dict:
        await hf_user_graph(relation="followers", limit=5)
        return await hf_user_likes(limit=5)

    res, run = run_helper(two_current_user_calls, token="hf_replica_julien-c")
    assert res["ok"]
    assert [c.endpoint for c in run.trace].count("/api/whoami-v2") == 1
