"""Repo helpers: per-type search, cross-type search, details and the trending feed."""

from __future__ import annotations

import asyncio
from typing import Any

from hubsight.errors import ContractError, HubsightError
from hubsight.helpers import contracts
from hubsight.helpers.coverage import window_meta
from hubsight.helpers.runtime import Ctx
from hubsight.hub import normalise
from hubsight.hub.client import list_page

LISTERS = {"model": "list_models", "dataset": "list_datasets", "space": "list_spaces"}


def _listing_kwargs(ctx: Ctx, kind: str, args: dict[str, Any], limit: int) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"limit": limit}
    for p in ctx.spec.upstream:  # declared in the registry: Param(..., upstream="<HfApi keyword>")
        value = args.get(p.name)
        if value is not None and value is not False:
            kwargs[p.upstream] = value
    if kind == "model":
        if args.get("model_name") and "search" not in kwargs:
            kwargs["search"] = args["model_name"]
        if args.get("emissions_thresholds") is not None:
            kwargs["cardData"] = True
    if args.get("sort"):
        kwargs["sort"] = normalise.wire(args["sort"])
    plain = args.get("full") or args.get("card_data") or args.get("fetch_config") or kwargs.get("cardData")
    if plain:
        if args.get("expand"):
            raise ContractError("expand cannot be combined with full, card_data or fetch_config; pass one or the other")
        if args.get("full"):
            kwargs["full"] = True
        if args.get("card_data"):
            kwargs["cardData"] = True
        if args.get("fetch_config"):
            kwargs["fetch_config"] = True
    else:
        wanted = list(ctx.fields) + [c.field for c in ctx.post_filter]
        expand = normalise.expand_for(kind, wanted)
        for extra in normalise.wire_expand(list(args.get("expand") or [])):
            if extra not in expand:
                expand.append(extra)
        kwargs["expand"] = expand
    return kwargs


async def _fetch_window(ctx: Ctx, kind: str, args: dict[str, Any], limit: int) -> tuple[list[dict[str, Any]], bool | None]:
    """Up to ``limit`` canonical rows of one type, and whether the Hub has more beyond them."""
    if limit == 0:
        return [], None
    kwargs = _listing_kwargs(ctx, kind, args, limit + 1)
    lister = getattr(ctx.client.api, LISTERS[kind])
    infos, more = await ctx.client.call(f"{LISTERS[kind]}", list_page, lambda: lister(**kwargs), limit)
    rows = [normalise.repo_row(info, kind, ctx.client.endpoint) for info in infos]
    if kind == "model" and args.get("model_name") and args.get("search"):
        needle = args["model_name"].lower()
        rows = [r for r in rows if needle in r["repo_id"].lower()]
    return rows, more


async def search_one_type(ctx: Ctx, **args: Any) -> dict[str, Any]:
    kind = ctx.spec.extra["repo_type"]
    plan = ctx.limit()
    post = ctx.post_filter
    ctx.source = f"/api/{kind}s"
    rows, more = await _fetch_window(ctx, kind, args, plan.applied)
    return _finish_search(ctx, plan, rows, more, post)


def _finish_search(ctx: Ctx, plan: contracts.LimitPlan, rows: list[dict], more: bool | None, post: list) -> dict[str, Any]:
    scanned = len(rows)
    if post:
        rows = [r for r in rows if contracts.matches(r, post)]
    meta = window_meta(plan, scanned=scanned, returned=len(rows), upstream_more=more, filtered=bool(post))
    return ctx.ok(rows, **meta)


