"""A call outside a helper's contract is refused before anything is sent: an envelope, never an exception,
whose error names the helper and the argument and says what would be accepted.

The endpoint is a closed port, so a call that slipped past validation would come back as an upstream
error instead of a ContractError.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import hubsight.helpers as helpers
from hubsight.hub.session import Run, use_run
from hubsight.settings import get_settings

NOWHERE = "http://127.0.0.1:9"
MAX_CALLS = 5


def refused(name: str, *args: Any, **kwargs: Any) -> tuple[dict[str, Any], Run]:
    run = Run(max_calls=MAX_CALLS, settings=get_settings(hf_endpoint=NOWHERE, hf_token=""))

    async def main() -> dict[str, Any]:
        with use_run(run):
            return await getattr(helpers, name)(*args, **kwargs)

    return asyncio.run(main()), run


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "fragments"),
    [
        pytest.param("hf_whoami", (), {"token": "x"}, ["unknown argument 'token'", "(no arguments)"], id="unknown-argument"),
        pytest.param("hf_trending", (), {"type": "model"}, ["'type'", "repo_type, limit, where, fields"], id="unknown-argument-lists-the-known"),
        pytest.param("hf_repo_discussions", (), {"repo_id": "a/b"}, ["'repo_type'", "required"], id="missing-required"),
        pytest.param("hf_trending", ("model", 5, None, None, "x"), {}, ["too many positional arguments"], id="too-many-positional"),
        pytest.param("hf_trending", (), {"repo_type": "kernel"}, ["repo_type", "'kernel'", "model, dataset, space"], id="value-not-allowed"),
        pytest.param("hf_user_graph", (), {"relation": "friends"}, ["relation", "'friends'", "followers, following"], id="value-not-allowed-2"),
        pytest.param("hf_user_likes", (), {"repo_types": ["model", "paper"]}, ["repo_types", "'paper'", "model, dataset, space"], id="one-bad-value-in-a-list"),
        pytest.param("hf_user_likes", (), {"repo_types": "model"}, ["repo_types", "list", "model, dataset, space"], id="a-list-argument-given-a-string"),
        pytest.param("hf_profile_summary", (), {"include": ["likes", "everything"]}, ["include", "'everything'", "likes, activity"], id="include-value"),
        pytest.param("hf_trending", (), {"limit": "10"}, ["limit", "integer", "'10'"], id="int-given-text"),
        pytest.param("hf_trending", (), {"limit": -1}, ["limit", "-1"], id="negative-limit"),
        pytest.param("hf_repo_discussion_details", (), {"repo_type": "model", "repo_id": "a/b", "discussion_num": 0},
                     ["discussion_num", "0"], id="below-the-range"),
        pytest.param("hf_history_new", (), {"days": 91}, ["days", "91"], id="above-the-range"),
        pytest.param("hf_models_search", (), {"gated": "yes"}, ["gated", "bool"], id="bool-given-text"),
        pytest.param("hf_models_search", (), {"author": True}, ["author", "bool"], id="text-given-a-bool"),
        pytest.param("hf_repo_details", (), {"repo_ids": ["a/b", 3]}, ["repo_ids", "strings", "3"], id="a-list-element-not-text"),
        pytest.param("hf_repo_details", (), {"repo_ids": ["a/b"] * 10_001}, ["repo_ids", "10001", "10000"], id="too-many-items"),
        pytest.param("hf_repo_details", (), {"repo_id": "a" * 5000}, ["repo_id", "5000", "4096"], id="text-too-long"),
        pytest.param("hf_trending", (), {"fields": ["repo_id", "stars"]}, ["'stars'", "repo_id, repo_type, author"], id="unknown-field"),
        pytest.param("hf_trending", (), {"where": {"stars": 1}}, ["where", "'stars'", "repo_id, repo_type"], id="unknown-where-key"),
        pytest.param("hf_models_search", (), {"post_filter": {"likes": {"above": 1}}}, ["post_filter", "'above'", "gte, lte"], id="unknown-post-filter-op"),
        pytest.param("hf_user_likes", (), {"where": {"liked_at": {"in": "2025"}}}, ["where", "liked_at", "list"], id="in-needs-a-list"),
    ],
)
def test_a_call_outside_the_contract_is_refused_before_anything_is_sent(name: str, args: tuple, kwargs: dict, fragments: list[str]) -> None:
    env, run = refused(name, *args, **kwargs)
    assert env["ok"] is False and env["meta"]["error_type"] == "ContractError", env["error"]
    assert env["error"].startswith(f"{name}: ")
    for fragment in fragments:
        assert fragment in env["error"], (fragment, env["error"])
    assert run.calls_used == 0 and run.trace == []


def test_a_refusal_is_a_whole_envelope_with_the_budget_untouched() -> None:
    env, _ = refused("hf_trending", limit="ten")
    assert set(env) == {"ok", "item", "items", "meta", "error"}
    assert env["item"] is None and env["items"] == []
    meta = env["meta"]
    assert meta["helper"] == "hf_trending" and meta["budget_used"] == 0 and meta["budget_remaining"] == MAX_CALLS
