"""Papers: the Hub's daily papers feed (newest first, in feed order) and one paper's page by arXiv id."""

from __future__ import annotations

import math
from typing import Any

from hubsight.errors import ContractError
from hubsight.helpers import contracts
from hubsight.helpers.coverage import window_meta
from hubsight.helpers.runtime import Ctx
from hubsight.hub import normalise

HUB_PAGE_MAX = 100
"""The Hub's largest ``limit`` for one /api/daily_papers page; the client does not page, we pass ``p``."""


def page_plan(limit: int) -> tuple[int, int, bool]:
    """(pages, page_size, probe): the fewest requests that read ``limit`` rows, plus a probe row when
    that needs no extra request. Pages must share one size, since the Hub pages by ``p * limit``."""
    if limit > 0 and limit % HUB_PAGE_MAX == 0:
        return limit // HUB_PAGE_MAX, HUB_PAGE_MAX, False
    pages = math.ceil((limit + 1) / HUB_PAGE_MAX)
    return pages, math.ceil((limit + 1) / pages), True


def daily_paper_row(p: Any, rank: int) -> dict[str, Any]:
    """A huggingface_hub PaperInfo from the daily feed as a canonical row; ``rank`` is its 1-based feed position."""
    return {**paper_row(p), "rank": rank}


def paper_row(p: Any) -> dict[str, Any]:
    """A huggingface_hub PaperInfo (daily feed item or paper page) as a canonical row."""
    extra = p.__dict__
    submitted = extra.get("submittedOnDailyAt")
    return {
        "paper_id": p.id,
        "title": p.title,
        "summary": p.summary,
        "published_at": normalise.iso(p.published_at),
        "submitted_on_daily_at": _iso(submitted) if submitted else normalise.iso(p.submitted_at),
        "authors": [a.name for a in p.authors or []],
        "organization": (p.organization.name or None) if p.organization else None,
        "submitted_by": (p.submitted_by.username or None) if p.submitted_by else None,
        "discussion_id": p.discussion_id,
        "upvotes": p.upvotes,
        "github_repo_url": p.github_repo,
        "github_stars": p.github_stars,
        "project_page_url": p.project_page,
        "num_comments": p.comments,
        "is_author_participating": extra.get("isAuthorParticipating"),
        "repo_id": extra.get("repoId", extra.get("repo_id")),  # only when the Hub sends one
    }


def _iso(value: str) -> str:
    from huggingface_hub.utils import parse_datetime

    try:
        return normalise.iso(parse_datetime(value)) or value
    except ValueError:
        return value


async def hf_daily_papers(ctx: Ctx, **args: Any) -> dict[str, Any]:
    """Reads the newest ``limit`` feed rows (pages of at most 100, sequentially, stopping at a short
    page); ``where`` filters that window locally, so it never reads further back."""
    plan = ctx.limit()
    conds = ctx.where
    pages, size, probe = page_plan(plan.applied)
    api = ctx.client.api
    ctx.source = "/api/daily_papers"
    papers: list[Any] = []
    seen: set[str] = set()
    short = False
    fetched = 0
    for page in range(pages):
        got = await ctx.client.call(f"daily papers page {page}", lambda p=page: list(api.list_daily_papers(p=p, limit=size)))
        fetched += 1
        for paper in got:  # a paper arriving between two page requests shifts the pages: drop repeats
            if paper.id not in seen:
                seen.add(paper.id)
                papers.append(paper)
        if len(got) < size:
            short = True
            break
    if len(papers) > plan.applied:
        more: bool | None = True
    elif short:
        more = False
    else:
        more = None  # limit rows in full pages and no probe row: the next page was not read
    rows = [daily_paper_row(p, rank) for rank, p in enumerate(papers[: plan.applied], start=1)]
    scanned = len(rows)
    if conds:
        rows = [r for r in rows if contracts.matches(r, conds)]
    meta = window_meta(plan, scanned=scanned, returned=len(rows), upstream_more=more, filtered=bool(conds))
    return ctx.ok(rows, **meta, matched=len(rows), pages_fetched=fetched, page_size=size, probe_row=probe, feed="newest")


async def hf_paper_details(ctx: Ctx, **args: Any) -> dict[str, Any]:
    paper_id = args["paper_id"].strip()
    if not paper_id:
        raise ContractError("paper_id must be an arXiv id like '2509.04664', got an empty string")
    ctx.source = "/api/papers/{paper_id}"
    paper = await ctx.client.call(f"paper_info({paper_id})", ctx.client.api.paper_info, paper_id)
    return ctx.ok([{**paper_row(paper), "ai_summary": paper.ai_summary, "ai_keywords": paper.ai_keywords}])
