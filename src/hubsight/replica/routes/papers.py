"""Papers: the Hub's daily papers and paper pages, and an arXiv-compatible Atom query API.

``/api/daily_papers``, ``/api/papers/search``, ``/api/papers/{id}`` and ``/papers/{id}.md`` answer
the way ``huggingface_hub`` reads them; ``/arxiv/api/query`` answers the way export.arxiv.org does,
so the real ``arxiv`` package can be pointed at it. All content comes from ``replica/papers.py``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from calendar import monthrange
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hubsight.replica.arxiv_query import QueryError, parse_arxiv_id
from hubsight.replica.papers import ArxivWorld, DailyPaper, Paper, arxiv_world
from hubsight.replica.render import iso
from hubsight.replica.routes.repos import actor
from hubsight.replica.state import hub_error, int_param, json, state_of
from hubsight.replica.world import World, _stable_hash

DAILY_LIMIT_MAX = 100
SEARCH_DAYS = 60
TRENDING_DAYS = 7
ARXIV_PAGE_MAX = 2000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# -- Hub JSON -------------------------------------------------------------------------------------
def _oid(*parts: object) -> str:
    return f"{_stable_hash(*parts, 'a'):016x}{_stable_hash(*parts, 'b'):016x}"[:24]


def _user(w: World, u: int) -> dict[str, Any]:
    """A user as the Hub embeds them in papers (``submittedBy``, claimed authors): the keys of a real
    daily-papers body, no more."""
    row = actor(w, u)
    return {
        "_id": _oid("owner", w.seed, w.owners.names[u]),
        "avatarUrl": row["avatarUrl"],
        "isPro": row["isPro"],
        "fullname": row["fullname"],
        "user": row["user"],
        "type": row["type"],
    }


def _org(w: World, o: int) -> dict[str, Any]:
    name = w.owners.names[o]
    avatar = f"https://cdn-avatars.huggingface.co/v1/production/uploads/{name}.png"
    # The Hub sends ``avatar``; the client reads ``avatarUrl``: send both.
    return {"_id": _oid("owner", w.seed, name), "name": name, "fullname": w.owners.fullnames[o], "avatar": avatar, "avatarUrl": avatar}


def _authors(w: World, d: DailyPaper) -> list[dict[str, Any]]:
    out = []
    for k, a in enumerate(d.paper.authors):
        row: dict[str, Any] = {"_id": _oid("author", w.seed, d.paper.id, k), "name": a.name, "hidden": False}
        if a.user >= 0:
            row |= {"user": _user(w, a.user), "status": "claimed_verified", "statusLastChangedAt": iso(d.submitted)}
        out.append(row)
    return out


def _extras(w: World, d: DailyPaper, now: int) -> dict[str, Any]:
    """Optional fields, present only when the paper has them (as on the Hub)."""
    out: dict[str, Any] = {}
    if d.paper.org >= 0:
        out["organization"] = _org(w, d.paper.org)
    if d.github_repo:
        out["githubRepo"] = d.github_repo
        out["githubStars"] = d.stars(now)
    if d.project_page:
        out["projectPage"] = d.project_page
    if d.ai_summary:
        out["ai_summary"] = d.ai_summary
        out["ai_keywords"] = list(d.ai_keywords)
    return out


def paper_json(w: World, d: DailyPaper, now: int) -> dict[str, Any]:
    """The paper object of ``/api/papers/{id}`` (also nested as ``paper`` in daily items)."""
    p = d.paper
    return {
        "id": p.id,
        "authors": _authors(w, d),
        "mediaUrls": list(d.media_urls),
        "publishedAt": iso(p.published),
        "submittedOnDailyAt": iso(d.submitted),
        "title": p.title,
        "submittedOnDailyBy": _user(w, d.submitter),
        "summary": p.summary,
        "upvotes": d.upvotes(now),
        "discussionId": d.discussion_id,
        "numComments": d.comments(now),
        **_extras(w, d, now),
    }


def daily_item(w: World, d: DailyPaper, now: int) -> dict[str, Any]:
    """One ``/api/daily_papers`` item. The client takes the top-level ``publishedAt`` as the date the
    paper reached daily papers, so it carries the daily submission time; the arXiv date is in ``paper``.

    The nested ``paper`` is the paper object of a real body (comments are counted on the item); the
    optional fields are repeated on the item, where huggingface_hub's PaperInfo reads them."""
    extras = _extras(w, d, now)
    paper = paper_json(w, d, now)
    del paper["numComments"]
    return {
        "paper": paper,
        "publishedAt": iso(d.submitted),
        "submittedOnDailyAt": iso(d.submitted),
        "title": d.paper.title,
        "summary": d.paper.summary,
        "mediaUrls": list(d.media_urls),
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{d.paper.id}.png",
        "numComments": d.comments(now),
        "submittedBy": _user(w, d.submitter),
        "isAuthorParticipating": any(a.user >= 0 for a in d.paper.authors),
        **extras,
    }


