"""docs/architecture.md names every module of the source tree, and only modules that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "hubsight"
DOC = ROOT / "docs" / "architecture.md"


def listed() -> dict[str, set[str]]:
    """The doc's "## Modules" section: package folder (``hubsight/api``) -> module file names."""
    section = DOC.read_text(encoding="utf-8").split("\n## Modules\n", 1)[1].split("\n## ", 1)[0]
    out: dict[str, set[str]] = {}
    package = None
    for line in section.splitlines():
        header = re.fullmatch(r"`(hubsight(?:/[a-z_]+)*)/`", line.strip())
        if header:
            package = header.group(1)
            out[package] = set()
        elif line.startswith("- `") and package is not None:
            out[package].add(line[3:].split("`", 1)[0])
    return out


def tree() -> dict[str, set[str]]:
    """Every package of the source tree with its modules (migration scripts aside)."""
    out: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "__init__.py" or "versions" in path.relative_to(PACKAGE).parts:
            continue
        folder = "/".join(("hubsight", *path.parent.relative_to(PACKAGE).parts))
        out.setdefault(folder, set()).add(path.name)
    return out


def test_the_module_list_is_the_source_tree() -> None:
    doc, src = listed(), tree()
    missing = {f"{p}/{m}" for p, ms in src.items() for m in ms - doc.get(p, set())}
    stale = {f"{p}/{m}" for p, ms in doc.items() for m in ms - src.get(p, set())}
    assert not missing, f"add these modules to docs/architecture.md's Modules section: {sorted(missing)}"
    assert not stale, f"docs/architecture.md lists modules the tree does not have: {sorted(stale)}"


def test_every_path_the_flows_name_exists() -> None:
    """A module named in the prose (``store/history.py``, ``crawl/retry.py``) is one the tree has."""
    text = DOC.read_text(encoding="utf-8").split("\n## Modules\n", 1)[0]
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_]+\.py)`", text))
    assert named, "the flows name modules by path"
    gone = sorted(p for p in named if not (PACKAGE / p).exists() and not (ROOT / p).exists())
    assert not gone, f"docs/architecture.md names files that do not exist: {gone}"
