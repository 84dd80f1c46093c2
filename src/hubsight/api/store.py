"""The API's handle on the history store: one engine, reads off the event loop, answers cached per crawl.

The store changes once a day, when a crawl commits. So the API remembers the newest crawl date of
each source for ``api_cache_seconds`` and caches every answer under (query, newest crawl date): a new
crawl changes the key, and stale answers simply stop being asked for. Blocking database work runs in
the thread pool (``anyio.to_thread``), never on the event loop.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from hubsight.api.errors import ApiError
from hubsight.lru import LRU
from hubsight.settings import Settings
from hubsight.store import queries
from hubsight.store.db import writing

__all__ = ["NO_CRAWL", "HistoryStore"]

T = TypeVar("T")
READERS = 4
_MISS = object()

NO_CRAWL = {
    "hub": "the history store holds no Hub crawl yet: run `hubsight crawl --only hub` (daily: `hubsight crawl --daily`)",
    "papers": "the history store holds no papers crawl yet: run `hubsight crawl --only papers`",
    "arena": "the history store holds no LMArena crawl yet: run `hubsight crawl --only arena`",
}


class HistoryStore:
    """Built by the app factory; connects on first use (no engine is created at import or app creation)."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.db
        self.settings = settings
        self.ttl = settings.api_cache_seconds
        self.cache_entries = settings.api_cache_entries
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self._latest: dict[str, tuple[float, date | None]] = {}
        self._answers: LRU[Hashable, Any] = LRU(self.cache_entries)
        self._limiter: CapacityLimiter | None = None

    def engine(self) -> Engine:
        """The engine, made (and the schema brought up to date) on first use; 503 when the store is down."""
        if self._engine is None:
            from hubsight.store.db import StoreUnavailable, make_engine, upgrade

            with self._lock:
                if self._engine is None:
                    try:
                        engine = make_engine(self.url)
                        upgrade(engine)
                    except StoreUnavailable as exc:
                        raise ApiError(503, "ServiceUnavailable", str(exc)) from None
                    self._engine = engine
        return self._engine

    def sql(self) -> Any:
        """The contained SQL engine over this store's Parquet files (``store/sql.py``), shared per process."""
        from hubsight.store.sql import for_settings

        return for_settings(self.settings)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def _readers(self) -> CapacityLimiter:
        """Threads reading at once: as many as the pool keeps connections, so none waits for one or opens
        a throwaway; more threads only contend for the GIL."""
        if self._limiter is None:
            self._limiter = CapacityLimiter(READERS)
        return self._limiter

    def _run(self, fn: Callable[..., T], *args: Any, write: bool = False) -> T:
        try:
            with writing(self.engine()) if write else self.engine().connect() as conn:
                return fn(conn, *args)
        except ApiError:
            raise
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise ApiError(503, "ServiceUnavailable", f"the history store cannot be read: {reason}") from None

    async def read(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(conn, *args)`` in the thread pool."""
        return await to_thread.run_sync(self._run, fn, *args, limiter=self._readers())

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(conn, *args)`` in one transaction, in the thread pool."""
        return await to_thread.run_sync(lambda: self._run(fn, *args, write=True))

    async def latest(self, source: str) -> date:
        """The newest crawl date of ``source`` (remembered for ``api_cache_seconds``); 503 when there is none."""
        now = time.monotonic()
        hit = self._latest.get(source)
        if hit is not None and now - hit[0] < self.ttl:
            day = hit[1]
        else:
            day = await self.read(_latest, source)
            self._latest[source] = (now, day)
        if day is None:
            raise ApiError(503, "ServiceUnavailable", NO_CRAWL[source])
        return day

    def fresh(self, source: str) -> date | None:
        """The newest crawl date of ``source`` if it was read less than ``api_cache_seconds`` ago, else None."""
        hit = self._latest.get(source)
        if hit is None or time.monotonic() - hit[0] >= self.ttl:
            return None
        return hit[1]

    async def answer(self, key: Hashable, fn: Callable[..., T], *args: Any) -> T:
        """``fn(conn, *args)``, cached under ``key`` (which must hold the crawl date the answer depends on)."""
        if not self.cache_entries:
            return await self.read(fn, *args)
        value = self._answers.get(key, _MISS)
        if value is _MISS:
            value = await self.read(fn, *args)
            self._answers.put(key, value)
        return value


def _latest(conn: Connection, source: str) -> date | None:
    return conn.scalar(queries.latest_crawl_query(source))