def _window(request: Request) -> tuple[date, date] | None:
    """The date, week or month asked for, as an inclusive range of days."""
    q = request.query_params
    given = [k for k in ("date", "week", "month") if q.get(k)]
    if len(given) > 1:
        raise ValueError(f"use only one of date, week and month, got {' and '.join(given)}")
    try:
        if q.get("date"):
            if not _DATE.match(q["date"]):
                raise ValueError
            day = date.fromisoformat(q["date"])
            return day, day
        if q.get("week"):
            m = _WEEK.match(q["week"])
            if not m:
                raise ValueError
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return monday, monday + timedelta(days=6)
        if q.get("month"):
            m = _MONTH.match(q["month"])
            if not m:
                raise ValueError
            y, mo = int(m.group(1)), int(m.group(2))
            return date(y, mo, 1), date(y, mo, monthrange(y, mo)[1])
    except ValueError:
        key = given[0]
        shape = {"date": "YYYY-MM-DD", "week": "YYYY-Www (ISO week, e.g. 2026-W47)", "month": "YYYY-MM"}[key]
        raise ValueError(f"invalid {key} {q[key]!r}: expected {shape}") from None
    return None


def _trending_key(now: int):
    return lambda d: (-d.upvotes(now), -d.submitted, d.paper.id)


async def daily_papers(request: Request) -> Response:
    state = state_of(request)
    q = request.query_params
    try:
        page = int_param(request, "p", 0, lo=0)
        limit = int_param(request, "limit", 50, lo=1, hi=DAILY_LIMIT_MAX)
        sort = q.get("sort") or "publishedAt"
        if sort not in ("publishedAt", "trending"):
            raise ValueError(f"sort must be publishedAt or trending, got {sort!r}")
        window = _window(request)
    except ValueError as exc:
        return hub_error(400, str(exc))
    with state.lock:
        w = state.world
        aw = arxiv_world(w)
        now = w.now_ts
        who = None
        if q.get("submitter"):
            who = w.owners.find(q["submitter"])
            if who is None:
                return json([])
        need = (page + 1) * limit
        if window is None and sort == "trending":
            window = (w.today - timedelta(days=TRENDING_DAYS - 1), w.today)
        if window is None:
            lo, hi = aw.first, w.today
        else:
            lo, hi = max(window[0], aw.first), min(window[1], w.today)
        found: list[DailyPaper] = []
        day = hi
        while day >= lo and (window is not None or len(found) < need):
            found.extend(d for d in aw.dailies(day, now) if who is None or d.submitter == who)
            day -= timedelta(days=1)
        if sort == "trending":
            found.sort(key=_trending_key(now))
        body = [daily_item(w, d, now) for d in found[page * limit : need]]
    return json(body)


async def search_papers(request: Request) -> Response:
    state = state_of(request)
    try:
        limit = min(120, int_param(request, "limit", 50, lo=1))
    except ValueError as exc:
        return hub_error(400, str(exc))
    needle = (request.query_params.get("q") or "").strip().lower()
    with state.lock:
        w = state.world
        aw = arxiv_world(w)
        now = w.now_ts
        ranked = []
        for k in range(SEARCH_DAYS):
            for d in aw.dailies(w.today - timedelta(days=k), now):
                in_title = needle in d.paper.title.lower()
                if in_title or needle in d.paper.summary.lower():
                    ranked.append((not in_title, -d.upvotes(now), -d.submitted, d))
        ranked.sort(key=lambda t: t[:3])
        body = [daily_item(w, t[3], now) for t in ranked[:limit]]
    return json(body)


def _daily_of(request: Request) -> tuple[World, DailyPaper | None]:
    state = state_of(request)
    parsed = parse_arxiv_id(request.path_params["paper_id"])
    w = state.world
    if parsed is None:
        return w, None
    return w, arxiv_world(w).daily(parsed[0], w.now_ts)


async def paper_detail(request: Request) -> Response:
    with state_of(request).lock:
        w, d = _daily_of(request)
        if d is None:
            # No X-Error-Code: the client raises a plain HfHubHTTPError with status 404.
            return hub_error(404, f"Paper {request.path_params['paper_id']} not found")
        body = paper_json(w, d, w.now_ts)
    return json(body)


async def paper_markdown(request: Request) -> Response:
    with state_of(request).lock:
        _, d = _daily_of(request)
        if d is None:
            return hub_error(404, f"Paper {request.path_params['paper_id']} not found")
        p = d.paper
        authors = ", ".join(a.name for a in p.authors)
        text = f"# {p.title}\n\nAuthors: {authors}\n\narXiv: https://arxiv.org/abs/{p.id}\n\n## Abstract\n\n{p.summary}\n"
    return Response(text, media_type="text/markdown; charset=utf-8")


# -- arXiv Atom -----------------------------------------------------------------------------------
ATOM_HEAD = (
    "<?xml version='1.0' encoding='UTF-8'?>\n"
    '<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
    'xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">\n'
)
SCHEME = "http://arxiv.org/schemas/atom"


