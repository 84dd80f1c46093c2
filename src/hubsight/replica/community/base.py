"""Deterministic randomness, per-world caching and ids shared by the community generators.

Every random draw is a counter-based hash of ``(seed, purpose, entity, ...)``, never a stream whose
position depends on how many repos exist today; per-version results are cached per world (weakly).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from hubsight.replica.world import World, _stable_hash

T = TypeVar("T")
_MASK64 = (1 << 64) - 1
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLD = np.uint64(0x9E3779B97F4A7C15)
_CACHE: weakref.WeakKeyDictionary[World, dict[str, tuple[int, Any]]] = weakref.WeakKeyDictionary()


def _salt(w: World, purpose: str) -> int:
    return (((w.seed & 0xFFFFFFFF) << 32) ^ _stable_hash(purpose)) & _MASK64


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: a cheap, well-spread bijection on uint64 arrays."""
    x = x ^ (x >> np.uint64(30))
    x = x * _M1
    x = x ^ (x >> np.uint64(27))
    x = x * _M2
    return x ^ (x >> np.uint64(31))


def _hash(salt: int, *keys: Any) -> np.ndarray:
    """A uint64 per broadcast position of ``keys`` (non-negative ints), stable across runs."""
    arrays = np.broadcast_arrays(*[np.atleast_1d(np.asarray(k, dtype=np.int64)).astype(np.uint64) for k in keys])
    h = np.full(arrays[0].shape, salt, dtype=np.uint64)
    for a in arrays:
        h = _mix(h ^ (a * _GOLD))
    return h


def uniform(salt: int, *keys: Any) -> np.ndarray:
    """Uniform floats in [0, 1) keyed by ``keys``: the replica's counter-based random numbers."""
    return (_hash(salt, *keys) >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def _u(salt: int, *keys: int) -> float:
    return float(uniform(salt, *keys)[0])


def _choice(seq: list[T] | tuple[T, ...], u: float) -> T:
    return seq[min(len(seq) - 1, int(u * len(seq)))]


def _cached(w: World, name: str, build: Callable[[World], T]) -> T:
    """``build(w)`` once per world version: the callers hold the replica lock."""
    slot = _CACHE.setdefault(w, {})
    hit = slot.get(name)
    if hit is not None and hit[0] == w.version:
        return hit[1]
    value = build(w)
    slot[name] = (w.version, value)
    return value


def object_id(w: World, code: str, value: int) -> str:
    """A 24-hex Mongo-like id, as the Hub uses for users, collections, discussions and events."""
    return f"{(w.seed * 2654435761) & 0xFFFFFFFF:08x}{code}{value & ((1 << 60) - 1):015x}"


def avatar(w: World, owner: int) -> str:
    return f"https://cdn-avatars.huggingface.co/v1/production/uploads/{w.owners.names[owner]}.png"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "collection"
