"""One bounded cache: a mapping that forgets its least recently used entries.

Bounded by a number of entries, or, with ``size``, by the total size of its values (bytes, say),
in which case the newest entry is always kept however big it is. Thread-safe: the API's thread
pool and the replica's request threads share them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["LRU"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
D = TypeVar("D")


class LRU(Generic[K, V]):
    """At most ``limit`` entries, or values whose ``size`` adds up to at most ``limit``."""

    def __init__(self, limit: int, size: Callable[[V], int] | None = None) -> None:
        if limit < 0:
            raise ValueError(f"an LRU limit is a count or a size, 0 or more; got {limit}")
        self.limit = limit
        self._size = size
        self._total = 0
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K, default: D = None) -> V | D:  # type: ignore[assignment]
        """The value under ``key`` (now the most recently used), or ``default``."""
        with self._lock:
            if key not in self._data:
                return default
            self._data.move_to_end(key)
            return self._data[key]

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` under ``key``, forgetting the least recently used entries beyond the limit."""
        with self._lock:
            if key in self._data:
                self._total -= self._weigh(self._data.pop(key))
            self._data[key] = value
            self._total += self._weigh(value)
            while len(self._data) > 1 and self._total > self.limit:
                _, dropped = self._data.popitem(last=False)
                self._total -= self._weigh(dropped)
            if self._total > self.limit and self._size is None:  # limit 0: keep nothing
                self._data.clear()
                self._total = 0

    def pop(self, key: K) -> None:
        with self._lock:
            if key in self._data:
                self._total -= self._weigh(self._data.pop(key))

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._total = 0

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def _weigh(self, value: V) -> int:
        return 1 if self._size is None else self._size(value)
