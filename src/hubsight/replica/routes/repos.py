"""Repo listings, repo details and likers: /api/models, /api/datasets, /api/spaces."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hubsight.replica.listing import PAGE_MAX, Query, QueryError, decode_cursor, normalise_sort
from hubsight.replica.render import DETAIL_DEFAULT, EXPAND, FULL_EXTRA, LIST_DEFAULT
from hubsight.replica.state import hub_error, json, listing_page, repo_not_found, state_of

PLURAL = {"models": "model", "datasets": "dataset", "spaces": "space"}
TRUE = {"true", "1", "True"}


def expand_fields(request: Request, kind: str, defaults: list[str], allow_full: bool = True) -> list[str]:
    q = request.query_params
    expand = [v for key in ("expand", "expand[]") for raw in q.getlist(key) for v in raw.split(",") if v]
    if expand:
        bad = [e for e in expand if e not in EXPAND[kind]]
        if bad:
            raise QueryError(f'"expand" must be one of [{", ".join(EXPAND[kind])}], got {bad[0]!r}')
        return list(dict.fromkeys(expand))
    fields = list(defaults)
    if allow_full and q.get("full") in TRUE:
        fields += [f for f in FULL_EXTRA[kind] if f not in fields]
    if q.get("cardData") in TRUE and "cardData" not in fields:
        fields.append("cardData")
    if q.get("config") in TRUE and kind == "model" and "config" not in fields:
        fields.append("config")
    return fields


def _expanded(request: Request) -> bool:
    return any(v for key in ("expand", "expand[]") for v in request.query_params.getlist(key))


def _query(request: Request, kind: str) -> Query:
    q = request.query_params
    many = lambda key: tuple(v for raw in q.getlist(key) + q.getlist(f"{key}[]") for v in [raw] if v)  # noqa: E731
    return Query(
        kind=kind,
        search=many("search"),
        filters=many("filter"),
        author=q.get("author") or None,
        pipeline_tag=q.get("pipeline_tag") or None,
        num_parameters=q.get("num_parameters") or None,
        gated=q.get("gated"),
        apps=many("apps"),
        inference=q.get("inference"),
        inference_provider=many("inference_provider"),
        linked=q.get("linked") in TRUE,
        models=many("models"),
        datasets=many("datasets"),
        sort=normalise_sort(kind, q.get("sort")),
    )


def kind_of(request: Request) -> str:
    return PLURAL[request.url.path.split("/")[2]]


def repo_id_of(request: Request) -> str:
    return f"{request.path_params['ns']}/{request.path_params['name']}"


async def list_repos(request: Request) -> Response:
    kind = kind_of(request)
    state = state_of(request)
    try:
        query = _query(request, kind)
        if query.num_parameters:
            from hubsight.replica.listing import parse_params

            parse_params(query.num_parameters)
        fields = expand_fields(request, kind, LIST_DEFAULT[kind])
        offset = decode_cursor(request.query_params["cursor"]) if "cursor" in request.query_params else 0
        limit_raw = request.query_params.get("limit")
        page = min(PAGE_MAX, int(limit_raw)) if limit_raw else PAGE_MAX
        if page < 1:
            raise QueryError("limit must be a positive integer")
    except (QueryError, ValueError) as exc:
        return hub_error(400, str(exc))
    with state.lock:
        rows = state.lister.rows(query)
        chunk = rows[offset : offset + page].tolist()
        body = state.render.rows(kind, chunk, fields)
    return listing_page(request, body, offset + page, len(rows))


async def repo_detail(request: Request) -> Response:
    kind = kind_of(request)
    repo_id = repo_id_of(request)
    state = state_of(request)
    try:
        fields = expand_fields(request, kind, DETAIL_DEFAULT[kind], allow_full=False)
    except QueryError as exc:
        return hub_error(400, str(exc))
    with state.lock:
        i = state.world.repos[kind].find(repo_id)
        if i is None:
            return repo_not_found(kind, repo_id)
        body = state.render.repo(kind, i, fields, expanded=_expanded(request))
    return json(body)


async def single_segment(request: Request) -> Response:
    """Repo ids without a namespace do not exist in the replica's world."""
    return repo_not_found(kind_of(request), request.path_params["name"])


async def likers(request: Request) -> Response:
    kind = kind_of(request)
    state = state_of(request)
    w = state.world
    try:
        offset = decode_cursor(request.query_params["cursor"]) if "cursor" in request.query_params else 0
    except QueryError as exc:
        return hub_error(400, str(exc))
    with state.lock:
        i = w.repos[kind].find(repo_id_of(request))
        if i is None:
            return repo_not_found(kind, repo_id_of(request))
        pos = w.likes[kind].of("dst", i)
        users = w.likes[kind].src[pos[offset : offset + PAGE_MAX]].tolist()
        body = [actor(w, u) for u in users]
    return listing_page(request, body, offset + PAGE_MAX, len(pos))


def actor(w, u: int) -> dict:
    """A user or org as the Hub lists them in likers, followers and members."""
    o = w.owners
    return {
        "user": o.names[u],
        "fullname": o.fullnames[u],
        "avatarUrl": f"https://cdn-avatars.huggingface.co/v1/production/uploads/{o.names[u]}.png",
        "type": "org" if o.is_org(u) else "user",
        "isPro": bool(o.is_pro[u]),
        "isFollowing": False,
    }


routes = [
    route
    for plural in PLURAL
    for route in (
        Route(f"/api/{plural}", list_repos, methods=["GET"]),
        Route(f"/api/{plural}/{{name}}", single_segment, methods=["GET"]),
        Route(f"/api/{plural}/{{ns}}/{{name}}", repo_detail, methods=["GET"]),
        Route(f"/api/{plural}/{{ns}}/{{name}}/revision/{{rev:path}}", repo_detail, methods=["GET"]),
        Route(f"/api/{plural}/{{ns}}/{{name}}/likers", likers, methods=["GET"]),
    )
]
