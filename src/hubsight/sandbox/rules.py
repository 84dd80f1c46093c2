"""Static checks on a script before it reaches the sandbox.

Monty itself lets scripts import its bundled modules and run ``exec``/``eval`` strings, so "no
imports" and friends are enforced here, on the AST. Every violation says which rule was broken and
how to fix it, because the reader is usually an LLM that will retry. ``check`` returns *all*
violations (in source order), so one retry can fix them all.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

PRELUDE_MODULES = ("asyncio", "json", "math", "re", "datetime")
"""Modules bound before every script, so scripts use them without importing."""
MODULE_FUNCTIONS = {
    "gather": "asyncio", "sleep": "asyncio", "loads": "json", "dumps": "json", "sqrt": "math", "floor": "math",
    "ceil": "math", "log10": "math", "log2": "math", "isfinite": "math", "isnan": "math", "fsum": "math",
    "isclose": "math", "findall": "re", "finditer": "re", "fullmatch": "re", "timedelta": "datetime",
    "timezone": "datetime",
}
"""Functions of those modules a script may call bare (``gather(...)``), for the NameError hint; only names
the sandbox's modules have and that are rarely a variable's (not ``e``, ``search`` or ``pi``)."""

IN_SCOPE = f"the hf_* helpers, max_calls, the builtins and the modules {', '.join(PRELUDE_MODULES)} are already in scope"

FORBIDDEN_NAMES = {
    "exec": "running code from strings is not available: write the code directly",
    "eval": "evaluating strings is not available: write the expression directly",
    "compile": "compiling code is not available: write the code directly",
    "__import__": f"imports are not available: {IN_SCOPE}",
    "open": "files are not available: fetch data with the hf_* helpers",
    "globals": "globals() is not available: use your variables by name",
    "locals": "locals() is not available: use your variables by name",
    "vars": "vars() is not available: use your variables or dict keys by name",
    "breakpoint": "there is no debugger: remove breakpoint() and use print(...)",
    "input": "there is no interactive input: put values in the script",
    "help": "help() is not available: the helper signatures are in the prompt",
    "exit": "exit() is not available: end the script with a final `result` line",
    "quit": "quit() is not available: end the script with a final `result` line",
}
ATTR_FUNCTIONS = ("getattr", "setattr", "delattr", "hasattr")
MAX_REPORTED = 10
"""Violations spelt out in the error message."""
MAX_VIOLATIONS = 50
"""Violations listed in meta.violations; the rest are only counted."""
MAX_SCRIPT_BYTES = 256 * 1024


@dataclass(frozen=True)
class RuleViolation:
    """One broken rule: ``rule`` is a stable id, ``message`` starts with the line and says how to fix it."""

    rule: str
    message: str
    line: int | None

    def as_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "message": self.message, "line": self.line}


class _Source:
    """Source segments by AST position, from one table of lines: looking each one up is O(segment)."""

    def __init__(self, source: str) -> None:
        self.lines = source.splitlines(keepends=True)

    def segment(self, node: ast.AST, limit: int = 60) -> str:
        line, end_line = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        col, end_col = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
        if line is None or end_line is None or col is None or end_col is None:
            return ""
        # columns are UTF-8 byte offsets; a segment longer than `limit` is cut anyway
        chunk = self.lines[line - 1: min(end_line, line + 3)]
        if not chunk:
            return ""
        if len(chunk) == 1 or end_line == line:
            text = chunk[0].encode()[col:end_col].decode(errors="replace")
        else:
            text = chunk[0].encode()[col:].decode(errors="replace") + "".join(chunk[1:])
            if end_line - line < len(chunk):
                text = text[: len(text) - len(chunk[-1])] + chunk[-1].encode()[:end_col].decode(errors="replace")
        text = " ".join(text.split())
        return text if len(text) <= limit else text[: limit - 3] + "..."


class _Checker(ast.NodeVisitor):
    def __init__(self, source: str) -> None:
        self.source = _Source(source)
        self.found: list[RuleViolation] = []
        self.count = 0
        self.names: set[str] = set()

    def add(self, rule: str, node: ast.AST, message: str) -> None:
        self.count += 1
        if len(self.found) >= MAX_VIOLATIONS:
            return  # past the cap, only counted
        line = getattr(node, "lineno", None)
        prefix = f"line {line}: " if line else ""
        self.found.append(RuleViolation(rule, prefix + message, line))

    # -- imports ----------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        self.add("import", node, f"imports are not available: remove `{self.source.segment(node)}`; {IN_SCOPE}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        hint = IN_SCOPE
        if node.module in PRELUDE_MODULES and node.names:
            hint = f"{node.module} is already in scope, so write `{node.module}.{node.names[0].name}`"
        self.add("import", node, f"imports are not available: remove `{self.source.segment(node)}`; {hint}")

    # -- names and attributes ---------------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> None:
        self.names.add(node.id)
        if node.id in FORBIDDEN_NAMES:
            self.add("forbidden-name", node, f"`{node.id}` is not available: {FORBIDDEN_NAMES[node.id]}")
        elif node.id.startswith("__"):
            self.add("dunder", node, f"names starting with `__` are not available (`{node.id}`): use plain variables")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr.startswith("__"):
            self.add(
                "dunder", node,
                f"attributes starting with `__` are not available (`{self.source.segment(node)}`): "
                "use the value's documented keys and methods",
            )
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ATTR_FUNCTIONS and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str) and name.value.startswith("__"):
                self.add(
                    "dunder", node,
                    f"`{func.id}` with a `__` attribute name is not available (`{self.source.segment(node)}`): "
                    "use the value's documented keys and methods",
                )
        if isinstance(func, ast.Attribute) and func.attr in ("format", "format_map"):
            target = func.value
            if isinstance(target, ast.Constant) and isinstance(target.value, str) and "__" in target.value:
                self.add(
                    "dunder", node,
                    "format strings may not name `__` attributes: use an f-string with plain variables",
                )
        self.generic_visit(node)

    # -- unsupported statements -------------------------------------------------------------
    def visit_Delete(self, node: ast.Delete) -> None:
        self.add(
            "del", node,
            "`del` is not supported: rebind instead, e.g. `d = {k: v for k, v in d.items() if k != key}` "
            "or `items = items[:i] + items[i + 1:]`",
        )

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if node.bases or node.keywords:
            self.add(
                "inheritance", node,
                f"class inheritance is not supported (`class {node.name}(...)`): "
                "use a class without bases, or plain dicts",
            )
        self.generic_visit(node)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> None:
        self.add("async-with", node, "`async with` is not supported: await the helpers directly")
        self.generic_visit(node)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self.add(
            "async-for", node,
            "`async for` is not supported: await a helper and loop over `resp[\"items\"]` with a plain `for`",
        )
        self.generic_visit(node)

    def _generator(self, node: ast.AST) -> None:
        self.add(
            "generator", node,
            "generators (`yield`) are not supported: build and return a list instead",
        )

    def visit_Yield(self, node: ast.Yield) -> None:
        self._generator(node)
        self.generic_visit(node)

    def visit_YieldFrom(self, node: ast.YieldFrom) -> None:
        self._generator(node)
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        self.add("global", node, "`global` is not supported: return values from functions and assign them")

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.add("nonlocal", node, "`nonlocal` is not supported: return values from functions and assign them")


def _final_expression(tree: ast.Module) -> RuleViolation | None:
    body = tree.body
    last = body[-1] if body else None
    if isinstance(last, ast.Expr):
        return None
    hint = "add a final line containing only `result`"
    line = getattr(last, "end_lineno", None) or getattr(last, "lineno", None)
    if last is None:
        detail = "the script is empty: assign the answer to `result` and end with a line containing only `result`"
    elif isinstance(last, ast.Assign | ast.AnnAssign | ast.AugAssign):
        detail = f"the script must end with a bare expression line, not an assignment: {hint}"
    elif isinstance(last, ast.If | ast.For | ast.While | ast.Try | ast.With | ast.AsyncFor | ast.AsyncWith):
        detail = f"the script must end with a bare expression line outside every if/loop/try block: {hint}"
    else:
        detail = f"the script must end with a line that is only an expression: {hint}"
    prefix = f"line {line}: " if line else ""
    return RuleViolation("final-expression", prefix + detail, line)


@dataclass(frozen=True)
class Report:
    violations: list[RuleViolation]
    modules: tuple[str, ...] = ()
    """The prelude modules the script names, so only those are bound before it runs."""
    tree: ast.Module | None = None
    """The parsed script, when it may run."""
    omitted: int = 0
    """Violations past MAX_VIOLATIONS: counted, not listed."""
    names: frozenset[str] = frozenset()
    """Every name the script reads or binds: a helper it never names cannot be reached, so it is not granted."""


def check(source: str) -> list[RuleViolation]:
    """Every rule the script breaks, in source order; ``[]`` means it may run."""
    return analyse(source).violations


def analyse(source: str) -> Report:
    """``check`` plus what the runner needs to know about the script."""
    first, second = _violations(source)
    if isinstance(first, _Checker) and isinstance(second, ast.Module):
        return Report([], tuple(m for m in PRELUDE_MODULES if m in first.names), second, names=frozenset(first.names))
    assert isinstance(first, list) and isinstance(second, int)
    return Report(first, omitted=second)


def _violations(source: str) -> tuple[list[RuleViolation], int] | tuple[_Checker, ast.Module]:
    if len(source) > MAX_SCRIPT_BYTES or len(source.encode(errors="replace")) > MAX_SCRIPT_BYTES:
        return [RuleViolation(
            "script-size",
            f"the script is longer than {MAX_SCRIPT_BYTES // 1024} KiB: fetch data with the helpers instead of pasting it",
            None,
        )], 0
    try:
        tree = ast.parse(source, mode="exec")
    except SyntaxError as exc:
        line = exc.lineno
        text = (exc.text or "").strip()
        where = f" in `{text[:60]}`" if text else ""
        prefix = f"line {line}: " if line else ""
        return [RuleViolation("syntax", f"{prefix}syntax error: {exc.msg}{where}; fix the Python syntax", line)], 0
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
        return [RuleViolation("syntax", f"the script cannot be parsed ({type(exc).__name__}); send plain Python source", None)], 0
    checker = _Checker(source)
    try:
        checker.visit(tree)
    except RecursionError:
        return [RuleViolation("syntax", "the script is nested too deeply to check; flatten it", None)], 0
    found = checker.found
    omitted = checker.count - len(found)
    final = _final_expression(tree)
    if final is not None:
        if len(found) < MAX_VIOLATIONS:
            found.append(final)
        else:
            omitted += 1
    found.sort(key=lambda v: (v.line or 0))
    return (found, omitted) if found else (checker, tree)


def describe(violations: list[RuleViolation], omitted: int = 0) -> str:
    """One message for all violations (the first ``MAX_REPORTED`` of them, and how many more)."""
    lines = [v.message for v in violations[:MAX_REPORTED]]
    more = len(violations) + omitted - MAX_REPORTED
    if more > 0:
        lines.append(f"... and {more} more")
    return "\n".join(lines)
