"""The daily papers helper against the replica, checked against huggingface_hub's own answers."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from huggingface_hub import HfApi
from huggingface_hub.utils import get_session

from hubsight.helpers import hf_daily_papers, hf_paper_details
from hubsight.helpers.papers import page_plan
from hubsight.hub import normalise

PAPER_FIELDS = {
    "paper_id", "title", "summary", "published_at", "submitted_on_daily_at", "authors", "organization",
    "submitted_by", "discussion_id", "upvotes", "github_repo_url", "github_stars", "project_page_url",
    "num_comments", "is_author_participating", "repo_id", "rank",
}


def z(dt) -> str | None:
    return normalise.iso(dt) if dt else None


def expected(p, rank: int) -> dict:
    return {
        "paper_id": p.id, "title": p.title, "summary": p.summary, "published_at": z(p.published_at),
        "submitted_on_daily_at": z(p.submitted_at), "authors": [a.name for a in p.authors or []],
        "organization": p.organization.name if p.organization else None,
        "submitted_by": p.submitted_by.username if p.submitted_by else None, "discussion_id": p.discussion_id,
        "upvotes": p.upvotes, "github_repo_url": p.github_repo, "github_stars": p.github_stars,
        "project_page_url": p.project_page, "num_comments": p.comments,
        "is_author_participating": getattr(p, "isAuthorParticipating", None), "repo_id": None, "rank": rank,
    }


@pytest.fixture(scope="module")
def feed(replica) -> list:
    """The newest 200 feed rows as the plain client reads them (two pages of 100)."""
    api = HfApi(endpoint=replica.url, token=False)
    return list(api.list_daily_papers(p=0, limit=100)) + list(api.list_daily_papers(p=1, limit=100))


def test_default_window(run_helper, feed: list) -> None:
    res, run = run_helper(lambda: hf_daily_papers())
    assert res["ok"] and res["items"] == [expected(p, k) for k, p in enumerate(feed[:20], start=1)]
    assert all(set(r) == PAPER_FIELDS for r in res["items"])
    meta = res["meta"]
    assert meta["default_limit_used"] is True and meta["applied_limit"] == 20 and meta["probe_row"] is True
    assert meta["limit_boundary_hit"] is True and meta["truncated"] is True and meta["more_available"] is True
    assert meta["sample_complete"] is False and meta["exact_count"] is False and meta["total"] is None
    assert meta["budget_used"] == len(run.trace) == 1 and run.trace[0].params == {"p": "0", "limit": "21"}


def test_rows_carry_optional_fields(run_helper, feed: list) -> None:
    res, _ = run_helper(lambda: hf_daily_papers(limit=100))
    rows = res["items"]
    assert rows == [expected(p, k) for k, p in enumerate(feed[:100], start=1)]
    assert any(r["organization"] for r in rows) and any(r["github_repo_url"] for r in rows)
    assert any(r["project_page_url"] for r in rows) and all(r["submitted_by"] for r in rows)
    assert all(r["published_at"].endswith("Z") and r["submitted_on_daily_at"].endswith("Z") for r in rows)


def test_a_full_page_without_probe_is_honest(run_helper) -> None:
    res, run = run_helper(lambda: hf_daily_papers(limit=100, fields=["rank"]))
    meta = res["meta"]
    assert [r["rank"] for r in res["items"]] == list(range(1, 101))
    assert meta["probe_row"] is False and meta["more_available"] == "unknown" and meta["limit_boundary_hit"] is False
    assert meta["truncated"] is True and meta["sample_complete"] is False and meta["exact_count"] is False
    assert meta["budget_used"] == len(run.trace) == 1


def test_several_pages(run_helper, feed: list) -> None:
    res, run = run_helper(lambda: hf_daily_papers(limit=150, fields=["paper_id", "rank"]))
    assert [r["paper_id"] for r in res["items"]] == [p.id for p in feed[:150]]
    assert [r["rank"] for r in res["items"]] == list(range(1, 151))
    meta = res["meta"]
    assert meta["more_available"] is True and meta["limit_boundary_hit"] is True and meta["pages_fetched"] == 2
    assert meta["budget_used"] == len(run.trace) == 2
    assert [c.params for c in run.trace] == [{"p": "0", "limit": "76"}, {"p": "1", "limit": "76"}]


def test_limit_above_the_maximum_is_clamped(run_helper) -> None:
    res, run = run_helper(lambda: hf_daily_papers(limit=900, fields=["rank"]))
    meta = res["meta"]
    assert meta["hard_cap_applied"] is True and meta["requested_limit"] == 900 and meta["applied_limit"] == 500
    assert len(res["items"]) == 500 and meta["budget_used"] == len(run.trace) == 5


def test_page_plan() -> None:
    assert page_plan(0) == (1, 1, True)
    assert page_plan(20) == (1, 21, True)
    assert page_plan(99) == (1, 100, True)
    assert page_plan(100) == (1, 100, False)
    assert page_plan(150) == (2, 76, True)
    assert page_plan(500) == (5, 100, False)
    assert page_plan(499) == (5, 100, True)


def test_where_filters_the_window(run_helper, feed: list) -> None:
    window = [expected(p, k) for k, p in enumerate(feed[:50], start=1)]
    bound = sorted(r["upvotes"] or 0 for r in window)[25]
    res, _ = run_helper(lambda: hf_daily_papers(limit=50, where={"upvotes": {"gte": bound}}))
    assert res["items"] == [r for r in window if (r["upvotes"] or 0) >= bound and r["upvotes"] is not None]
    meta = res["meta"]
    assert meta["scanned"] == 50 and meta["matched"] == len(res["items"]) <= 50
    assert meta["more_available"] == "unknown" and meta["truncated"] is True and meta["exact_count"] is False
    ranks, _ = run_helper(lambda: hf_daily_papers(limit=30, where={"rank": {"lte": 3}}, fields=["rank"]))
    assert ranks["items"] == [{"rank": 1}, {"rank": 2}, {"rank": 3}]


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: hf_daily_papers(fields=["paper_id", "stars"]), "unknown field 'stars'; allowed: paper_id,"),
        (lambda: hf_daily_papers(where={"stars": 3}), "unknown where key 'stars'; allowed: paper_id,"),
        (lambda: hf_daily_papers(date="2026-11-20"), "unknown argument 'date'"),
        (lambda: hf_daily_papers(limit=-1), "limit must be >= 0"),
    ],
)
def test_contract_errors_fail_before_any_request(run_helper, call, needle: str) -> None:
    res, run = run_helper(call)
    assert res["ok"] is False and needle in res["error"], res["error"]
    assert run.trace == []


def test_budget_exhaustion(run_helper) -> None:
    res, run = run_helper(lambda: hf_daily_papers(limit=150), max_calls=1)
    assert res["ok"] is False and "budget exhausted" in res["error"] and "max_calls=1" in res["error"]
    assert len(run.trace) == 1


# -- one paper's page --------------------------------------------------------------------------------
def test_paper_details_is_the_paper_page(run_helper, replica, feed: list) -> None:
    """hf_paper_details reads /api/papers/{id} with HfApi.paper_info: the daily row's fields (no rank) and the
    AI summary, for the same paper the feed lists."""
    listed = next(p for p in feed if p.ai_summary and p.organization)
    page = HfApi(endpoint=replica.url, token=False).paper_info(listed.id)
    res, run = run_helper(lambda: hf_paper_details(listed.id))
    row = {k: v for k, v in expected(page, 0).items() if k != "rank"}
    assert res["ok"] and res["items"] == [{**row, "ai_summary": page.ai_summary, "ai_keywords": page.ai_keywords}]
    item = res["item"]
    assert item["paper_id"] == listed.id and item["title"] == listed.title and item["upvotes"] == listed.upvotes
    assert item["ai_keywords"] and item["organization"] and item["published_at"].endswith("Z")
    assert res["meta"]["budget_used"] == len(run.trace) == 1 and run.trace[0].endpoint == f"/api/papers/{listed.id}"
    narrow, _ = run_helper(lambda: hf_paper_details(listed.id, fields=["title", "upvotes"]))
    assert narrow["items"] == [{"title": listed.title, "upvotes": listed.upvotes}]


@pytest.mark.parametrize(
    ("call", "error_type", "needle", "requests"),
    [
        (lambda: hf_paper_details("0000.00000"), "NotFound", "paper_info(0000.00000): not found", 1),
        (lambda: hf_paper_details("  "), "ContractError", "paper_id must be an arXiv id like '2509.04664'", 0),
        (lambda: hf_paper_details(2509.04664), "ContractError", "paper_id must be a string, got float", 0),
        (lambda: hf_paper_details(), "ContractError", "missing a required argument: 'paper_id'", 0),
        (lambda: hf_paper_details("2509.04664", fields=["rank"]), "ContractError", "unknown field 'rank'", 0),
    ],
)
def test_paper_details_errors(run_helper, call, error_type: str, needle: str, requests: int) -> None:
    res, run = run_helper(call)
    assert res["ok"] is False and res["meta"]["error_type"] == error_type and needle in res["error"], res["error"]
    assert len(run.trace) == requests


# -- a short feed, to see the exhausted case -------------------------------------------------------
class ShortFeed(BaseHTTPRequestHandler):
    items: ClassVar[list] = []

    def do_GET(self) -> None:
        url = urlparse(self.path)
        q = parse_qs(url.query)
        page, limit = int(q.get("p", ["0"])[0]), int(q.get("limit", ["50"])[0])
        body = json.dumps(self.items[page * limit : (page + 1) * limit] if url.path == "/api/daily_papers" else []).encode()
        self.send_response(200 if url.path == "/api/daily_papers" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def short_feed(replica) -> Iterator[str]:
    """A server whose whole daily feed is the replica's newest 3 raw items."""
    raw = get_session().get(f"{replica.url}/api/daily_papers", params={"limit": 3}).json()
    ShortFeed.items = raw
    server = ThreadingHTTPServer(("127.0.0.1", 0), ShortFeed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("limit", [3, 20, 100, 200])
def test_an_exhausted_feed_is_exact(run_helper, short_feed, limit: int) -> None:
    url = short_feed
    truth = list(HfApi(endpoint=url, token=False).list_daily_papers(limit=50))
    assert len(truth) == 3
    res, run = run_helper(lambda: hf_daily_papers(limit=limit), endpoint=url)
    assert res["items"] == [expected(p, k) for k, p in enumerate(truth, start=1)]
    meta = res["meta"]
    assert meta["limit_boundary_hit"] is False and meta["truncated"] is False and meta["more_available"] is False
    assert meta["sample_complete"] is True and meta["exact_count"] is True and meta["total"] == 3
    assert meta["budget_used"] == len(run.trace) == 1
