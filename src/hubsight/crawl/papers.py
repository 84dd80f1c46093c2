"""The papers source: arXiv submissions in the followed categories, and the Hub's daily papers.

arXiv is read through the ``arxiv`` package at no more than one request per ``arxiv_delay_seconds``
(arXiv's terms ask for 3 s). For crawl date D the query covers submissions in [D-2, D] (UTC days):
arXiv announces late and re-crawled papers are upserts, so the overlap costs nothing and closes gaps.
When no papers crawl is stored for D-1 or D-2 (the first crawl, or after an outage) it reaches
back ``BACKFILL_DAYS`` days instead. Every category a paper lists is kept, not only the followed ones.

Daily papers are ``HfApi.list_daily_papers(date=D)``, paged until a short page, with their upvotes
as of the crawl.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, timedelta
from typing import Any

from hubsight.crawl.errors import SchemaChanged
from hubsight.crawl.retry import Retrier

WINDOW_DAYS = 2
BACKFILL_DAYS = 7
ARXIV_PAGE = 500
DAILY_PAGE = 100
ARXIV_DEFAULT_URL = "https://export.arxiv.org/api/query"
_ID = re.compile(r"/abs/(.+?)(?:v(\d+))?$")
"""The id and version in an entry id (``http://arxiv.org/abs/2611.01234v2``; old ids have a slash: ``cs/0601001v1``)."""


def arxiv_url(settings: Any) -> str:
    if settings.arxiv_url:
        return settings.arxiv_url
    return f"{settings.hf_endpoint}/arxiv/api/query" if settings.is_replica else ARXIV_DEFAULT_URL


def window(day: date, stored: list[date]) -> tuple[date, date]:
    """Submission days to ask arXiv for: [D-2, D], or [D-7, D] when D-1 and D-2 were not crawled."""
    recent = any(day - timedelta(days=k) in stored for k in range(1, WINDOW_DAYS + 1))
    return day - timedelta(days=WINDOW_DAYS if recent else BACKFILL_DAYS), day


def query(categories: list[str], first: date, last: date) -> str:
    cats = " OR ".join(f"cat:{c}" for c in categories)
    return f"({cats}) AND submittedDate:[{first:%Y%m%d}0000 TO {last:%Y%m%d}2359]"


def _client(settings: Any) -> Any:
    """An ``arxiv.Client`` pointed at the configured URL, with a timeout on every request."""
    import arxiv
    import requests

    from hubsight.hub.session import CONNECT_SECONDS

    timeout = settings.http_timeout

    class TimeoutAdapter(requests.adapters.HTTPAdapter):
        def send(self, request: Any, **kwargs: Any) -> Any:  # type: ignore[override]
            kwargs["timeout"] = kwargs.get("timeout") or (min(timeout, CONNECT_SECONDS), timeout)  # (connect, read)
            return super().send(request, **kwargs)

    # our Retrier resumes from the last offset, honouring the crawl's attempts and backoff
    client = arxiv.Client(page_size=ARXIV_PAGE, delay_seconds=settings.arxiv_delay_seconds, num_retries=0)
    client.query_url_format = f"{arxiv_url(settings)}?{{}}"
    # the package's session has no timeout of its own: a stalled arXiv would hang the crawl
    for prefix in ("http://", "https://"):
        client._session.mount(prefix, TimeoutAdapter())
    return client


def _paper(result: Any) -> dict[str, Any]:
    m = _ID.search(result.entry_id or "")
    if m is None or not result.title or result.published is None:
        raise SchemaChanged(
            f"papers: an arXiv entry lacks its id, title or published date ({result.entry_id!r}); "
            "arXiv's Atom format changed: nothing was stored for this source"
        )
    categories = list(dict.fromkeys([*(result.categories or []), *([result.primary_category] if result.primary_category else [])]))
    return {
        "arxiv_id": m.group(1),
        "version": int(m.group(2)) if m.group(2) else 1,
        "title": " ".join(result.title.split()),
        "summary": (result.summary or "").strip(),
        "authors": [a.name for a in result.authors],
        "published": result.published.astimezone(UTC),
        "updated": result.updated.astimezone(UTC) if result.updated else None,
        "primary_category": result.primary_category,
        "comment": result.comment,
        "journal_ref": result.journal_ref,
        "doi": result.doi,
        "categories": categories,
    }


def fetch_arxiv(
    settings: Any, first: date, last: date, retrier: Retrier, on_rows: Callable[[int], None] | None = None
) -> list[dict[str, Any]]:
    """Every paper submitted in [first, last] in the followed categories (deduplicated by id)."""
    import arxiv

    client = _client(settings)
    search = arxiv.Search(
        query=query(settings.arxiv_categories, first, last),
        max_results=None,
        sort_by=arxiv.SortCriterion.SubmittedDate,
        sort_order=arxiv.SortOrder.Ascending,
    )
    found: dict[str, dict[str, Any]] = {}

    def more() -> None:
        # resume from what we have: a failed page is asked for again, never the whole query
        for result in client.results(search, offset=len(found)):
            row = _paper(result)
            found[row["arxiv_id"]] = row
            if on_rows is not None:
                on_rows(1)

    retrier(f"papers arXiv query ({first} to {last})", more, progress=lambda: len(found))
    return sorted(found.values(), key=lambda r: r["arxiv_id"])


def fetch_daily(
    settings: Any, day: date, retrier: Retrier, on_rows: Callable[[int], None] | None = None
) -> list[dict[str, Any]]:
    """The Hub's daily papers of ``day`` with their upvotes, ranked by upvotes (then id)."""
    from huggingface_hub import HfApi

    api = HfApi(endpoint=settings.hf_endpoint, token=settings.hf_token or False)
    items: dict[str, Any] = {}
    page = 0
    while True:
        batch = retrier(
            f"papers daily papers {day} page {page}",
            lambda p=page: list(api.list_daily_papers(date=day.isoformat(), p=p, limit=DAILY_PAGE)),
        )
        for info in batch:
            if not info.id:
                raise SchemaChanged("papers: a daily paper has no id; the Hub's daily_papers format changed")
            if info.upvotes is not None and type(info.upvotes) is not int:
                raise SchemaChanged(
                    f"papers: daily paper {info.id} has upvotes {info.upvotes!r}, not an integer; "
                    "the Hub's daily_papers format changed: nothing was stored for this source"
                )
            items[info.id] = info
        if on_rows is not None:
            on_rows(len(batch))
        if len(batch) < DAILY_PAGE:
            break
        page += 1
    ranked = sorted(items.values(), key=lambda i: (-(i.upvotes or 0), i.id))
    rows = []
    for rank, info in enumerate(ranked, start=1):
        rows.append(
            {
                "paper_id": info.id,
                "rank": rank,
                "title": info.title,
                "upvotes": info.upvotes or 0,
                "num_comments": info.comments,
                "submitted_by": getattr(info.submitted_by, "username", None) or getattr(info.submitted_by, "name", None),
                "organization": getattr(info.organization, "name", None),
                "published_at": info.published_at,
                "submitted_on_daily_at": info.submitted_at,
                "github_repo": info.github_repo,
                "github_stars": info.github_stars,
                "project_page": info.project_page,
            }
        )
    return rows
