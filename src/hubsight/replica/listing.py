"""Listing queries: the Hub's search/filter/sort parameters turned into an ordered array of rows.

A query's full ordered result is computed once per world version and cached, so following
``Link`` cursors through a million rows is a slice per page.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

import numpy as np

from hubsight.lru import LRU
from hubsight.replica import vocab
from hubsight.replica.world import World

SORT_COLUMNS = {
    "likes": "likes",
    "downloads": "dl30",
    "trendingScore": "trending",
    "createdAt": "created",
    "lastModified": "modified",
    "downloadsAllTime": "dl_all",
}
SORT_ALIASES = {"trending_score": "trendingScore", "created_at": "createdAt", "last_modified": "lastModified", "likes7d": "trendingScore"}
PAGE_MAX = 1000
_UNITS = {"": 1, "K": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}


class QueryError(ValueError):
    """A listing parameter the Hub would reject with 400."""


@dataclass(frozen=True)
class Query:
    kind: str
    search: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    author: str | None = None
    pipeline_tag: str | None = None
    num_parameters: str | None = None
    gated: str | None = None
    apps: tuple[str, ...] = ()
    inference: str | None = None
    inference_provider: tuple[str, ...] = ()
    linked: bool = False
    models: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    sort: str | None = None


def parse_params(value: str) -> tuple[int | None, int | None]:
    """``min:6B,max:128B`` → (6e9, 128e9)."""
    lo = hi = None
    for part in value.split(","):
        m = re.fullmatch(r"\s*(min|max)\s*:\s*([0-9.]+)\s*([KMBT]?)\s*", part, re.IGNORECASE)
        if not m:
            raise QueryError(f"invalid num_parameters {value!r}: expected e.g. 'min:6B,max:128B'")
        n = int(float(m.group(2)) * _UNITS[m.group(3).upper()])
        if m.group(1).lower() == "min":
            lo = n
        else:
            hi = n
    return lo, hi


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("o:"):
            raise ValueError
        return max(0, int(raw[2:]))
    except ValueError:
        raise QueryError(f"invalid cursor {cursor!r}") from None


class Lister:
    def __init__(self, world: World, cache_size: int = 64) -> None:
        self.world = world
        self._cache: LRU[Query, np.ndarray] = LRU(cache_size)
        self._version = world.version

    def rows(self, q: Query) -> np.ndarray:
        if self._version != self.world.version:
            self._cache.clear()
            self._version = self.world.version
        hit = self._cache.get(q)
        if hit is not None:
            return hit
        result = self._compute(q)
        self._cache.put(q, result)
        return result

    def _compute(self, q: Query) -> np.ndarray:
        w = self.world
        t = w.repos[q.kind]
        mask = t.alive.copy()
        if q.author:
            owner = w.owners.find(q.author)
            mask &= (t.author == owner) if owner is not None else False
        for tag in q.filters:
            mask &= w.tag_mask(q.kind, tag)
        if q.pipeline_tag and q.kind == "model":
            names = vocab.names(vocab.PIPELINE_TAGS)
            code = names.index(q.pipeline_tag) if q.pipeline_tag in names else -10
            mask &= t.pipeline == code
        if q.num_parameters and q.kind == "model":
            lo, hi = parse_params(q.num_parameters)
            has = t.params > 0
            if lo is not None:
                has &= t.params >= lo
            if hi is not None:
                has &= t.params <= hi
            mask &= has
        if q.gated is not None:
            gated = q.gated.lower() == "true"
            mask &= (t.gated > 0) == gated
        if q.apps and q.kind == "model":
            mask &= w.tag_mask("model", "gguf")
        if (q.inference == "warm" or q.inference_provider) and q.kind == "model":
            from hubsight.replica.render import warm_mask

            mask &= warm_mask(t)
        if q.kind == "space":
            if q.linked:
                mask &= (t.linked_model >= 0) | (t.linked_dataset >= 0)
            for model in q.models:
                i = w.repos["model"].find(model)
                mask &= (t.linked_model == i) if i is not None else False
            for dataset in q.datasets:
                i = w.repos["dataset"].find(dataset)
                mask &= (t.linked_dataset == i) if i is not None else False
        idx = np.flatnonzero(mask)
        for term in q.search:
            needle = term.lower()
            ids = t.lower_ids
            idx = np.fromiter((i for i in idx.tolist() if needle in ids[i]), dtype=np.int64)
        if q.sort:
            key = getattr(t, SORT_COLUMNS[q.sort])[idx]
            idx = idx[np.argsort(-key, kind="stable")]
        return idx


def normalise_sort(kind: str, sort: str | None) -> str | None:
    if sort is None or sort == "":
        return None
    sort = SORT_ALIASES.get(sort, sort)
    allowed = [s for s in SORT_COLUMNS if not (kind == "space" and s.startswith("downloads"))]
    if sort not in allowed:
        raise QueryError(f"invalid sort {sort!r} for {kind}s: use one of {', '.join(allowed)}")
    return sort
