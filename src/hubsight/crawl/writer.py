"""Storing what the sources fetched: one transaction per source, committed with its crawl_runs row.

Because a source's rows and its ``done`` mark commit together, a crawl killed at any point leaves
either the whole source or nothing, and re-running the date finishes exactly what was missing.

The hub source keeps ``repos`` current (only rows whose metadata digest changed are rewritten),
records renames (same ``hub_oid``, new id) and deletions (live repos absent from a complete listing),
writes the day's blobs, and precomputes ``trending`` for the newest day, replacing the previous rows
in the same transaction so readers never see a half-built ranking.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from hubsight.crawl import trending as maths
from hubsight.crawl.errors import CrawlRefused, SchemaChanged
from hubsight.crawl.hub import KINDS, LEGACY_CREATED_AT, KindListing, Known, RepoRow
from hubsight.store import snapshots as blobs
from hubsight.store.db import insert_rows, update_rows
from hubsight.store.schema import (
    TRACKED,
    arena_rankings,
    crawl_runs,
    daily_papers,
    paper_categories,
    papers,
    renames,
    repo_versions,
    repos,
    snapshots,
    trending,
)

DELETION_GUARD = 0.10
"""Refuse a crawl that would delete more than this share of a kind's live repos (with ≥ 1000 live):
that is an upstream outage or a truncated listing, not a Hub event."""


# -- crawl_runs ---------------------------------------------------------------------------------------
def is_done(conn: Connection, day: date, source: str) -> bool:
    status = conn.scalar(select(crawl_runs.c.status).where(crawl_runs.c.date == day, crawl_runs.c.source == source))
    return status == "done"


def done_dates(conn: Connection, source: str) -> list[date]:
    query = select(crawl_runs.c.date).where(crawl_runs.c.source == source, crawl_runs.c.status == "done")
    return sorted(conn.scalars(query))


def last_stats(conn: Connection, source: str, before: date) -> dict[str, Any] | None:
    """Stats of the newest ``done`` run of ``source`` dated on or before ``before``."""
    query = (
        select(crawl_runs.c.stats)
        .where(crawl_runs.c.source == source, crawl_runs.c.status == "done", crawl_runs.c.date <= before)
        .order_by(crawl_runs.c.date.desc())
        .limit(1)
    )
    return conn.scalar(query)


def mark_done(conn: Connection, day: date, source: str, started: datetime, stats: dict[str, Any]) -> None:
    conn.execute(delete(crawl_runs).where(crawl_runs.c.date == day, crawl_runs.c.source == source))
    conn.execute(
        crawl_runs.insert().values(
            date=day, source=source, status="done", started_at=started, finished_at=datetime.now(UTC), stats=stats
        )
    )


def _insert_ignore(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


# -- hub --------------------------------------------------------------------------------------------
def load_known(conn: Connection, kind: str) -> Known:
    """The store's repos of one kind, indexed by rid (rids are dense, so a list is the index).

    Plain SQL without type processing: this reads a row per repo of the Hub at every crawl.
    """
    rows = conn.execute(
        text("SELECT rid, hub_oid, meta_hash, deleted_on IS NULL FROM repos WHERE kind = :kind ORDER BY rid"), {"kind": kind}
    ).all()
    n = len(rows)
    if not n:
        return Known(kind)
    rids, oids, digests, lives = zip(*rows, strict=True)
    del rows
    oids = [o.hex() if type(o) is bytes else o for o in oids]  # SQLite keeps hex ids as bytes (schema.ObjectId)
    if rids != tuple(range(n)):  # the key order is rid order, so dense rids are exactly 0..n-1
        raise CrawlRefused(f"repos of kind {kind} are not numbered densely ({n} rows, highest rid {max(rids)}); "
                           "the store is damaged")
    known = Known(kind, rid_of=dict(zip(oids, rids, strict=True)), meta_hash=list(digests), alive=list(map(bool, lives)))
    rid_of = known.rid_of
    if len(rid_of) != n:
        raise CrawlRefused(f"repos of kind {kind} repeat a hub_oid; the store is damaged")
    return known


def stored_versions(conn: Connection, kind: str, rids: list[int]) -> dict[int, dict[str, Any]]:
    """The current id, tracked metadata and ``meta_since`` of some repos (batched lookups by primary key)."""
    out: dict[int, dict[str, Any]] = {}
    unique = sorted(set(rids))
    cols = [repos.c.rid, repos.c.repo_id, repos.c.meta_since, repos.c.first_seen, *(repos.c[n] for n in TRACKED)]
    for lo in range(0, len(unique), 500):
        batch = unique[lo : lo + 500]
        for row in conn.execute(select(*cols).where(repos.c.kind == kind, repos.c.rid.in_(batch))):
            out[row.rid] = row._asdict()
    return out


def _version_rows(kind: str, day: date, changed: list[tuple[RepoRow, dict[str, Any]]],
                  stored: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Closed versions for the repos whose tracked metadata differs from what is stored.

    A version that began today (a re-crawl of the same day) is overwritten, not closed: versions
    never have zero length.
    """
    out = []
    for row, meta in changed:
        old = stored[row.rid]
        since = old["meta_since"] or old["first_seen"]
        if since >= day or all(_same(old[n], meta[n]) for n in TRACKED):
            continue
        out.append({"kind": kind, "rid": row.rid, "valid_from": since, "valid_to": day, **{n: old[n] for n in TRACKED}})
    return out


