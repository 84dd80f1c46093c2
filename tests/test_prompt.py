"""The generated prompt says what the seed prompt says about every helper, and keeps its sections."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from hubsight.helpers.registry import HELPERS
from hubsight.prompt import EXAMPLES, render

SEED = Path(__file__).resolve().parent / "data" / "runtime_prompt_seed.txt"
"""The seed prompt: the statement of every contract that does not come from the registry."""

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


def seed_contracts() -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Per helper of the seed prompt: its signature line and its contract's ``key: values`` pairs (the page's
    flattened ``- key:\nvalue - next:`` lines, with the lists' commas spaced as the prompt writes them)."""
    seed = SEED.read_text()
    signatures = {line.split("(")[0].split()[1]: line.strip() for line in seed.splitlines() if line.startswith("await hf_")}
    lines = seed.split("Helper contracts (generated from runtime + wrapper metadata)", 1)[1].splitlines()
    out = {}
    for name, signature in signatures.items():
        start = lines.index(name)
        end = next((i for i in range(start + 1, len(lines)) if lines[i] in signatures), len(lines))
        section = lines[start:end]
        pairs = [
            (key.group(1), re.sub(r",(?! )", ", ", section[i + 1].split(" - ")[0]))
            for i, line in enumerate(section[:-1])
            if (key := re.search(r"(\w+):$", line)) and not section[i + 1].startswith("- ")
        ]
        notes = next(line for line in section if line.startswith("- notes: "))
        out[name] = (signature, [*pairs, ("notes", notes.removeprefix("- notes: ").split(". ")[0])])
    return out


SEED_CONTRACTS = seed_contracts()


def section(text: str, name: str) -> str:
    return text.split(f"### {name}\n", 1)[1].split("\n### ", 1)[0]


@pytest.mark.parametrize("name", sorted(SEED_CONTRACTS))
def test_each_helper_reads_as_the_seed_prompt_documents_it(name: str) -> None:
    """The seed's signature and every contract line (params, values, fields, limits, notes) are in the prompt."""
    text = render()
    signature, pairs = SEED_CONTRACTS[name]
    assert signature in text
    mine = section(text, name)
    assert len(pairs) >= 7, "the seed section was parsed (category, returns, notes at least)"
    for key, value in pairs:
        assert f"{key}: {value}" in mine, (key, value)


HISTORY_MUST_SAY = {
    "hf_history_new": ["supported_params: repo_type, days, pipeline_tag, limit, fields", "`days` (1-90)", "no budget"],
    "hf_history_trending": ["metric: likes, downloads", "group_by: author", "date_from..date_to", "no budget"],
    "hf_repo_history": ["supported_params: repo_id, repo_type, limit, fields", "spaces have no downloads", "no budget"],
    "hf_history_sql": ["supported_params: sql, params, limit", "read-only DuckDB SELECT", "max_limit: 10000", "no budget"],
}
"""hubsight's own helpers are not in the seed: what a script writer must read about each of them."""


@pytest.mark.parametrize("name", sorted(HISTORY_MUST_SAY))
def test_each_history_helper_says_what_a_script_needs(name: str) -> None:
    mine = section(render(), name)
    for fragment in HISTORY_MUST_SAY[name]:
        assert fragment in mine


def test_every_helper_has_a_section() -> None:
    text = render()
    assert set(SEED_CONTRACTS) | set(HISTORY_MUST_SAY) <= {h.name for h in HELPERS}
    for h in HELPERS:
        assert f"### {h.name}\n" in text


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


def test_both_guides_say_which_modules_are_in_scope_and_how_to_run_calls_at_once() -> None:
    # agents learned it only from a RuleViolation on `import asyncio`, or a NameError on `gather`
    from hubsight.prompt import render_compact
    from hubsight.sandbox.rules import PRELUDE_MODULES

    for text in (render(), render_compact()):
        rule = next(line for line in text.splitlines() if "in scope" in line and "import" in line)
        assert all(f"`{m}`" in rule for m in PRELUDE_MODULES), rule
        assert "await asyncio.gather(" in text


def test_every_history_view_is_named_where_the_guides_list_them() -> None:
    from hubsight.prompt import COMPACT_NOTE
    from hubsight.store.views import VIEWS

    notes = next(h.notes for h in HELPERS if h.name == "hf_history_sql")
    for view in VIEWS:
        assert view.name in notes and view.name in COMPACT_NOTE, view.name
