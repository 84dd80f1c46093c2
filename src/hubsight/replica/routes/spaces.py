"""Space-only endpoints: runtime, variables and semantic search under /api/spaces."""

from __future__ import annotations

import re

import numpy as np
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hubsight.replica import community
from hubsight.replica.render import space_runtime
from hubsight.replica.routes.repos import TRUE, repo_id_of
from hubsight.replica.state import hub_error, int_param, json, repo_not_found, state_of

SEARCH_DEFAULT = 20
SEARCH_MAX = 50
_LIVE = ("RUNNING", "RUNNING_BUILDING", "APP_STARTING")
_STOP = {"a", "an", "and", "for", "from", "in", "of", "on", "the", "to", "with", "app", "space", "demo"}


async def runtime(request: Request) -> Response:
    """What huggingface_hub's get_space_runtime reads: stage, hardware, storage, sleep time."""
    state = state_of(request)
    with state.lock:
        w = state.world
        i = w.repos["space"].find(repo_id_of(request))
        if i is None:
            return repo_not_found("space", repo_id_of(request))
        body = space_runtime(w, i, with_sha=False)
    return json(body)


async def variables(request: Request) -> Response:
    """The Space's public variables: the replica's Spaces define none."""
    state = state_of(request)
    with state.lock:
        if state.world.repos["space"].find(repo_id_of(request)) is None:
            return repo_not_found("space", repo_id_of(request))
    return json({})


async def semantic_search(request: Request) -> Response:
    """Spaces whose name or purpose matches the query's words, best first (huggingface_hub's search_spaces).

    Only running Spaces unless ``includeNonRunning``; ``sdk`` and ``filter`` (tags) narrow the set."""
    state = state_of(request)
    q = request.query_params
    words = [x for x in re.findall(r"[a-z0-9]+", (q.get("q") or "").lower()) if x not in _STOP and len(x) > 1]
    try:
        if not (q.get("q") or "").strip():
            raise ValueError("q is required: the words to search Spaces for")
        limit = int_param(request, "limit", SEARCH_DEFAULT, lo=1, hi=SEARCH_MAX)
    except ValueError as exc:
        return hub_error(400, str(exc))
    sdks = [v for key in ("sdk", "sdk[]") for raw in q.getlist(key) for v in raw.split(",") if v]
    tags = [v for key in ("filter", "filter[]") for v in q.getlist(key) if v]
    with state.lock:
        w = state.world
        t = w.repos["space"]
        mask = t.alive.copy()
        if q.get("includeNonRunning") not in TRUE:
            from hubsight.replica import vocab

            live = [vocab.names(vocab.RUNTIME_STAGES).index(s) for s in _LIVE]
            mask &= np.isin(t.stage, live)
        for sdk in sdks:
            mask &= w.tag_mask("space", sdk)
        for tag in tags:
            mask &= w.tag_mask("space", tag)
        idx = np.flatnonzero(mask)
        names, codes = community.space_category_codes(w)
        score = np.zeros(len(idx))
        for word in words:
            hit_cat = np.array([word in name.lower() for name in names])[codes[idx]]
            ids = t.lower_ids
            hit_name = np.fromiter((word in ids[i] for i in idx.tolist()), dtype=bool, count=len(idx))
            score += 2.0 * hit_name + hit_cat
        if words:
            keep = score > 0
            idx, score = idx[keep], score[keep] / (3.0 * len(words))
        # best match first, then the most liked
        order = np.lexsort((-t.likes[idx], -score))[:limit]
        body = []
        for rank, k in enumerate(order.tolist()):
            card = community.repo_card(w, "space", int(idx[k]), "search")
            card["semanticRelevancyScore"] = round(0.55 + 0.4 * float(score[k]) - 0.01 * rank, 6) if words else 0.5
            body.append(card)
    return json(body)


routes = [
    Route("/api/spaces/semantic-search", semantic_search, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}/runtime", runtime, methods=["GET"]),
    Route("/api/spaces/{ns}/{name}/variables", variables, methods=["GET"]),
]
