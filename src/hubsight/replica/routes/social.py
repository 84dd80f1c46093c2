"""People and what they do: users, organisations, follows, likes, whoami, trending, recent activity."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hubsight.replica import community
from hubsight.replica.listing import PAGE_MAX, QueryError, decode_cursor
from hubsight.replica.render import iso
from hubsight.replica.routes.repos import actor
from hubsight.replica.state import bearer, hub_error, int_param, json, listing_page, state_of
from hubsight.replica.world import KINDS, ROLES, World

TRENDING_MAX = 20
PEOPLE_PAGE = 500
"""Rows per page of followers, following and members lists: the Hub pages them at 500 (huggingface_hub
follows their Link pages since huggingface/huggingface_hub#2506, for profiles past 500 followers)."""
ACTIVITY_MAX = 100


# -- lookups and paging ------------------------------------------------------------------------
def _user(w: World, name: str) -> int | None:
    i = w.owners.find(name)
    return i if i is not None and not w.owners.is_org(i) else None


def _org(w: World, name: str) -> int | None:
    i = w.owners.find(name)
    return i if i is not None and w.owners.is_org(i) else None


def _user_missing(name: str) -> Response:
    return hub_error(404, f"User {name} not found")


def _org_missing(name: str) -> Response:
    return hub_error(404, f"Organization {name} not found")


def _page_bounds(request: Request, page_max: int = PAGE_MAX) -> tuple[int, int]:
    """(offset, page size) from ``cursor`` and ``limit``; the Hub caps pages at ``page_max``."""
    offset = decode_cursor(request.query_params["cursor"]) if "cursor" in request.query_params else 0
    raw = request.query_params.get("limit")
    try:
        page = min(page_max, int(raw)) if raw else page_max
    except ValueError:
        raise QueryError(f"limit must be an integer, got {raw!r}") from None
    if page < 1:
        raise QueryError("limit must be a positive integer")
    return offset, page


def _paged(request: Request, lookup: Callable[[World], int | None], missing: Response, rows: Callable[[World, int], list],
           page_max: int = PAGE_MAX) -> Response:
    """A Link-paginated list: ``rows(w, owner)`` gives every row, newest first."""
    state = state_of(request)
    try:
        offset, page = _page_bounds(request, page_max)
    except QueryError as exc:
        return hub_error(400, str(exc))
    with state.lock:
        w = state.world
        i = lookup(w)
        if i is None:
            return missing
        everything = rows(w, i)
        body = [row() if callable(row) else row for row in everything[offset : offset + page]]
    return listing_page(request, body, offset + page, len(everything))


# -- ground truth shared by the lists and the overviews ----------------------------------------
def followers_of(w: World, owner: int) -> np.ndarray:
    return w.follows.src[w.follows.of("dst", owner)]


def following_of(w: World, user: int) -> np.ndarray:
    return w.follows.dst[w.follows.of("src", user)]


def likes_of(w: World, user: int) -> list[tuple[int, str, int]]:
    """(time, kind, repo) of every like on a repo that still exists, newest first."""
    rows: list[tuple[int, int, int]] = []
    for code, kind in enumerate(KINDS):
        edges = w.likes[kind]
        pos = edges.of("src", user)
        repos = edges.dst[pos]
        live = w.repos[kind].alive[repos]
        rows += [(ts, code, r) for ts, r in zip(edges.ts[pos][live].tolist(), repos[live].tolist(), strict=True)]
    rows.sort(key=lambda e: (-e[0], e[1], -e[2]))
    return [(ts, KINDS[code], r) for ts, code, r in rows]


def _org_brief(w: World, org: int) -> dict[str, Any]:
    return {
        "_id": community.object_id(w, "0", org),
        "name": w.owners.names[org],
        "fullname": w.owners.fullnames[org],
        "avatarUrl": community.avatar(w, org),
        "isEnterprise": community.org_profile(w, org)["isEnterprise"],
    }


def user_overview(w: World, u: int) -> dict[str, Any]:
    o = w.owners
    counts = w.owner_repo_counts(u)
    cols = community.collections(w)
    orgs = w.members.dst[w.members.of("src", u)]
    return {
        "_id": community.object_id(w, "0", u),
        "user": o.names[u],
        "fullname": o.fullnames[u],
        "avatarUrl": community.avatar(w, u),
        "isPro": bool(o.is_pro[u]),
        "type": "user",
        "isFollowing": False,
        "createdAt": iso(o.created[u]),
        **community.user_profile(w, u),
        "numModels": counts["model"],
        "numDatasets": counts["dataset"],
        "numSpaces": counts["space"],
        "numDiscussions": int(community.discussion_counts(w)[u]),
        "numPapers": community.num_papers(w, u),
        "numUpvotes": int(cols.upvotes[cols.owner == u].sum()),
        "numLikes": len(likes_of(w, u)),
        "numFollowers": len(followers_of(w, u)),
        "numFollowing": len(following_of(w, u)),
        "orgs": [_org_brief(w, int(g)) for g in orgs],
    }


def org_overview(w: World, org: int) -> dict[str, Any]:
    o = w.owners
    counts = w.owner_repo_counts(org)
    return {
        "_id": community.object_id(w, "0", org),
        "name": o.names[org],
        "fullname": o.fullnames[org],
        "avatarUrl": community.avatar(w, org),
        "type": "org",
        "isFollowing": False,
        **community.org_profile(w, org),
        "numUsers": len(w.members.of("dst", org)),
        "numModels": counts["model"],
        "numSpaces": counts["space"],
        "numDatasets": counts["dataset"],
        "numFollowers": len(followers_of(w, org)),
        "numPapers": community.num_papers(w, org),
    }


# -- routes ------------------------------------------------------------------------------------
def _overview(param: str, find: Callable[[World, str], int | None], missing: Callable[[str], Response],
              render: Callable[[World, int], dict[str, Any]]) -> Callable[[Request], Awaitable[Response]]:
    """The ``/overview`` route of a user or an organisation: ``render`` the one named, else ``missing``."""

    async def route(request: Request) -> Response:
        state = state_of(request)
        name = request.path_params[param]
        with state.lock:
            owner = find(state.world, name)
            if owner is None:
                return missing(name)
            body = render(state.world, owner)
        return json(body)

    return route


get_user_overview = _overview("user", _user, _user_missing, user_overview)
get_org_overview = _overview("org", _org, _org_missing, org_overview)


def _actors(ids: np.ndarray, w: World) -> list:
    return [lambda u=int(u): actor(w, u) for u in ids]


async def user_followers(request: Request) -> Response:
    name = request.path_params["user"]
    return _paged(request, lambda w: _user(w, name), _user_missing(name), lambda w, u: _actors(followers_of(w, u), w), PEOPLE_PAGE)


async def user_following(request: Request) -> Response:
    name = request.path_params["user"]
    return _paged(request, lambda w: _user(w, name), _user_missing(name), lambda w, u: _actors(following_of(w, u), w), PEOPLE_PAGE)


async def org_followers(request: Request) -> Response:
    name = request.path_params["org"]
    return _paged(request, lambda w: _org(w, name), _org_missing(name), lambda w, g: _actors(followers_of(w, g), w), PEOPLE_PAGE)


async def org_members(request: Request) -> Response:
    name = request.path_params["org"]

    def rows(w: World, org: int) -> list:
        pos = w.members.of("dst", org)
        return [
            lambda u=int(u), r=int(r): {**actor(w, u), "role": ROLES[r]}
            for u, r in zip(w.members.src[pos], w.members.extra[pos], strict=True)
        ]

    return _paged(request, lambda w: _org(w, name), _org_missing(name), rows, PEOPLE_PAGE)


async def user_likes(request: Request) -> Response:
    name = request.path_params["user"]

    def rows(w: World, u: int) -> list:
        return [
            lambda ts=ts, kind=kind, r=r: {"createdAt": iso(ts), "repo": {"name": w.repos[kind].ids[r], "type": kind}}
            for ts, kind, r in likes_of(w, u)
        ]

    return _paged(request, lambda w: _user(w, name), _user_missing(name), rows)


async def whoami(request: Request) -> Response:
    state = state_of(request)
    with state.lock:
        w = state.world
        u = w.token_user(bearer(request))
        if u is None:
            return hub_error(401, "Invalid credentials in Authorization header")
        o = w.owners
        pos = w.members.of("src", u)
        orgs = []
        for g, role in zip(w.members.dst[pos], w.members.extra[pos], strict=True):
            g = int(g)
            profile = community.org_profile(w, g)
            orgs.append({
                "type": "org",
                "id": community.object_id(w, "0", g),
                "name": o.names[g],
                "fullname": o.fullnames[g],
                "email": None,
                "canPay": profile["plan"] is not None,
                "periodEnd": None,
                "avatarUrl": community.avatar(w, g),
                "roleInOrg": ROLES[int(role)],
                "isEnterprise": profile["isEnterprise"],
                "plan": profile["plan"],
            })
        body = {
            "type": "user",
            "id": community.object_id(w, "0", u),
            "name": o.names[u],
            "fullname": o.fullnames[u],
            "email": f"{o.names[u].lower()}@users.replica.invalid",
            "emailVerified": True,
            "canPay": bool(o.is_pro[u]),
            "periodEnd": None,
            "isPro": bool(o.is_pro[u]),
            "avatarUrl": community.avatar(w, u),
            "billingMode": "postpaid",
            "orgs": orgs,
            "auth": {
                "type": "access_token",
                "accessToken": {"displayName": "hubsight-replica", "role": "read", "createdAt": iso(o.created[u])},
            },
        }
    return json(body)


def trending(w: World, kind: str, limit: int) -> list[tuple[str, int]]:
    """The ``limit`` live repos with the most likes gained in 7 days (ties: more likes, then older)."""
    kinds = KINDS if kind == "all" else (kind,)
    picks: list[tuple[int, int, int, str, int]] = []
    for code, k in enumerate(kinds):
        t = w.repos[k]
        live = np.flatnonzero(t.alive)
        order = live[np.lexsort((live, -t.likes[live], -t.trending[live]))][:limit]
        picks += [(-int(t.trending[i]), -int(t.likes[i]), code, k, int(i)) for i in order]
    picks.sort(key=lambda p: (p[0], p[1], p[2], p[4]))
    return [(k, i) for *_, k, i in picks[:limit]]


async def get_trending(request: Request) -> Response:
    state = state_of(request)
    kind = request.query_params.get("type") or "all"
    if kind not in (*KINDS, "all"):
        return hub_error(400, f"type must be one of model, dataset, space, all; got {kind!r}")
    try:
        limit = int_param(request, "limit", TRENDING_MAX, lo=1, hi=TRENDING_MAX)
    except ValueError as exc:
        return hub_error(400, str(exc))
    with state.lock:
        w = state.world
        body = [{"repoType": k, "repoData": community.repo_card(w, k, i)} for k, i in trending(w, kind, limit)]
    return json({"recentlyTrending": body})


def _encode_feed_cursor(time: int, key: int) -> str:
    return base64.urlsafe_b64encode(f"a:{time}:{key}".encode()).decode().rstrip("=")


def _decode_feed_cursor(cursor: str) -> tuple[int, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        tag, time, key = raw.split(":")
        if tag != "a":
            raise ValueError
        return int(time), int(key)
    except ValueError:
        raise QueryError(f"invalid cursor {cursor!r}") from None


def activity_types(request: Request) -> set[str]:
    raw = [v for key in ("activityType", "activityType[]") for item in request.query_params.getlist(key) for v in item.split(",")]
    wanted = {v.strip() for v in raw if v.strip()}
    if not wanted or "all" in wanted:
        return set(community.ACTIVITY_TYPES)
    bad = sorted(wanted - set(community.ACTIVITY_TYPES))
    if bad:
        raise QueryError(f"activityType must be among all, {', '.join(community.ACTIVITY_TYPES)}; got {bad[0]!r}")
    return wanted


async def recent_activity(request: Request) -> Response:
    """A feed paged by a keyset cursor in the body: new events never shift the pages."""
    state = state_of(request)
    q = request.query_params
    entity_name = q.get("entity") or ""
    feed_type = q.get("feedType") or ""
    try:
        if not entity_name:
            raise QueryError("entity is required")
        if feed_type not in ("", "user", "org"):
            raise QueryError(f"feedType must be user or org, got {feed_type!r}")
        types = activity_types(request)
        limit = min(ACTIVITY_MAX, int_param(request, "limit", 20, lo=1))  # larger asks get full pages
        after = _decode_feed_cursor(q["cursor"]) if q.get("cursor") else None
    except ValueError as exc:
        return hub_error(400, str(exc))
    with state.lock:
        w = state.world
        entity = _org(w, entity_name) if feed_type == "org" else _user(w, entity_name) if feed_type == "user" else w.owners.find(entity_name)
        if entity is None:
            return _org_missing(entity_name) if feed_type == "org" else _user_missing(entity_name)
        f = community.feed(w, entity, types)
        start = 0
        if after is not None:
            t, k = after
            older = (f.time < t) | ((f.time == t) & (f.key < k))
            start = int(np.argmax(older)) if older.any() else len(f)
        chunk = range(start, min(len(f), start + limit))
        events = [community.feed_event(w, entity, int(f.time[j]), int(f.key[j])) for j in chunk]
        cursor = None
        if chunk and chunk.stop < len(f):
            cursor = _encode_feed_cursor(int(f.time[chunk.stop - 1]), int(f.key[chunk.stop - 1]))
    return json({"recentActivity": events, "cursor": cursor})


routes = [
    Route("/api/users/{user}/overview", get_user_overview, methods=["GET"]),
    Route("/api/users/{user}/followers", user_followers, methods=["GET"]),
    Route("/api/users/{user}/following", user_following, methods=["GET"]),
    Route("/api/users/{user}/likes", user_likes, methods=["GET"]),
    Route("/api/organizations/{org}/overview", get_org_overview, methods=["GET"]),
    Route("/api/organizations/{org}/members", org_members, methods=["GET"]),
    Route("/api/organizations/{org}/followers", org_followers, methods=["GET"]),
    Route("/api/whoami-v2", whoami, methods=["GET"]),
    Route("/api/trending", get_trending, methods=["GET"]),
    Route("/api/recent-activity", recent_activity, methods=["GET"]),
]
