"""Papers in the replica, through the real clients: Hub daily papers (HfApi) and the arXiv API (arxiv)."""

from __future__ import annotations

from datetime import date, timedelta

import arxiv
import httpx
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import BadRequestError, HfHubHTTPError
from lxml import etree

from hubsight.replica.papers import DailyPaper, Paper, arxiv_world, daily_papers, papers_between
from tests.conftest import REPLICA_DATE

DAY1, DAY2 = REPLICA_DATE - timedelta(days=3), REPLICA_DATE - timedelta(days=2)
TWO_DAYS = f"submittedDate:[{DAY1:%Y%m%d}0000 TO {DAY2:%Y%m%d}2359]"
ATOM = {"a": "http://www.w3.org/2005/Atom", "os": "http://a9.com/-/spec/opensearch/1.1/"}


def arxiv_client(url: str, page_size: int = 100) -> arxiv.Client:
    client = arxiv.Client(page_size=page_size, delay_seconds=0, num_retries=0)
    client.query_url_format = f"{url}/arxiv/api/query?{{}}"
    return client


def all_pages(api: HfApi, **params) -> list:
    """Every page of a daily-papers listing: the client sends one request per page number."""
    out, p = [], 0
    while True:
        page = list(api.list_daily_papers(p=p, limit=100, **params))
        out.extend(page)
        if len(page) < 100:
            return out
        p += 1


def assert_daily_matches(got, want: DailyPaper, w) -> None:
    now, p = w.now_ts, want.paper
    assert got.id == p.id
    assert got.title == p.title and got.summary == p.summary
    assert [a.name for a in got.authors] == [a.name for a in p.authors]
    claimed = [a.user.username for a in got.authors if a.user is not None]
    assert claimed == [w.owners.names[a.user] for a in p.authors if a.user >= 0]
    assert got.published_at.timestamp() == p.published
    assert got.submitted_at.timestamp() == want.submitted
    assert got.submitted_by.username == w.owners.names[want.submitter]
    assert got.upvotes == want.upvotes(now) >= 1
    assert got.comments == want.comments(now)
    assert got.discussion_id == want.discussion_id and len(got.discussion_id) == 24
    assert got.github_repo == want.github_repo and got.github_stars == want.stars(now)
    assert got.project_page == want.project_page
    assert got.ai_summary == want.ai_summary
    assert (got.organization.name if got.organization else None) == (w.owners.names[p.org] if p.org >= 0 else None)


def test_daily_papers_of_a_date_match_the_world(replica, hf_api: HfApi) -> None:
    w = replica.world
    week = daily_papers(w, REPLICA_DATE - timedelta(days=7), REPLICA_DATE - timedelta(days=1))
    seen_optional = {"org": False, "github": False, "claimed": False}
    for k in range(1, 8):
        day = REPLICA_DATE - timedelta(days=k)
        want = daily_papers(w, day)
        got = list(hf_api.list_daily_papers(date=day.isoformat()))
        assert 3 <= len(got) <= 40 and len(got) == len(want)
        for g, d in zip(got, want, strict=True):
            assert_daily_matches(g, d, w)
            assert g.submitted_at.date() == day
            assert (day - d.paper.day).days in (1, 2, 3)
            assert set(d.paper.categories) & {"cs.AI", "cs.LG", "cs.CL", "cs.CV", "stat.ML"}
            seen_optional["org"] |= g.organization is not None
            seen_optional["github"] |= g.github_repo is not None
            seen_optional["claimed"] |= any(a.user is not None for a in g.authors)
    assert all(seen_optional.values()), seen_optional
    # submitters are real replica users, and the famous curator shows up often
    assert all(0 <= d.submitter < w.owners.n_users for d in week)
    assert sum(w.owners.names[d.submitter] == "akhaliq" for d in week) >= len(week) // 6


