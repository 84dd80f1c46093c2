"""Collection helpers against the replica, checked against huggingface_hub's own answers."""

from __future__ import annotations

from collections import Counter

import pytest
from huggingface_hub import HfApi
from huggingface_hub.utils import get_session

from hubsight.helpers import hf_collection_items, hf_collections_search
from hubsight.hub import normalise

COLLECTION_FIELDS = {
    "collection_id", "slug", "title", "owner", "owner_type", "description", "gating", "last_updated", "item_count",
}
REPO_TYPES = ("model", "dataset", "space")


def z(dt) -> str:
    return normalise.iso(dt)


@pytest.fixture(scope="module")
def every_collection(replica) -> dict:
    """slug → full Collection (every item), read once with the plain client."""
    api = HfApi(endpoint=replica.url, token=False)
    return {c.slug: api.get_collection(c.slug) for c in api.list_collections()}


@pytest.fixture(scope="module")
def busy_owner(hf_api: HfApi) -> tuple[str, list]:
    """The owner with the most collections, and those collections as the client lists them."""
    owners = Counter(c.owner["name"] for c in hf_api.list_collections())
    name = owners.most_common(1)[0][0]
    return name, list(hf_api.list_collections(owner=name))


def assert_complete(meta: dict, total: int) -> None:
    assert meta["limit_boundary_hit"] is False and meta["truncated"] is False and meta["more_available"] is False
    assert meta["sample_complete"] is True and meta["exact_count"] is True and meta["total"] == total


# -- hf_collections_search -------------------------------------------------------------------------
def test_seed_example_owner_lookup(run_helper, hf_api: HfApi) -> None:
    truth = list(hf_api.list_collections(owner="Qwen"))
    assert 0 < len(truth) < 10
    res, run = run_helper(lambda: hf_collections_search(owner="Qwen", limit=10))
    assert res["ok"] and [r["collection_id"] for r in res["items"]] == [c.slug for c in truth]
    for row, c in zip(res["items"], truth, strict=True):
        assert set(row) == COLLECTION_FIELDS
        assert row["slug"] == c.slug and row["title"] == c.title and row["description"] == c.description
        assert row["owner"] == "Qwen" == c.owner["name"] and row["owner_type"] == c.owner["type"] == "org"
        assert row["last_updated"] == z(c.last_updated)
        assert row["item_count"] == (len(c.items) if len(c.items) < 4 else None)
    meta = res["meta"]
    assert_complete(meta, len(truth))
    assert meta["requested_limit"] == 10 and meta["applied_limit"] == 10 and meta["hard_cap_applied"] is False
    assert meta["budget_used"] == len(run.trace) == 1 and run.trace[0].endpoint == "/api/collections"


def test_owner_is_case_insensitive(run_helper, hf_api: HfApi) -> None:
    truth = [c.slug for c in hf_api.list_collections(owner="Qwen")]
    for spelling in ("qwen", "QWEN"):
        res, _ = run_helper(lambda s=spelling: hf_collections_search(owner=s, limit=10))
        assert [r["collection_id"] for r in res["items"]] == truth
        assert {r["owner"] for r in res["items"]} == {"Qwen"}


def test_item_count_is_exact_or_none(run_helper, every_collection: dict) -> None:
    res, _ = run_helper(lambda: hf_collections_search(limit=500))
    counts = [r["item_count"] for r in res["items"]]
    assert None in counts and any(isinstance(c, int) for c in counts)
    for row in res["items"]:
        if row["item_count"] is not None:
            assert row["item_count"] == len(every_collection[row["slug"]].items) < 4
        else:
            assert len(every_collection[row["slug"]].items) >= 4
    assert "hf_collection_items" in res["meta"]["item_count_note"]


def test_more_collections_than_the_limit(run_helper, hf_api: HfApi) -> None:
    truth = [c.slug for c in hf_api.list_collections(limit=5)]
    res, run = run_helper(lambda: hf_collections_search(limit=5))
    assert [r["collection_id"] for r in res["items"]] == truth
    meta = res["meta"]
    assert meta["limit_boundary_hit"] is True and meta["truncated"] is True and meta["more_available"] is True
    assert meta["sample_complete"] is False and meta["exact_count"] is False and meta["total"] is None
    assert meta["budget_used"] == len(run.trace) == 1


def test_limit_at_and_below_the_owner_count(run_helper, busy_owner) -> None:
    name, truth = busy_owner
    n = len(truth)
    res, _ = run_helper(lambda: hf_collections_search(owner=name, limit=n))
    assert len(res["items"]) == n
    assert_complete(res["meta"], n)
    res, _ = run_helper(lambda: hf_collections_search(owner=name, limit=n - 1))
    assert [r["slug"] for r in res["items"]] == [c.slug for c in truth[: n - 1]]
    assert res["meta"]["more_available"] is True and res["meta"]["limit_boundary_hit"] is True
    assert res["meta"]["exact_count"] is False


