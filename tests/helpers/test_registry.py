"""The registry is the runtime prompt's contract, item by item: signatures, fields, params, values, limits."""

from __future__ import annotations

import asyncio
import inspect
import re
from pathlib import Path

import pytest

import hubsight.helpers as helpers
from hubsight.helpers.describe import contract, signature_line
from hubsight.helpers.registry import HELPERS

SEED = Path(__file__).resolve().parents[1] / "data" / "runtime_prompt_seed.txt"
SEEDED = sorted({line.split("(")[0].split()[1] for line in SEED.read_text().splitlines() if line.startswith("await hf_")})
"""The helpers the seed prompt documents; hubsight's own (history, paper details) are not in it."""
NAMES = [h.name for h in HELPERS if h.name in SEEDED]


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.exists():
        pytest.fail(f"the runtime prompt seed is missing at {SEED}")
    return SEED.read_text()


def contract_section(seed: str, name: str) -> str:
    """The seed's flattened contract block for one helper (from its name line to the next helper's)."""
    body = seed.split("Helper contracts (generated from runtime + wrapper metadata)", 1)[1]
    lines = body.splitlines()
    start = lines.index(name)
    end = next((i for i in range(start + 1, len(lines)) if lines[i] in NAMES), len(lines))
    return "\n".join(lines[start:end])


def test_every_documented_helper_is_declared(seed: str) -> None:
    assert SEEDED and NAMES == sorted(NAMES) == SEEDED, "declared in the seed's order, none missing"
    assert {h.name for h in HELPERS} > set(SEEDED), "hubsight adds helpers of its own"


@pytest.mark.parametrize("name", NAMES)
def test_signature_is_exactly_the_documented_one(seed: str, name: str) -> None:
    spec = next(h for h in HELPERS if h.name == name)
    expected = next(line.strip() for line in seed.splitlines() if line.startswith(f"await {name}("))
    assert signature_line(spec) == expected
    # and the runtime function really has it
    assert f"await {name}{inspect.signature(getattr(helpers, name))}" == expected


@pytest.mark.parametrize("name", NAMES)
def test_contract_matches_the_documented_contract(seed: str, name: str) -> None:
    spec = next(h for h in HELPERS if h.name == name)
    section = contract_section(seed, name)
    c = contract(spec)
    assert f"category:\n{c['category']}" in section
    assert f"row_type:\n{spec.row_type}" in section
    assert "default_fields:\n" + ",".join(spec.default_fields) in section
    assert "guaranteed_fields:\n" + ",".join(spec.guaranteed_fields) in section
    if spec.optional_fields:  # the seed's, in its order; hubsight may ask for more fields by name after them
        seed_optional = re.search(r"optional_fields:\n(\S+)", section)
        assert seed_optional and (",".join(spec.optional_fields) + ",").startswith(seed_optional.group(1) + ",")
    if spec.params:
        assert "supported_params:\n" + ",".join(spec.param_names) in section
    for key in ("sort_values", "expand_values"):
        if key in c:
            assert f"{key}:\n" + ",".join(c[key]) in section
    for param, values in c.get("param_values", {}).items():  # the seed's, in its order; hubsight may add after them
        seed_values = re.search(rf"- {param}:\n(\S+)", section)
        assert seed_values and (",".join(values) + ",").startswith(seed_values.group(1) + ","), param
    for kind, values in (c.get("sort_values_by_repo_type") or {}).items():
        assert f"{kind}:\n" + ",".join(values) in section
    for key, value in (c.get("limit_contract") or {}).items():
        assert f"{key}:\n{value}" in section
    if spec.where:
        assert "where_contract:" in section
    if spec.post_filter:
        assert "post_filter_contract:" in section
    assert spec.notes.split(".")[0] in section.replace("\n", "")


def test_capabilities_sections_are_derived_from_the_registry() -> None:
    from hubsight.helpers.describe import capabilities

    caps = capabilities()
    assert list(caps["helper_contracts"]) == [h.name for h in HELPERS]
    assert caps["repo_search"]["sort_values"]["space"] == ["created_at", "last_modified", "likes", "trending_score"]
    assert caps["limits"]["hf_user_likes"]["enrich_max"] == 50