def test_trending_week_month_and_paging(replica, hf_api: HfApi) -> None:
    w = replica.world
    now = w.now_ts
    day = REPLICA_DATE - timedelta(days=2)
    trending = list(hf_api.list_daily_papers(date=day.isoformat(), sort="trending"))
    assert sorted(p.id for p in trending) == sorted(d.paper.id for d in daily_papers(w, day))
    assert [p.upvotes for p in trending] == sorted((p.upvotes for p in trending), reverse=True)

    recent = daily_papers(w, REPLICA_DATE - timedelta(days=6), REPLICA_DATE)
    top = sorted(recent, key=lambda d: (-d.upvotes(now), -d.submitted, d.paper.id))[:50]
    assert [p.id for p in hf_api.list_daily_papers(sort="trending")] == [d.paper.id for d in top]

    monday = date.fromisocalendar(*REPLICA_DATE.isocalendar()[:2], 1) - timedelta(days=7)
    iso_week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    week = list(hf_api.list_daily_papers(week=iso_week, limit=100))
    assert [p.id for p in week] == [d.paper.id for d in daily_papers(w, monday, monday + timedelta(days=6))]

    # a month holds hundreds of daily papers: page through it with p
    month = daily_papers(w, date(2026, 10, 1), date(2026, 10, 31))
    assert len(month) > 250
    pages = all_pages(hf_api, month="2026-10")
    assert [x.id for x in pages] == [d.paper.id for d in month]
    assert len({x.id for x in pages}) == len(pages)

    # without a date: newest first across dates, paged
    first = list(hf_api.list_daily_papers(limit=10))
    second = list(hf_api.list_daily_papers(limit=10, p=1))
    newest = daily_papers(w, REPLICA_DATE - timedelta(days=10), REPLICA_DATE)[:20]
    assert [x.id for x in first + second] == [d.paper.id for d in newest]
    assert first[0].submitted_at >= first[-1].submitted_at >= second[0].submitted_at


def test_submitter_filter_and_bad_parameters(replica, hf_api: HfApi) -> None:
    w = replica.world
    month = daily_papers(w, date(2026, 10, 1), date(2026, 10, 31))
    name = "akhaliq"
    theirs = all_pages(hf_api, month="2026-10", submitter=name)
    assert theirs and [p.id for p in theirs] == [d.paper.id for d in month if w.owners.names[d.submitter] == name]
    assert all(p.submitted_by.username == name for p in theirs)
    assert list(hf_api.list_daily_papers(submitter="no-such-user-xyz")) == []

    for bad in ({"date": "2026-13-01"}, {"date": "yesterday"}, {"week": "2026-W60"}, {"month": "2026-1"}, {"limit": 500}):
        with pytest.raises(BadRequestError) as err:
            list(hf_api.list_daily_papers(**bad))
        assert next(iter(bad)) in str(err.value)
    with pytest.raises(BadRequestError):
        list(hf_api.list_daily_papers(sort="popular"))  # type: ignore[arg-type]
    # the future has no daily papers yet
    assert list(hf_api.list_daily_papers(date=(REPLICA_DATE + timedelta(days=1)).isoformat())) == []


def test_paper_info_and_search(replica, hf_api: HfApi) -> None:
    w = replica.world
    want = daily_papers(w, REPLICA_DATE - timedelta(days=4))[0]
    got = hf_api.paper_info(want.paper.id)
    assert_daily_matches(got, want, w)

    # an arXiv paper that never reached daily papers has no Hub page
    aw = arxiv_world(w)
    plain = next(p for p in papers_between(w, DAY1, DAY1) if aw.daily(p.id, w.now_ts) is None)
    for missing in (plain.id, "2611.99999", "not-an-id"):
        with pytest.raises(HfHubHTTPError) as err:
            hf_api.paper_info(missing)
        assert err.value.response.status_code == 404

    recent = daily_papers(w, REPLICA_DATE - timedelta(days=59), REPLICA_DATE)
    word = "sparse"
    hits = list(hf_api.list_papers(query=word, limit=120))
    expected = {d.paper.id for d in recent if word in d.paper.title.lower() or word in d.paper.summary.lower()}
    assert 0 < len(hits) == min(120, len(expected))
    assert {h.id for h in hits} <= expected
    # title matches rank first
    in_title = [word in h.title.lower() for h in hits]
    assert in_title == sorted(in_title, reverse=True)
    assert all(h.title and h.upvotes and h.submitted_by for h in hits)
    assert len(list(hf_api.list_papers(query="zzzz-nothing"))) == 0


