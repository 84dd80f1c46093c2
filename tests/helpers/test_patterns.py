"""Every example of the generated prompt, run as plain async Python against the replica."""

from __future__ import annotations

import textwrap

import pytest

import hubsight.helpers as helpers
from hubsight.prompt import EXAMPLES

TOKEN = "hf_replica_julien-c"


def as_coroutine(code: str):
    """Wrap a top-level script into an async function returning its final ``result``."""
    body = code.rstrip().rsplit("\n", 1)[0]  # drop the final bare `result` line
    source = "async def script(max_calls):\n" + textwrap.indent(body, "    ") + "\n    return result\n"
    namespace = {name: getattr(helpers, name) for name in helpers.__all__ if name.startswith("hf_")}
    exec(compile(source, "<example>", "exec"), namespace)
    return namespace["script"]


@pytest.mark.parametrize(("title", "code"), EXAMPLES, ids=[t for t, _ in EXAMPLES])
def test_example_runs_green(run_helper, title: str, code: str) -> None:
    script = as_coroutine(code)
    result, run = run_helper(lambda: script(100), max_calls=200, token=TOKEN)
    assert result is not None
    if isinstance(result, dict) and "ok" in result:
        assert result["ok"], result["error"]
    if isinstance(result, dict) and "results" in result:
        assert "coverage" in result
    # the only expected non-200 is a user overview 404 when the handle turns out to be an org
    ok = [c.status == 200 or (c.status == 404 and c.endpoint.endswith("/overview")) for c in run.trace]
    assert run.calls_used >= 1 and all(ok), [c.as_dict() for c in run.trace]


def test_owner_inventory_pattern_reports_coverage_against_the_overview(run_helper, hf_api) -> None:
    code = dict(EXAMPLES)["Owner-inventory pattern"]
    result, _ = run_helper(lambda: as_coroutine(code)(100), max_calls=50)
    spaces = {s.id for s in hf_api.list_spaces(author="huggingface")}
    count = hf_api.get_organization_overview("huggingface").num_spaces
    rows = result["results"] if isinstance(result, dict) else result
    assert {r["repo_id"] for r in rows} == spaces
    if isinstance(result, dict):
        assert result["coverage"]["profile_spaces_count"] == count
    else:
        assert len(rows) == count