def test_runtime_capabilities_helper_narrows_to_a_section() -> None:
    full = asyncio.run(helpers.hf_runtime_capabilities())
    assert full["ok"] and set(full["item"]) >= {"overview", "helpers", "helper_contracts", "limits", "repo_search"}
    narrow = asyncio.run(helpers.hf_runtime_capabilities(section="repo_search"))
    assert set(narrow["item"]) == {"allowed_sections", "repo_search"}
    bad = asyncio.run(helpers.hf_runtime_capabilities(section="everything"))
    assert not bad["ok"] and "unknown section value 'everything'" in bad["error"] and "repo_search" in bad["error"]
    assert full["meta"]["budget_used"] == 0


@pytest.mark.parametrize(("section", "key"), [("history_sql", "views"), ("arguments_schema", "hf_models_search")])
def test_hubsight_sections_the_prompt_names_can_be_asked_for(section: str, key: str) -> None:
    # hf_history_sql's notes send a script to hf_runtime_capabilities(section="history_sql")
    assert f"section {section}" in next(h for h in HELPERS if h.name == "hf_history_sql").notes or section != "history_sql"
    answer = asyncio.run(helpers.hf_runtime_capabilities(section=section))
    assert answer["ok"], answer["error"]
    assert section in answer["item"]["allowed_sections"] and key in answer["item"][section]


def test_the_whole_answer_leaves_hubsights_own_sections_to_their_section() -> None:
    import json

    whole = asyncio.run(helpers.hf_runtime_capabilities())["item"]
    spec = next(h for h in HELPERS if h.name == "hf_runtime_capabilities")
    # the seed's sections, as declared; the argument schemas and the history's views come by section
    assert list(whole) == list(spec.default_fields)
    for section in ("arguments_schema", "history_sql"):
        assert section not in whole and section in whole["allowed_sections"]
    schemas = asyncio.run(helpers.hf_runtime_capabilities(section="arguments_schema"))["item"]["arguments_schema"]
    assert set(schemas) == set(whole["helper_contracts"]), "one schema per helper, asked for by section"
    assert len(json.dumps(whole)) < 55_000, "the answer a script reads first stays small"


def test_a_caller_owns_the_capabilities_it_is_given() -> None:
    # the answer is rendered once; each caller still gets a copy it may change
    first = asyncio.run(helpers.hf_runtime_capabilities())["item"]
    first["helper_contracts"].clear()
    first["allowed_sections"].append("mine")
    again = asyncio.run(helpers.hf_runtime_capabilities())["item"]
    assert again["helper_contracts"] and "mine" not in again["allowed_sections"]


def test_capabilities_are_plain_json() -> None:
    import json

    from hubsight.helpers.describe import capabilities

    json.dumps(capabilities())  # no sentinel or object may leak into the manifest


@pytest.mark.parametrize(
    ("kwargs", "name", "fragment"),
    [
        ({"search": b"bytes"}, "search", "bytes"),
        ({"search": "x" * 1_000_000}, "search", "characters"),
        ({"author": 5}, "author", "int"),
        ({"pipeline_tag": ["text-generation"]}, "pipeline_tag", "list"),
    ],
)
def test_string_arguments_are_checked_by_the_contract(run_helper, kwargs: dict, name: str, fragment: str) -> None:
    env, run = run_helper(lambda: helpers.hf_models_search(**kwargs))
    assert env["ok"] is False and env["meta"]["error_type"] == "ContractError", env
    assert f"{name} " in env["error"] and fragment in env["error"]
    assert run.calls_used == 0, "nothing is sent upstream"


def test_string_list_arguments_are_checked_element_by_element(run_helper) -> None:
    env, run = run_helper(lambda: helpers.hf_repo_details(repo_ids=["org/a", b"org/b"]))
    assert env["ok"] is False and env["meta"]["error_type"] == "ContractError"
    assert "repo_ids " in env["error"] and "bytes" in env["error"] and run.calls_used == 0
