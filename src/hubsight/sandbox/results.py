"""Turning a script's result into plain JSON data, with a size cap.

The prompt promises callers plain data (dict with str keys, list, str, int, finite float, bool,
None). Anything else is an error that names the path and the fix; tuples are the one exception
(they become lists, which is what JSON would make of them anyway). Results over the size cap are
cut, not refused: the first items are kept and every cut is marked in place.

Scripts' results are converted inside the sandbox by ``encode.CONVERTER``, which follows these same
rules within the script's limits; the functions here do it for values already in this process.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 100
MAX_INT_BITS = 1024
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


def _show(path: str) -> str:
    """The path as shown in messages: deep paths keep their start and end."""
    return path if len(path) <= 120 else f"{path[:60]}...{path[-50:]}"


def _kind(value: Any) -> str:
    return type(value).__name__


def to_plain(value: Any, path: str = "result", depth: int = 0) -> Any:
    """A plain-data copy of ``value``, or ResultError naming the first offending path."""
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
            raise ResultError(f"`{_show(path)}`: an integer of {value.bit_length()} bits is too large for JSON — convert it with str(...)")
        if isinstance(value, str) and _FUNCTION_REPR.match(value):
            raise ResultError(f"`{_show(path)}`: a function is not plain data — call it and return its value")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ResultError(
                f"`{_show(path)}`: {value!r} is not plain data (JSON has no NaN or infinity) — "
                "replace it with None or a finite number"
            )
        return value
    if depth >= MAX_DEPTH:
        raise ResultError(f"`{_show(path)}`: the result is nested deeper than {MAX_DEPTH} levels — flatten it")
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ResultError(
                    f"`{_show(path)}`: dict key {repr(key)[:60]} is {_kind(key)}, but keys must be str — convert it with str(...)"
                )
            out[key] = to_plain(item, f"{path}[{key!r}]", depth + 1)
        return out
    if isinstance(value, list | tuple):
        return [to_plain(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
    kind = _kind(value)
    fix = _FIXES.get(kind, "convert it to a dict, list, str, int, float, bool or None")
    shown = getattr(value, "name", None) if kind.startswith("Monty") else None
    what = f"{kind} {shown!r}" if shown else kind
    raise ResultError(f"`{_show(path)}`: {what} is not plain data — {fix}")


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def _marker(count: int, what: str) -> str:
    return TRUNCATED.format(count, what)


def _cut(value: Any, room: int) -> tuple[Any, int]:
    """``value`` in at most about ``room`` bytes of JSON, and the bytes used.

    Whole rows are kept or dropped; only a single value too big on its own (a long string, a huge
    nested list) is cut inside. In a dict, small later siblings (``coverage`` after ``results``)
    keep their room, so the metadata survives while the rows are cut.
    """
    size = _size(value)
    if size <= room:
        return value, size
    if isinstance(value, str):
        keep = max(0, room - 80)
        text = value.encode()[:keep].decode(errors="ignore")
        out = text + _marker(len(value) - len(text), "characters")
        return out, _size(out)
    if isinstance(value, dict):
        keys = list(value)
        sizes = [_size(key) + 1 + _size(value[key]) for key in keys]
        small = max(64, room // 8)
        out: dict[str, Any] = {}
        used = 2 + 80  # braces, and room for the marker
        for i, key in enumerate(keys):
            reserve = sum(n for n in sizes[i + 1:] if n <= small)
            left = room - used - reserve
            if sizes[i] + 1 <= left:
                out[key] = value[key]
                used += sizes[i] + 1
            elif sizes[i] > small and left > small:
                cost = _size(key) + 2
                out[key], n = _cut(value[key], left - cost)
                used += cost + n
            elif sizes[i] > small:
                continue  # no room for a big value: later small siblings still fit
            else:
                out["…truncated"] = _marker(len(keys) - i, "keys")
                break
        dropped = len(keys) - len([k for k in out if k != "…truncated"])
        if dropped and "…truncated" not in out:
            out["…truncated"] = _marker(dropped, "keys")
        return out, _size(out)
    if isinstance(value, list):
        items: list[Any] = []
        used = 2 + 60
        small = max(64, room // 8)
        for i, item in enumerate(value):
            n = _size(item) + 1
            left = room - used
            if n <= left:
                items.append(item)
                used += n
                continue
            if n > small and left > small:
                part, m = _cut(item, left - 1)
                items.append(part)
                used += m + 1
                i += 1
            if i < len(value):
                items.append(_marker(len(value) - i, "items"))
            break
        return items, _size(items)
    return value, size


def convert(value: Any, max_bytes: int) -> Converted:
    """Plain data within ``max_bytes`` of JSON (cut with markers beyond it); ResultError if not plain."""
    plain = to_plain(value)
    size = _size(plain)
    if size <= max_bytes:
        return Converted(plain, False, size)
    cut, _ = _cut(plain, max_bytes)
    return Converted(cut, True, size)
