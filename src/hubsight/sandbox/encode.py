"""Converting a script's result inside the sandbox, so the work is bounded by the script's own limits.

The host used to receive the script's final value whole (two million ints cross the process
boundary, then a walk and ``json.dumps`` of all of it on the event loop). Instead:

1. ``PRELUDE`` binds, before the script, the builtins the conversion uses under names scripts
   cannot touch (a script that rebinds ``len`` or ``json`` changes nothing).
2. ``prepare`` rewrites the script's final expression into an assignment and ends the same feed
   with the fast way: ``json.dumps`` of the value, answered only up to the cap (and not tried on a
   container with more items than could fit). Most results are small plain data: that is all.
3. Otherwise (not plain as it is, or too big) ``slow`` runs ``CONVERTER`` in a second feed under the
   same limits: it refuses what is not plain data, naming the path (helpers, functions, cycles,
   sets, NaN, ...), and writes JSON cut with markers, stopping at the cap. Its work is linear in the
   bytes kept: each value is measured with an early stop and encoded once into a bounded room.

The host gets back at most the cap in one string, and parses it.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from typing import Any

from hubsight.sandbox.results import ResultError

MAX_INT_DIGITS = 4300
"""Longest integer JSON carries here: Python's own limit for turning an int into text and back."""

VALUE_NAME = "__hubsight_value"
CONVERT_NAME = "__hubsight_convert"

