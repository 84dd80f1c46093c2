"""Discussion helpers: the newest discussions/PRs of a repo, and one discussion in detail."""

from __future__ import annotations

from typing import Any

from hubsight.errors import ContractError
from hubsight.helpers.coverage import window_meta
from hubsight.helpers.runtime import Ctx
from hubsight.hub import normalise

HUB_PAGE = 50
"""The Hub serves discussions 50 a page, each page with the total count."""


def _check_repo_id(repo_id: Any) -> str:
    """Reject a malformed repo id before any request, with the client's own rule."""
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    if not isinstance(repo_id, str) or not repo_id.strip():
        raise ContractError(f"repo_id must be a non-empty string like 'owner/name', got {repo_id!r}")
    try:
        validate_repo_id(repo_id.strip())
    except HFValidationError as exc:
        raise ContractError(f"repo_id {repo_id!r} is not a valid repo id: {exc}") from exc
    return repo_id.strip()


def discussion_row(d: Any, endpoint: str) -> dict[str, Any]:
    """A huggingface_hub Discussion (or DiscussionWithDetails) as a canonical discussion row."""
    return {
        "num": d.num,
        "repo_id": d.repo_id,
        "repo_type": d.repo_type,
        "title": d.title,
        "author": d.author,
        "created_at": normalise.iso(d.created_at),
        "status": d.status,
        "url": f"{normalise.repo_url(endpoint, d.repo_type, d.repo_id)}/discussions/{d.num}",
    }


def _html(comment: Any) -> str | None:
    try:
        return comment.rendered
    except (KeyError, TypeError, AttributeError):
        return None


def discussion_detail_row(d: Any, endpoint: str) -> dict[str, Any]:
    """A DiscussionWithDetails as a detail row: the summary plus its comment count and latest comment."""
    comments = [e for e in d.events if getattr(e, "type", None) == "comment"]
    latest = max(reversed(comments), key=lambda c: c.created_at) if comments else None
    return {
        **discussion_row(d, endpoint),
        "comment_count": len(comments),
        "latest_comment_author": latest.author if latest else None,
        "latest_comment_created_at": normalise.iso(latest.created_at) if latest else None,
        "latest_comment_text": getattr(latest, "content", None) if latest else None,
        "latest_comment_html": _html(latest) if latest else None,
    }


def _listed(raw: dict[str, Any], endpoint: str) -> Any:
    """A raw listed discussion as huggingface_hub builds it (get_repo_discussions), without the client."""
    from types import SimpleNamespace

    from huggingface_hub.utils import parse_datetime

    repo = raw.get("repo") or {}
    return SimpleNamespace(
        title=raw.get("title"), num=raw.get("num"), author=(raw.get("author") or {}).get("name", "deleted"),
        created_at=parse_datetime(raw["createdAt"]) if raw.get("createdAt") else None, status=raw.get("status"),
        repo_id=repo.get("name"), repo_type=repo.get("type"),
    )


async def hf_repo_discussions(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """Newest first, ``limit`` rows. The Hub sends the number of discussions with every page, so the total
    is exact and no probe request is needed: a page is fetched only for rows that will be returned."""
    plan = ctx.limit()
    kind = args["repo_type"]
    repo_id = _check_repo_id(args.get("repo_id"))
    ctx.source = f"/api/{kind}s/{repo_id}/discussions"
    raw: list[dict[str, Any]] = []
    count: int | None = None
    page = 0
    while True:
        body = await ctx.client.get_json(ctx.source, {"p": page})
        listed = body.get("discussions") if isinstance(body, dict) else None
        if not isinstance(listed, list) or not isinstance(body.get("count"), int):
            raise ContractError("the Hub's discussions answer has no 'discussions' list or 'count'; the API may have changed")
        count = body["count"]
        raw.extend(listed)
        start = body.get("start") if isinstance(body.get("start"), int) else page * HUB_PAGE
        page += 1
        if len(raw) >= plan.applied or not listed or start + len(listed) >= count:
            break
    rows = [discussion_row(_listed(d, ctx.client.endpoint), ctx.client.endpoint) for d in raw[: plan.applied]]
    more = count > len(rows)
    meta = window_meta(plan, scanned=len(rows), returned=len(rows), upstream_more=more, filtered=False)
    meta.update(total=count, exact_count=True, count=count, count_source="hub")
    return ctx.ok(rows, **meta, repo_id=repo_id, repo_type=kind, hub_page_size=HUB_PAGE)


async def hf_repo_discussion_details(ctx: Ctx, **args: Any) -> dict[str, Any]:
    kind = args["repo_type"]
    repo_id = _check_repo_id(args.get("repo_id"))
    num = args.get("discussion_num")
    if isinstance(num, bool) or not isinstance(num, int) or num < 1:
        raise ContractError(f"discussion_num must be a positive integer (the #number of the discussion), got {num!r}")
    ctx.source = f"/api/{kind}s/{repo_id}/discussions/{num}"
    d = await ctx.client.call(
        f"discussion #{num} of {kind} {repo_id!r}", ctx.client.api.get_discussion_details, repo_id, num, repo_type=kind
    )
    row = discussion_detail_row(d, ctx.client.endpoint)
    return ctx.ok([row], is_pull_request=d.is_pull_request, event_count=len(d.events))
