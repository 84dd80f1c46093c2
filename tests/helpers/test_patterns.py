"""Every example of the generated prompt, run as plain async Python against the replica."""

from __future__ import annotations

import textwrap

import pytest
from huggingface_hub import HfApi

import hubsight.helpers as helpers
from hubsight.prompt import EXAMPLES
from hubsight.replica import ReplicaServer
from tests.conftest import REPLICA_DATE, REPLICA_SEED

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


@pytest.mark.parametrize(
    ("scale", "owner", "complete"),
    [
        pytest.param("tiny", "huggingface", True, id="a-few-spaces-come-back-bare"),
        pytest.param(3500, "amazon", False, id="over-200-spaces-come-back-with-coverage"),
    ],
)
def test_owner_inventory_pattern_reports_coverage_against_the_overview(run_helper, scale, owner: str, complete: bool) -> None:
    """The example sizes its listing by the overview's count (at most 200): an owner within that gets its
    whole list as bare rows, one beyond it a bounded list plus coverage that carries the overview's count."""
    code = dict(EXAMPLES)["Owner-inventory pattern"]
    assert code.count('"huggingface"') == 2, "the example names its owner twice (profile, search)"
    code = code.replace('"huggingface"', f'"{owner}"')
    with ReplicaServer(scale=scale, seed=REPLICA_SEED, start=REPLICA_DATE) as replica:
        hf_api = HfApi(endpoint=replica.url, token=False)
        spaces = {s.id for s in hf_api.list_spaces(author=owner)}
        count = hf_api.get_organization_overview(owner).num_spaces
        result, _ = run_helper(lambda: as_coroutine(code)(100), max_calls=50, endpoint=replica.url)
    assert count == len(spaces) and (count <= 200) is complete, "the owner sets up the case"
    if complete:
        assert isinstance(result, list) and {r["repo_id"] for r in result} == spaces
    else:
        assert isinstance(result, dict) and set(result) == {"results", "coverage"}
        assert result["coverage"]["profile_spaces_count"] == count and result["coverage"]["limit_boundary_hit"] is True
        assert len(result["results"]) == 200 and {r["repo_id"] for r in result["results"]} < spaces
