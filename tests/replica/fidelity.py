"""Holding the replica's JSON bodies against real ones: keys, JSON types, nested shapes, value formats.

Two kinds of reference:

* **real bodies** (``Shape``): JSON that huggingface.co really returned, read in place from the shared
  ``hub-real`` folder. Every key present in most real bodies must be present in most replica bodies,
  with a JSON type and a nested shape some real body has; the replica may not give a key that no
  real body has unless the request asked for it; strings whose real values all share a format
  (timestamp, sha, object id, arXiv id, URL) must have it in the replica too.
* **huggingface_hub's parsers** (``Parsed``): for endpoints with no real body, the wire keys that the
  installed huggingface_hub's dataclass reads (``kwargs.pop("numModels", None)``), read from its
  source so that the spec follows the client, with the type of the attribute it fills.

Either way a check collects every divergence of an endpoint and reports them together, one line each.
"""

from __future__ import annotations

import inspect
import json
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV = "HUBSIGHT_HUB_REAL"
DEFAULT_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "hub-real"
WORKPLACE_DIR = Path("/work/shared/data/hub-real")
"""Where the workplace keeps the shared folder: a clone elsewhere (CI's fresh clone) still finds it."""

FORMATS: list[tuple[str, re.Pattern[str]]] = [
    ("timestamp", re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")),
    ("sha", re.compile(r"[0-9a-f]{40}")),
    ("object id", re.compile(r"[0-9a-f]{24}")),
    ("arXiv id", re.compile(r"\d{4}\.\d{4,5}")),
    ("URL", re.compile(r"(https?://|/)\S+")),
]


def hub_real_dir() -> Path:
    """The folder of real bodies: ``$HUBSIGHT_HUB_REAL``, else ``../shared/data/hub-real`` beside the repo,
    else the workplace's ``/work/shared/data/hub-real``."""
    raw = os.environ.get(ENV)
    if raw:
        return Path(raw).expanduser().resolve()
    beside = DEFAULT_DIR.resolve()
    if not (beside / "README.md").exists() and (WORKPLACE_DIR / "README.md").exists():
        return WORKPLACE_DIR
    return beside


def load(path: Path) -> Any:
    return json.loads(path.read_text())


def jtype(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def fmt(value: str) -> str | None:
    for name, pattern in FORMATS:
        if pattern.fullmatch(value):
            return name
    return None


def _types(values: Iterable[Any]) -> str:
    return "/".join(sorted({jtype(v) for v in values}))


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@dataclass
class Report:
    """Divergences of one endpoint, one line per path and problem."""

    title: str
    lines: list[str] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        line = f"{path or '(body)'}: {message}"
        if line not in self.lines:
            self.lines.append(line)

    def text(self) -> str:
        head = f"{self.title}: {len(self.lines)} divergence{'s' if len(self.lines) != 1 else ''}"
        return "\n".join([head, *(f"  - {line}" for line in self.lines)])

    def check(self) -> None:
        assert not self.lines, self.text()


@dataclass
class Shape:
    """How to read one endpoint's real bodies. Paths: ``a.b`` for keys, ``a[]`` for array elements.

    maps:     objects whose keys are data (providers, dtypes, token names): their values are pooled as ``path.*``
    open:     objects whose keys follow the content (card metadata, widget inputs): keys are held against
              the union of the real ones, but no key is required
    by:       objects grouped by a discriminating key (``{"events[]": "type"}``, ``{"authorData": "type"}``):
              each group is compared on its own, and every group of the real bodies must appear in the replica's
    groups:   extra group values the replica may have (for example a parser that knows more event types)
    asked:    paths the request asked for (or the client's parser reads): allowed although no real body has them
    enums:    allowed values per path
    tags:     paths of tag lists: no duplicates, and every ``prefix:`` seen among the real tags
    optional: keys most real bodies have that the replica need not give most of the time, each with the reason
    types:    JSON types allowed at a path besides the real ones, each with the reason
    prefixes: tag prefixes allowed on a tag path besides the real ones, each with the reason
    majority: False for a broad replica sample: only extra keys, types and formats are checked
    """

    maps: frozenset[str] = frozenset()
    open: frozenset[str] = frozenset()
    by: dict[str, str] = field(default_factory=dict)
    groups: dict[str, frozenset[Any]] = field(default_factory=dict)
    asked: frozenset[str] = frozenset()
    enums: dict[str, frozenset[Any]] = field(default_factory=dict)
    tags: frozenset[str] = frozenset()
    optional: dict[str, str] = field(default_factory=dict)
    types: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    prefixes: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    majority: bool = True


def compare(title: str, real: list[Any], mine: list[Any], shape: Shape) -> Report:
    """Hold the replica's bodies ``mine`` against the ``real`` ones; every divergence goes in the report."""
    report = Report(title)
    if not real:
        report.add("", "no real body to compare with")
    elif not mine:
        report.add("", "the replica gave no body")
    else:
        _Walk(report, shape).walk(real, mine, "")
    return report


class _Walk:
    def __init__(self, report: Report, shape: Shape) -> None:
        self.report = report
        self.shape = shape

    def walk(self, real: list[Any], mine: list[Any], path: str) -> None:
        if not real or not mine:
            return
        report, shape = self.report, self.shape
        seen = {jtype(v) for v in real} | set(shape.types.get(path, (frozenset(), ""))[0])
        wrong = [v for v in mine if jtype(v) not in seen]
        if wrong:
            report.add(path, f"is {_types(wrong)} in {len(wrong)}/{len(mine)} replica bodies (e.g. {_short(wrong[0])}); real bodies have {_types(real)}")
        if path in shape.enums:
            allowed = shape.enums[path]
            bad = [v for v in mine if not any(v == a and type(v) is type(a) for a in allowed)]
            if bad:
                report.add(path, f"{_short(bad[0])} is not one of {sorted(map(_short, allowed))} ({len(bad)}/{len(mine)} replica bodies)")
        real_str = [v for v in real if isinstance(v, str)]
        mine_str = [v for v in mine if isinstance(v, str)]
        if real_str and mine_str:
            formats = {fmt(v) for v in real_str}
            if len(formats) == 1 and None not in formats:
                want = formats.pop()
                off = [v for v in mine_str if fmt(v) != want]
                if off:
                    report.add(path, f"should be a {want} like {_short(real_str[0])}, got {_short(off[0])} ({len(off)}/{len(mine_str)} replica values)")
        real_obj = [v for v in real if isinstance(v, dict)]
        mine_obj = [v for v in mine if isinstance(v, dict)]
        if real_obj and mine_obj:
            if path in shape.by:
                self.grouped(real_obj, mine_obj, path)
            else:
                self.objects(real_obj, mine_obj, path)
        real_arr = [v for v in real if isinstance(v, list)]
        mine_arr = [v for v in mine if isinstance(v, list)]
        if path in shape.tags:
            self.tag_lists(real_arr, mine_arr, path)
        if real_arr and mine_arr:
            self.arrays(real_arr, mine_arr, path)

    def objects(self, real: list[dict], mine: list[dict], path: str) -> None:
        report, shape = self.report, self.shape
        if path in shape.maps:
            self.walk([v for o in real for v in o.values()], [v for o in mine for v in o.values()], f"{path}.*")
            return
        have = Counter(k for o in real for k in o)
        give = Counter(k for o in mine for k in o)
        if shape.majority and path not in shape.open:
            for key, n in have.items():
                if 2 * n > len(real) and 2 * give[key] <= len(mine) and _join(path, key) not in shape.optional:
                    report.add(_join(path, key), f"missing: in {n}/{len(real)} real bodies but {give[key]}/{len(mine)} replica bodies")
        for key, n in give.items():
            if key not in have and _join(path, key) not in shape.asked:
                example = next(o[key] for o in mine if key in o)
                report.add(_join(path, key), f"unexpected: no real body has it, {n}/{len(mine)} replica bodies do (e.g. {_short(example)})")
        for key in have.keys() & give.keys():
            self.walk([o[key] for o in real if key in o], [o[key] for o in mine if key in o], _join(path, key))

    def arrays(self, real: list[list], mine: list[list], path: str) -> None:
        self.walk([v for a in real for v in a], [v for a in mine for v in a], f"{path}[]")

    def grouped(self, real: list[dict], mine: list[dict], path: str) -> None:
        """Objects of ``path`` split by their discriminating key, each group compared on its own."""
        key = self.shape.by[path]
        real_g: dict[Any, list] = defaultdict(list)
        mine_g: dict[Any, list] = defaultdict(list)
        for v in real:
            real_g[v.get(key)].append(v)
        for v in mine:
            mine_g[v.get(key)].append(v)
        extra_ok = self.shape.groups.get(path, frozenset())
        if self.shape.majority:
            for g, vs in real_g.items():
                if g not in mine_g and f"{path[:-2] if path.endswith('[]') else path}[{key}={g}]" not in self.shape.optional:
                    self.report.add(path, f"no {key}={g!r}: real bodies have {len(vs)}, the replica none")
        for g, vs in mine_g.items():
            if g not in real_g and g not in extra_ok:
                self.report.add(path, f"unexpected {key}={g!r} in {len(vs)} replica objects: no real body has one")
        base = path[:-2] if path.endswith("[]") else path
        for g in real_g.keys() & mine_g.keys():
            self.objects(real_g[g], mine_g[g], f"{base}[{key}={g}]")

    def tag_lists(self, real: list[list], mine: list[list], path: str) -> None:
        prefixes = {t.split(":", 1)[0] for tags in real for t in tags if isinstance(t, str) and ":" in t}
        prefixes |= set(self.shape.prefixes.get(path, (frozenset(), ""))[0])
        dup = [tags for tags in mine if len(tags) != len(set(map(str, tags)))]
        if dup:
            twice = sorted({t for t in dup[0] if dup[0].count(t) > 1})
            self.report.add(path, f"duplicate tags in {len(dup)}/{len(mine)} replica bodies (e.g. {', '.join(twice)} twice)")
        odd = sorted({t.split(":", 1)[0] for tags in mine for t in tags if isinstance(t, str) and ":" in t} - prefixes)
        if odd:
            self.report.add(path, f"tag prefixes {odd} appear in no real body (real prefixes: {sorted(prefixes)})")


# -- huggingface_hub's parsers as a spec ---------------------------------------------------------
_POP = re.compile(r"""(?:self\.(\w+)\s*(?::[^=]*)?=\s*(?:\w+\()?)?\b(?:kwargs|paper)\.pop\(\s*["']([\w-]+)["']""")
_PY_TYPE = {"str": "string", "bool": "bool", "int": "number", "float": "number", "datetime": "string", "list": "array", "dict": "object"}


@dataclass
class Parsed:
    """The wire keys a huggingface_hub dataclass (or method) reads, with the JSON types they must have.

    required: keys the parser cannot do without (non-optional attributes, or ``row["key"]`` lookups)
    keys:     every key the parser reads, with its JSON types (None: any)
    extra:    keys the client does not read but the replica sends, each with the reason it may
    """

    source: str
    required: set[str]
    keys: dict[str, set[str] | None]
    extra: dict[str, str] = field(default_factory=dict)

    def check(self, title: str, bodies: list[dict[str, Any]], formats: dict[str, str] | None = None) -> Report:
        report = Report(f"{title} (held against {self.source})")
        if not bodies:
            report.add("", "the replica gave no body")
        for key in sorted(self.required):
            missing = sum(key not in b for b in bodies)
            if missing:
                report.add(key, f"missing in {missing}/{len(bodies)} replica bodies; {self.source} needs it")
        for key, n in Counter(k for b in bodies for k in b).items():
            if key not in self.keys and key not in self.extra:
                report.add(key, f"unexpected: {self.source} does not read it, {n}/{len(bodies)} replica bodies send it")
                continue
            types = self.keys.get(key)
            values = [b[key] for b in bodies if key in b]
            if types:
                bad = [v for v in values if jtype(v) not in types]
                if bad:
                    report.add(key, f"is {_types(bad)} (e.g. {_short(bad[0])}); {self.source} expects {'/'.join(sorted(types))}")
            want = (formats or {}).get(key)
            if want:
                off = [v for v in values if isinstance(v, str) and fmt(v) != want]
                if off:
                    report.add(key, f"should be a {want}, got {_short(off[0])}")
        return report

    def with_extra(self, **extra: str) -> Parsed:
        return Parsed(self.source, set(self.required), dict(self.keys), {**self.extra, **extra})


def parsed_by(cls: type, *, required: Iterable[str] = ()) -> Parsed:
    """Wire keys read by ``cls.__init__`` (``kwargs.pop("wireKey", ...)``), typed from the attribute they fill."""
    source = inspect.getsource(cls.__init__)
    hints = {name: str(t) for name, t in getattr(cls, "__annotations__", {}).items()}
    keys: dict[str, set[str] | None] = {}
    need = set(required)
    for attr, wire in _POP.findall(source):
        hint = hints.get(attr) if attr else None
        keys[wire] = _json_types(hint) if hint else None
        if hint and "None" not in hint and "Optional" not in hint:
            need.add(wire)
    return Parsed(f"huggingface_hub {cls.__name__}", need, keys)


def read_by(func: Callable[..., Any], var: str, label: str) -> Parsed:
    """Wire keys a method reads as ``var["key"]`` (every one required), e.g. ``liker["user"]``."""
    keys = re.findall(rf"""\b{var}\[["']([\w-]+)["']\]""", inspect.getsource(func))
    return Parsed(f"huggingface_hub {label}", set(keys), {k: None for k in keys})


def _json_types(hint: str) -> set[str] | None:
    out: set[str] = set()
    for part in re.split(r"\s*\|\s*|Optional\[|Union\[|,\s*", hint):
        base = re.match(r"[\w.]+", part.strip("[] ")) if part.strip("[] ") else None
        if not base:
            continue
        name = base.group(0).rsplit(".", 1)[-1]
        if name == "None":
            out.add("null")
        elif name in _PY_TYPE:
            out.add(_PY_TYPE[name])
        elif name == "Literal":
            return None
        else:
            return None  # a nested dataclass or Any: any JSON type
    return out or None
