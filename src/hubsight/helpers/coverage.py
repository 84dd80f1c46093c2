"""Coverage metadata: each flag is a statement about what the helper saw, and must be true.

- ``limit_boundary_hit``: the scan stopped at the limit while the source had more rows.
- ``more_available``: True when rows matching the request exist beyond those returned, False when
  none do, ``"unknown"`` when rows exist beyond the scan but a local filter means they may not match.
- ``truncated``: the returned rows are a prefix of a longer result (something was cut).
- ``sample_complete``: the scan covered the whole source, so the rows are everything that matches.
- ``exact_count``: ``total`` is the exact number of matching rows.
- ``hard_cap_applied``: the requested limit was above the helper's maximum and was clamped.
"""

from __future__ import annotations

from typing import Any

from hubsight.helpers.contracts import LimitPlan


def limit_meta(plan: LimitPlan) -> dict[str, Any]:
    return {
        "requested_limit": plan.requested,
        "applied_limit": plan.applied,
        "default_limit_used": plan.default_used,
        "hard_cap_applied": plan.hard_cap_applied,
    }


def window_meta(
    plan: LimitPlan, *, scanned: int, returned: int, upstream_more: bool | None, filtered: bool
) -> dict[str, Any]:
    """Meta of a one-shot window: ``scanned`` source rows (at most the limit), ``returned`` after filtering.

    ``upstream_more`` is whether the source had rows beyond the window (None: not looked).
    """
    complete = upstream_more is False
    if complete:
        more: bool | str = False
    elif upstream_more is None or filtered:
        more = "unknown"
    else:
        more = True
    return {
        **limit_meta(plan),
        "scanned": scanned,
        "limit_boundary_hit": bool(upstream_more),
        "truncated": not complete,
        "more_available": more,
        "sample_complete": complete,
        "exact_count": complete,
        "total": returned if complete else None,
    }


def scan_meta(
    plan: LimitPlan,
    *,
    scanned: int,
    matched: int,
    returned: int,
    source_exhausted: bool,
    scan_limit: int | None = None,
    requested_scan_limit: int | None = None,
) -> dict[str, Any]:
    """Meta of a bounded scan that filters locally and keeps at most ``limit`` of the ``matched`` rows."""
    cut = matched > returned
    if source_exhausted:
        more: bool | str = cut
    else:
        more = True if cut else "unknown"
    out = {
        **limit_meta(plan),
        "scanned": scanned,
        "matched": matched,
        "limit_boundary_hit": cut or (not source_exhausted and scan_limit is not None and scanned >= scan_limit),
        "truncated": cut or not source_exhausted,
        "more_available": more,
        "sample_complete": source_exhausted,
        "exact_count": source_exhausted,
        "total": matched if source_exhausted else None,
    }
    if scan_limit is not None:
        out["scan_limit"] = scan_limit
        out["requested_scan_limit"] = requested_scan_limit
        out["scan_limit_hit"] = not source_exhausted and scanned >= scan_limit
    return out
