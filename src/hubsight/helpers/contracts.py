"""Pure contract checks and row operations: fields projection, where/post_filter, limit clamping.

Every error names the bad key and lists the allowed ones, so an LLM can fix its call in one retry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hubsight.errors import ContractError

OPS = ("eq", "in", "contains", "icontains", "gte", "lte")


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any


def check_choice(what: str, value: Any, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise ContractError(f"unknown {what} {repr(value)[:80]}; allowed: {', '.join(allowed)}")


MAX_FILTER_TEXT = 1_000
"""Longest text a where/post_filter value may hold (a repo id is at most 96 characters)."""
MAX_FILTER_VALUES = 1_000
"""Most values an ``in`` list may hold: the rows are filtered on the host, outside the sandbox's limits."""


def _check_value(path: str, value: Any) -> None:
    if isinstance(value, str):
        if len(value) > MAX_FILTER_TEXT:
            raise ContractError(f"{path} is {len(value):,} characters long; at most {MAX_FILTER_TEXT:,} are accepted")
    elif not (value is None or isinstance(value, bool | int | float | datetime)):
        raise ContractError(f"{path} must be a str, int, float, bool or None (or a datetime from Python), got "
                            f"{type(value).__name__}")


def parse_where(where: dict[str, Any] | None, allowed: Sequence[str], what: str = "where") -> list[Condition]:
    """``{"likes": {"gte": 10}, "author": "Qwen", "runtime_stage": {"in": [...]}}`` → conditions.

    A bare value means ``eq``. Unknown keys and ops, values that are not plain scalars, and values
    past ``MAX_FILTER_TEXT`` / ``MAX_FILTER_VALUES`` fail fast.
    """
    if where is None:
        return []
    if not isinstance(where, dict):
        raise ContractError(f"{what} must be a dict like {{'likes': {{'gte': 10}}}}, got {type(where).__name__}")
    out: list[Condition] = []
    for field, spec in where.items():
        check_choice(f"{what} key", field, allowed)
        if isinstance(spec, dict):
            if not spec:
                raise ContractError(f"{what}[{field!r}] is empty; use one of the ops: {', '.join(OPS)}")
            for op, value in spec.items():
                check_choice(f"{what} op for {field!r}", op, OPS)
                path = f"{what}[{field!r}][{op!r}]"
                if op == "in":
                    if not isinstance(value, list | tuple | set):
                        raise ContractError(f"{path} must be a list of values")
                    if len(value) > MAX_FILTER_VALUES:
                        raise ContractError(f"{path} has {len(value):,} values; at most {MAX_FILTER_VALUES:,} are accepted")
                    for i, item in enumerate(value):
                        _check_value(f"{path}[{i}]", item)
                else:
                    _check_value(path, value)
                out.append(Condition(field, op, value))
        else:
            _check_value(f"{what}[{field!r}]", spec)
            out.append(Condition(field, "eq", spec))
    return out


def _as_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _compare(actual: Any, bound: Any) -> int | None:
    """-1/0/1 for numbers or ISO timestamps; None when the two cannot be ordered."""
    if isinstance(actual, bool) or isinstance(bound, bool):
        return None
    if isinstance(actual, int | float) and isinstance(bound, int | float):
        return (actual > bound) - (actual < bound)
    a, b = _as_time(actual), _as_time(bound)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    if isinstance(actual, str) and isinstance(bound, str):
        return (actual > bound) - (actual < bound)
    return None


def matches(row: dict[str, Any], conditions: Sequence[Condition]) -> bool:
    for c in conditions:
        actual = row.get(c.field)
        if c.op == "eq":
            ok = actual == c.value
        elif c.op == "in":
            ok = actual in c.value if not isinstance(actual, list) else any(a in c.value for a in actual)
        elif c.op in ("contains", "icontains"):
            needle = c.value
            if isinstance(actual, list):
                if c.op == "icontains" and isinstance(needle, str):
                    ok = any(isinstance(a, str) and needle.lower() in a.lower() for a in actual)
                else:
                    ok = needle in actual
            elif isinstance(actual, str) and isinstance(needle, str):
                ok = needle.lower() in actual.lower() if c.op == "icontains" else needle in actual
            else:
                ok = False
        else:
            order = _compare(actual, c.value)
            ok = order is not None and (order >= 0 if c.op == "gte" else order <= 0)
        if not ok:
            return False
    return True


def project(rows: list[dict[str, Any]], fields: Sequence[str] | None) -> list[dict[str, Any]]:
    if fields is None:
        return rows
    return [{f: row.get(f) for f in fields} for row in rows]


@dataclass(frozen=True)
class LimitPlan:
    requested: int | None
    applied: int
    default_used: bool
    hard_cap_applied: bool


def plan_limit(requested: Any, default: int, maximum: int, name: str = "limit") -> LimitPlan:
    if requested is None:
        return LimitPlan(None, min(default, maximum), True, False)
    if isinstance(requested, bool) or not isinstance(requested, int):
        raise ContractError(f"{name} must be an integer, got {requested!r}")
    if requested < 0:
        raise ContractError(f"{name} must be >= 0, got {requested}")
    return LimitPlan(requested, min(requested, maximum), False, requested > maximum)
