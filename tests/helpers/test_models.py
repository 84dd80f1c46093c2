"""The pydantic models built from the declarations: what a bad argument is told, and the schemas published."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import hubsight.helpers as helpers
from hubsight.helpers import models
from hubsight.helpers.registry import BY_NAME, HELPERS, REPO_FIELDS


def call(name: str, **kwargs: Any) -> dict[str, Any]:
    return asyncio.run(getattr(helpers, name)(**kwargs))


@pytest.mark.parametrize(
    ("name", "kwargs", "message"),
    [
        ("hf_models_search", {"author": 5}, "author must be a string, got int"),
        ("hf_models_search", {"filter": 5}, "filter must be a string or a list of strings, got int"),
        ("hf_models_search", {"filter": ["a", b"b"]}, "filter must hold strings only, got bytes b'b'"),
        ("hf_models_search", {"search": "x" * 5000}, "search is 5000 characters long; pass at most 4096"),
        ("hf_models_search", {"filter": ["x"] * 10_001}, "filter has 10001 items; pass at most 10000"),
        ("hf_models_search", {"sort": "stars"}, "unknown sort value 'stars'; allowed: created_at, downloads,"),
        ("hf_models_search", {"fields": "stars"}, "unknown field 'stars'; allowed: repo_id,"),
        ("hf_models_search", {"limit": 2.5}, "limit must be an integer, got 2.5"),
        ("hf_models_search", {"gated": "yes"}, "gated must be a boolean, got str"),
        ("hf_models_search", {"post_filter": "likes>3"}, "post_filter must be a dict like {'likes': {'gte': 10}}, got str"),
        ("hf_models_search", {"post_filter": {1: 2}}, "post_filter keys must be strings, got int 1"),
        ("hf_models_search", {"emissions_thresholds": "low"}, "emissions_thresholds must be a pair of numbers"),
        ("hf_history_new", {"days": 91}, "days must be an integer from 1 to 90, got 91"),
        ("hf_history_new", {"days": True}, "days must be an integer from 1 to 90, got True"),
        ("hf_history_trending", {"days": 0}, "days must be a positive integer, got 0"),
        ("hf_repo_search", {"repo_types": "model"}, "repo_types must be a list of strings, got str; allowed values: model,"),
        ("hf_profile_summary", {"include": ["papers"]}, "unknown include value 'papers'; allowed: likes, activity"),
        ("hf_history_sql", {"sql": "SELECT 1", "params": 3}, "params must be a list or a dict, got int"),
    ],
)
def test_a_bad_argument_is_named_with_what_it_must_be(name: str, kwargs: dict, message: str) -> None:
    got = call(name, **kwargs)
    assert got["ok"] is False and got["meta"]["error_type"] == "ContractError"
    assert got["error"].startswith(f"{name}: {message}"), got["error"]
    assert got["meta"]["budget_used"] == 0


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("hf_models_search", {"fields": "repo_id", "limit": None}),  # one bare field; None means the default
        ("hf_models_search", {"emissions_thresholds": [1, 2.5]}),  # a list is a fine pair
        ("hf_repo_details", {"repo_ids": ("a/b", "c/d")}),  # a tuple is a fine list
        ("hf_datasets_search", {"benchmark": True}),
    ],
)
def test_values_the_declaration_allows_pass(name: str, kwargs: dict) -> None:
    spec = BY_NAME[name]
    models.validate(spec, {p.name: kwargs.get(p.name, p.default) for p in spec.params if p.name in kwargs})


def test_schemas_carry_the_declared_constraints() -> None:
    new = models.schemas(BY_NAME["hf_history_new"])["arguments"]["properties"]
    assert new["days"] == {"default": 7, "maximum": 90, "minimum": 1, "type": "integer"}
    assert new["repo_type"]["enum"] == ["model", "dataset", "space"]
    search = models.schemas(BY_NAME["hf_models_search"])
    assert search["arguments"]["additionalProperties"] is False
    row = search["row"]
    assert list(row["properties"]) == list(REPO_FIELDS) and row["required"] == ["repo_id", "repo_type", "author", "repo_url"]
    assert row["properties"]["likes"]["anyOf"] == [{"type": "integer"}, {"type": "null"}]
    assert [h for h in HELPERS if set(models.schemas(h)["arguments"]["properties"]) != set(h.param_names)] == []


def test_capabilities_publish_the_argument_schemas() -> None:
    from hubsight.helpers.describe import capabilities
    from hubsight.helpers.registry import SECTIONS

    caps = capabilities("arguments_schema")
    assert "arguments_schema" in SECTIONS and list(caps) == ["arguments_schema"]
    assert caps["arguments_schema"] == {h.name: models.schemas(h)["arguments"] for h in HELPERS}
    sections = asyncio.run(helpers.hf_runtime_capabilities(section="limits"))["item"]
    assert set(sections) == {"allowed_sections", "limits"}


def test_a_column_asked_for_by_name_is_allowed_but_not_default() -> None:
    from hubsight.helpers.spec import Column, row

    plain = row((Column("repo_id", str), Column("likes", int | None)))
    assert plain["default_fields"] == ("repo_id", "likes") and plain["allowed_fields"] is None
    extra = row((Column("repo_id", str), Column("gated", str | bool | None, default=False), Column("likes", int | None)))
    assert extra["default_fields"] == ("repo_id", "likes") and extra["allowed_fields"] == ("repo_id", "gated", "likes")
