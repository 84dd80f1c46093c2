"""The papers source: arXiv in the followed categories with every category kept, daily papers with upvotes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from hubsight.crawl import crawl
from hubsight.crawl.papers import query, window
from hubsight.replica import ReplicaServer
from hubsight.replica.papers import daily_papers, papers_between
from hubsight.store.db import make_engine
from hubsight.store.schema import daily_papers as daily_table
from hubsight.store.schema import paper_categories, papers
from tests.crawl.conftest import settings_for

D = date(2026, 11, 23)
FOLLOWED = ["cs.AI", "cs.LG", "cs.CL", "cs.CV", "stat.ML"]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_the_window_is_two_days_back_or_a_week_on_a_first_crawl() -> None:
    assert window(D, []) == (D - timedelta(days=7), D)
    assert window(D, [D - timedelta(days=1)]) == (D - timedelta(days=2), D)
    assert window(D, [D - timedelta(days=5)]) == (D - timedelta(days=7), D), "a gap is backfilled"
    assert query(["cs.AI", "stat.ML"], D - timedelta(days=2), D) == (
        "(cat:cs.AI OR cat:stat.ML) AND submittedDate:[202611210000 TO 202611232359]"
    )


def _stored(url: str) -> tuple[dict, dict, dict]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = {r.arxiv_id: r for r in conn.execute(select(papers))}
        cats: dict[str, set[str]] = {}
        for c in conn.execute(select(paper_categories)):
            cats.setdefault(c.arxiv_id, set()).add(c.category)
        daily = {(r.date, r.paper_id): r for r in conn.execute(select(daily_table))}
    engine.dispose()
    return rows, cats, daily


def test_papers_keep_every_category_and_daily_papers_their_upvotes(db_url: str) -> None:
    with ReplicaServer(scale="tiny", seed=17, start=D) as replica:
        settings = settings_for(replica, db_url)
        summary = crawl(settings=settings, only=["papers"])
        w = replica.world
        expected = [p for p in papers_between(w, D - timedelta(days=7), D) if set(p.categories) & set(FOLLOWED)]
        dailies = {d.paper.id: d.upvotes(w.now_ts) for d in daily_papers(w, D)}
        replica.world.advance(1)
        second = crawl(settings=settings, only=["papers"])
        expected_day2 = {d.paper.id: d.upvotes(w.now_ts) for d in daily_papers(w, D + timedelta(days=1))}
    assert summary.ok and second.ok
    assert summary.results[0].stats["window"] == [str(D - timedelta(days=7)), str(D)]
    assert second.results[0].stats["window"] == [str(D - timedelta(days=1)), str(D + timedelta(days=1))]
    rows, cats, daily = _stored(db_url)
    assert expected and {p.id for p in expected} <= set(rows)
    multi = 0
    for p in expected:
        row = rows[p.id]
        assert cats[p.id] == set(p.categories), "every category of the paper, not just the followed ones"
        assert row.primary_category == p.primary and row.title == p.title
        assert _aware(row.published) == datetime.fromtimestamp(p.published, UTC)
        assert row.authors == [a.name for a in p.authors]
        assert row.first_seen == D
        multi += len(p.categories) > 1
    assert multi and any(not set(c) <= set(FOLLOWED) for c in cats.values())
    assert {pid: r.upvotes for (d, pid), r in daily.items() if d == D} == dailies
    assert {pid: r.upvotes for (d, pid), r in daily.items() if d == D + timedelta(days=1)} == expected_day2
    ranks = sorted((r.rank, -r.upvotes) for (d, _), r in daily.items() if d == D)
    assert [r for r, _ in ranks] == list(range(1, len(ranks) + 1)) and [u for _, u in ranks] == sorted(u for _, u in ranks)


def test_arxiv_is_asked_at_most_once_per_delay(monkeypatch) -> None:
    import itertools
    import time

    import requests

    from hubsight.crawl import papers as source
    from hubsight.crawl.retry import from_settings
    from hubsight.crawl.runner import _arxiv_delay
    from hubsight.settings import get_settings

    sent: list[float] = []
    send = requests.adapters.HTTPAdapter.send

    def timed(self, request, **kwargs):  # type: ignore[no-untyped-def]
        sent.append(time.monotonic())
        return send(self, request, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", timed)
    monkeypatch.setattr(source, "ARXIV_PAGE", 15)  # several pages from a tiny world
    with ReplicaServer(scale="tiny", seed=17, start=D) as replica:
        settings = get_settings(hf_endpoint=replica.url, hf_token="", arxiv_delay_seconds=0.4)
        rows = source.fetch_arxiv(settings, D - timedelta(days=2), D, from_settings(settings))
    gaps = [b - a for a, b in itertools.pairwise(sent)]
    assert len(rows) > 30 and len(sent) >= 3
    assert min(gaps) >= 0.4 * 0.95, gaps
    # arXiv's own terms: 3 s by default, kept for any endpoint but a replica's built-in arXiv
    assert get_settings().arxiv_delay_seconds == 3.0
    assert _arxiv_delay(get_settings(hf_endpoint="https://huggingface.co")) == 3.0
