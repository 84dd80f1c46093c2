"""Turning a script's result into plain JSON data, with a size cap.

The prompt promises callers plain data (dict with str keys, list, str, int, finite float, bool,
None). Anything else is an error that names the path and the fix; tuples are the one exception
(they become lists, which is what JSON would make of them anyway). Results over the size cap are
cut, not refused: the first items are kept and every cut is marked in place.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 100
TRUNCATED = "…[truncated: {} more {}]"
# Monty hands back functions defined in the sandbox as their repr string.
_FUNCTION_REPR = re.compile(r"^<function '[^']*' at 0x[0-9a-f]+>$")

_FIXES: dict[str, str] = {
    "set": "convert it with sorted(...) or list(...)",
    "frozenset": "convert it with sorted(...) or list(...)",
    "bytes": "decode it with .decode() or drop it",
    "bytearray": "decode it with .decode() or drop it",
    "datetime": "convert it with .isoformat()",
    "date": "convert it with .isoformat()",
    "time": "convert it with .isoformat()",
    "timedelta": "convert it with .total_seconds()",
    "complex": "return its .real and .imag as two floats",
    "MontyClassProxy": "build a dict of the fields you need instead of returning an object",
    "MontyStdTypeProxy": "call the function and return its value, or return its name as a string",
    "MontyClassTypeProxy": "return a string name instead of a class",
}


class ResultError(ValueError):
    """The result is not plain data; the message names the path and how to fix it."""


@dataclass
class Converted:
    value: Any
    truncated: bool
    size: int
    """Bytes of JSON before truncation (an estimate when truncated)."""


def _path(path: str) -> str:
    return path or "result"


def _kind(value: Any) -> str:
    return type(value).__name__


def to_plain(value: Any, path: str = "result", depth: int = 0) -> Any:
    """A plain-data copy of ``value``, or ResultError naming the first offending path."""
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str) and _FUNCTION_REPR.match(value):
            raise ResultError(f"`{path}`: a function is not plain data — call it and return its value")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ResultError(
                f"`{path}`: {value!r} is not plain data (JSON has no NaN or infinity) — "
                "replace it with None or a finite number"
            )
        return value
    if depth >= MAX_DEPTH:
        raise ResultError(f"`{path}`: the result is nested deeper than {MAX_DEPTH} levels — flatten it")
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ResultError(
                    f"`{path}`: dict key {key!r} is {_kind(key)}, but keys must be str — convert it with str(...)"
                )
            out[key] = to_plain(item, f"{path}[{key!r}]", depth + 1)
        return out
    if isinstance(value, list | tuple):
        return [to_plain(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
    kind = _kind(value)
    fix = _FIXES.get(kind, "convert it to a dict, list, str, int, float, bool or None")
    shown = getattr(value, "name", None) if kind.startswith("Monty") else None
    what = f"{kind} {shown!r}" if shown else kind
    raise ResultError(f"`{path}`: {what} is not plain data — {fix}")


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def _cut(value: Any, budget: list[int]) -> Any:
    """Copy ``value`` while the byte budget lasts; everything past it becomes an in-place marker."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        keys = list(value)
        budget[0] -= 2
        for i, key in enumerate(keys):
            if budget[0] <= 0:
                out["…truncated"] = TRUNCATED.format(len(keys) - i, "keys")
                break
            budget[0] -= len(key.encode()) + 4
            out[key] = _cut(value[key], budget)
        return out
    if isinstance(value, list):
        items: list[Any] = []
        budget[0] -= 2
        for i, item in enumerate(value):
            if budget[0] <= 0:
                items.append(TRUNCATED.format(len(value) - i, "items"))
                break
            items.append(_cut(item, budget))
            budget[0] -= 1
        return items
    if isinstance(value, str):
        size = len(value.encode()) + 2
        if size > budget[0]:
            keep = max(0, budget[0] - 2)
            text = value.encode()[:keep].decode(errors="ignore")
            budget[0] = 0
            return text + TRUNCATED.format(len(value) - len(text), "characters")
        budget[0] -= size
        return value
    budget[0] -= _size(value)
    return value


def convert(value: Any, max_bytes: int) -> Converted:
    """Plain data within ``max_bytes`` of JSON (cut with markers beyond it); ResultError if not plain."""
    plain = to_plain(value)
    size = _size(plain)
    if size <= max_bytes:
        return Converted(plain, False, size)
    # Markers and separators cost a little past the budget: leave them room.
    budget = [max(0, max_bytes - 512)]
    return Converted(_cut(plain, budget), True, size)
