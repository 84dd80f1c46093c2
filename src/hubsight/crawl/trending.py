"""Trending maths, pure numpy: which repos gained most over a window, overall and per pipeline tag.

Computed once per crawl over whole decoded days (a million repos in milliseconds per window), so the
API only reads precomputed rows. Conventions, all visible in the stored rows:

- a window of ``days`` compares the newest day with the newest stored day at or before
  ``day - days``; if there is none the window is not stored, and ``date_from`` says which day was used;
- a repo listed today but not on ``date_from`` (born inside the window) counts from 0, so newcomers
  rise; its ``growth`` is null, as is any growth from 0;
- only gains count (``delta > 0``); ties go to the larger current value, then the older repo (lower rid).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from hubsight.helpers.registry import MAX_DAYS

TOP_ALL = 1000
TOP_TAG = 200
METRICS = {"likes": "likes", "downloads": "downloads_all_time"}
"""Trending metric → snapshot column: daily downloads are differences of the all-time count."""


def windows(day: date, stored: list[date], max_days: int = MAX_DAYS) -> list[tuple[int, date]]:
    """``(days, date_from)`` for every window of 1..max_days days that has an older stored day."""
    older = sorted(d for d in stored if d < day)
    out = []
    for days in range(1, max_days + 1):
        i = bisect_right(older, day - timedelta(days=days))
        if i:
            out.append((days, older[i - 1]))
    return out


@dataclass
class Ranking:
    """Top rows of one window: parallel arrays; ``tag`` is -1 for the all-repos ranking."""

    tag: np.ndarray
    rank: np.ndarray
    rid: np.ndarray
    latest: np.ndarray
    delta: np.ndarray
    base: np.ndarray


def _top(cand: np.ndarray, delta: np.ndarray, latest: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` best of ``cand`` in ranking order, sorting only what can make the cut."""
    if len(cand) > k:
        d = delta[cand]
        cut = np.partition(d, len(d) - k)[len(d) - k]  # the k-th largest gain: nothing below it ranks
        cand = cand[d >= cut]
    # lexsort: last key is primary → delta desc, then latest desc, then rid asc
    return cand[np.lexsort((cand, -latest[cand], -delta[cand]))][:k]


def rank(
    latest: np.ndarray,
    before: np.ndarray,
    tags: np.ndarray | None = None,
    top_all: int = TOP_ALL,
    top_tag: int = TOP_TAG,
) -> Ranking:
    """Rank repos by ``latest - before`` (arrays indexed by rid; -1 = not listed that day).

    ``tags`` (int codes per rid, -1 = none) adds a top ``top_tag`` per code.
    """
    n = len(latest)
    if len(before) < n:
        before = np.concatenate([before, np.full(n - len(before), -1, dtype=before.dtype)])
    before = before[:n]
    base = np.where(before >= 0, before, 0)
    delta = latest - base
    cand = np.flatnonzero((latest >= 0) & (delta > 0))
    top = _top(cand, delta, latest, top_all)
    parts_tag = [np.full(len(top), -1, dtype=np.int64)]
    parts_rank = [np.arange(1, len(top) + 1, dtype=np.int64)]
    parts_rid = [top]
    if tags is not None and len(cand):
        cand_tags = tags[cand]
        for tag in np.unique(cand_tags[cand_tags >= 0]).tolist():
            best = _top(cand[cand_tags == tag], delta, latest, top_tag)
            parts_tag.append(np.full(len(best), tag, dtype=np.int64))
            parts_rank.append(np.arange(1, len(best) + 1, dtype=np.int64))
            parts_rid.append(best)
    rid = np.concatenate(parts_rid)
    return Ranking(
        tag=np.concatenate(parts_tag),
        rank=np.concatenate(parts_rank),
        rid=rid,
        latest=latest[rid],
        delta=delta[rid],
        base=base[rid],
    )
