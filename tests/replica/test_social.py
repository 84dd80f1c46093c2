"""Users, organisations, follows, likes, whoami, trending and recent activity, through the real client."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import get_session

from hubsight.replica import community, vocab
from hubsight.replica.render import iso
from hubsight.replica.world import KINDS, ROLES, World


# -- ground truth, straight from the world's columns --------------------------------------------
def followers(w: World, owner: int) -> list[str]:
    return [w.owners.names[u] for u in w.follows.src[w.follows.of("dst", owner)]]


def following(w: World, user: int) -> list[str]:
    return [w.owners.names[o] for o in w.follows.dst[w.follows.of("src", user)]]


def liked(w: World, user: int) -> dict[str, set[str]]:
    out = {}
    for kind in KINDS:
        repos = w.likes[kind].dst[w.likes[kind].src == user]
        out[kind] = {w.repos[kind].ids[r] for r in repos if w.repos[kind].alive[r]}
    return out


def orgs_of(w: World, user: int) -> dict[str, str]:
    sel = w.members.src == user
    return {w.owners.names[g]: ROLES[r] for g, r in zip(w.members.dst[sel], w.members.extra[sel], strict=True)}


def members_of(w: World, org: int) -> dict[str, str]:
    sel = w.members.dst == org
    return {w.owners.names[u]: ROLES[r] for u, r in zip(w.members.src[sel], w.members.extra[sel], strict=True)}


def most(w: World, counts: np.ndarray, users_only: bool = True) -> int:
    return int(np.argmax(counts[: w.owners.n_users] if users_only else counts))


def like_counts(w: World) -> np.ndarray:
    return sum(np.bincount(w.likes[k].src, minlength=w.owners.n_users) for k in KINDS)


def walk_links(url: str, params: dict) -> tuple[list, int]:
    """Every row of a Link-paginated list and the number of pages it took."""
    rows, pages = [], 0
    r = get_session().get(url, params=params)
    while True:
        r.raise_for_status()
        rows += r.json()
        pages += 1
        nxt = r.links.get("next", {}).get("url")
        if not nxt:
            return rows, pages
        r = get_session().get(nxt)


def test_user_overview_counts_equal_the_lists(hf_api, replica) -> None:
    w = replica.world
    o = w.owners
    famous = most(w, np.bincount(w.follows.dst, minlength=len(o.names)))
    for u in {o.index["julien-c"], famous, most(w, like_counts(w))}:
        name = o.names[u]
        user = hf_api.get_user_overview(name)
        counts = w.owner_repo_counts(u)
        assert (user.username, user.fullname, user.user_type) == (name, o.fullnames[u], "user")
        assert user.is_pro == bool(o.is_pro[u])
        assert (user.num_models, user.num_datasets, user.num_spaces) == (counts["model"], counts["dataset"], counts["space"])
        follower_names = [f.username for f in hf_api.list_user_followers(name)]
        assert sorted(follower_names) == sorted(followers(w, u))
        assert user.num_followers == len(follower_names)
        followed = [f.username for f in hf_api.list_user_following(name)]
        assert sorted(followed) == sorted(following(w, u))
        assert user.num_following == len(followed)
        likes = hf_api.list_liked_repos(name)
        assert user.num_likes == likes.total == sum(map(len, liked(w, u).values()))
        assert {org.name for org in user.orgs} == set(orgs_of(w, u))
        opened = sum(
            int(np.count_nonzero((d.author == u) & w.repos[k].alive[d.repo]))
            for k, d in ((k, community.discussions(w, k)) for k in KINDS)
        )
        assert user.num_discussions == opened
        assert datetime.fromisoformat(user.createdAt.replace("Z", "+00:00")) <= datetime.fromtimestamp(w.now_ts, UTC)


def test_some_users_show_social_handles_and_bios(hf_api, replica) -> None:
    names = replica.world.owners.names[:60]
    users = [hf_api.get_user_overview(n) for n in names]
    with_github = [u for u in users if getattr(u, "githubUsername", None)]
    assert 0 < len(with_github) < len(users)
    assert all(u.githubUsername == u.username.lower().replace("_", "-") for u in with_github)
    assert any(u.details for u in users) and not all(u.details for u in users)


def test_unknown_names_are_404(hf_api, replica) -> None:
    for call, name in (
        (hf_api.get_user_overview, "nobody-by-this-name"),
        (hf_api.get_user_overview, "Qwen"),  # an org is not a user
        (hf_api.get_organization_overview, "julien-c"),  # nor a user an org
        (hf_api.get_organization_overview, "no-such-org"),
    ):
        with pytest.raises(HfHubHTTPError) as err:
            call(name)
        assert err.value.response.status_code == 404
    with pytest.raises(HfHubHTTPError) as err:
        list(hf_api.list_user_followers("nobody-by-this-name"))
    assert err.value.response.status_code == 404


def test_organization_overview_members_and_followers(hf_api, replica) -> None:
    w = replica.world
    for name in ("huggingface", "Qwen"):
        g = w.owners.index[name]
        org = hf_api.get_organization_overview(name)
        counts = w.owner_repo_counts(g)
        members = {m.username: m.role for m in hf_api.list_organization_members(name)}
        assert members == members_of(w, g)
        assert set(members.values()) <= set(ROLES)
        assert org.num_users == len(members)
        assert (org.num_models, org.num_datasets, org.num_spaces) == (counts["model"], counts["dataset"], counts["space"])
        fans = [f.username for f in hf_api.list_organization_followers(name)]
        assert sorted(fans) == sorted(followers(w, g)) and org.num_followers == len(fans)
        assert org.is_verified is True and org.plan in ("team", "enterprise")
        assert org.details and org.avatar_url.startswith("https://")
    assert set(vocab.KNOWN_USERS) <= set(members_of(w, w.owners.index["huggingface"]))


def test_following_lists_orgs_as_orgs(hf_api, replica) -> None:
    w = replica.world
    o = w.owners
    fan = next(int(u) for u, d in zip(w.follows.src, w.follows.dst, strict=True) if o.is_org(int(d)))
    rows = list(hf_api.list_user_following(o.names[fan]))
    kinds = {r.username: r.user_type for r in rows}
    assert kinds == {o.names[d]: ("org" if o.is_org(d) else "user") for d in w.follows.dst[w.follows.src == fan]}
    assert "org" in kinds.values()


def test_lists_page_with_link_headers_and_limit(replica) -> None:
    w = replica.world
    star = most(w, np.bincount(w.follows.dst, minlength=len(w.owners.names)), users_only=False)
    name = w.owners.names[star]
    base = "organizations" if w.owners.is_org(star) else "users"
    rows, pages = walk_links(f"{replica.url}/api/{base}/{name}/followers", {"limit": 7})
    assert len(rows) == len(followers(w, star)) > 7
    assert pages == -(-len(rows) // 7)
    assert [r["user"] for r in rows] == followers(w, star)  # newest first, as the edges say
    assert {"user", "fullname", "avatarUrl", "type", "isPro"} <= set(rows[0])


def test_liked_repos_match_like_edges_newest_first(hf_api, replica) -> None:
    w = replica.world
    u = most(w, like_counts(w))
    name = w.owners.names[u]
    likes = hf_api.list_liked_repos(name)
    truth = liked(w, u)
    assert (set(likes.models), set(likes.datasets), set(likes.spaces)) == (truth["model"], truth["dataset"], truth["space"])
    rows, pages = walk_links(f"{replica.url}/api/users/{name}/likes", {"limit": 10})
    assert pages > 1 and len(rows) == likes.total
    times = [r["createdAt"] for r in rows]
    assert times == sorted(times, reverse=True) and all(t.endswith(".000Z") for t in times)
    first = rows[0]
    kind = first["repo"]["type"]
    i = w.repos[kind].find(first["repo"]["name"])
    edge = np.flatnonzero((w.likes[kind].src == u) & (w.likes[kind].dst == i))[0]
    assert first["createdAt"] == iso(w.likes[kind].ts[edge])


def test_liked_repos_of_the_token_owner(replica, hf_api, user_token) -> None:
    mine = HfApi(endpoint=replica.url, token=user_token).list_liked_repos()
    assert mine.user == "julien-c"
    assert mine.models == hf_api.list_liked_repos("julien-c").models


def test_whoami_with_and_without_a_token(replica, hf_api, user_token) -> None:
    w = replica.world
    me = HfApi(endpoint=replica.url).whoami(token=user_token)
    assert (me["type"], me["name"]) == ("user", "julien-c")
    assert {o["name"]: o["roleInOrg"] for o in me["orgs"]} == orgs_of(w, w.owners.index["julien-c"])
    assert all(o["type"] == "org" for o in me["orgs"])
    assert me["auth"]["type"] == "access_token" and me["auth"]["accessToken"]["role"] == "read"
    assert me["isPro"] is True and me["avatarUrl"].startswith("https://")
    with pytest.raises(ValueError):
        hf_api.whoami()  # token=False: the client refuses before sending
    with pytest.raises(HfHubHTTPError, match="Invalid user token") as err:
        HfApi(endpoint=replica.url).whoami(token="hf_replica_nobody-by-this-name")
    assert err.value.response.status_code == 401
    bare = get_session().get(f"{replica.url}/api/whoami-v2")
    assert bare.status_code == 401 and "error" in bare.json()


def trending_truth(w: World, kind: str, n: int) -> list[str]:
    t = w.repos[kind]
    live = np.flatnonzero(t.alive)
    return [t.ids[i] for i in live[np.lexsort((live, -t.likes[live], -t.trending[live]))][:n]]


def test_trending_follows_the_world_trending_column(replica) -> None:
    w = replica.world
    for kind in KINDS:
        r = get_session().get(f"{replica.url}/api/trending", params={"type": kind, "limit": 20})
        r.raise_for_status()
        rows = r.json()["recentlyTrending"]
        assert [x["repoData"]["id"] for x in rows] == trending_truth(w, kind, 20)
        assert {x["repoType"] for x in rows} == {kind}
        for x in rows:
            data, i = x["repoData"], w.repos[kind].find(x["repoData"]["id"])
            assert data["likes"] == int(w.repos[kind].likes[i]) and data["author"] == data["id"].split("/")[0]
            assert data["lastModified"].endswith("Z")
            assert ("downloads" in data) == (kind != "space")
            if kind == "model" and w.repos[kind].params[i]:
                assert data["numParameters"] == int(w.repos[kind].params[i])
            if kind == "space":
                assert data["runtime"]["stage"] and data["sdk"]
    mixed = get_session().get(f"{replica.url}/api/trending", params={"type": "all", "limit": 12}).json()["recentlyTrending"]
    scores = [x["repoData"]["trendingScore"] for x in mixed]
    best = sorted((int(t) for k in KINDS for t in w.repos[k].trending[w.repos[k].alive]), reverse=True)[:12]
    assert len(mixed) == 12 and scores == best
    assert get_session().get(f"{replica.url}/api/trending", params={"limit": 21}).status_code == 400


def activity(replica, **params) -> list[dict]:
    """Every event of a feed, following the cursor the body carries."""
    events, cursor = [], None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        r = get_session().get(f"{replica.url}/api/recent-activity", params=query)
        r.raise_for_status()
        body = r.json()
        assert len(body["recentActivity"]) <= params.get("limit", 20)
        events += body["recentActivity"]
        cursor = body["cursor"]
        if cursor is None:
            return events


def test_recent_activity_of_a_user_is_complete_and_newest_first(replica) -> None:
    w = replica.world
    u = w.owners.index["julien-c"]
    events = activity(replica, feedType="user", entity="julien-c", limit=3)
    times = [e["time"] for e in events]
    assert times == sorted(times, reverse=True) and max(times) <= iso(w.now_ts)
    got = {(e["type"], e["repoType"], e["repoId"], e["time"]) for e in events}
    assert len(got) == len(events)
    truth = set()
    for kind in KINDS:
        t = w.repos[kind]
        pos = w.likes[kind].of("src", u)
        truth |= {("like", kind, t.ids[r], iso(ts)) for r, ts in zip(w.likes[kind].dst[pos], w.likes[kind].ts[pos], strict=True) if t.alive[r]}
        for i in np.flatnonzero((t.author == u) & t.alive):
            truth.add(("publish", kind, t.ids[i], iso(t.created[i])))
            if t.modified[i] > t.created[i] + 3600:
                truth.add(("update", kind, t.ids[i], iso(t.modified[i])))
        d = community.discussions(w, kind)
        truth |= {("discussion", kind, t.ids[d.repo[k]], iso(d.created[k])) for k in np.flatnonzero(d.author == u) if t.alive[d.repo[k]]}
    assert got == truth
    assert all(e["user"] == "julien-c" and e["repoData"]["id"] == e["repoId"] for e in events)
    likes = activity(replica, feedType="user", entity="julien-c", activityType="like", limit=50)
    assert {e["type"] for e in likes} == {"like"} and len(likes) == sum(map(len, liked(w, u).values()))


def test_recent_activity_of_an_org_and_errors(replica) -> None:
    w = replica.world
    g = w.owners.index["Qwen"]
    events = activity(replica, feedType="org", entity="Qwen", activityType="publish,update", limit=100)
    published = [e for e in events if e["type"] == "publish"]
    assert len(published) == sum(w.owner_repo_counts(g).values())
    assert {e["type"] for e in events} == {"publish", "update"}
    assert all(e["repoId"].split("/")[0] == "Qwen" for e in events)
    url = f"{replica.url}/api/recent-activity"
    assert get_session().get(url, params={"feedType": "user", "entity": "nobody-by-this-name"}).status_code == 404
    assert get_session().get(url, params={"feedType": "user", "entity": "julien-c", "activityType": "dance"}).status_code == 400


def alive_like_counts(w: World) -> np.ndarray:
    return sum(np.bincount(w.likes[k].src[w.repos[k].alive[w.likes[k].dst]], minlength=w.owners.n_users) for k in KINDS)


def test_advancing_the_clock_moves_likes_and_counts_together(fresh_replica) -> None:
    w = fresh_replica.world
    api = HfApi(endpoint=fresh_replica.url, token=False)
    before = alive_like_counts(w)
    top_before = trending_truth(w, "model", 5)
    fresh_replica.world.advance(3)
    after = alive_like_counts(w)
    for u in (int(np.argmax(after - before)), w.owners.index["julien-c"]):
        name = w.owners.names[u]
        user = api.get_user_overview(name)
        assert user.num_likes == api.list_liked_repos(name).total == after[u]
        assert user.num_following == len(list(api.list_user_following(name)))
    assert (after - before).max() > 0
    for name in ("Qwen", "huggingface"):
        g = w.owners.index[name]
        counts = w.owner_repo_counts(g)
        org = api.get_organization_overview(name)
        assert (org.num_models, org.num_datasets, org.num_spaces) == (counts["model"], counts["dataset"], counts["space"])
    trending = get_session().get(f"{fresh_replica.url}/api/trending", params={"type": "model"}).json()["recentlyTrending"]
    assert [x["repoData"]["id"] for x in trending] == trending_truth(w, "model", 20)
    assert [x["repoData"]["id"] for x in trending[:5]] != top_before