# Runs inside Monty after the script: the builtins it uses were bound by PRELUDE before the script
# ran, so a script that rebinds `type` or `json` cannot change how its result is checked. Names
# starting with `__` are closed to scripts.
CONVERTER = '''
def __hubsight_convert(value, room, max_depth, _builtins=__hubsight_builtins, _json=__hubsight_json):
    (_type, _str, _len, _id, _repr, _int, _float, _bool, _list, _tuple, _dict, _set, _none, _error, _recursion,
     _max, _range) = _builtins
    fixes = {
        "set": "convert it with sorted(...) or list(...)",
        "frozenset": "convert it with sorted(...) or list(...)",
        "bytes": "decode it with .decode() or drop it",
        "bytearray": "decode it with .decode() or drop it",
        "datetime.datetime": "convert it with .isoformat()",
        "datetime.date": "convert it with .isoformat()",
        "datetime.time": "convert it with .isoformat()",
        "datetime.timedelta": "convert it with .total_seconds()",
        "complex": "return its .real and .imag as two floats",
        "function": "call it and return its value (a helper call needs await)",
        "builtin_function_or_method": "call the function and return its value, or return its name as a string",
        "type": "return a string name instead of a class",
        "coroutine": "await the helper call and return its value",
    }
    big = 10 ** MAX_INT_DIGITS
    inf = _float("inf")
    open_ids = _set()

    def show(path):
        return path if _len(path) <= 120 else path[:60] + "..." + path[-50:]

    def kind(v):
        parts = _str(_type(v)).split("'")
        return parts[1] if _len(parts) > 2 else parts[0]

    def refuse(path, what, fix):
        raise _error("`" + show(path) + "`: " + what + " — " + fix)

    def nbytes(text):
        return _len(text.encode())

    def dumps(v):
        return _json.dumps(v, ensure_ascii=False)

    def marker(count, what):
        return dumps("…[truncated: " + _str(count) + " more " + what + "]")

    def measure(v, limit, depth):
        # JSON bytes of v when they are at most `limit`, else -1; stops as soon as it knows
        t = _type(v)
        if t is _str:
            if _len(v) + 2 > limit:
                return -1
            n = nbytes(dumps(v))
            return n if n <= limit else -1
        if t is _bool or t is _none or t is _int or t is _float:
            if t is _int and (v >= big or v <= -big):
                return 8  # too large for JSON: enc refuses it
            n = _len(_json.dumps(v))
            return n if n <= limit else -1
        if depth >= max_depth:
            return -1
        if t is _list or t is _tuple:
            total = 2 + _max(0, _len(v) - 1)
            for item in v:
                if total > limit:
                    return -1
                n = measure(item, limit - total, depth + 1)
                if n < 0:
                    return -1
                total += n
            return total if total <= limit else -1
        if t is _dict:
            total = 2 + _max(0, _len(v) - 1)
            for k in v:
                if total > limit:
                    return -1
                total += 1 + (nbytes(dumps(k)) if _type(k) is _str else 8)
                n = measure(v[k], limit - total, depth + 1)
                if n < 0:
                    return -1
                total += n
            return total if total <= limit else -1
        return 8  # not plain data: enc refuses it

    def scalar_key(k, path):
        text, whole = enc(k, path, 0, big)
        return text

    def cut_str(v, room):
        keep = _max(0, room - 80)
        head = v[:keep]
        while keep > 0 and nbytes(dumps(head)) > room - 60:
            keep = keep // 2
            head = v[:keep]
        return dumps(head + "…[truncated: " + _str(_len(v) - _len(head)) + " more characters]")

    def enc(v, path, depth, room, fits=False):
        # (JSON text of v in about `room` bytes, complete?): every value is refused or kept whole,
        # cut inside only when it is too big on its own
        t = _type(v)
        if t is _str:
            if _len(v) + 2 > room:
                return cut_str(v, room), False
            text = dumps(v)
            if nbytes(text) <= room:
                return text, True
            return cut_str(v, room), False
        if t is _bool or t is _none:
            return _json.dumps(v), True
        if t is _int:
            if v >= big or v <= -big:
                refuse(path, "an integer of more than " + _str(MAX_INT_DIGITS) + " digits is too large for JSON",
                       "convert it with str(...)")
            return _json.dumps(v), True
        if t is _float:
            if v != v or v == inf or v == -inf:
                refuse(path, _repr(v) + " is not plain data (JSON has no NaN or infinity)",
                       "replace it with None or a finite number")
            return _json.dumps(v), True
        if t is not _list and t is not _tuple and t is not _dict:
            name = kind(v)
            what = "a helper or function" if name == "function" else name
            refuse(path, what + " is not plain data", fixes.get(name, "convert it to a dict, list, str, int, float, bool or None"))
        if depth >= max_depth:
            refuse(path, "the result is nested deeper than " + _str(max_depth) + " levels", "flatten it")
        key = _id(v)
        if key in open_ids:
            refuse(path, "the result contains itself (a cycle)",
                   "build a new list or dict instead of putting a container inside itself")
        open_ids.add(key)
        small = _max(64, room // 8)
        # a value known to fit (measured by its parent) is encoded whole without measuring again
        fits = fits or measure(v, room, depth) >= 0
        if t is _dict:
            keys = _list(v)
            names = []
            for k in keys:
                kt = _type(k)
                if kt is _str:
                    names.append(dumps(k))
                elif kt is _int or kt is _float or kt is _bool or kt is _none:
                    names.append(dumps(scalar_key(k, path)))  # as json.dumps does: 1 -> "1", None -> "null"
                else:
                    refuse(path, "dict key " + _repr(k)[:60] + " is " + kind(k) + ", but keys must be str",
                           "convert it with str(...)")
            if fits:
                body = [names[i] + ":" + enc(v[keys[i]], path + "[" + _repr(keys[i]) + "]", depth + 1, room, True)[0]
                        for i in _range(_len(keys))]
                open_ids.discard(key)
                return "{" + ",".join(body) + "}", True
            # sizes of the values that are small (at most `small`), until they alone fill the room; the
            # small ones that fit, in order, are kept whole, and room is reserved for them: a big value
            # before them is cut to what they leave (so a trailing coverage dict survives a huge list)
            sizes = []
            spent = 0
            for i in _range(_len(keys)):
                n = measure(v[keys[i]], small, depth + 1) if spent <= room else -1
                sizes.append(n)
                spent += (n if n >= 0 else small) + nbytes(names[i]) + 2
            planned = 2 + 80
            for i in _range(_len(keys)):
                if sizes[i] >= 0:
                    cost = sizes[i] + nbytes(names[i]) + 2
                    if planned + cost > room:
                        sizes[i] = -2  # small, but past the room the small values before it fill
                    else:
                        planned += cost
            reserve = [0] * (_len(keys) + 1)
            j = _len(keys) - 1
            while j >= 0:
                reserve[j] = reserve[j + 1] + (sizes[j] + nbytes(names[j]) + 2 if sizes[j] >= 0 else 0)
                j -= 1
            body = []
            used = 2
            whole = True
            for i in _range(_len(keys)):
                name = names[i]
                sub = path + "[" + _repr(keys[i]) + "]"
                cost = nbytes(name) + 1 + (1 if body else 0)
                left = room - used - reserve[i + 1] - 80
                if sizes[i] >= 0 and sizes[i] + cost <= room - used - reserve[i + 1]:
                    text, done = enc(v[keys[i]], sub, depth + 1, sizes[i], True)
                    body.append(name + ":" + text)
                    used += cost + nbytes(text)
                    continue
                whole = False
                if sizes[i] == -1 and left - cost > small:
                    text, done = enc(v[keys[i]], sub, depth + 1, left - cost)
                    body.append(name + ":" + text)
                    used += cost + nbytes(text)
                elif sizes[i] != -1:
                    break  # a small value without room: stop here, the marker says how many are left
            open_ids.discard(key)
            if whole:
                return "{" + ",".join(body) + "}", True
            dropped = _len(keys) - _len(body)
            if dropped:
                body.append(dumps("…truncated") + ":" + marker(dropped, "keys"))
            return "{" + ",".join(body) + "}", False
        n = _len(v)
        if fits:
            parts = []
            for i in _range(n):
                parts.append(enc(v[i], path + "[" + _str(i) + "]", depth + 1, room, True)[0])
            open_ids.discard(key)
            return "[" + ",".join(parts) + "]", True
        parts = []
        used = 2
        for i in _range(n):
            item = v[i]
            sep = 1 if parts else 0
            it = _type(item)
            if it is _int or it is _bool or it is _none or (it is _float and item == item and item != inf and item != -inf):
                if it is not _int or (-big < item < big):
                    text = _json.dumps(item)  # the common case, inline: no path, no measuring
                    if used + sep + _len(text) <= room:
                        parts.append(text)
                        used += sep + _len(text)
                        continue
            size = measure(item, room - used - sep, depth + 1)
            if size >= 0:
                text, done = enc(item, path + "[" + _str(i) + "]", depth + 1, size, True)
                parts.append(text)
                used += sep + nbytes(text)
                continue
            # item i does not fit: make room for the marker, keep a cut of a big item if there is room
            while parts and used + 62 > room:
                used -= nbytes(parts.pop()) + (1 if parts else 0)
            kept = _len(parts)
            left = room - used - 62
            if kept == i and left > small:
                text, done = enc(item, path + "[" + _str(i) + "]", depth + 1, left)
                parts.append(text)
                kept += 1
            if kept < n:
                parts.append(marker(n - kept, "items"))
            open_ids.discard(key)
            return "[" + ",".join(parts) + "]", False
        open_ids.discard(key)
        return "[" + ",".join(parts) + "]", True

    try:
        text, whole = enc(value, "result", 0, room)
    except _error as exc:
        return ["error", _str(exc)]
    except _recursion:
        return ["error", "`result`: the result is nested too deeply to convert — flatten it"]
    return ["ok", text, not whole]
'''.replace("MAX_INT_DIGITS", str(MAX_INT_DIGITS))


