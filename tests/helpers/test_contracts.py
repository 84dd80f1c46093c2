"""where / post_filter, projection and limits on plain rows: which rows a filter keeps, and errors that say how to fix the call."""

from __future__ import annotations

from datetime import datetime

import pytest

from hubsight.errors import ContractError
from hubsight.helpers.contracts import matches, parse_where, plan_limit, project

FIELDS = ("repo_id", "author", "likes", "tags", "created_at", "runtime_stage", "pipeline_tag")
ROWS = [
    {"repo_id": "Qwen/a", "author": "Qwen", "likes": 10, "tags": ["text-generation", "GGUF"],
     "created_at": "2025-01-31T07:09:51.000Z", "runtime_stage": "RUNNING", "pipeline_tag": "text-generation"},
    {"repo_id": "qwen-fan/b", "author": "qwen-fan", "likes": 3, "tags": ["vision"],
     "created_at": "2024-06-01T00:00:00.000Z", "runtime_stage": "SLEEPING", "pipeline_tag": None},
    {"repo_id": "org/c", "author": "org", "likes": None, "tags": None,
     "created_at": None, "runtime_stage": None, "pipeline_tag": "image-classification"},
]


def kept(where: dict) -> list[str]:
    conditions = parse_where(where, FIELDS)
    return [row["repo_id"] for row in ROWS if matches(row, conditions)]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        pytest.param({}, ["Qwen/a", "qwen-fan/b", "org/c"], id="empty-keeps-all"),
        pytest.param({"author": "Qwen"}, ["Qwen/a"], id="bare-value-is-eq"),
        pytest.param({"author": {"eq": "qwen"}}, [], id="eq-is-case-sensitive"),
        pytest.param({"runtime_stage": {"in": ["RUNNING", "BUILDING"]}}, ["Qwen/a"], id="in"),
        pytest.param({"tags": {"in": ["vision", "audio"]}}, ["qwen-fan/b"], id="in-on-a-list-field-is-any"),
        pytest.param({"repo_id": {"contains": "wen"}}, ["Qwen/a", "qwen-fan/b"], id="contains"),
        pytest.param({"repo_id": {"contains": "qwen"}}, ["qwen-fan/b"], id="contains-is-case-sensitive"),
        pytest.param({"repo_id": {"icontains": "QWEN"}}, ["Qwen/a", "qwen-fan/b"], id="icontains"),
        pytest.param({"tags": {"contains": "GGUF"}}, ["Qwen/a"], id="contains-on-a-list-is-membership"),
        pytest.param({"tags": {"icontains": "gguf"}}, ["Qwen/a"], id="icontains-on-a-list"),
        pytest.param({"likes": {"gte": 10}}, ["Qwen/a"], id="gte-inclusive"),
        pytest.param({"likes": {"lte": 3}}, ["qwen-fan/b"], id="lte-inclusive"),
        pytest.param({"likes": {"gte": 3, "lte": 9}}, ["qwen-fan/b"], id="a-range"),
        pytest.param({"likes": {"gte": 2.5}}, ["Qwen/a", "qwen-fan/b"], id="int-against-float"),
        pytest.param({"likes": {"gte": 0}}, ["Qwen/a", "qwen-fan/b"], id="a-missing-value-is-never-in-range"),
        pytest.param({"created_at": {"gte": "2025-01-01"}}, ["Qwen/a"], id="timestamp-against-a-date"),
        pytest.param({"created_at": {"lte": "2024-06-01T02:00:00+02:00"}}, ["qwen-fan/b"], id="timestamp-with-an-offset"),
        pytest.param({"created_at": {"gte": datetime(2025, 1, 31, 7, 9, 51)}}, ["Qwen/a"], id="timestamp-against-a-datetime"),
        pytest.param({"likes": {"gte": True}}, [], id="a-bool-bound-orders-nothing"),
        pytest.param({"likes": {"gte": "5"}}, [], id="a-number-against-text-orders-nothing"),
        pytest.param({"author": "Qwen", "likes": {"lte": 3}}, [], id="conditions-are-anded"),
        pytest.param({"pipeline_tag": None}, ["qwen-fan/b"], id="eq-none"),
    ],
)
def test_where_keeps_the_rows_it_describes(where: dict, expected: list[str]) -> None:
    assert kept(where) == expected


