"""Every helper writes timestamps one way: the Hub's own, UTC with milliseconds (``2025-01-31T07:09:51.000Z``)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

import hubsight.helpers as helpers
from hubsight.prompt import render
from hubsight.replica import community

HUB_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
TIME_KEYS = {"created_at", "last_modified", "liked_at", "timestamp", "published_at", "submitted_on_daily_at",
             "last_updated", "latest_comment_created_at"}


def _times(value: Any, found: dict[str, list[str]]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in TIME_KEYS and inner is not None:
                found.setdefault(key, []).append(inner)
            else:
                _times(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _times(inner, found)


def test_every_helper_writes_the_hubs_timestamp_format(run_helper, replica, user_token: str) -> None:
    repo_fields = ["repo_id", "created_at", "last_modified"]
    world = replica.world
    talked = np.diff(community.discussions(world, "model").offsets) * world.repos["model"].alive
    model = world.repos["model"].ids[int(np.argmax(talked))]  # a live model with discussions
    calls = [
        lambda: helpers.hf_models_search(limit=3, fields=repo_fields),
        lambda: helpers.hf_datasets_search(limit=3, fields=repo_fields),
        lambda: helpers.hf_repo_details(repo_id=model, fields=repo_fields),
        lambda: helpers.hf_user_likes(username="julien-c", limit=5),
        lambda: helpers.hf_recent_activity(feed_type="user", entity="julien-c", limit=5),
        lambda: helpers.hf_daily_papers(limit=3),
        lambda: helpers.hf_collections_search(limit=3),
        lambda: helpers.hf_repo_discussions(repo_type="model", repo_id=model, limit=3),
    ]
    # the helpers that take an id found by another: a collection, a paper, a discussion
    collection = run_helper(lambda: helpers.hf_collections_search(limit=1), token=user_token)[0]["items"][0]
    paper = run_helper(lambda: helpers.hf_daily_papers(limit=1), token=user_token)[0]["items"][0]
    discussion = run_helper(lambda: helpers.hf_repo_discussions(repo_type="model", repo_id=model, limit=1),
                            token=user_token)[0]["items"][0]
    calls += [
        lambda: helpers.hf_spaces_search(limit=3, fields=repo_fields),
        lambda: helpers.hf_repo_search(repo_types=["model", "dataset", "space"], limit=3, fields=repo_fields),
        lambda: helpers.hf_trending(repo_type="model", limit=3, fields=repo_fields),
        lambda: helpers.hf_collection_items(collection_id=collection["collection_id"], limit=5,
                                            fields=["repo_id", "created_at", "last_modified"]),
        lambda: helpers.hf_paper_details(paper_id=paper["paper_id"]),
        lambda: helpers.hf_repo_discussion_details(repo_type="model", repo_id=model, discussion_num=discussion["num"],
                                                   fields=["num", "created_at", "latest_comment_created_at"]),
        lambda: helpers.hf_profile_summary(handle="julien-c", include=["likes", "activity"]),
    ]
    found: dict[str, list[str]] = {}
    for call in calls:
        env, _ = run_helper(call, token=user_token)
        assert env["ok"], env["error"]
        _times(env["items"], found)
    assert {"created_at", "last_modified", "liked_at", "timestamp", "published_at", "last_updated",
            "latest_comment_created_at", "submitted_on_daily_at"} <= set(found), found.keys()
    bad = {key: [v for v in values if not HUB_TIME.match(str(v))][:3] for key, values in found.items()}
    assert not any(bad.values()), bad


def test_the_prompt_states_the_timestamp_format() -> None:
    text = render()
    assert "2025-01-31T07:09:51.000Z" in text and "milliseconds" in text