def _ts(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _feed_head(args: dict[str, str], now: int, total: int, start: int, per_page: int) -> str:
    title = f"arXiv Query: search_query={args['search_query']}&id_list={args['id_list']}&start={start}&max_results={per_page}"
    link = (
        f"https://arxiv.org/api/query?search_query={args['search_query']}&start={start}"
        f"&max_results={per_page}&id_list={args['id_list']}"
    )
    digest = base64.b64encode(hashlib.sha1(title.encode()).digest()).decode()[:27]
    return (
        ATOM_HEAD
        + f"  <id>https://arxiv.org/api/{escape(digest)}</id>\n"
        + f"  <title>{escape(title)}</title>\n"
        + f"  <updated>{_ts(now)}</updated>\n"
        + f'  <link href={quoteattr(link)} type="application/atom+xml"/>\n'
        + f"  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>\n"
        + f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
        + f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
    )


def entry_xml(p: Paper, version: int, now: int) -> str:
    """One Atom entry in arXiv's 2026 layout; ``version`` 0 shows the latest version."""
    v = version or p.version(now)
    updated = p.revised if v == 2 else p.published
    vid = f"{p.id}v{v}"
    lines = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{vid}</id>",
        f"    <title>{escape(p.title)}</title>",
        f"    <updated>{_ts(updated)}</updated>",
        f'    <link href="https://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>',
        f'    <link href="https://arxiv.org/pdf/{vid}" rel="related" type="application/pdf" title="pdf"/>',
        f"    <summary>{escape(p.summary)}</summary>",
        *(f'    <category term={quoteattr(c)} scheme="{SCHEME}"/>' for c in p.categories),
        f"    <published>{_ts(p.published)}</published>",
    ]
    if p.comment:
        lines.append(f"    <arxiv:comment>{escape(p.comment)}</arxiv:comment>")
    lines.append(f"    <arxiv:primary_category term={quoteattr(p.primary)}/>")
    if p.journal_ref:
        lines.append(f"    <arxiv:journal_ref>{escape(p.journal_ref)}</arxiv:journal_ref>")
    for a in p.authors:
        lines.append("    <author>")
        lines.append(f"      <name>{escape(a.name)}</name>")
        if a.affiliation:
            lines.append(f"      <arxiv:affiliation>{escape(a.affiliation)}</arxiv:affiliation>")
        lines.append("    </author>")
    if p.doi:
        lines.append(f"    <arxiv:doi>{escape(p.doi)}</arxiv:doi>")
        lines.append(f'    <link rel="related" href={quoteattr("https://doi.org/" + p.doi)} title="doi"/>')
    lines.append("  </entry>\n")
    return "\n".join(lines)


def _atom(body: str, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type="application/atom+xml; charset=utf-8")


def error_feed(args: dict[str, str], message: str, now: int) -> Response:
    """What arXiv sends for a bad query: HTTP 400 and a feed holding one entry titled Error."""
    anchor = "http://arxiv.org/api/errors#" + quote(re.sub(r"\s+", "_", message), safe="_.-")
    entry = (
        "  <entry>\n"
        f"    <id>{escape(anchor)}</id>\n"
        "    <title>Error</title>\n"
        f"    <summary>{escape(message)}</summary>\n"
        f"    <updated>{_ts(now)}</updated>\n"
        f'    <link href={quoteattr(anchor)} rel="alternate" type="text/html"/>\n'
        "    <author>\n      <name>arXiv api core</name>\n    </author>\n"
        "  </entry>\n"
    )
    return _atom(_feed_head(args, now, 1, 0, 1) + entry + "</feed>\n", status=400)


def _arxiv_int(args: dict[str, str], name: str, default: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"\d+", raw):
        raise QueryError(f"{name} must be a non-negative integer, got {raw!r}")
    return int(raw)


async def arxiv_query(request: Request) -> Response:
    state = state_of(request)
    q = request.query_params
    args = {
        "search_query": q.get("search_query", ""),
        "id_list": q.get("id_list", ""),
        "sortBy": q.get("sortBy") or "relevance",
        "sortOrder": q.get("sortOrder") or "descending",
    }
    with state.lock:
        w = state.world
        now, today = w.now_ts, w.today
        aw: ArxivWorld = arxiv_world(w)
        try:
            start = _arxiv_int(dict(q), "start", 0)
            per_page = min(ARXIV_PAGE_MAX, _arxiv_int(dict(q), "max_results", 10))
            refs = aw.search(
                args["search_query"], args["id_list"].split(","), args["sortBy"], args["sortOrder"], today, now
            )
        except QueryError as exc:
            return error_feed(args, str(exc), now)
        page = aw.take(refs[start : start + per_page])
        body = _feed_head(args, now, len(refs), start, per_page) + "".join(entry_xml(p, v, now) for p, v in page)
    return _atom(body + "</feed>\n")


routes = [
    Route("/api/daily_papers", daily_papers, methods=["GET"]),
    Route("/api/papers/search", search_papers, methods=["GET"]),
    Route("/api/papers/{paper_id}", paper_detail, methods=["GET"]),
    Route("/papers/{paper_id}.md", paper_markdown, methods=["GET"]),
    Route("/arxiv/api/query", arxiv_query, methods=["GET"]),
]
