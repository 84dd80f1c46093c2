"""The bounded cache: what it keeps, what it forgets first, and sizes instead of counts."""

from __future__ import annotations

import pytest

from hubsight.lru import LRU


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3 and len(cache) == 2


def test_a_none_value_is_kept_and_a_miss_gives_the_default() -> None:
    cache: LRU[str, None] = LRU(4)
    cache.put("gone", None)
    missing = object()
    assert cache.get("gone", missing) is None and cache.get("other", missing) is missing


@pytest.mark.parametrize(
    ("sizes", "kept"),
    [
        ([4, 4, 4], ["b", "c"]),  # 12 > 10: the oldest goes
        ([3, 3, 3], ["a", "b", "c"]),
        ([20], ["a"]),  # bigger than the limit, but the newest is always kept
        ([2, 20], ["b"]),
    ],
)
def test_a_size_limit_counts_the_values(sizes: list[int], kept: list[str]) -> None:
    cache: LRU[str, bytes] = LRU(10, size=len)
    for key, n in zip("abc", sizes, strict=False):
        cache.put(key, b"x" * n)
    assert [k for k in "abc" if k in cache] == kept


def test_replacing_pop_and_a_zero_limit() -> None:
    cache: LRU[str, bytes] = LRU(10, size=len)
    cache.put("a", b"x" * 8)
    cache.put("a", b"x" * 2)
    cache.put("b", b"x" * 8)  # 2 + 8 fits: the replaced value no longer counts
    assert "a" in cache and "b" in cache
    cache.pop("a")
    cache.pop("never")
    assert "a" not in cache and len(cache) == 1
    off: LRU[str, int] = LRU(0)
    off.put("a", 1)
    assert len(off) == 0


def test_a_negative_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        LRU(-1)