PRELUDE = """\
import json as __hubsight_json
__hubsight_len = len
__hubsight_type = type
__hubsight_sized = (list, tuple, dict, str)
__hubsight_builtins = (type, str, len, id, repr, int, float, bool, list, tuple, dict, set, type(None), ValueError,
                       RecursionError, max, range)
"""
PRELUDE_NAMES = ("__hubsight_json", "__hubsight_len", "__hubsight_type", "__hubsight_sized", "__hubsight_builtins",
                 VALUE_NAME, "__hubsight_out")
"""Bound before the script, under names scripts cannot use, so a script that rebinds `len` or `json`
cannot change how its result is turned into JSON."""


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def prepare(code: str, tree: ast.Module, room: int) -> str:
    """``code`` with its final expression's value turned into JSON inside the sandbox, the fast way.

    The value is kept in VALUE_NAME; the feed answers its JSON (cut one character past ``room``, so a
    longer one is known to be too long) when ``json.dumps`` takes it whole, else None: then ``slow``
    runs the full converter. The final expression keeps its lines (it is wrapped in place), so errors
    keep their line numbers.
    """
    last = tree.body[-1]
    assert isinstance(last, ast.Expr)
    # Python's own line breaks: str.splitlines would also break at form feeds, \x1c-\x1e, \x85 and \u2028
    starts = [0, *(m.end() for m in _LINE_BREAK.finditer(code))]
    if starts[-1] == len(code):
        starts.pop()
    starts.append(len(code))

    def offset(line: int, col: int) -> int:
        # ast columns are UTF-8 byte offsets within the line
        text = code[starts[line - 1]:starts[line]] if line < len(starts) else code[starts[line - 1]:]
        return starts[line - 1] + len(text.encode()[:col].decode(errors="ignore"))

    begin = offset(last.lineno, last.col_offset)
    end = offset(last.end_lineno or last.lineno, last.end_col_offset or 0)
    room = int(room)
    # a container with more items than room/2 cannot fit: straight to the converter, which stops at the cap
    fast = (
        f"\n__hubsight_out = None\n"
        f"if not (__hubsight_type({VALUE_NAME}) in __hubsight_sized and __hubsight_len({VALUE_NAME}) > {room // 2}):\n"
        f"    try:\n"
        f"        __hubsight_out = __hubsight_json.dumps({VALUE_NAME}, ensure_ascii=False, allow_nan=False, "
        f"separators=(',', ':'))[:{room + 1}]\n"
        f"    except:\n"
        f"        __hubsight_out = None\n"
        f"__hubsight_out\n"
    )
    return f"{code[:begin]}{VALUE_NAME} = ({code[begin:end]}){code[end:]}{fast}"


