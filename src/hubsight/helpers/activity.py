"""hf_recent_activity: the Hub's recent-activity feed, paged by the cursor in the response body.

Pages are read until the limit holds one matching event more than it returns, the feed ends, or
``max_pages`` is spent. ``meta.next_cursor`` resumes right after the last returned event: the Hub's own
cursor when the scan stopped at a page end, else ``hs:<skip>:<hub cursor>`` (re-read that page, skip
``skip`` events), which ``start_cursor`` accepts like a plain Hub cursor.
"""

from __future__ import annotations

from typing import Any

from hubsight.errors import ContractError, NotFound
from hubsight.helpers import contracts
from hubsight.helpers.coverage import limit_meta
from hubsight.helpers.runtime import Ctx
from hubsight.helpers.social import check_handle, current_username
from hubsight.hub import normalise

PREFIX = "hs:"


def activity_row(event: dict[str, Any]) -> dict[str, Any]:
    repo = event.get("repoData") if isinstance(event.get("repoData"), dict) else {}
    return {
        "event_type": event.get("type"),
        "repo_id": event.get("repoId") or repo.get("id"),
        "repo_type": event.get("repoType") or repo.get("type"),
        "timestamp": normalise.iso(event.get("time")),
    }


def split_cursor(cursor: Any) -> tuple[str | None, int]:
    """(Hub cursor, events to skip on its page) from a start_cursor."""
    if cursor is None or cursor == "":
        return None, 0
    if not isinstance(cursor, str):
        raise ContractError(f"start_cursor must be a string from meta.next_cursor, got {cursor!r}")
    if not cursor.startswith(PREFIX):
        return cursor, 0
    skip, _, hub = cursor[len(PREFIX):].partition(":")
    if not skip.isdigit():
        raise ContractError(f"start_cursor {cursor!r} is malformed; pass meta.next_cursor unchanged")
    return hub or None, int(skip)


def join_cursor(hub: str | None, skip: int) -> str | None:
    return hub if skip == 0 else f"{PREFIX}{skip}:{hub or ''}"


def _types(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ContractError(f"activity_types must be a list of strings like ['like', 'publish'], got {value!r}")
    return [v.strip() for v in value]


async def hf_recent_activity(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """Without entity: the token's user (a token is required). Without feed_type: 'user' first, then 'org'
    if the Hub has no such user (one extra request, only then)."""
    plan = ctx.limit()
    lim = ctx.spec.limits
    pages_plan = ctx.limit("max_pages", default=lim.max_pages, maximum=lim.max_pages)
    where = ctx.where
    types = _types(args.get("activity_types"))
    wanted_types = set(types) - {"all"}
    repo_types = set(args.get("repo_types") or [])
    count_only = bool(args.get("count_only"))
    hub_cursor, skip = split_cursor(args.get("start_cursor"))
    feed_type = args.get("feed_type")
    chosen = "given" if feed_type else "default"
    if args.get("entity") is not None:
        entity = check_handle(args["entity"], "entity")
    elif feed_type == "org":
        raise ContractError("feed_type='org' needs entity='<organization name>'")
    else:
        entity = await current_username(ctx, "hf_recent_activity with entity=None (the current user's feed)")
        chosen = "current_user"
    feed_type = feed_type or "user"
    ctx.source = "/api/recent-activity"
    want = None if count_only else plan.applied

    rows: list[dict[str, Any]] = []
    scanned = pages = 0
    dropped_by_type = cut = exhausted = False
    next_cursor: str | None = join_cursor(hub_cursor, skip)
    while pages < pages_plan.applied and (want is None or len(rows) < want):
        params: list[tuple[str, Any]] = [("feedType", feed_type), ("entity", entity), ("limit", lim.page_limit)]
        params += [("activityType", t) for t in types]
        if hub_cursor:
            params.append(("cursor", hub_cursor))
        try:
            body = await ctx.client.get_json("/api/recent-activity", params)
        except NotFound as exc:
            if chosen == "default" and pages == 0:
                chosen, feed_type = "fallback", "org"  # no such user: maybe an organization
                continue
            who = "user or organization" if chosen == "fallback" else feed_type
            raise NotFound(f"no {who} named {entity!r} on the Hub; check entity (and feed_type)", 404) from exc
        pages += 1
        events = body.get("recentActivity") if isinstance(body, dict) else None
        if not isinstance(events, list):
            raise ContractError("the Hub's recent-activity answer has no 'recentActivity' list; the API may have changed")
        page_cursor = body.get("cursor") or None
        last = None  # position of the last event returned from this page
        for pos, event in enumerate(events[skip:], start=skip):
            row = activity_row(event)
            scanned += 1
            if wanted_types and row["event_type"] not in wanted_types:
                dropped_by_type = True  # the Hub ignored activityType: filter here, and say so
                continue
            if (repo_types and row["repo_type"] not in repo_types) or not contracts.matches(row, where):
                continue
            if want is not None and len(rows) == want:
                cut = True  # the probe: a matching event beyond the limit, already fetched
                break
            rows.append(row)
            last = pos
        if want is not None and len(rows) == want and last is not None and (cut or last + 1 < len(events)):
            next_cursor = join_cursor(hub_cursor, last + 1)  # resume right after the last returned event
            exhausted = not cut and page_cursor is None
            break
        hub_cursor, skip, next_cursor = page_cursor, 0, page_cursor
        if page_cursor is None or not events:  # the Hub may send a cursor with its last events: an empty page ends it
            exhausted = True
            break
    filtered = bool(repo_types or where or dropped_by_type)
    more: bool | str = True if cut else False if exhausted else ("unknown" if filtered else True)
    meta = {
        **limit_meta(plan),
        "hard_cap_applied": plan.hard_cap_applied or pages_plan.hard_cap_applied,
        "scanned": scanned, "matched": len(rows) + cut,
        "limit_boundary_hit": not exhausted, "truncated": not exhausted, "more_available": more,
        "sample_complete": exhausted, "exact_count": exhausted, "total": len(rows) if exhausted else None,
        "pages_fetched": pages, "page_limit": lim.page_limit, "max_pages": pages_plan.applied,
        "requested_max_pages": pages_plan.requested,
        "max_pages_hit": not exhausted and pages >= pages_plan.applied and (want is None or len(rows) < want),
        "next_cursor": None if exhausted else next_cursor,
        "feed_type": feed_type, "feed_type_source": chosen, "entity": entity,
    }
    if count_only:
        meta.update(count=len(rows), count_source="scan", lower_bound=not exhausted)
        return ctx.ok([], **meta)
    return ctx.ok(rows, **meta)