def _same(a: Any, b: Any) -> bool:
    return (list(a) if isinstance(a, list | tuple) else a) == (list(b) if isinstance(b, list | tuple) else b)


def parse_ts(value: str | None, field: str, repo: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise SchemaChanged(
            f"hub: field {field!r} is not an ISO timestamp ({value!r}) for repo {repo!r}; "
            "the Hub's listing format changed: nothing was stored for this source"
        ) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


META_COLUMNS = ("repo_id", "author", "created_at", "last_modified", "pipeline_tag", "library_name", "sdk",
                "runtime_stage", "gated", "tags", "num_params", "meta_hash")


def _meta(row: RepoRow) -> dict[str, Any]:
    return {
        "repo_id": row.repo_id,
        "author": row.repo_id.split("/", 1)[0] if "/" in row.repo_id else None,  # a few old repos have no owner
        "created_at": None if row.created_at == LEGACY_CREATED_AT else parse_ts(row.created_at, "createdAt", row.repo_id),
        "last_modified": parse_ts(row.last_modified, "lastModified", row.repo_id),
        "pipeline_tag": row.pipeline_tag,
        "library_name": row.library_name,
        "sdk": row.sdk,
        "runtime_stage": row.runtime_stage,
        "gated": row.gated,
        "tags": row.tags,
        "num_params": row.num_params,
        "meta_hash": row.meta_hash,
    }


def day_counts(conn: Connection, day: date, since: datetime) -> dict[str, dict[str, int]]:
    """What happened on ``day`` per kind, read back from the store so that a re-crawl reports the same:
    repos first stored that day and created since ``since``, deleted that day, renamed that day, and
    whose tracked metadata changed that day. One grouped query each: the deletions are a scan of the
    whole ``repos`` table (no index on ``deleted_on``, which would cost more to keep than to scan)."""
    count = func.count()
    out = {kind: {"created": 0, "deleted": 0, "renamed": 0, "metadata_changed": 0} for kind in KINDS}
    for kind in KINDS:  # by kind, so that the (kind, created_at) index serves it
        out[kind]["created"] = conn.scalar(
            select(count).where(repos.c.kind == kind, repos.c.created_at >= since, repos.c.first_seen == day)) or 0
    queries = {
        "deleted": select(repos.c.kind, count).where(repos.c.deleted_on == day),
        "renamed": select(renames.c.kind, count).where(renames.c.date == day),
        "metadata_changed": select(repo_versions.c.kind, count).where(repo_versions.c.valid_to == day),
    }
    for name, query in queries.items():
        for kind, n in conn.execute(query.group_by(query.selected_columns[0])):
            if kind in out:
                out[kind][name] = n
    return out


def write_hub(
    conn: Connection,
    day: date,
    listings: dict[str, KindListing],
    started: datetime,
    status: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Store a complete hub listing for ``day`` (in the caller's transaction) and rebuild trending."""
    say = status or (lambda _msg: None)
    previous = [d for d in done_dates(conn, "hub") if d != day]
    if previous and max(previous) > day:
        raise CrawlRefused(
            f"hub data for {max(previous)} is already stored and the Hub only shows its present, "
            f"so it cannot be crawled as of {day}; crawl {max(previous)} or a later date"
        )
    prev_day = max(previous) if previous else None
    # "new" means created since the previous crawl day began (first crawl: since the day before)
    since = datetime.combine(prev_day or day - timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    stats: dict[str, Any] = {}
    latest: dict[str, dict[str, np.ndarray]] = {}
    # a first crawl writes a row per repo of the Hub: filling the table and then building its
    # secondary indexes (a sort each) is several times faster than growing them row by row
    bulk = not previous and not conn.scalar(select(func.count()).select_from(select(repos.c.rid).limit(1).subquery()))
    if bulk:
        say("loading the first crawl")
        for index in repos.indexes:
            index.drop(conn, checkfirst=True)
    for kind in KINDS:
        listing = listings[kind]
        k = listing.known
        say(f"writing {kind}s")
        metas = [(row, _meta(row)) for row in listing.changed]  # parse everything before writing anything
        new_rows = [(row, m) for row, m in metas if row.is_new]
        changed = [(row, m) for row, m in metas if not row.is_new]
        insert_rows(
            conn,
            repos,
            ["kind", "rid", "hub_oid", "first_seen", "last_seen", "deleted_on", "meta_since", *META_COLUMNS],
            [(kind, row.rid, row.hub_oid, day, day, None, day, *(m[c] for c in META_COLUMNS)) for row, m in new_rows],
        )
        if changed:
            stored = stored_versions(conn, kind, [row.rid for row, _ in changed])
            renamed = [
                {"kind": kind, "hub_oid": row.hub_oid, "date": day, "rid": row.rid, "old_id": stored[row.rid]["repo_id"],
                 "new_id": row.repo_id}
                for row, _ in changed
                if stored[row.rid]["repo_id"] != row.repo_id
            ]
            _insert_ignore(conn, renames, renamed)
            closed = _version_rows(kind, day, changed, stored)
            if closed:
                conn.execute(delete(repo_versions).where(
                    repo_versions.c.kind == kind, repo_versions.c.valid_to == day,
                    repo_versions.c.rid.in_([v["rid"] for v in closed])))
                insert_rows(conn, repo_versions, list(closed[0]), [tuple(v.values()) for v in closed])
            moved = {v["rid"] for v in closed}
            update_rows(
                conn, repos, ("kind", "rid"), ("last_seen", "deleted_on", "meta_since", *META_COLUMNS),
                [(day, None, day if row.rid in moved else (stored[row.rid]["meta_since"] or stored[row.rid]["first_seen"]),
                  *(m[c] for c in META_COLUMNS), kind, row.rid) for row, m in changed],
            )
        # deletions: live repos the complete listing no longer has
        listed = np.zeros(listing.next_rid, dtype=bool)
        listed[listing.rids] = True
        was_alive = np.zeros(listing.next_rid, dtype=bool)
        was_alive[: k.n] = np.asarray(k.alive, dtype=bool)
        gone = np.flatnonzero(was_alive & ~listed)
        live = int(was_alive.sum())
        if live >= 1000 and len(gone) > DELETION_GUARD * live:
            raise CrawlRefused(
                f"hub: {len(gone):,} of {live:,} live {kind}s are missing from the listing; refusing to mark them "
                "deleted (an upstream outage or a truncated listing?); retry later"
            )
        update_rows(conn, repos, ("kind", "rid"), ("deleted_on", "last_seen"),
                    [(day, prev_day or day, kind, rid) for rid in gone.tolist()])
        # the day's numbers, one blob per chunk
        cols = blobs.empty(listing.next_rid)
        for name, values in listing.numbers.items():
            cols[name][listing.rids] = values
        conn.execute(delete(snapshots).where(snapshots.c.kind == kind, snapshots.c.date == day))
        insert_rows(
            conn, snapshots, ["kind", "chunk", "date", "payload"], [(kind, c, day, p) for c, p in blobs.split(cols)]
        )
        latest[kind] = cols
        stats[kind] = {"listed": len(listing.rids)}
    if bulk:
        say("indexing repos")
        for index in sorted(repos.indexes, key=lambda ix: ix.name):
            index.create(conn, checkfirst=True)
    for kind, counts in day_counts(conn, day, since).items():
        stats[kind].update(counts)
    say("ranking trending repos")
    stats["trending_rows"] = write_trending(conn, day, listings, latest)
    mark_done(conn, day, "hub", started, stats)
    return stats


def _rank_day(
    rows: list[tuple[int, bytes]], latest: dict[str, np.ndarray], n: int, codes: np.ndarray | None,
    metrics: list[tuple[str, str]],
) -> list[tuple[str, maths.Ranking]]:
    """Rankings of every metric against one older day, given that day's raw blobs."""
    before = blobs.assemble(rows, n=n)
    return [(metric, maths.rank(latest[column][:n], before[column][:n], codes)) for metric, column in metrics]


def write_trending(
    conn: Connection, day: date, listings: dict[str, KindListing], latest: dict[str, dict[str, np.ndarray]]
) -> int:
    """Replace every trending row with the rankings of ``day`` (the newest hub day, just listed)."""
    rows: list[tuple[Any, ...]] = []
    for kind in KINDS:
        listing = listings[kind]
        n = listing.next_rid
        names = listing.pipeline_names
        codes = None
        if kind == "model":  # the current pipeline tag of every repo listed today, by rid
            codes = np.full(n, -1, dtype=np.int64)
            codes[listing.rids] = listing.pipeline
        by_from: dict[date, list[int]] = {}
        for days, date_from in maths.windows(day, blobs.stored_dates(conn, kind)):
            by_from.setdefault(date_from, []).append(days)
        # the spaces' downloads: the Hub counts none
        metrics = [(m, c) for m, c in maths.METRICS.items() if not (kind == "space" and m == "downloads")]
        # the blobs are read in turn (one connection), then decoded and ranked in threads: zlib and
        # numpy release the GIL, and one ranking per older day is the bulk of a crawl's write phase
        older = [(d, blobs.payloads(conn, kind, d)) for d in sorted(by_from)]
        job = functools.partial(_rank_day, latest=latest[kind], n=n, codes=codes, metrics=metrics)
        with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
            ranked = list(pool.map(job, [rows for _, rows in older]))
        rankings = [
            (date_from, by_from[date_from], metric, ranking)
            for (date_from, _), per_metric in zip(older, ranked, strict=True)
            for metric, ranking in per_metric
            if len(ranking.rid)
        ]
        for date_from, days_list, metric, ranking in rankings:
            rids = ranking.rid.tolist()
            tags = ["" if t < 0 else names[t] for t in ranking.tag.tolist()]
            base = ranking.base.tolist()
            delta = ranking.delta.tolist()
            growth = [d / b if b > 0 else None for d, b in zip(delta, base, strict=True)]
            values = list(zip(rids, ranking.latest.tolist(), delta, growth, tags, ranking.rank.tolist(), strict=True))
            for days in days_list:
                rows.extend(
                    (kind, metric, days, tag, rnk, rid, value, d, g, date_from, day)
                    for rid, value, d, g, tag, rnk in values
                )
    conn.execute(delete(trending))
    insert_rows(
        conn,
        trending,
        ["kind", "metric", "days", "tag", "rank", "rid", "value_latest", "delta", "growth", "date_from", "date_to"],
        rows,
    )
    return len(rows)


# -- papers -----------------------------------------------------------------------------------------
def write_papers(
    conn: Connection,
    day: date,
    arxiv_rows: list[dict[str, Any]],
    daily_rows: list[dict[str, Any]],
    started: datetime,
    stats: dict[str, Any],
) -> None:
    """Upsert arXiv papers (first_seen kept), replace their categories and the day's daily papers."""
    if arxiv_rows:
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        for lo in range(0, len(arxiv_rows), 500):
            batch = arxiv_rows[lo : lo + 500]
            paper_rows = [{k: v for k, v in r.items() if k != "categories"} | {"first_seen": day} for r in batch]
            stmt = dialect.insert(papers)
            keep = {"arxiv_id", "first_seen"}
            stmt = stmt.on_conflict_do_update(
                index_elements=[papers.c.arxiv_id],
                set_={c.name: getattr(stmt.excluded, c.name) for c in papers.columns if c.name not in keep}
                | {"first_seen": func.min(papers.c.first_seen, stmt.excluded.first_seen) if conn.dialect.name == "sqlite"
                   else func.least(papers.c.first_seen, stmt.excluded.first_seen)},
            )
            conn.execute(stmt, paper_rows)
            ids = [r["arxiv_id"] for r in batch]
            conn.execute(delete(paper_categories).where(paper_categories.c.arxiv_id.in_(ids)))
            insert_rows(
                conn,
                paper_categories,
                ["category", "arxiv_id", "published"],
                [(cat, r["arxiv_id"], r["published"]) for r in batch for cat in r["categories"]],
            )
    conn.execute(delete(daily_papers).where(daily_papers.c.date == day))
    if daily_rows:
        conn.execute(daily_papers.insert(), [r | {"date": day} for r in daily_rows])
    mark_done(conn, day, "papers", started, stats)


# -- arena ------------------------------------------------------------------------------------------
ARENA_COLUMNS = ["publish_date", "subset", "category", "model_name", "organization", "license", "rating",
                 "rating_lower", "rating_upper", "variance", "vote_count", "rank"]


def stored_arena_dates(conn: Connection, subset: str) -> set[date]:
    query = select(arena_rankings.c.publish_date).where(arena_rankings.c.subset == subset).distinct()
    return set(conn.scalars(query))


def write_arena(
    conn: Connection,
    day: date,
    subsets: dict[str, list[tuple[Any, ...]]],
    started: datetime,
    stats: dict[str, Any],
    force: bool,
) -> int:
    """Insert the publish dates not stored yet (a publication never changes); ``force`` replaces them all."""
    written = 0
    for subset, rows in subsets.items():
        have = set() if force else stored_arena_dates(conn, subset)
        if force:
            dates = sorted({r[0] for r in rows})
            for lo in range(0, len(dates), 500):
                conn.execute(
                    delete(arena_rankings).where(
                        arena_rankings.c.subset == subset, arena_rankings.c.publish_date.in_(dates[lo : lo + 500])
                    )
                )
        fresh = sorted((r for r in rows if r[0] not in have), key=lambda r: (r[0], r[2], r[3]))  # index order
        written += insert_rows(conn, arena_rankings, ARENA_COLUMNS, fresh)
    stats["rows_written"] = written
    mark_done(conn, day, "arena", started, stats)
    return written