def assert_result_matches(r: arxiv.Result, p: Paper, now: int) -> None:
    v = p.version(now)
    assert r.entry_id == f"http://arxiv.org/abs/{p.id}v{v}"
    assert r.get_short_id() == f"{p.id}v{v}"
    assert r.title == p.title and r.summary == p.summary
    assert [a.name for a in r.authors] == [a.name for a in p.authors]
    assert [a.affiliation for a in r.authors] == [[a.affiliation] if a.affiliation else [] for a in p.authors]
    assert r.primary_category == p.primary and r.categories == list(p.categories)
    assert r.published.timestamp() == p.published and r.updated.timestamp() == p.updated(now)
    assert r.comment == p.comment and r.journal_ref == p.journal_ref and r.doi == p.doi
    assert r.pdf_url == f"https://arxiv.org/pdf/{p.id}v{v}"


def test_arxiv_category_and_date_range_is_exact_across_pages(replica) -> None:
    w = replica.world
    expected = [p for p in papers_between(w, DAY1, DAY2) if {"cs.AI", "cs.LG"} & set(p.categories)]
    expected.sort(key=lambda p: p.published, reverse=True)
    assert 15 < len(expected) < len(papers_between(w, DAY1, DAY2))
    search = arxiv.Search(
        query=f"(cat:cs.AI OR cat:cs.LG) AND {TWO_DAYS}", max_results=None, sort_by=arxiv.SortCriterion.SubmittedDate
    )
    results = list(arxiv_client(replica.url, page_size=7).results(search))
    assert [r.get_short_id().split("v")[0] for r in results] == [p.id for p in expected]
    for r, p in zip(results, expected, strict=True):
        assert_result_matches(r, p, w.now_ts)
    assert any(len(r.categories) > 1 for r in results), "cross-listed papers keep every category"
    assert any(r.doi for r in results) and any(r.comment for r in results)
    assert any(a.affiliation for r in results for a in r.authors)

    # ascending order and a single category give the matching subset, oldest first
    only_ai = arxiv.Search(
        query=f"cat:cs.AI AND {TWO_DAYS}",
        max_results=None,
        sort_by=arxiv.SortCriterion.SubmittedDate,
        sort_order=arxiv.SortOrder.Ascending,
    )
    ids = [r.get_short_id().split("v")[0] for r in arxiv_client(replica.url, page_size=5).results(only_ai)]
    assert ids == [p.id for p in reversed(expected) if "cs.AI" in p.categories]


