"""A plain `pip install .` must bring every package the code imports: each is declared, none is borrowed
from another package's dependencies (or from the test extras)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIA = {"pydantic-monty-client": "pydantic-monty"}
"""Distributions a declared meta-package pins for us (pydantic-monty==1.4.0 is the client and the runtime)."""


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_imported_package_is_a_declared_dependency() -> None:
    declared = {_name(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    imported: dict[str, str] = {}
    for path in (ROOT / "src" / "hubsight").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                imported.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    dists = packages_distributions()
    missing = {
        top: (where, dists.get(top))
        for top, where in imported.items()
        if top not in sys.stdlib_module_names and top != "hubsight"
        and not any(VIA.get(d.lower(), d.lower().replace("_", "-")) in declared for d in dists.get(top, [top]))
    }
    assert not missing, "imported but not in [project] dependencies:\n" + "\n".join(f"{top} ({where}; distribution {dist})" for top, (where, dist) in missing.items())
