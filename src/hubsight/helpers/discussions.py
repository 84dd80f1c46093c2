"""Discussion helpers: the newest discussions/PRs of a repo, and one discussion in detail."""

from __future__ import annotations

from typing import Any

from hubsight.errors import ContractError
from hubsight.helpers.coverage import window_meta
from hubsight.helpers.runtime import Ctx
from hubsight.hub import normalise
from hubsight.hub.client import list_page

HUB_PAGE = 50
"""The Hub serves discussions 50 a page; the client asks for the next page only when more exist."""


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


async def hf_repo_discussions(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """Newest first, ``limit`` rows plus a one-row probe. The probe costs an extra page request only
    when ``limit`` is a multiple of 50 and the repo has more discussions than that."""
    plan = ctx.limit()
    kind = args["repo_type"]
    repo_id = _check_repo_id(args.get("repo_id"))
    api = ctx.client.api
    ctx.source = f"/api/{kind}s/{repo_id}/discussions"
    found, more = await ctx.client.call(
        f"discussions of {kind} {repo_id!r}", list_page, lambda: api.get_repo_discussions(repo_id, repo_type=kind), plan.applied
    )
    rows = [discussion_row(d, ctx.client.endpoint) for d in found]
    meta = window_meta(plan, scanned=len(rows), returned=len(rows), upstream_more=more, filtered=False)
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