async def hf_repo_search(ctx: Ctx, **args: Any) -> dict[str, Any]:
    kinds = list(args.get("repo_types") or ([args["repo_type"]] if args.get("repo_type") else ["model", "dataset", "space"]))
    kinds = list(dict.fromkeys(kinds))
    sort = args.get("sort")
    if sort:
        from hubsight.helpers.registry import BY_NAME

        by_type = BY_NAME["hf_repo_search"].sort_values_by_repo_type or {}
        for kind in kinds:
            if sort not in by_type[kind]:
                raise ContractError(
                    f"sort {sort!r} is not available for {kind}s; allowed for {kind}: {', '.join(by_type[kind])}"
                )
    plan = ctx.limit()
    post = ctx.post_filter
    ctx.source = ", ".join(f"/api/{k}s" for k in kinds)
    windows = await asyncio.gather(*(_fetch_window(ctx, k, args, plan.applied) for k in kinds))
    rows = [r for window, _ in windows for r in window]
    flags = [m for _, m in windows]
    more: bool | None = True if any(flags) else (None if None in flags else False)
    if sort:
        rows.sort(key=lambda r: (r.get(sort) is not None, r.get(sort) or 0), reverse=True)
    if len(rows) > plan.applied:
        rows, more = rows[: plan.applied], True
    return _finish_search(ctx, plan, rows, more, post)


async def _detail(ctx: Ctx, repo_id: str, repo_type: str) -> dict[str, Any]:
    methods = {"model": "model_info", "dataset": "dataset_info", "space": "space_info"}
    if not isinstance(repo_id, str) or not repo_id.strip():
        raise ContractError(f"repo_id must be a non-empty string like 'owner/name', got {repo_id!r}")
    kinds = ["model", "dataset", "space"] if repo_type == "auto" else [repo_type]
    last: HubsightError | None = None
    for kind in kinds:
        try:
            info = await ctx.client.call(f"{methods[kind]}({repo_id})", getattr(ctx.client.api, methods[kind]), repo_id)
        except HubsightError as exc:
            from hubsight.errors import NotFound

            if not isinstance(exc, NotFound):
                raise
            last = exc
            continue
        return normalise.repo_row(info, kind, ctx.client.endpoint)
    tried = " or ".join(kinds)
    raise type(last)(f"no {tried} named {repo_id!r} on the Hub; check the id, or pass repo_type") if last else ContractError(repo_id)


async def hf_repo_details(ctx: Ctx, **args: Any) -> dict[str, Any]:
    ids = list(args.get("repo_ids") or [])
    if args.get("repo_id"):
        ids.insert(0, args["repo_id"])
    if not ids:
        raise ContractError("pass repo_id='owner/name' or repo_ids=[...]")
    ids = list(dict.fromkeys(ids))
    ctx.source = "/api/{type}s/{repo_id}"
    if len(ids) == 1:
        return ctx.ok([await _detail(ctx, ids[0], args["repo_type"])], requested=1, found=1)
    gate = asyncio.Semaphore(ctx.settings.helper_fanout)

    async def one(repo_id: str) -> dict[str, Any] | HubsightError:
        async with gate:
            try:
                return await _detail(ctx, repo_id, args["repo_type"])
            except HubsightError as exc:
                return exc

    results = await asyncio.gather(*(one(r) for r in ids))
    rows = [r for r in results if isinstance(r, dict)]
    errors = {rid: str(r) for rid, r in zip(ids, results, strict=True) if not isinstance(r, dict)}
    if not rows:
        return ctx.fail(f"hf_repo_details: none of the {len(ids)} repos could be read: " + "; ".join(errors.values()),
                        requested=len(ids), found=0, errors=errors)
    return ctx.ok(rows, requested=len(ids), found=len(rows), errors=errors, sample_complete=not errors)


async def hf_trending(ctx: Ctx, **args: Any) -> dict[str, Any]:
    plan = ctx.limit()
    where = ctx.where
    ctx.source = "/api/trending"
    payload = await ctx.client.get_json("/api/trending", {"type": args["repo_type"], "limit": 20})
    entries = payload.get("recentlyTrending") if isinstance(payload, dict) else None
    if not isinstance(entries, list):
        raise HubsightError("the Hub's /api/trending answer has no 'recentlyTrending' list; the API may have changed")
    rows = [normalise.trending_row(e, rank, ctx.client.endpoint) for rank, e in enumerate(entries, start=1)]
    scanned = len(rows)
    if where:
        rows = [r for r in rows if contracts.matches(r, where)]
    more = len(rows) > plan.applied
    rows = rows[: plan.applied]
    meta = window_meta(plan, scanned=scanned, returned=len(rows), upstream_more=more, filtered=False)
    meta["feed_size"] = scanned
    return ctx.ok(rows, **meta)
