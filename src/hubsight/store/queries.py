"""The insights read path: pure SQL builders, and small readers that run them and shape plain rows.

Builders (``*_query``) take plain values and return SQLAlchemy Core selects, the same for SQLite and
PostgreSQL, so they can be tested by compiling them or by running them on rows inserted by hand.
Every read is an index lookup: trending rows by primary key, new repos through ``ix_repos_created``,
a repo by ``ix_repos_repo_id``, its numbers from the few blobs of its chunk, papers through
``ix_paper_categories_recent``/``ix_papers_published``, arena rows through ``ix_arena_latest``.
Pages continue by keyset (the last row's sort key), never by OFFSET.

Readers (``read_*``) take a Connection, run one or two builders and return plain dicts with native
values (``date``, ``datetime`` in UTC); the HTTP API and the history helpers both shape those.

"Today" is the newest stored crawl of the source, not the wall clock: windows (``days``) end there,
so a store answers the same whenever it is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, Select, and_, bindparam, func, or_, select

from hubsight.store import codec, schema
from hubsight.store.prepared import Prepared

__all__ = [
    "KINDS",
    "METRICS",
    "HistoryDay",
    "RepoRef",
    "arena_latest_query",
    "arena_page_query",
    "arena_pairs_query",
    "history_blobs_query",
    "latest_crawl_query",
    "new_repos_query",
    "oldest_snapshot_query",
    "read_arena",
    "read_history",
    "read_new",
    "read_papers",
    "read_trending",
    "recent_papers_query",
    "rename_query",
    "repo_query",
    "resolve_repo",
    "since_midnight",
    "trending_page_query",
    "window_days",
]

KINDS = ("model", "dataset", "space")
METRICS = ("likes", "downloads")


def since_midnight(day: date, days: int) -> datetime:
    """The start of a ``days``-day window ending at ``day``'s crawl: midnight UTC ``days`` days before ``day``.

    The crawler's own "new" uses the same convention (created since the previous crawl day began).
    """
    return datetime.combine(day - timedelta(days=days), time.min, tzinfo=UTC)


def utc(value: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes (stored in UTC), PostgreSQL aware ones: both become aware UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# -- crawls -------------------------------------------------------------------------------------------
def latest_crawl_query(source: str) -> Select:
    """The newest date a source was completely stored (``crawl_runs`` holds one row per date and source)."""
    c = schema.crawl_runs.c
    return select(func.max(c.date)).where(c.source == source, c.status == "done")


# -- trending ------------------------------------------------------------------------------------------
def oldest_snapshot_query(kind: str) -> Select:
    """The first stored day of a kind (chunk 0 exists every day): a primary-key seek."""
    s = schema.snapshots.c
    return select(func.min(s.date)).where(s.kind == kind, s.chunk == 0)


def window_days(days: int, latest: date, oldest: date | None) -> int:
    """The window actually stored for ``days``: the crawler stores every window 1..(latest - oldest)
    days (each needs an older stored day), so a younger store answers with its longest window."""
    if oldest is None:
        return 0
    return min(days, (latest - oldest).days)


def trending_page_query(kind: str, metric: str, days: int, tag: str | None, limit: int, after_rank: int = 0) -> Select:
    """One page of a precomputed ranking, by primary key: ranks after ``after_rank``, best first."""
    t, r = schema.trending.c, schema.repos.c
    return (
        select(t.rank, t.rid, r.repo_id, r.pipeline_tag, t.value_latest, t.delta, t.growth, t.date_from, t.date_to)
        .join_from(schema.trending, schema.repos, (r.kind == t.kind) & (r.rid == t.rid))  # the current id, by primary key
        .where(t.kind == kind, t.metric == metric, t.days == days, t.tag == ("" if tag is None else tag), t.rank > after_rank)
        .order_by(t.rank)
        .limit(limit)
    )


# the trending read is the API's hottest: its three selects are compiled once (store/prepared.py)
_LATEST_HUB = Prepared(lambda: latest_crawl_query("hub"))
_OLDEST = Prepared(lambda: oldest_snapshot_query(bindparam("kind")))
_TRENDING_PAGE = Prepared(lambda: trending_page_query(*(bindparam(n) for n in (
    "kind", "metric", "days", "tag", "limit", "after_rank"))))
_TRENDING_KEYS = ("rank", "rid", "repo_id", "pipeline_tag", "latest", "delta", "growth", "date_from", "date_to")


def read_trending(
    conn: Connection, kind: str, metric: str, days: int, tag: str | None, limit: int, after_rank: int = 0
) -> list[dict[str, Any]]:
    """Rows ``{rank, rid, repo_id, pipeline_tag, latest, delta, growth, date_from, date_to}`` of the
    longest stored window of at most ``days`` days; empty while the store holds a single day."""
    latest = _LATEST_HUB.scalar(conn)
    stored = window_days(days, latest, _OLDEST.scalar(conn, kind=kind)) if latest else 0
    if stored < 1:
        return []
    rows = _TRENDING_PAGE.rows(conn, kind=kind, metric=metric, days=stored, tag="" if tag is None else tag,
                               limit=limit, after_rank=after_rank)
    return [dict(zip(_TRENDING_KEYS, r, strict=True)) for r in rows]


# -- new repos ---------------------------------------------------------------------------------------
def new_repos_query(
    kind: str,
    since: datetime,
    pipeline_tag: str | None,
    limit: int,
    after: tuple[datetime, int] | None = None,
) -> Select:
    """Live repos created (the Hub's createdAt) at or after ``since``, newest first, keyset on (created_at, rid)."""
    r = schema.repos.c
    query = select(r.rid, r.repo_id, r.author, r.pipeline_tag, r.created_at, r.first_seen).where(
        r.kind == kind, r.created_at >= since, r.deleted_on.is_(None)
    )
    if pipeline_tag is not None:
        query = query.where(r.pipeline_tag == pipeline_tag)
    if after is not None:
        created, rid = after
        # the plain bound keeps the index range tight: the next page starts at the cursor, not at the top
        query = query.where(r.created_at <= created, or_(r.created_at < created, r.rid < rid))
    return query.order_by(r.created_at.desc(), r.rid.desc()).limit(limit)


def read_new(
    conn: Connection,
    kind: str,
    since: datetime,
    pipeline_tag: str | None,
    limit: int,
    after: tuple[datetime, int] | None = None,
) -> list[dict[str, Any]]:
    rows = conn.execute(new_repos_query(kind, since, pipeline_tag, limit, after))
    return [
        {
            "rid": r.rid,
            "repo_id": r.repo_id,
            "author": r.author,
            "pipeline_tag": r.pipeline_tag,
            "created_at": utc(r.created_at),
            "first_seen": r.first_seen,
        }
        for r in rows
    ]


# -- one repo and its history --------------------------------------------------------------------------
@dataclass(frozen=True)
class RepoRef:
    """A stored repo, found by its current id or by an id it had before a rename."""

    kind: str
    rid: int
    repo_id: str
    pipeline_tag: str | None
    tags: list[str]
    first_seen: date
    last_seen: date
    deleted_on: date | None
    renamed_from: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    """The current tracked metadata (``schema.TRACKED``)."""
    meta_since: date | None = None


def _ref_columns() -> list[Any]:
    r = schema.repos.c
    return [r.rid, r.repo_id, r.pipeline_tag, r.tags, r.first_seen, r.last_seen, r.deleted_on, r.meta_since,
            *(r[n] for n in schema.TRACKED if n not in ("pipeline_tag", "tags"))]


def repo_query(kind: str, repo_id: str) -> Select:
    """A repo by current id; a live repo wins over a deleted one that had the same id, then the newest."""
    r = schema.repos.c
    return (
        select(*_ref_columns())
        .where(r.kind == kind, r.repo_id == repo_id)
        .order_by(r.deleted_on.is_not(None), r.rid.desc())
        .limit(1)
    )


def rename_query(kind: str, old_id: str) -> Select:
    """The repo that was last called ``old_id`` before a rename (the Hub still redirects old ids)."""
    r, n = schema.repos.c, schema.renames.c
    return (
        select(*_ref_columns())
        .select_from(schema.renames.join(schema.repos, and_(r.kind == n.kind, r.rid == n.rid)))
        .where(n.kind == kind, n.old_id == old_id)
        .order_by(n.date.desc())
        .limit(1)
    )


def resolve_repo(conn: Connection, kind: str, repo_id: str) -> RepoRef | None:
    row = conn.execute(repo_query(kind, repo_id)).first()
    renamed_from = None
    if row is None:
        row = conn.execute(rename_query(kind, repo_id)).first()
        if row is None:
            return None
        renamed_from = repo_id
    meta = {n: getattr(row, n) for n in schema.TRACKED}
    meta["tags"] = list(meta["tags"] or [])
    return RepoRef(
        kind, row.rid, row.repo_id, row.pipeline_tag, list(row.tags or []), row.first_seen, row.last_seen,
        row.deleted_on, renamed_from, meta, row.meta_since or row.first_seen,
    )


def read_versions(conn: Connection, ref: RepoRef) -> list[tuple[date, date | None, dict[str, Any]]]:
    """``(valid_from, valid_to, metadata)`` of every version of ``ref``, oldest first; the last is current."""
    v = schema.repo_versions.c
    rows = conn.execute(
        select(v.valid_from, v.valid_to, *(v[n] for n in schema.TRACKED))
        .where(v.kind == ref.kind, v.rid == ref.rid)
        .order_by(v.valid_from)
    ).all()
    out = []
    for row in rows:
        meta = {n: getattr(row, n) for n in schema.TRACKED}
        meta["tags"] = list(meta["tags"] or [])
        out.append((row.valid_from, row.valid_to, meta))
    out.append((ref.meta_since or ref.first_seen, None, ref.meta))
    return out


def meta_on(versions: list[tuple[date, date | None, dict[str, Any]]], day: date) -> dict[str, Any]:
    """The metadata that was listed on ``day`` (valid_from <= day < valid_to); the oldest known before it."""
    for valid_from, valid_to, meta in versions:
        if valid_from <= day and (valid_to is None or day < valid_to):
            return meta
    return versions[0][2] if day < versions[0][0] else versions[-1][2]


def history_blobs_query(kind: str, rid: int, since: date, until: date | None, before: date | None, limit: int) -> Select:
    """The newest ``limit`` day blobs of ``rid``'s chunk in [since, until], older than ``before``."""
    s = schema.snapshots.c
    query = select(s.date, s.payload).where(s.kind == kind, s.chunk == rid // schema.CHUNK, s.date >= since)
    if until is not None:
        query = query.where(s.date <= until)
    if before is not None:
        query = query.where(s.date < before)
    return query.order_by(s.date.desc()).limit(limit)


@dataclass(frozen=True)
class HistoryDay:
    day: date
    likes: int
    downloads: int | None
    """The Hub's ``downloads``: the last 30 days."""
    downloads_all_time: int | None
    trending_score: int | None
    daily_downloads: int | None
    """``downloads_all_time`` minus the previous day's; None without a stored previous day."""
    meta: dict[str, Any] = field(default_factory=dict)
    """The tracked metadata as it was listed that day."""


def _slot(payload: bytes, slot: int) -> dict[str, int] | None:
    cols = codec.decode(bytes(payload))
    if slot >= len(cols["likes"]) or cols["likes"][slot] < 0:
        return None  # not listed that day
    return {name: int(cols[name][slot]) for name in codec.COLUMNS}


def read_history(conn: Connection, ref: RepoRef, limit: int, before: date | None = None) -> list[HistoryDay]:
    """The newest ``limit`` days ``ref`` was listed on (older than ``before``), newest first.

    Reads the blobs of one chunk only, a few at a time: a repo is listed on every day from its first
    crawl until its deletion, so the first batch nearly always suffices.
    """
    until = ref.last_seen if ref.deleted_on is not None else None
    slot = ref.rid % schema.CHUNK
    found: list[tuple[date, dict[str, int]]] = []
    cursor = before
    want = limit + 1  # one more day gives the oldest returned day its daily downloads
    while len(found) < want:
        need = want - len(found)
        batch = conn.execute(history_blobs_query(ref.kind, ref.rid, ref.first_seen, until, cursor, need)).all()
        for day, payload in batch:
            numbers = _slot(payload, slot)
            if numbers is not None:
                found.append((day, numbers))
        if len(batch) < need:
            break
        cursor = batch[-1][0]
    versions = read_versions(conn, ref)
    out = []
    for i, (day, numbers) in enumerate(found[:limit]):
        previous = found[i + 1] if i + 1 < len(found) else None

        def value(name: str, numbers: dict[str, int] = numbers) -> int | None:
            return numbers[name] if numbers[name] >= 0 else None

        all_time = value("downloads_all_time")
        daily = None
        if previous is not None and all_time is not None and previous[0] == day - timedelta(days=1):
            before_all_time = previous[1]["downloads_all_time"]
            daily = all_time - before_all_time if before_all_time >= 0 else None
        out.append(HistoryDay(day, numbers["likes"], value("downloads"), all_time, value("trending_score"), daily,
                              meta_on(versions, day)))
    return out


# -- papers -----------------------------------------------------------------------------------------
def recent_papers_query(
    category: str | None, since: datetime, limit: int, after: tuple[datetime, str] | None = None
) -> Select:
    """Papers first submitted at or after ``since``, newest first, keyset on (published, arxiv_id)."""
    p = schema.papers.c
    if category is None:
        published, arxiv_id = p.published, p.arxiv_id
        query = select(p.arxiv_id, p.title, p.authors, p.published, p.primary_category.label("category"))
    else:
        c = schema.paper_categories.c
        published, arxiv_id = c.published, c.arxiv_id
        query = (
            select(p.arxiv_id, p.title, p.authors, c.published, c.category)
            .select_from(schema.paper_categories.join(schema.papers, p.arxiv_id == c.arxiv_id))
            .where(c.category == category)
        )
    query = query.where(published >= since)
    if after is not None:
        when, last_id = after
        query = query.where(published <= when, or_(published < when, arxiv_id < last_id))
    return query.order_by(published.desc(), arxiv_id.desc()).limit(limit)


def read_papers(
    conn: Connection, category: str | None, since: datetime, limit: int, after: tuple[datetime, str] | None = None
) -> list[dict[str, Any]]:
    rows = conn.execute(recent_papers_query(category, since, limit, after))
    return [
        {
            "arxiv_id": r.arxiv_id,
            "title": r.title,
            "authors": list(r.authors or []),
            "published": utc(r.published),
            "category": r.category,
        }
        for r in rows
    ]


# -- arena ---------------------------------------------------------------------------------------------
NO_RATING = -1.0
"""Where a row without a rating sorts among its rank (last): ratings are positive."""


def arena_latest_query(subset: str, category: str, on_or_before: date | None = None) -> Select:
    """The newest publish date of one leaderboard (at or before a date): the head of ``ix_arena_latest``."""
    a = schema.arena_rankings.c
    query = select(func.max(a.publish_date)).where(a.subset == subset, a.category == category)
    if on_or_before is not None:
        query = query.where(a.publish_date <= on_or_before)
    return query


def arena_page_query(
    subset: str, category: str, publish_date: date, limit: int, after: tuple[int, float, str] | None = None
) -> Select:
    """One publication's ranking, best first: by rank, then (ranks tie: LMArena ranks by confidence
    interval) by rating, highest first, then by name; keyset on those three."""
    a = schema.arena_rankings.c
    rating = func.coalesce(a.rating, NO_RATING)
    query = select(a.publish_date, a.model_name, a.rank, a.rating, a.organization, a.vote_count).where(
        a.subset == subset, a.category == category, a.publish_date == publish_date
    )
    if after is not None:
        rank, score, name = after
        query = query.where(
            a.rank >= rank,
            or_(a.rank > rank, rating < score, and_(rating == score, a.model_name > name)),
        )
    return query.order_by(a.rank, rating.desc(), a.model_name).limit(limit)


def arena_pairs_query() -> Select:
    """Every stored (subset, category): for error messages only (a scan, run once per arena crawl)."""
    a = schema.arena_rankings.c
    return select(a.subset, a.category).distinct().order_by(a.subset, a.category)


def read_arena(
    conn: Connection, subset: str, category: str, on_or_before: date | None, limit: int,
    after: tuple[int, float, str] | None = None,
) -> tuple[date | None, list[dict[str, Any]]]:
    """(publish date used, rows) for the newest publication at or before ``on_or_before`` (default: newest)."""
    day = conn.scalar(arena_latest_query(subset, category, on_or_before))
    if day is None:
        return None, []
    rows = conn.execute(arena_page_query(subset, category, day, limit, after))
    return day, [
        {"publish_date": r.publish_date, "model_name": r.model_name, "rank": r.rank, "rating": r.rating,
         "organization": r.organization, "vote_count": r.vote_count}
        for r in rows
    ]


def stored_pairs(conn: Connection) -> list[tuple[str, str]]:
    return [(s, c) for s, c in conn.execute(arena_pairs_query())]

