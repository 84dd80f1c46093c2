"""Collection helpers: search collections (by owner and/or keyword) and list the repos inside one.

Both read the Hub's raw JSON through huggingface_hub's own session, pagination and error mapping
rather than ``HfApi.list_collections`` / ``HfApi.get_collection``: those parse into ``Collection``
objects that drop ``gating`` and every repo field of an item (likes, downloads, ...), and
``list_collections`` cannot send the Hub's ``q`` keyword filter. The requests are the same ones the
client sends (same paths and params, plus ``q``).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from hubsight.errors import ContractError, NotFound
from hubsight.helpers import contracts
from hubsight.helpers.coverage import scan_meta, window_meta
from hubsight.helpers.runtime import Ctx
from hubsight.hub import normalise
from hubsight.hub.client import list_page

SCAN_MAX = 500
"""Most collections read when a local filter (where) or a count needs more than the returned window."""
LISTED_ITEMS_MAX = 4
"""The Hub truncates each listed collection's items to 4: a listed count of 4 says nothing about the total."""
REPO_ITEM_TYPES = ("model", "dataset", "space")
ITEM_COUNT_NOTE = (
    "item_count is None when the listing shows 4 items (the Hub truncates listed items to 4); "
    "use hf_collection_items(collection_id, count_only=True) for the exact count"
)
_SLUG = re.compile(r"^[A-Za-z0-9][\w.\-]*/[\w.\-]+$")


def _iso(value: Any) -> str | None:
    """Hub timestamps in the one format of every row (``normalise.TIME_FORMAT``)."""
    if isinstance(value, str):
        try:
            return normalise.iso(datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC))
        except ValueError:
            return value
    return normalise.iso(value)


def collection_row(raw: dict[str, Any], *, all_items: bool = False) -> dict[str, Any]:
    """One raw Hub collection as a canonical row. ``all_items``: the body lists every item (get_collection)."""
    owner = raw.get("owner")
    name, kind = (owner.get("name"), owner.get("type")) if isinstance(owner, dict) else (owner, None)
    items = raw.get("items") or []
    exact = all_items or len(items) < LISTED_ITEMS_MAX
    return {
        "collection_id": raw.get("slug"),
        "slug": raw.get("slug"),
        "title": raw.get("title"),
        "owner": name,
        "owner_type": kind,
        "description": raw.get("description"),
        "gating": raw.get("gating"),
        "last_updated": _iso(raw.get("lastUpdated")),
        "item_count": len(items) if exact else None,
    }