def test_limit_above_the_maximum_is_clamped(run_helper, hf_api: HfApi) -> None:
    total = len(list(hf_api.list_collections()))
    assert total < 500
    res, _ = run_helper(lambda: hf_collections_search(limit=600, fields=["collection_id"]))
    meta = res["meta"]
    assert meta["hard_cap_applied"] is True and meta["requested_limit"] == 600 and meta["applied_limit"] == 500
    assert len(res["items"]) == total
    assert_complete(meta, total)


def test_query_goes_upstream(run_helper, replica, hf_api: HfApi) -> None:
    word = "reading"
    raw = get_session().get(f"{replica.url}/api/collections", params={"q": word}).json()
    assert raw
    res, run = run_helper(lambda: hf_collections_search(query=word))
    assert [r["slug"] for r in res["items"]] == [c["slug"] for c in raw]
    every = [c for c in hf_api.list_collections() if word in c.title.lower() or word in (c.description or "").lower()]
    assert {r["slug"] for r in res["items"]} <= {c.slug for c in every}
    assert run.trace[0].params.get("q") == word
    assert_complete(res["meta"], len(raw))


def test_count_only(run_helper, busy_owner, hf_api: HfApi) -> None:
    name, truth = busy_owner
    res, run = run_helper(lambda: hf_collections_search(owner=name, count_only=True))
    meta = res["meta"]
    assert res["ok"] and res["items"] == [] and res["item"] is None
    assert meta["count"] == len(truth) and meta["count_source"] == "listing_scan"
    assert meta["count_is_lower_bound"] is False
    assert_complete(meta, len(truth))
    assert meta["budget_used"] == len(run.trace) == 1
    everything, _ = run_helper(lambda: hf_collections_search(count_only=True))
    assert everything["meta"]["count"] == len(list(hf_api.list_collections())) and everything["meta"]["exact_count"]


def test_where_scans_and_filters_locally(run_helper, busy_owner) -> None:
    name, truth = busy_owner
    letter = Counter(ch for c in truth for ch in set(c.title.lower()) if ch.isalpha()).most_common(1)[0][0]
    hits = [c.slug for c in truth if letter in c.title.lower()]
    assert len(hits) >= 2
    res, _ = run_helper(lambda: hf_collections_search(owner=name, where={"title": {"icontains": letter}}))
    assert [r["slug"] for r in res["items"]] == hits
    assert_complete(res["meta"], len(hits))
    assert res["meta"]["scanned"] == len(truth) and res["meta"]["matched"] == len(hits)
    cut, _ = run_helper(lambda: hf_collections_search(owner=name, where={"title": {"icontains": letter}}, limit=1))
    meta = cut["meta"]
    assert [r["slug"] for r in cut["items"]] == hits[:1]
    assert meta["limit_boundary_hit"] is True and meta["truncated"] is True and meta["more_available"] is True
    assert meta["sample_complete"] is True and meta["exact_count"] is True and meta["total"] == len(hits)
    none, _ = run_helper(lambda: hf_collections_search(owner=name, where={"owner": "somebody-else"}))
    assert none["ok"] and none["items"] == [] and none["meta"]["total"] == 0


def test_fields_projection(run_helper) -> None:
    res, _ = run_helper(lambda: hf_collections_search(owner="Qwen", fields=["collection_id", "title"]))
    assert res["items"] and all(set(r) == {"collection_id", "title"} for r in res["items"])
    one, _ = run_helper(lambda: hf_collections_search(owner="Qwen", limit=1, fields=["title"]))
    assert one["item"] == one["items"][0] and set(one["item"]) == {"title"}


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: hf_collections_search(fields=["collection_id", "stars"]), "unknown field 'stars'; allowed: collection_id,"),
        (lambda: hf_collections_search(where={"stars": 3}), "unknown where key 'stars'; allowed: collection_id,"),
        (lambda: hf_collections_search(where={"title": {"like": "x"}}), "unknown where op for 'title' 'like'; allowed: eq"),
        (lambda: hf_collections_search(owner=3), "owner must be a string"),
        (lambda: hf_collections_search(sort="upvotes"), "unknown argument 'sort'"),
    ],
)
def test_contract_errors_fail_before_any_request(run_helper, call, needle: str) -> None:
    res, run = run_helper(call)
    assert res["ok"] is False and res["items"] == [] and needle in res["error"], res["error"]
    assert run.trace == []


def test_budget_exhaustion(run_helper) -> None:
    res, run = run_helper(lambda: hf_collections_search(owner="Qwen"), max_calls=0)
    assert res["ok"] is False and "budget exhausted" in res["error"] and run.trace == []


# -- hf_collection_items ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mixed(every_collection: dict):
    """The collection with the most items that holds papers too."""
    return max(
        (c for c in every_collection.values() if any(i.item_type not in REPO_TYPES for i in c.items)),
        key=lambda c: len(c.items),
    )


def repo_items(c) -> list[tuple[str, str]]:
    return [(i.item_type, i.item_id) for i in c.items if i.item_type in REPO_TYPES]


