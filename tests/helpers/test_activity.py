"""hf_recent_activity against the replica, checked against the Hub's feed read page by page.

HfApi has no recent-activity method, so the ground truth walks the endpoint with huggingface_hub's own session.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from huggingface_hub.utils import get_session

from hubsight.helpers import hf_recent_activity
from hubsight.hub.session import Run, use_run
from hubsight.replica import ReplicaServer, community
from hubsight.settings import get_settings

JULIEN = "hf_replica_julien-c"


def walk(replica: ReplicaServer, entity: str, feed_type: str = "user", pages: int = 100,
         **params: Any) -> tuple[list[dict[str, Any]], list[str | None]]:
    """Every event of a feed (at most ``pages`` pages of 100) and the cursor after each page."""
    events: list[dict[str, Any]] = []
    cursors: list[str | None] = []
    cursor = None
    for _ in range(pages):
        query = {"feedType": feed_type, "entity": entity, "limit": 100, **params}
        if cursor:
            query["cursor"] = cursor
        body = get_session().get(f"{replica.url}/api/recent-activity", params=query).json()
        events += body["recentActivity"]
        cursor = body["cursor"]
        cursors.append(cursor)
        if not cursor:
            break
    return events, cursors


def rows(events: list[dict[str, Any]]) -> list[tuple]:
    return [(e["type"], e["repoId"], e["repoType"], e["time"]) for e in events]


def got(res: dict[str, Any]) -> list[tuple]:
    return [(r["event_type"], r["repo_id"], r["repo_type"], r["timestamp"]) for r in res["items"]]


@pytest.fixture(scope="module")
def busy(replica: ReplicaServer) -> str:
    """An organization whose feed is a few pages long (fewer than max_pages)."""
    w = replica.world
    everything = set(community.ACTIVITY_TYPES)
    sizes = {g: len(community.feed(w, g, everything)) for g in range(w.owners.n_users, len(w.owners.names))}
    return w.owners.names[max((g for g, n in sizes.items() if 250 < n < 1000), key=sizes.__getitem__)]


@pytest.fixture(scope="module")
def huge(replica: ReplicaServer) -> str:
    """The organization with the longest feed (more than max_pages pages)."""
    w = replica.world
    everything = set(community.ACTIVITY_TYPES)
    return w.owners.names[max(range(w.owners.n_users, len(w.owners.names)), key=lambda g: len(community.feed(w, g, everything)))]


def test_a_window_then_resuming_from_next_cursor(run_helper, replica: ReplicaServer, busy: str) -> None:
    events, _ = walk(replica, busy, "org")
    assert len(events) > 250
    res, run = run_helper(lambda: hf_recent_activity(feed_type="org", entity=busy, limit=5))
    assert got(res) == rows(events[:5]) and set(res["items"][0]) == {"event_type", "repo_id", "repo_type", "timestamp"}
    meta = res["meta"]
    assert meta["limit_boundary_hit"] is True and meta["more_available"] is True and meta["truncated"] is True
    assert meta["sample_complete"] is False and meta["exact_count"] is False and meta["total"] is None
    assert meta["pages_fetched"] == 1 and meta["budget_used"] == len(run.trace) == 1
    assert run.trace[0].params == {"feedType": "org", "entity": busy, "limit": "100"}
    assert meta["feed_type"] == "org" and meta["feed_type_source"] == "given"
    more, _ = run_helper(lambda: hf_recent_activity(feed_type="org", entity=busy, limit=5, start_cursor=meta["next_cursor"]))
    assert got(more) == rows(events[5:10])


def test_multi_page_reads_follow_the_body_cursor(run_helper, replica: ReplicaServer, busy: str) -> None:
    events, cursors = walk(replica, busy, "org")
    res, run = run_helper(lambda: hf_recent_activity(feed_type="org", entity=busy, limit=200))
    assert got(res) == rows(events[:200])
    assert res["meta"]["pages_fetched"] == 2 == len(run.trace) and run.trace[1].params["cursor"] == cursors[0]
    assert res["meta"]["next_cursor"] == cursors[1], "stopped at a page end: the Hub's own cursor resumes"
    assert res["meta"]["more_available"] is True and res["meta"]["limit_boundary_hit"] is True
    rest, _ = run_helper(lambda: hf_recent_activity(feed_type="org", entity=busy, limit=2000, start_cursor=cursors[1]))
    assert got(rest) == rows(events[200:])
    meta = rest["meta"]
    assert meta["sample_complete"] is True and meta["exact_count"] is True and meta["total"] == len(events) - 200
    assert meta["more_available"] is False and meta["truncated"] is False and meta["next_cursor"] is None


def test_a_short_feed_is_exact(run_helper, replica: ReplicaServer) -> None:
    events, _ = walk(replica, "julien-c")
    res, _ = run_helper(lambda: hf_recent_activity(feed_type="user", entity="julien-c"))
    assert got(res) == rows(events) and 0 < len(events) < 100
    meta = res["meta"]
    assert meta["default_limit_used"] is True and meta["applied_limit"] == 100 and meta["feed_type_source"] == "given"
    assert meta["exact_count"] is True and meta["total"] == len(events) and meta["more_available"] is False
    assert meta["limit_boundary_hit"] is False and meta["next_cursor"] is None
    count, _ = run_helper(lambda: hf_recent_activity(entity="julien-c", count_only=True))
    assert count["items"] == [] and count["meta"]["count"] == len(events) and count["meta"]["lower_bound"] is False


def test_max_pages_bounds_the_scan(run_helper, replica: ReplicaServer, huge: str) -> None:
    events, cursors = walk(replica, huge, feed_type="org", pages=10)
    assert cursors[-1] is not None, "the feed is longer than ten pages"
    res, run = run_helper(lambda: hf_recent_activity(feed_type="org", entity=huge, limit=500, max_pages=2))
    meta = res["meta"]
    assert got(res) == rows(events[:200]) and len(run.trace) == 2 and meta["max_pages_hit"] is True
    assert meta["next_cursor"] == cursors[1] and meta["more_available"] is True and meta["truncated"] is True
    count, run = run_helper(lambda: hf_recent_activity(feed_type="org", entity=huge, count_only=True, max_pages=50))
    meta = count["meta"]
    assert meta["count"] == 1000 and meta["lower_bound"] is True and meta["exact_count"] is False
    assert meta["max_pages"] == 10 and meta["requested_max_pages"] == 50 and meta["hard_cap_applied"] is True
    assert len(run.trace) == 10 == meta["budget_used"] and meta["next_cursor"] == cursors[9]
    capped, _ = run_helper(lambda: hf_recent_activity(feed_type="org", entity=huge, limit=5000, max_pages=1))
    assert capped["meta"]["hard_cap_applied"] is True and capped["meta"]["applied_limit"] == 2000


def test_local_filters_and_the_mid_page_cursor(run_helper, replica: ReplicaServer, busy: str) -> None:
    events, _ = walk(replica, busy, "org")
    models = [e for e in events if e["repoType"] == "model"]
    res, _ = run_helper(lambda: hf_recent_activity(feed_type="org", entity=busy, repo_types=["model"], limit=3))
    assert got(res) == rows(models[:3]) and res["meta"]["more_available"] is True
    after = res["meta"]["next_cursor"]
    assert after.startswith("hs:"), "stopped inside a page: the cursor says how far into it"
    more, _ = run_helper(lambda: hf_recent_activity(feed_type="org", entity=busy, repo_types=["model"], limit=3, start_cursor=after))
    assert got(more) == rows(models[3:6])

    since = events[30]["time"]
    recent, _ = run_helper(lambda: hf_recent_activity(feed_type="org", entity=busy, where={"timestamp": {"gte": since}},
                                                      max_pages=1, limit=1000, fields=["timestamp"]))
    assert [r["timestamp"] for r in recent["items"]] == [e["time"] for e in events[:100] if e["time"] >= since]
    assert recent["meta"]["more_available"] == "unknown" and recent["meta"]["max_pages_hit"] is True

    updates, _ = walk(replica, busy, "org", activityType="update")
    res, run = run_helper(lambda: hf_recent_activity(feed_type="org", entity=busy, activity_types=["update"], limit=50))
    assert got(res) == rows(updates[:50]) and {r["event_type"] for r in res["items"]} == {"update"}
    assert run.trace[0].params["activityType"] == "update" and res["meta"]["more_available"] is True


def test_entity_defaults_and_errors(run_helper, replica: ReplicaServer) -> None:
    org_events, _ = walk(replica, "huggingface", feed_type="org")
    res, run = run_helper(lambda: hf_recent_activity(entity="huggingface", limit=3))
    assert got(res) == rows(org_events[:3]) and res["meta"]["feed_type"] == "org"
    assert res["meta"]["feed_type_source"] == "fallback" and [c.status for c in run.trace] == [404, 200]
    wrong, _ = run_helper(lambda: hf_recent_activity(feed_type="user", entity="huggingface"))
    assert not wrong["ok"] and "no user named 'huggingface'" in wrong["error"]
    missing, _ = run_helper(lambda: hf_recent_activity(entity="nobody-by-this-name"))
    assert not missing["ok"] and "no user or organization named 'nobody-by-this-name'" in missing["error"]

    mine, run = run_helper(lambda: hf_recent_activity(limit=3), token=JULIEN)
    assert got(mine) == rows(walk(replica, "julien-c")[0][:3]) and mine["meta"]["feed_type_source"] == "current_user"
    assert [c.endpoint for c in run.trace] == ["/api/whoami-v2", "/api/recent-activity"]
    anon, run = run_helper(lambda: hf_recent_activity())
    assert not anon["ok"] and "needs a Hub token" in anon["error"] and run.trace == []
    org_only, run = run_helper(lambda: hf_recent_activity(feed_type="org"))
    assert not org_only["ok"] and "needs entity=" in org_only["error"] and run.trace == []


def test_bad_arguments_fail_fast(run_helper) -> None:
    bad, _ = run_helper(lambda: hf_recent_activity(entity="julien-c", activity_types=["dance"]))
    assert not bad["ok"] and "activityType must be among" in bad["error"]
    bad, run = run_helper(lambda: hf_recent_activity(entity="julien-c", fields=["when"]))
    assert not bad["ok"] and "unknown field 'when'" in bad["error"] and "event_type, repo_id" in bad["error"]
    assert run.trace == []
    bad, _ = run_helper(lambda: hf_recent_activity(entity="julien-c", where={"user": "x"}))
    assert not bad["ok"] and "unknown where key 'user'" in bad["error"]
    bad, _ = run_helper(lambda: hf_recent_activity(entity="julien-c", repo_types=["kernel"]))
    assert not bad["ok"] and "allowed: model, dataset, space" in bad["error"]
    bad, run = run_helper(lambda: hf_recent_activity(entity="julien-c", start_cursor="hs:x:abc"))
    assert not bad["ok"] and "malformed" in bad["error"] and run.trace == []


def test_budget_exhaustion_is_an_error(run_helper, busy: str) -> None:
    res, run = run_helper(lambda: hf_recent_activity(feed_type="org", entity=busy, limit=250), max_calls=2)
    assert not res["ok"] and "budget exhausted" in res["error"] and len(run.trace) == 2


def test_a_feed_that_ends_with_an_empty_page_has_an_exact_total() -> None:
    """The Hub may send a cursor with its last events: an empty page after them still ends the feed."""
    import http.server
    import json as jsonlib
    import threading

    events = [{"time": f"2026-11-{20 - i // 10:02d}T07:09:{i:02d}.000Z", "type": "like",
               "repoData": {"id": f"org/m{i}", "repoType": "model"}} for i in range(49)]

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = jsonlib.dumps({"recentActivity": [] if "cursor=" in self.path else events, "cursor": "next"}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run = Run(max_calls=20, settings=get_settings(hf_endpoint=f"http://127.0.0.1:{server.server_address[1]}", hf_token=""))

        async def main() -> dict:
            with use_run(run):
                return await hf_recent_activity(entity="julien-c", feed_type="user", limit=100)

        res = asyncio.run(main())
    finally:
        server.shutdown()
        server.server_close()
    assert res["ok"], res["error"]
    meta = res["meta"]
    assert meta["returned"] == 49 and meta["total"] == 49 and meta["exact_count"] is True
    assert meta["more_available"] is False and meta["pages_fetched"] == 2