def _text_arg(value: Any, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ContractError(f"{name} must be a string or None, got {type(value).__name__}")
    return value.strip() or None


def _list_raw(ctx: Ctx, params: dict[str, Any], limit: int) -> tuple[list[dict[str, Any]], bool]:
    """Up to ``limit`` raw collections plus one probe, following the Hub's Link pages like the client."""
    from huggingface_hub.utils import build_hf_headers, paginate

    headers = build_hf_headers(token=ctx.client.token or False)
    return list_page(lambda: paginate(f"{ctx.client.endpoint}/api/collections", params=params, headers=headers), limit)


async def hf_collections_search(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """Owner and keyword go upstream (the Hub matches owners case-insensitively and ``q`` on title and
    description); ``where`` and ``count_only`` read a bounded scan of up to SCAN_MAX collections."""
    plan = ctx.limit()
    conds = ctx.where
    query = _text_arg(args.get("query"), "query")
    owner = _text_arg(args.get("owner"), "owner")
    count_only = bool(args.get("count_only"))
    scanning = bool(conds) or count_only
    cap = SCAN_MAX if scanning else plan.applied
    params: dict[str, Any] = {}
    if owner:
        params["owner"] = owner
    if query:
        params["q"] = query
    params["limit"] = cap + 1
    ctx.source = "/api/collections"
    raws, more = await ctx.client.call("list collections", _list_raw, ctx, params, cap)
    rows = [collection_row(r) for r in raws]
    matched = [r for r in rows if contracts.matches(r, conds)] if conds else rows
    extra: dict[str, Any] = {"owner": owner, "query": query, "item_count_note": ITEM_COUNT_NOTE}
    if count_only:
        meta = scan_meta(plan, scanned=len(rows), matched=len(matched), returned=len(matched),
                         source_exhausted=not more, scan_limit=cap)
        if more and not conds:
            meta["more_available"] = True  # unfiltered: every row beyond the scan counts
        return ctx.ok([], **meta, count=len(matched), count_source="listing_scan", count_is_lower_bound=bool(more), **extra)
    if scanning:
        out = matched[: plan.applied]
        meta = scan_meta(plan, scanned=len(rows), matched=len(matched), returned=len(out),
                         source_exhausted=not more, scan_limit=cap)
        return ctx.ok(out, **meta, **extra)
    meta = window_meta(plan, scanned=len(rows), returned=len(rows), upstream_more=more, filtered=False)
    return ctx.ok(rows, **meta, **extra)


def _slug_of(collection_id: Any) -> str:
    """Accept the slug ('owner/title-<24 hex>') or a collection URL; reject anything else before a request."""
    if not isinstance(collection_id, str) or not collection_id.strip():
        raise ContractError(f"collection_id must be a collection slug like 'owner/title-<24 hex id>', got {collection_id!r}")
    slug = collection_id.strip()
    if "/collections/" in slug:
        slug = slug.split("/collections/", 1)[1]
    slug = slug.split("?", 1)[0].split("#", 1)[0].strip("/")
    if not _SLUG.match(slug):
        raise ContractError(
            f"collection_id {collection_id!r} is not a collection slug; pass the collection_id from "
            "hf_collections_search, e.g. 'owner/title-<24 hex id>'"
        )
    return slug


def item_row(item: dict[str, Any], endpoint: str) -> dict[str, Any]:
    """A repo item of a collection (the Hub embeds a short repo card) as a canonical repo row."""
    row = normalise.trending_row({"repoType": item.get("type"), "repoData": item}, 0, endpoint)
    row.pop("trending_rank", None)
    for key in ("created_at", "last_modified"):
        row[key] = _iso(row[key])
    return row


async def hf_collection_items(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """One get_collection request returns every item, so coverage is always exact; paper and
    collection items are skipped (counted in meta.skipped_items)."""
    plan = ctx.limit()
    conds = ctx.where
    slug = _slug_of(args.get("collection_id"))
    kinds = list(dict.fromkeys(args.get("repo_types") or REPO_ITEM_TYPES))
    ctx.source = f"/api/collections/{slug}"
    try:
        body = await ctx.client.get_json(f"/api/collections/{slug}")
    except NotFound as exc:
        raise NotFound(
            f"no collection {slug!r} on the Hub (private collections need a token); pass the collection_id "
            "from hf_collections_search, e.g. 'owner/title-<24 hex id>'", 404
        ) from exc
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise NotFound(f"the Hub's answer for collection {slug!r} has no item list", 404)
    skipped = Counter(str(i.get("type")) for i in items if i.get("type") not in REPO_ITEM_TYPES)
    repos = [item_row(i, ctx.client.endpoint) for i in items if i.get("type") in REPO_ITEM_TYPES]
    of_types = [r for r in repos if r["repo_type"] in kinds]
    matched = [r for r in of_types if contracts.matches(r, conds)] if conds else of_types
    collection = collection_row(body, all_items=True)
    extra = {
        "collection_id": collection["collection_id"],
        "collection_title": collection["title"],
        "collection_owner": collection["owner"],
        "item_count": len(items),
        "repo_item_count": len(repos),
        "skipped_items": dict(skipped),
        "repo_types": kinds,
    }
    if args.get("count_only"):
        meta = scan_meta(plan, scanned=len(items), matched=len(matched), returned=len(matched), source_exhausted=True)
        return ctx.ok([], **meta, count=len(matched), count_source="collection_items", **extra)
    out = matched[: plan.applied]
    meta = scan_meta(plan, scanned=len(items), matched=len(matched), returned=len(out), source_exhausted=True)
    return ctx.ok(out, **meta, **extra)
