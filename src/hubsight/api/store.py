"""The API's handle on the history store: one engine, reads off the event loop, answers cached per crawl.

The store changes once a day, when a crawl commits. So the API remembers the newest crawl date of
each source for ``api_cache_seconds`` and caches every answer under (query, newest crawl date): a new
crawl changes the key, and stale answers simply stop being asked for. Blocking database work runs in
threads, never on the event loop: reads in the store's own pool of ``READERS`` threads (a plain
executor: with 32 requests in flight a hop costs about 15 µs there against 41 µs through
``anyio.to_thread``), writes and SQL through ``anyio.to_thread``.

One exception, on SQLite only: a ``bounded`` read (a primary-key range of at most ~100 rows, such as
a trending page) runs on the event loop. Such a read costs about 100 µs, nearly all of it Python
work that holds the GIL wherever it runs; but SQLite's driver releases the GIL around every step,
so in a thread each row is a GIL handoff with the busy loop, and the hop cost more than the read
(throughput halved: ~330 µs of CPU a request with 32 clients). SQLite in WAL mode never makes a
reader wait for the writer, so such a read cannot stall the loop on a crawl. It only runs there once
the store is set up (its first use migrates the schema, which may wait for a writer: in the thread).
PostgreSQL reads are network round trips: always in the threads.

The engine, the reads and the store's rules are the history service's (``store/history.py``), shared
with the history helpers; its ``NoHistory`` and ``StoreUnavailable`` reach the caller through the
app's error handlers (``api/errors.py``) as 404 or 503.
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from hubsight.lru import LRU
from hubsight.settings import Settings
from hubsight.store import history
from hubsight.store.db import StoreUnavailable, writing

__all__ = ["HistoryStore"]

T = TypeVar("T")
READERS = 4
SQL_READERS = 2
_MISS = object()
_sql_limiter: CapacityLimiter | None = None


class HistoryStore:
    """Built by the app factory; connects on first use (no engine is created at import or app creation)."""

    def __init__(self, settings: Settings) -> None:
        self.url = settings.db
        self.settings = settings
        self.ttl = settings.api_cache_seconds
        self.cache_entries = settings.api_cache_entries
        self._ready = False
        self._lock = threading.Lock()
        self._latest: dict[str, tuple[float, date]] = {}
        self._answers: LRU[Hashable, Any] = LRU(self.cache_entries)
        self._readers: ThreadPoolExecutor | None = None
        self._sqlite = self.url.split(":", 1)[0].split("+", 1)[0] == "sqlite"

    def engine(self) -> Engine:
        """The store's engine, its schema brought up to date on this store's first use (a server may
        create the store); ``StoreUnavailable`` when the store is down."""
        if not self._ready:
            from hubsight.store.db import upgrade

            with self._lock:
                if not self._ready:
                    upgrade(history.engine(self.url, create=True))
                    self._ready = True
        return history.engine(self.url, create=True)

    def sql(self) -> Any:
        """The contained SQL engine over this store's Parquet files (``store/sql.py``), shared per process."""
        from hubsight.store.sql import for_settings

        return for_settings(self.settings)

    def dispose(self) -> None:
        history.release(self.url)
        self._ready = False
        readers, self._readers = self._readers, None
        if readers is not None:
            readers.shutdown(wait=False)

    async def sql_call(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` of the SQL engine (``store/sql.py``, ``store/trends.py``) in the thread pool, at most
        ``SQL_READERS`` at once: DuckDB releases the GIL while it works, and the two cores are all it has."""
        global _sql_limiter
        if _sql_limiter is None:
            _sql_limiter = CapacityLimiter(SQL_READERS)
        return await to_thread.run_sync(lambda: fn(*args), limiter=_sql_limiter)

    def _reader_pool(self) -> ThreadPoolExecutor:
        """Threads reading at once: as many as the pool keeps connections, so none waits for one or opens
        a throwaway; more threads only contend for the GIL."""
        with self._lock:
            if self._readers is None:
                self._readers = ThreadPoolExecutor(READERS, thread_name_prefix="hubsight-read")
            return self._readers

    def _run(self, fn: Callable[..., T], *args: Any, write: bool = False) -> T:
        engine = self.engine()
        if not write:
            return history.read(self.url, fn, *args)
        try:
            with writing(engine) as conn:
                return fn(conn, *args)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreUnavailable(f"the history store cannot be written: {reason}") from None

    async def read(self, fn: Callable[..., T], *args: Any, bounded: bool = False) -> T:
        """``fn(conn, *args)`` in one of the reader threads (with the caller's context variables); a
        ``bounded`` read of a SQLite store that is set up, right here (see the module's docstring)."""
        if bounded and self._sqlite and self._ready:
            return self._run(fn, *args)
        pool = self._readers or self._reader_pool()
        context = contextvars.copy_context()
        return await asyncio.get_running_loop().run_in_executor(pool, context.run, self._run, fn, *args)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(conn, *args)`` in one transaction, in the thread pool."""
        return await to_thread.run_sync(lambda: self._run(fn, *args, write=True))

    async def latest(self, source: str) -> date:
        """The newest crawl date of ``source``, remembered for ``api_cache_seconds``; ``NoHistory`` (503)
        while there is none."""
        now = time.monotonic()
        hit = self._latest.get(source)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        day = await self.read(history.latest, source)
        self._latest[source] = (now, day)
        return day

    def fresh(self, source: str) -> date | None:
        """The newest crawl date of ``source`` if it was read less than ``api_cache_seconds`` ago, else None."""
        hit = self._latest.get(source)
        if hit is None or time.monotonic() - hit[0] >= self.ttl:
            return None
        return hit[1]

    async def answer(self, key: Hashable, fn: Callable[..., T], *args: Any, bounded: bool = False) -> T:
        """``fn(conn, *args)``, cached under ``key`` (which must hold the crawl date the answer depends on);
        ``bounded`` as for ``read``."""
        if not self.cache_entries:
            return await self.read(fn, *args, bounded=bounded)
        value = self._answers.get(key, _MISS)
        if value is _MISS:
            value = await self.read(fn, *args, bounded=bounded)
            self._answers.put(key, value)
        return value