def test_arxiv_feed_is_arxiv_shaped(replica) -> None:
    params = {"search_query": f"cat:cs.CV AND {TWO_DAYS}", "start": 2, "max_results": 3, "sortBy": "submittedDate"}
    r = httpx.get(f"{replica.url}/arxiv/api/query", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    root = etree.fromstring(r.content)
    total = int(root.findtext("os:totalResults", namespaces=ATOM))
    assert total == sum("cs.CV" in p.categories for p in papers_between(replica.world, DAY1, DAY2))
    assert root.findtext("os:startIndex", namespaces=ATOM) == "2"
    assert root.findtext("os:itemsPerPage", namespaces=ATOM) == "3"
    entries = root.findall("a:entry", ATOM)
    assert len(entries) == 3
    assert all(e.findtext("a:published", namespaces=ATOM).endswith("Z") for e in entries)


def test_arxiv_id_list_and_errors(replica) -> None:
    w = replica.world
    now = w.now_ts
    pool = papers_between(w, REPLICA_DATE - timedelta(days=120), REPLICA_DATE - timedelta(days=100))
    revised = next(p for p in pool if p.version(now) == 2)
    others = [p for p in pool if p is not revised][:4]
    client = arxiv_client(replica.url)
    ids = [others[0].id, f"{revised.id}", f"{others[1].id}v1", *(p.id for p in others[2:])]
    results = list(client.results(arxiv.Search(id_list=ids)))
    # id_list order is kept, and a versionless id gives the latest version
    assert [r.get_short_id() for r in results] == [
        f"{others[0].id}v{others[0].version(now)}",
        f"{revised.id}v2",
        f"{others[1].id}v1",
        *(f"{p.id}v{p.version(now)}" for p in others[2:]),
    ]
    assert_result_matches(results[1], revised, now)
    assert results[1].updated > results[1].published
    old = next(client.results(arxiv.Search(id_list=[f"{revised.id}v1"])))
    assert old.get_short_id() == f"{revised.id}v1" and old.updated == old.published

    # id_list with a query keeps only the ids that match it
    cat = revised.primary
    both = list(client.results(arxiv.Search(query=f"cat:{cat}", id_list=[p.id for p in [revised, *others]])))
    assert {r.get_short_id().split("v")[0] for r in both} == {p.id for p in [revised, *others] if cat in p.categories}

    for bad in (arxiv.Search(query="cat:cs.AI AND (cat:cs.LG"), arxiv.Search(id_list=["12345"]),
                arxiv.Search(query="submittedDate:[2026 TO 2027]"), arxiv.Search(query="nofield:x")):
        with pytest.raises(arxiv.HTTPError) as err:
            list(client.results(bad))
        assert err.value.status == 400
    r = httpx.get(f"{replica.url}/arxiv/api/query", params={"search_query": "ti:(", "max_results": 5})
    entry = etree.fromstring(r.content).find("a:entry", ATOM)
    assert r.status_code == 400 and entry.findtext("a:title", namespaces=ATOM) == "Error"
    assert "malformed" in entry.findtext("a:summary", namespaces=ATOM)


def test_text_search_and_relevance(replica) -> None:
    w = replica.world
    search = arxiv.Search(query=f"ti:sparse AND {TWO_DAYS}", max_results=None)
    results = list(arxiv_client(replica.url).results(search))
    expected = {p.id for p in papers_between(w, DAY1, DAY2) if "sparse" in p.title.lower().replace("-", " ").split()}
    assert expected and {r.get_short_id().split("v")[0] for r in results} == expected
    by_author = papers_between(w, DAY1, DAY1)[0].authors[0].name.split()[-1]
    hits = list(arxiv_client(replica.url).results(arxiv.Search(query=f"au:{by_author} AND {TWO_DAYS}")))
    assert hits and all(any(by_author in a.name for a in r.authors) for r in hits)


def test_daily_papers_are_on_arxiv_and_on_paper_pages(replica, hf_api: HfApi) -> None:
    day = REPLICA_DATE - timedelta(days=1)
    daily = list(hf_api.list_daily_papers(date=day.isoformat()))
    assert [p.id for p in daily] == [d.paper.id for d in daily_papers(replica.world, day)]
    results = list(arxiv_client(replica.url).results(arxiv.Search(id_list=[p.id for p in daily])))
    assert [r.get_short_id().split("v")[0] for r in results] == [p.id for p in daily]
    for r, p in zip(results, daily, strict=True):
        assert r.title == p.title and r.published == p.published_at
        assert [a.name for a in r.authors] == [a.name for a in p.authors]
        assert hf_api.paper_info(p.id).upvotes == p.upvotes
    md = httpx.get(f"{replica.url}/papers/{daily[0].id}.md")
    assert md.status_code == 200 and md.text.startswith(f"# {daily[0].title}")
    assert hf_api.read_paper(daily[0].id) == md.text


def test_advancing_the_clock_reveals_papers_and_upvotes_grow(fresh_replica) -> None:
    api = HfApi(endpoint=fresh_replica.url, token=False)
    client = arxiv_client(fresh_replica.url)
    today = REPLICA_DATE.isoformat()
    before = {p.id: p for p in api.list_daily_papers(date=today)}
    tomorrow = (REPLICA_DATE + timedelta(days=1)).isoformat()
    assert before and list(api.list_daily_papers(date=tomorrow)) == []
    day_range = f"submittedDate:[{REPLICA_DATE:%Y%m%d}0000 TO {REPLICA_DATE + timedelta(days=2):%Y%m%d}2359]"
    arxiv_before = list(client.results(arxiv.Search(query=f"cat:cs.* AND {day_range}", max_results=None)))

    fresh_replica.world.advance(2)

    after = {p.id: p for p in api.list_daily_papers(date=today)}
    assert after.keys() == before.keys()
    assert all(after[k].upvotes >= before[k].upvotes for k in before)
    assert sum(after[k].upvotes for k in after) > sum(before[k].upvotes for k in before)
    for k in range(1, 3):
        day = REPLICA_DATE + timedelta(days=k)
        new = list(api.list_daily_papers(date=day.isoformat()))
        assert new and [p.id for p in new] == [d.paper.id for d in daily_papers(fresh_replica.world, day)]
    arxiv_after = list(client.results(arxiv.Search(query=f"cat:cs.* AND {day_range}", max_results=None)))
    assert {r.entry_id for r in arxiv_before} < {r.entry_id for r in arxiv_after}
    # papers submitted on the old "today" after noon appear only now
    old_today = [r for r in arxiv_after if r.published.date() == REPLICA_DATE]
    assert len(old_today) > sum(r.published.date() == REPLICA_DATE for r in arxiv_before)
