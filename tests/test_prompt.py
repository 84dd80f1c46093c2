"""The generated prompt covers the whole registry and keeps the seed prompt's sections."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hubsight.helpers.describe import signature_line
from hubsight.helpers.registry import HELPERS
from hubsight.prompt import EXAMPLES, render

SECTIONS = [
    "## Code generation rules",
    "## Search rules",
    "## Parameter notes",
    "## Examples",
    "## Navigation graph",
    "## Helper result shape",
    "## Helper signatures",
    "## Helper contracts",
]


def test_prompt_has_every_section_in_order() -> None:
    text = render()
    positions = [text.index(s) for s in SECTIONS]
    assert positions == sorted(positions)


def test_every_helper_param_field_and_value_appears() -> None:
    text = render()
    for h in HELPERS:
        assert f"### {h.name}\n" in text
        assert signature_line(h) in text
        for p in h.params:
            assert p.name in text
            for v in p.values or ():
                assert v in text, (h.name, p.name, v)
        for f in h.fields:
            assert f in text
        for v in (h.sort_values or ()) + (h.expand_values or ()):
            assert v in text
        for value in (h.limits.as_dict().values() if h.limits else ()):
            assert str(value) in text
        assert h.use_for and h.use_for in text
        assert h.notes in text


def test_meta_signals_named_in_the_rules() -> None:
    text = render()
    for signal in ("limit_boundary_hit", "truncated", "more_available", "sample_complete", "exact_count",
                   "ranking_complete", "ranking_window_hit", "hard_cap_applied"):
        assert signal in text


def test_examples_are_well_formed_scripts() -> None:
    import ast

    for title, code in EXAMPLES:
        tree = ast.parse(code)
        assert isinstance(tree.body[-1], ast.Expr) and ast.unparse(tree.body[-1]) == "result", title
        assert not any(isinstance(n, ast.Import | ast.ImportFrom) for n in ast.walk(tree))


def test_cli_prints_the_prompt() -> None:
    exe = str(Path(sys.executable).with_name("hubsight"))
    out = subprocess.run([exe, "prompt"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout == render()


def test_every_example_runs_green_in_the_sandbox(replica) -> None:
    import asyncio

    from hubsight.sandbox import run_script
    from hubsight.settings import get_settings

    settings = get_settings(hf_endpoint=replica.url, hf_token="")

    async def main() -> list[tuple[str, dict]]:
        return [
            (title, await run_script(code, max_calls=200, token="hf_replica_julien-c", settings=settings))
            for title, code in EXAMPLES
        ]

    for title, envelope in asyncio.run(main()):
        assert envelope["ok"], (title, envelope["error"])
        assert envelope["result"] is not None and envelope["meta"]["calls_used"] >= 1, title
        assert "hf_replica_julien-c" not in repr(envelope)


def test_prompt_and_capabilities_say_what_a_call_past_the_budget_returns() -> None:
    from hubsight.helpers.describe import capabilities

    text = render()
    assert "BudgetExceeded" in text and "budget_remaining" in text and "budget_exhausted" in text
    assert "the script goes on" in text
    rules = " ".join(capabilities()["overview"]["rules"])
    assert "BudgetExceeded" in rules and "goes on" in rules
