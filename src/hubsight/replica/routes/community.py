"""Collections and discussions: /api/collections and /api/{type}s/{repo}/discussions."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hubsight.replica import community
from hubsight.replica.community import Collections, Discussions
from hubsight.replica.listing import PAGE_MAX, QueryError, decode_cursor
from hubsight.replica.render import iso
from hubsight.replica.routes.repos import PLURAL, kind_of, repo_id_of
from hubsight.replica.state import (
    hub_error,
    int_param,
    json,
    listing_page,
    repo_not_found,
    state_of,
)
from hubsight.replica.world import World

DISCUSSIONS_PAGE = 50
COLLECTION_SORTS = ("lastModified", "trending", "upvotes")
ITEM_PREFIX = {"models": 0, "datasets": 1, "spaces": 2, "papers": 3, "collections": 4}


# -- collections -------------------------------------------------------------------------------
def collection_rows(w: World, cols: Collections, owners: list[str], items: list[str], sort: str | None, search: str) -> np.ndarray:
    """Rows matching every filter, in the requested order (most recent update first by default)."""
    mask = np.ones(len(cols), dtype=bool)
    if owners:
        wanted = [i for i in (w.owners.find(name) for name in owners) if i is not None]
        mask &= np.isin(cols.owner, wanted)
    for item in items:
        mask &= _rows_with_item(w, cols, item)
    if search:
        needle = search.lower()
        mask &= np.array([needle in title.lower() for title in cols.titles], dtype=bool)
    rows = np.flatnonzero(mask)
    if sort == "upvotes":
        keys: tuple[np.ndarray, ...] = (-cols.serial[rows], -cols.upvotes[rows])
    elif sort == "trending":
        keys = (-cols.serial[rows], -cols.upvotes[rows], -cols.trending[rows])
    else:
        keys = (-cols.serial[rows], -cols.last_updated[rows])
    return rows[np.lexsort(keys)]


def _rows_with_item(w: World, cols: Collections, item: str) -> np.ndarray:
    prefix, _, ident = item.partition("/")
    if prefix not in ITEM_PREFIX or not ident:
        raise QueryError(f"item must look like models/ID, datasets/ID, spaces/ID, papers/ID or collections/SLUG, got {item!r}")
    code = ITEM_PREFIX[prefix]
    hits = np.zeros(len(cols.item_type), dtype=bool)
    if code < 3:
        i = w.repos[community.KINDS_ORDER[code]].find(ident)
        if i is not None:
            hits = (cols.item_type == code) & (cols.item_repo == i)
    elif code == 3:
        hits = np.array([p == ident for p in cols.item_paper], dtype=bool)
    else:
        m = re.fullmatch(r".*?([0-9a-f]{24})", ident)
        serial = int(m.group(1)[9:], 16) if m and community.object_id(w, "a", int(m.group(1)[9:], 16)) == m.group(1) else -2
        hits = (cols.item_type == code) & (cols.item_ref == serial)
    rows = np.zeros(len(cols), dtype=bool)
    where = np.searchsorted(cols.item_offsets, np.flatnonzero(hits), side="right") - 1
    rows[where] = True
    return rows


async def list_collections(request: Request) -> Response:
    state = state_of(request)
    q = request.query_params
    owners = [v for key in ("owner", "owner[]") for v in q.getlist(key) if v]
    items = [v for key in ("item", "item[]") for v in q.getlist(key) if v]
    sort = q.get("sort") or None
    try:
        if sort is not None and sort not in COLLECTION_SORTS:
            raise QueryError(f"sort must be one of {', '.join(COLLECTION_SORTS)}, got {sort!r}")
        offset = decode_cursor(q["cursor"]) if "cursor" in q else 0
        page = min(PAGE_MAX, int_param(request, "limit", PAGE_MAX, lo=1))
        with state.lock:
            w = state.world
            cols = community.collections(w)
            rows = collection_rows(w, cols, owners, items, sort, q.get("q") or q.get("search") or "")
            body = [community.collection_body(w, cols, int(r), max_items=4, with_position=False) for r in rows[offset : offset + page]]
    except ValueError as exc:
        return hub_error(400, str(exc))
    return listing_page(request, body, offset + page, len(rows))


async def get_collection(request: Request) -> Response:
    """Resolved by the trailing 24-hex id; the namespace must match, the title part may be stale."""
    state = state_of(request)
    ns, slug = request.path_params["ns"], request.path_params["slug"]
    m = re.fullmatch(r"(?:.*-)?([0-9a-f]{24})", slug)
    with state.lock:
        w = state.world
        cols = community.collections(w)
        row = None
        if m:
            serial = int(m.group(1)[9:], 16)
            if community.object_id(w, "a", serial) == m.group(1):
                row = cols.by_serial.get(serial)
        if row is None or w.owners.names[int(cols.owner[row])].lower() != ns.lower():
            return hub_error(404, f"Collection {ns}/{slug} not found")
        body = community.collection_body(w, cols, row)
    return json(body)


# -- discussions -------------------------------------------------------------------------------
def discussion_row(w: World, d: Discussions, k: int, thread: community.Thread | None = None) -> dict[str, Any]:
    """A discussion as listed; the detail view adds events, and changes/diff for PRs."""
    kind = d.kind
    t = w.repos[kind]
    repo = int(d.repo[k])
    num = int(k - d.offsets[repo] + 1)
    thread = thread or community.thread(w, d, k)
    owner = int(t.author[repo])
    return {
        "num": num,
        "author": community.actor_brief(w, int(d.author[k]), followers=True),
        "repo": {"name": t.ids[repo], "type": kind},
        "title": thread.title,
        "status": d.status(k),
        "createdAt": iso(d.created[k]),
        "isPullRequest": bool(d.is_pr[k]),
        "numComments": thread.num_comments,
        "pinned": False,
        "topReactions": [],
        "numReactionUsers": 0,
        "repoOwner": {
            "name": w.owners.names[owner],
            "type": "org" if w.owners.is_org(owner) else "user",
            "isParticipating": False,
            "isDiscussionAuthor": owner == int(d.author[k]),
        },
    }


def select_discussions(w: World, d: Discussions, repo: int, dtype: str, status: str, author: str | None) -> tuple[np.ndarray, int]:
    """Matching discussion positions, newest first, and how many of the type/author set are closed."""
    ks = np.arange(d.offsets[repo], d.offsets[repo + 1])[::-1]
    if dtype == "discussion":
        ks = ks[~d.is_pr[ks]]
    elif dtype == "pull_request":
        ks = ks[d.is_pr[ks]]
    if author is not None:
        who = w.owners.find(author)
        ks = ks[d.author[ks] == who] if who is not None else ks[:0]
    closed = d.closed_at[ks] >= 0
    n_closed = int(closed.sum())
    if status == "open":
        ks = ks[~closed]
    elif status == "closed":
        ks = ks[closed]
    return ks, n_closed


def _discussions_on(w: World, kind: str, request: Request) -> tuple[int, Discussions] | Response:
    """The repo the path names and its kind's discussions, or the Hub's 404 for a repo it does not have."""
    i = w.repos[kind].find(repo_id_of(request))
    if i is None:
        return repo_not_found(kind, repo_id_of(request))
    return i, community.discussions(w, kind)


async def list_discussions(request: Request) -> Response:
    state = state_of(request)
    kind = kind_of(request)
    q = request.query_params
    dtype = q.get("type") or "all"
    status = q.get("status") or "all"
    try:
        if dtype not in ("all", "discussion", "pull_request"):
            raise QueryError(f"type must be one of all, discussion, pull_request, got {dtype!r}")
        if status not in ("all", "open", "closed"):
            raise QueryError(f"status must be one of all, open, closed, got {status!r}")
        page = int_param(request, "p", 0, lo=0)
    except ValueError as exc:
        return hub_error(400, str(exc))
    with state.lock:
        w, found = state.world, _discussions_on(state.world, kind, request)
        if isinstance(found, Response):
            return found
        i, d = found
        ks, n_closed = select_discussions(w, d, i, dtype, status, q.get("author") or None)
        start = page * DISCUSSIONS_PAGE
        rows = [discussion_row(w, d, int(k)) for k in ks[start : start + DISCUSSIONS_PAGE]]
    return json({"discussions": rows, "count": len(ks), "start": start, "numClosedDiscussions": n_closed})


async def discussion_details(request: Request) -> Response:
    state = state_of(request)
    kind = kind_of(request)
    num = int(request.path_params["num"])
    with state.lock:
        w, found = state.world, _discussions_on(state.world, kind, request)
        if isinstance(found, Response):
            return found
        i, d = found
        if not 1 <= num <= len(d.of(i)):
            return hub_error(404, f"Discussion #{num} not found on {kind} {repo_id_of(request)}")
        k = int(d.offsets[i]) + num - 1
        thread = community.thread(w, d, k)
        t = w.repos[kind]
        owner = int(t.author[i])
        body: dict[str, Any] = {"num": num, "author": community.actor_brief(w, int(d.author[k]))}
        if w.owners.is_org(owner):
            body["org"] = community.org_brief(w, owner)
        body |= {
            "repo": {"name": t.ids[i], "type": kind},
            "title": thread.title,
            "status": d.status(k),
            "createdAt": iso(d.created[k]),
            "pinned": False,
            "locked": False,
            "collection": "discussions",
            "isPullRequest": bool(d.is_pr[k]),
        }
        if d.is_pr[k]:
            changes: dict[str, Any] = {"base": "refs/heads/main"}
            if thread.merge_commit:
                changes["mergeCommitId"] = thread.merge_commit
            changes["cachedStorageEstimate"] = {"size": 0 if thread.conflicts else len(thread.diff or ""), "baseSha": w.sha(kind, i)}
            prefix = "" if kind == "model" else f"{kind}s/"
            body |= {
                "changes": changes,
                "filesWithConflicts": thread.conflicts,
                "diffUrl": f"{str(request.base_url).rstrip('/')}/{prefix}{t.ids[i]}/discussions/{num}/files.diff",
            }
            if request.query_params.get("diff") in ("1", "true"):
                body["diff"] = thread.diff
        body["events"] = thread.events
    return json(body)


routes = [
    Route("/api/collections", list_collections, methods=["GET"]),
    Route("/api/collections/{ns}/{slug}", get_collection, methods=["GET"]),
    *[
        route
        for plural in PLURAL
        for route in (
            Route(f"/api/{plural}/{{ns}}/{{name}}/discussions", list_discussions, methods=["GET"]),
            Route(f"/api/{plural}/{{ns}}/{{name}}/discussions/{{num:int}}", discussion_details, methods=["GET"]),
        )
    ],
]
