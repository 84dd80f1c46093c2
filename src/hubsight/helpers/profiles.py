"""hf_profile_summary: one user's or organization's overview as a flat profile row, plus optional samples."""

from __future__ import annotations

import asyncio
from typing import Any

from hubsight.helpers.runtime import Ctx
from hubsight.helpers.social import check_handle, current_username, entity_overview

SAMPLE_MAX = 2000
"""Largest likes_limit / activity_limit: the maxima of hf_user_likes and hf_recent_activity."""
SOCIAL_URLS = {
    "twitter_url": ("twitterUsername", "https://twitter.com/{}"),
    "github_url": ("githubUsername", "https://github.com/{}"),
    "linkedin_url": ("linkedinUsername", "https://www.linkedin.com/in/{}"),
    "bluesky_url": ("blueskyUsername", "https://bsky.app/profile/{}"),
}


def _social_url(handle: Any, template: str) -> str | None:
    """The overview sends bare handles (sometimes with '@' or already a URL): make them links."""
    if not isinstance(handle, str) or not handle.strip():
        return None
    handle = handle.strip()
    if handle.lower().startswith(("http://", "https://")):
        return handle
    return template.format(handle.lstrip("@"))


def profile_row(kind: str, ov: Any, handle: str) -> dict[str, Any]:
    """A huggingface_hub ``User`` or ``Organization`` overview as a canonical profile row (every PROFILE_FIELDS key)."""
    user = kind == "user"
    name = (ov.username if user else ov.name) or handle
    extra = vars(ov)  # huggingface_hub keeps unknown overview keys (websiteUrl, *Username) as attributes
    row: dict[str, Any] = {
        "handle": name,
        "entity_type": kind,
        "display_name": ov.fullname or name,
        "bio": (ov.details or None) if user else None,
        "description": None if user else (ov.details or None),
        "avatar_url": ov.avatar_url or None,
        "website_url": extra.get("websiteUrl") or None,
    }
    for field, (key, template) in SOCIAL_URLS.items():
        row[field] = _social_url(extra.get(key), template)
    row.update({
        "followers_count": ov.num_followers,
        "following_count": ov.num_following if user else None,
        "likes_count": ov.num_likes if user else None,
        "members_count": None if user else ov.num_users,
        "models_count": ov.num_models,
        "datasets_count": ov.num_datasets,
        "spaces_count": ov.num_spaces,
        "discussions_count": ov.num_discussions if user else None,
        "papers_count": ov.num_papers,
        "upvotes_count": ov.num_upvotes if user else None,
        "organizations": [o.name for o in ov.orgs] if user else None,
        "is_pro": ov.is_pro if user else None,
        "likes_sample": None,
        "activity_sample": None,
    })
    return row


def _sample_meta(resp: dict[str, Any]) -> dict[str, Any]:
    meta = resp.get("meta") or {}
    keys = ("returned", "more_available", "truncated")
    return {**{k: meta.get(k) for k in keys}, "ok": resp["ok"], "error": resp.get("error")}


async def hf_profile_summary(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """One overview request (a 404 on the user overview tries the org overview); the samples run after it,
    concurrently, through hf_user_likes / hf_recent_activity so their budget and coverage are their own."""
    from hubsight.helpers import hf_recent_activity, hf_user_likes

    include = list(dict.fromkeys(args.get("include") or []))
    likes_plan = ctx.limit("likes_limit", default=10, maximum=SAMPLE_MAX)
    activity_plan = ctx.limit("activity_limit", default=10, maximum=SAMPLE_MAX)
    explicit = args.get("handle") is not None
    handle = check_handle(args["handle"], "handle") if explicit else \
        await current_username(ctx, "hf_profile_summary with handle=None (the current user)")
    ctx.source = f"/api/users/{handle}/overview"
    kind, ov = await entity_overview(ctx, handle, user_only=not explicit)
    if kind == "org":
        ctx.source = f"/api/organizations/{handle}/overview"
    row = profile_row(kind, ov, handle)
    name = row["handle"]
    samples: dict[str, Any] = {}
    jobs = {}
    if "likes" in include:
        if kind == "org":
            samples["likes"] = {"ok": True, "error": None, "note": "organizations have no likes"}
        else:
            row["likes_sample"] = []
            jobs["likes"] = lambda: hf_user_likes(
                username=name, limit=likes_plan.applied,
                fields=["liked_at", "repo_id", "repo_type", "repo_author", "repo_url"],
            )
    if "activity" in include:
        row["activity_sample"] = []
        jobs["activity"] = lambda: hf_recent_activity(feed_type=kind, entity=name, limit=activity_plan.applied)
    gate = asyncio.Semaphore(ctx.settings.helper_fanout)

    async def one(make: Any) -> dict[str, Any]:
        async with gate:
            return await make()

    answers = await asyncio.gather(*(one(make) for make in jobs.values()))
    for section, resp in zip(jobs, answers, strict=True):
        if resp["ok"]:
            row[f"{section}_sample"] = resp["items"]
        samples[section] = _sample_meta(resp)
    meta: dict[str, Any] = {"entity_type": kind, "include": include}
    if "likes" in include:
        meta.update(likes_limit=likes_plan.applied, likes_limit_hard_cap_applied=likes_plan.hard_cap_applied)
    if "activity" in include:
        meta.update(activity_limit=activity_plan.applied, activity_limit_hard_cap_applied=activity_plan.hard_cap_applied)
    if samples:
        meta["samples"] = samples
    return ctx.ok([row], **meta)
