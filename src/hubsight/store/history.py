"""The history service: how both doors, the history helpers and the HTTP API, read the store.

It holds what they share, once: one engine per store URL per process (a read never creates a
store), reads that turn a database failure into ``StoreUnavailable``, the rules that say the store
cannot answer (``NoHistory``: no crawl of a source yet, a repo no crawl has listed), and keyset
pages (read ``limit + 1`` rows: the extra one says whether there is more). The doors stay thin:
the helpers run these reads in a worker thread and answer ``ok=false`` on ``NoHistory``; the API
runs them in its thread pool, caches the answers and maps the errors to its JSON error body.

    HubsightError
     ├── StoreUnavailable   (store/db.py) the store cannot be opened or read
     └── NoHistory          nothing to answer with; ``missing`` says what: the store, a crawl of
                            the source, or the repo (the API answers 404 for a repo, else 503)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Literal, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from hubsight.errors import HubsightError
from hubsight.store import queries
from hubsight.store.db import StoreUnavailable

__all__ = [
    "NO_CRAWL",
    "NoHistory",
    "engine",
    "find_repo",
    "keyset",
    "latest",
    "new_repos",
    "read",
    "release",
    "repo_history",
]

T = TypeVar("T")
R = TypeVar("R")

NO_CRAWL = {
    "hub": "the history store holds no Hub crawl yet: run `hubsight crawl --only hub` (daily: `hubsight crawl --daily`)",
    "papers": "the history store holds no papers crawl yet: run `hubsight crawl --only papers`",
    "arena": "the history store holds no LMArena crawl yet: run `hubsight crawl --only arena`",
}


class NoHistory(HubsightError):
    """The history store has nothing to answer with: no store, no crawl of the source, or not this repo."""

    def __init__(self, message: str, missing: Literal["store", "crawl", "repo"] = "store") -> None:
        super().__init__(message)
        self.missing = missing


_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def engine(url: str, create: bool = False) -> Engine:
    """The process's engine for the store at ``url``, made on first use. A read never creates a store:
    a missing SQLite file is ``NoHistory`` unless ``create`` (the API server, which also migrates it)."""
    found = _engines.get(url)
    if found is None:
        from hubsight.store.db import make_engine, missing_sqlite

        path = None if create else missing_sqlite(url)
        if path is not None:
            raise NoHistory(f"there is no history store at {path}: run `hubsight crawl` first (HUBSIGHT_DB)")
        with _lock:
            found = _engines.get(url)
            if found is None:
                found = _engines[url] = make_engine(url)
    return found


def release(url: str) -> None:
    """Close the pooled connections of ``url``'s engine (a server that stops); the next read reconnects."""
    with _lock:
        found = _engines.pop(url, None)
    if found is not None:
        found.dispose()


def read(url: str, fn: Callable[..., T], *args: Any) -> T:
    """``fn(conn, *args)`` on a connection to the store at ``url`` (blocking: doors call it in a thread)."""
    from hubsight.store.db import cannot_read, cause, describe, unreadable

    found = engine(url)
    try:
        with found.connect() as conn:
            return fn(conn, *args)
    except SQLAlchemyError as exc:
        if unreadable(exc):
            raise StoreUnavailable(cannot_read(found, exc)) from None
        raise StoreUnavailable(
            f"the history store {describe(found)} cannot answer: {cause(exc)}; run `hubsight crawl` to create or "
            "upgrade it"
        ) from None


def keyset(rows: Sequence[R], limit: int) -> tuple[list[R], bool]:
    """A page of rows read with ``limit + 1``: (the first ``limit``, whether there were more)."""
    return list(rows[:limit]), len(rows) > limit


# -- the store's rules ------------------------------------------------------------------------------
def latest(conn: Connection, source: str) -> date:
    """The newest crawl date of ``source`` (hub, papers, arena); ``NoHistory`` when there is none."""
    day = conn.scalar(queries.latest_crawl_query(source))
    if day is None:
        raise NoHistory(NO_CRAWL[source], "crawl")
    return day


def find_repo(conn: Connection, kind: str, repo_id: str) -> queries.RepoRef:
    """A stored repo by its id or an id it had before a rename; ``NoHistory`` when no crawl listed it."""
    ref = queries.resolve_repo(conn, kind, repo_id)
    if ref is None:
        raise NoHistory(
            f"{kind} {repo_id!r} is not in the history store: no crawl has listed it (ids are owner/name, case-sensitive)",
            "repo",
        )
    return ref


def repo_history(
    conn: Connection, kind: str, repo_id: str, limit: int, before: date | None = None
) -> tuple[queries.RepoRef, list[queries.HistoryDay], bool]:
    """(the repo, its newest ``limit`` listed days older than ``before``, whether older ones exist)."""
    ref = find_repo(conn, kind, repo_id)
    days, more = keyset(queries.read_history(conn, ref, limit + 1, before), limit)
    return ref, days, more


def new_repos(
    conn: Connection, kind: str, latest_day: date, days: int, tag: str | None, limit: int, after: Any = None
) -> tuple[list[dict[str, Any]], bool]:
    """Repos the Hub created since midnight UTC ``days`` days before ``latest_day``, newest first."""
    since = queries.since_midnight(latest_day, days)
    return keyset(queries.read_new(conn, kind, since, tag, limit + 1, after), limit)