def slow(room: int, max_depth: int) -> str:
    """The second feed, when the fast way could not take the value: the converter, then its answer."""
    return f"{CONVERTER}\n{CONVERT_NAME}({VALUE_NAME}, {int(room)}, {int(max_depth)})\n"


def fast_result(output: Any, room: int) -> Decoded | None:
    """The fast way's answer as plain data, or None when the converter must run."""
    if not isinstance(output, str) or len(output) > room:
        return None
    size = len(output.encode())
    if size > room:
        return None
    try:
        return Decoded(json.loads(output), False, size)
    except ValueError:
        return None


@dataclass
class Decoded:
    value: Any
    truncated: bool
    size: int


def decode(output: Any, room: int) -> Decoded:
    """The converter's answer as plain data; ResultError when the result was refused."""
    if not (isinstance(output, list) and output and output[0] in ("ok", "error")):
        raise ResultError("the result could not be converted (the script interfered with the conversion)")
    if output[0] == "error":
        raise ResultError(str(output[1]))
    text = output[1]
    if not isinstance(text, str) or len(text) > 4 * room + 1024:
        raise ResultError("the result could not be converted (the script interfered with the conversion)")
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ResultError(f"the result could not be converted ({exc})") from exc
    return Decoded(value, bool(output[2]), len(text.encode()))