@pytest.mark.parametrize(
    ("where", "what", "fragments"),
    [
        pytest.param({"stars": 3}, "where", ["where key 'stars'", "allowed: repo_id, author, likes"], id="unknown-key"),
        pytest.param({"likes": {"above": 3}}, "post_filter", ["post_filter op for 'likes' 'above'", "eq, in, contains, icontains, gte, lte"], id="unknown-op"),
        pytest.param({"likes": {}}, "where", ["where['likes'] is empty", "gte"], id="no-op"),
        pytest.param({"author": {"in": "Qwen"}}, "where", ["where['author']['in'] must be a list"], id="in-needs-a-list"),
        pytest.param([("likes", 3)], "where", ["where must be a dict", "{'likes': {'gte': 10}}", "list"], id="not-a-dict"),
        pytest.param({"author": b"Qwen"}, "where", ["where['author']", "bytes", "str, int, float, bool or None"], id="bytes-value"),
        pytest.param({"likes": {"gte": [1, 2]}}, "post_filter", ["post_filter['likes']['gte']", "list"], id="list-bound"),
        pytest.param({"author": {"eq": {"name": "Qwen"}}}, "where", ["where['author']['eq']", "dict"], id="dict-value"),
        pytest.param({"author": {"in": ["Qwen", b"x"]}}, "where", ["where['author']['in'][1]", "bytes"], id="bytes-in-a-list"),
        pytest.param({"author": "x" * 1_000_000}, "where", ["where['author'] is 1,000,000 characters", "at most 1,000"], id="huge-text"),
        pytest.param({"author": {"in": list(range(200_000))}}, "where", ["where['author']['in'] has 200,000 values", "at most 1,000"], id="huge-in"),
        pytest.param({"x" * 1_000_000: 1}, "where", ["unknown where key 'xxxx", "allowed: repo_id"], id="huge-key"),
        pytest.param({"author": {"x" * 1_000_000: 1}}, "where", ["unknown where op for 'author' 'xxx", "eq, in"], id="huge-op"),
    ],
)
def test_a_bad_filter_names_the_problem_and_the_way_out(where: object, what: str, fragments: list[str]) -> None:
    with pytest.raises(ContractError) as caught:
        parse_where(where, FIELDS, what)  # type: ignore[arg-type]
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert len(str(caught.value)) < 400, "a huge name is quoted in part, not echoed whole"


def test_projection_gives_each_row_exactly_the_asked_fields_in_order() -> None:
    rows = project(ROWS[:2], ["likes", "repo_id", "sdk"])
    assert [list(r) for r in rows] == [["likes", "repo_id", "sdk"]] * 2
    assert rows[0] == {"likes": 10, "repo_id": "Qwen/a", "sdk": None}
    assert project(ROWS, None) is ROWS


@pytest.mark.parametrize(
    ("requested", "default", "maximum", "plan"),
    [
        pytest.param(None, 20, 500, (None, 20, True, False), id="default"),
        pytest.param(None, 1000, 500, (None, 500, True, False), id="default-above-the-cap-is-capped-silently"),
        pytest.param(50, 20, 500, (50, 50, False, False), id="within"),
        pytest.param(500, 20, 500, (500, 500, False, False), id="at-the-cap"),
        pytest.param(501, 20, 500, (501, 500, False, True), id="above-the-cap"),
        pytest.param(0, 20, 500, (0, 0, False, False), id="zero"),
    ],
)
def test_a_limit_is_planned_and_the_plan_says_what_happened(requested, default, maximum, plan) -> None:
    got = plan_limit(requested, default, maximum)
    assert (got.requested, got.applied, got.default_used, got.hard_cap_applied) == plan


@pytest.mark.parametrize(
    ("requested", "fragment"),
    [
        pytest.param("10", "scan_limit must be an integer, got '10'", id="text"),
        pytest.param(10.0, "scan_limit must be an integer, got 10.0", id="float"),
        pytest.param(True, "scan_limit must be an integer, got True", id="bool"),
        pytest.param(-1, "scan_limit must be >= 0, got -1", id="negative"),
    ],
)
def test_a_bad_limit_names_the_argument(requested: object, fragment: str) -> None:
    with pytest.raises(ContractError, match=fragment.replace("(", r"\(")):
        plan_limit(requested, 100, 1000, "scan_limit")