def test_collection_items_match_get_collection(run_helper, mixed, hf_api: HfApi) -> None:
    truth = repo_items(mixed)
    res, run = run_helper(lambda: hf_collection_items(mixed.slug))
    assert res["ok"] and [(r["repo_type"], r["repo_id"]) for r in res["items"]] == truth
    meta = res["meta"]
    assert_complete(meta, len(truth))
    assert meta["skipped_items"] == dict(Counter(i.item_type for i in mixed.items if i.item_type not in REPO_TYPES))
    assert meta["item_count"] == len(mixed.items) and meta["repo_item_count"] == len(truth)
    assert meta["budget_used"] == len(run.trace) == 1 and run.trace[0].endpoint == f"/api/collections/{mixed.slug}"
    infos = {"model": hf_api.model_info, "dataset": hf_api.dataset_info, "space": hf_api.space_info}
    for row in res["items"][:6]:
        info = infos[row["repo_type"]](row["repo_id"])
        prefix = {"model": "", "dataset": "datasets/", "space": "spaces/"}[row["repo_type"]]
        assert row["repo_url"].endswith(f"/{prefix}{row['repo_id']}") and row["author"] == info.author
        assert row["likes"] == info.likes
        assert row["downloads"] == (info.downloads if row["repo_type"] != "space" else None)


def test_collection_items_limit_and_types(run_helper, mixed) -> None:
    truth = repo_items(mixed)
    res, _ = run_helper(lambda: hf_collection_items(mixed.slug, limit=2))
    meta = res["meta"]
    assert [(r["repo_type"], r["repo_id"]) for r in res["items"]] == truth[:2]
    assert meta["limit_boundary_hit"] is True and meta["truncated"] is True and meta["more_available"] is True
    assert meta["sample_complete"] is True and meta["exact_count"] is True and meta["total"] == len(truth)
    models = [t for t in truth if t[0] == "model"]
    only, _ = run_helper(lambda: hf_collection_items(mixed.slug, repo_types=["model"]))
    assert [(r["repo_type"], r["repo_id"]) for r in only["items"]] == models
    assert_complete(only["meta"], len(models))
    counted, _ = run_helper(lambda: hf_collection_items(mixed.slug, repo_types=["dataset", "space"], count_only=True))
    assert counted["items"] == [] and counted["meta"]["count"] == len(truth) - len(models)
    assert counted["meta"]["exact_count"] is True


def test_collection_items_where_and_fields(run_helper, mixed) -> None:
    full, _ = run_helper(lambda: hf_collection_items(mixed.slug, fields=["repo_id", "likes"]))
    assert all(set(r) == {"repo_id", "likes"} for r in full["items"])
    likes = sorted(r["likes"] for r in full["items"])
    bound = likes[len(likes) // 2]
    res, _ = run_helper(lambda: hf_collection_items(mixed.slug, where={"likes": {"gte": bound}}, fields=["repo_id", "likes"]))
    assert res["items"] == [r for r in full["items"] if r["likes"] >= bound]
    assert res["meta"]["exact_count"] is True and res["meta"]["total"] == len(res["items"])


def test_collection_items_accepts_a_url_and_clamps_the_limit(run_helper, replica, mixed) -> None:
    res, _ = run_helper(lambda: hf_collection_items(f"{replica.url}/collections/{mixed.slug}", limit=501))
    meta = res["meta"]
    assert res["ok"] and meta["hard_cap_applied"] is True and meta["applied_limit"] == 500 and meta["requested_limit"] == 501
    assert len(res["items"]) == len(repo_items(mixed))


def test_missing_or_malformed_collection(run_helper, mixed) -> None:
    owner = mixed.slug.split("/")[0]
    res, run = run_helper(lambda: hf_collection_items(f"{owner}/nothing-here-{'0' * 24}"))
    assert res["ok"] is False and "no collection" in res["error"] and len(run.trace) == 1
    bad, run = run_helper(lambda: hf_collection_items("not a slug"))
    assert bad["ok"] is False and "not a collection slug" in bad["error"] and run.trace == []
    bad, run = run_helper(lambda: hf_collection_items(mixed.slug, fields=["repo_id", "stars"]))
    assert bad["ok"] is False and "unknown field 'stars'; allowed: repo_id," in bad["error"] and run.trace == []
    bad, run = run_helper(lambda: hf_collection_items(mixed.slug, repo_types=["paper"]))
    assert bad["ok"] is False and "unknown repo_types value 'paper'" in bad["error"] and run.trace == []


def test_collection_items_budget_and_token(run_helper, mixed, user_token: str) -> None:
    res, run = run_helper(lambda: hf_collection_items(mixed.slug), max_calls=0)
    assert res["ok"] is False and "budget exhausted" in res["error"] and run.trace == []
    res, _ = run_helper(lambda: hf_collection_items(mixed.slug, limit=1), token=user_token)
    assert res["ok"] and len(res["items"]) == 1
