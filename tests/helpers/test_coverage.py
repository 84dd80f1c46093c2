"""Coverage meta: every flag a helper reports is a true statement about what it saw.

The seed prompt tells an LLM to return bare items only when none of limit_boundary_hit, truncated,
more_available != False, sample_complete=false, exact_count=false, hard_cap_applied says otherwise;
these rows pin which situations raise which flag.
"""

from __future__ import annotations

import pytest

from hubsight.helpers.contracts import LimitPlan
from hubsight.helpers.coverage import limit_meta, scan_meta, window_meta

DEFAULT = LimitPlan(None, 100, True, False)
CAPPED = LimitPlan(900, 500, False, True)
FLAGS = ("limit_boundary_hit", "truncated", "more_available", "sample_complete", "exact_count", "total")


def partial(meta: dict) -> bool:
    """The seed's rule: may the rows be returned as if complete?"""
    return bool(
        meta["limit_boundary_hit"] or meta["truncated"] or meta["more_available"] is not False
        or not meta["sample_complete"] or not meta["exact_count"] or meta["hard_cap_applied"]
    )


def test_limit_meta_says_what_was_asked_and_what_was_applied() -> None:
    assert limit_meta(DEFAULT) == {
        "requested_limit": None, "applied_limit": 100, "default_limit_used": True, "hard_cap_applied": False,
    }
    assert limit_meta(CAPPED) == {
        "requested_limit": 900, "applied_limit": 500, "default_limit_used": False, "hard_cap_applied": True,
    }


@pytest.mark.parametrize(
    ("returned", "upstream_more", "filtered", "flags"),
    [
        pytest.param(40, False, False, (False, False, False, True, True, 40), id="the-source-ended-inside-the-window"),
        pytest.param(12, False, True, (False, False, False, True, True, 12), id="filtered-but-the-source-ended"),
        pytest.param(100, True, False, (True, True, True, False, False, None), id="more-beyond-the-window"),
        pytest.param(30, True, True, (True, True, "unknown", False, False, None), id="more-beyond-but-filtered"),
        pytest.param(100, None, False, (False, True, "unknown", False, False, None), id="did-not-look-beyond"),
    ],
)
def test_window_meta(returned: int, upstream_more: bool | None, filtered: bool, flags: tuple) -> None:
    meta = window_meta(DEFAULT, scanned=100, returned=returned, upstream_more=upstream_more, filtered=filtered)
    assert tuple(meta[k] for k in FLAGS) == flags
    assert meta["scanned"] == 100 and meta["applied_limit"] == 100
    assert partial(meta) is (upstream_more is not False)


def test_a_capped_limit_is_partial_even_when_the_source_ended() -> None:
    meta = window_meta(CAPPED, scanned=500, returned=500, upstream_more=False, filtered=False)
    assert meta["sample_complete"] is True and meta["hard_cap_applied"] is True and partial(meta)


@pytest.mark.parametrize(
    ("scanned", "matched", "returned", "exhausted", "scan_limit", "flags", "scan_limit_hit"),
    [
        pytest.param(80, 7, 7, True, None, (False, False, False, True, True, 7), None, id="all-seen-all-returned"),
        pytest.param(80, 150, 100, True, None, (True, True, True, True, True, 150), None, id="all-seen-more-matched-than-the-limit"),
        pytest.param(200, 150, 100, False, 200, (True, True, True, False, False, None), True, id="scan-cap-and-limit-both-hit"),
        pytest.param(200, 9, 9, False, 200, (True, True, "unknown", False, False, None), True, id="scan-cap-hit-few-matches"),
        pytest.param(50, 9, 9, False, 200, (False, True, "unknown", False, False, None), False, id="stopped-early-under-the-scan-cap"),
        pytest.param(200, 9, 9, True, 200, (False, False, False, True, True, 9), False, id="source-ended-exactly-at-the-scan-cap"),
    ],
)
def test_scan_meta(scanned, matched, returned, exhausted, scan_limit, flags, scan_limit_hit) -> None:
    meta = scan_meta(
        DEFAULT, scanned=scanned, matched=matched, returned=returned, source_exhausted=exhausted,
        scan_limit=scan_limit, requested_scan_limit=None,
    )
    assert tuple(meta[k] for k in FLAGS) == flags
    assert meta["matched"] == matched and meta["scanned"] == scanned
    assert meta.get("scan_limit_hit") == scan_limit_hit and meta.get("scan_limit") == scan_limit
    assert partial(meta) is not (exhausted and matched == returned)
