"""Plain-data conversion of script results: what passes, what is refused (with the path), what is cut."""

from __future__ import annotations

import datetime
import json

import pytest

from hubsight.sandbox.results import MAX_DEPTH, ResultError, convert, to_plain


def test_plain_data_passes_and_tuples_become_lists() -> None:
    value = {"a": [1, 2.5, "x", True, None], "b": (1, (2, 3)), "c": {"d": []}}
    assert to_plain(value) == {"a": [1, 2.5, "x", True, None], "b": [1, [2, 3]], "c": {"d": []}}


@pytest.mark.parametrize(
    ("value", "path", "fix"),
    [
        ({"items": [0, 1, 2, {3}]}, "result['items'][3]", "list(...)"),
        ([b"x"], "result[0]", ".decode()"),
        ({"when": datetime.date(2026, 1, 1)}, "result['when']", ".isoformat()"),
        ([float("nan")], "result[0]", "None or a finite number"),
        ({"x": float("inf")}, "result['x']", "finite"),
        ({1: "a"}, "result", "str(...)"),
        ({"f": "<function 'f' at 0x1f>"}, "result['f']", "call it"),
        ([frozenset()], "result[0]", "list(...)"),
        (object(), "result", "convert it to a dict"),
        (1j, "result", ".real"),
        ({"n": 10**400}, "result['n']", "str(...)"),
    ],
)
def test_non_plain_values_name_the_path_and_fix(value: object, path: str, fix: str) -> None:
    with pytest.raises(ResultError) as err:
        to_plain(value)
    assert f"`{path}`" in str(err.value)
    assert fix in str(err.value)


def test_depth_is_bounded() -> None:
    value: list = []
    for _ in range(MAX_DEPTH + 5):
        value = [value]
    with pytest.raises(ResultError, match="deeper than"):
        to_plain(value)


def test_small_results_are_untouched() -> None:
    out = convert({"rows": [{"id": i} for i in range(10)]}, 10_000)
    assert not out.truncated and out.value["rows"][9] == {"id": 9}


def test_big_list_is_cut_with_a_marker_and_fits() -> None:
    value = {"rows": [{"repo_id": f"org/model-{i}", "likes": i} for i in range(50_000)], "coverage": {"n": 1}}
    out = convert(value, 100_000)
    assert out.truncated and out.size > 100_000
    assert _size(out.value) <= 100_000
    rows = out.value["rows"]
    assert rows[0] == {"repo_id": "org/model-0", "likes": 0}
    assert all(isinstance(r, dict) and len(r) == 2 for r in rows[:-1])  # whole rows only
    assert rows[-1].startswith("…[truncated: ") and rows[-1].endswith("more items]")
    assert out.value["coverage"] == {"n": 1}  # small metadata after the rows survives


def test_big_nested_values_are_cut_inside_and_fit() -> None:
    value = {"a": "x" * 30_000, "b": [["y" * 100] * 500], "c": 1}
    out = convert(value, 10_000)
    assert out.truncated and _size(out.value) <= 10_000
    assert out.value["c"] == 1
    assert out.value["a"].endswith("more characters]")


def _size(value: object) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def test_big_string_is_cut_with_a_marker() -> None:
    out = convert("y" * 50_000, 10_000)
    assert out.truncated
    assert out.value.startswith("yyy") and out.value.endswith("more characters]")
    assert _size(out.value) <= 10_000
