"""Repo listings and details, driven through the real huggingface_hub client."""

from __future__ import annotations

import re

import httpx
import numpy as np
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import BadRequestError, HfHubHTTPError, RepositoryNotFoundError

from hubsight.replica import vocab
from hubsight.replica.listing import parse_params

ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def alive_ids(world, kind: str) -> list[str]:
    t = world.repos[kind]
    return [t.ids[i] for i in np.flatnonzero(t.alive)]


@pytest.mark.parametrize("kind", ["model", "dataset", "space"])
def test_full_listing_follows_link_cursors_to_every_repo(replica, hf_api: HfApi, kind: str) -> None:
    lister = {"model": hf_api.list_models, "dataset": hf_api.list_datasets, "space": hf_api.list_spaces}[kind]
    ids = [r.id for r in lister()]
    assert len(ids) == len(set(ids)), "a repo was served twice across pages"
    assert ids == alive_ids(replica.world, kind)


def test_pages_are_at_most_1000_and_next_link_repeats_params(replica) -> None:
    r = httpx.get(f"{replica.url}/api/models", params=[("sort", "likes"), ("expand", "likes"), ("expand", "downloads")])
    assert r.status_code == 200
    assert len(r.json()) == 1000
    link = r.headers["link"]
    m = re.fullmatch(r'<(http://[^>]+)>; rel="next"', link)
    assert m, link
    next_url = httpx.URL(m.group(1))
    assert next_url.params.get_list("expand") == ["likes", "downloads"]
    assert next_url.params["sort"] == "likes" and "cursor" in next_url.params
    last = httpx.get(str(next_url))
    assert "link" not in last.headers
    assert len(r.json()) + len(last.json()) == int(replica.world.repos["model"].alive.sum())


def test_limit_is_honoured_and_sort_is_descending(replica, hf_api: HfApi) -> None:
    world = replica.world
    t = world.repos["model"]
    top = list(hf_api.list_models(sort="likes", limit=25))
    assert len(top) == 25
    expected = sorted(alive_ids(world, "model"), key=lambda rid: -int(t.likes[t.find(rid)]))
    assert [m.likes for m in top] == sorted((m.likes for m in top), reverse=True)
    assert [m.likes for m in top] == [int(t.likes[t.find(rid)]) for rid in expected[:25]]
    newest = list(hf_api.list_models(sort="created_at", limit=5, expand=["createdAt"]))
    assert newest[0].created_at >= newest[-1].created_at
    trending = list(hf_api.list_models(sort="trending_score", limit=10, expand=["trendingScore"]))
    assert [m.trending_score for m in trending] == sorted((m.trending_score for m in trending), reverse=True)


def test_default_listing_fields_match_the_hub(replica) -> None:
    row = httpx.get(f"{replica.url}/api/models", params={"limit": 1}).json()[0]
    assert set(row) >= {"_id", "id", "likes", "trendingScore", "private", "downloads", "tags", "createdAt", "modelId"}
    assert "siblings" not in row and "author" not in row
    assert re.fullmatch(r"[0-9a-f]{24}", row["_id"])
    assert ISO_Z.match(row["createdAt"])


def test_expand_returns_only_the_fields_asked_for(replica) -> None:
    rows = httpx.get(
        f"{replica.url}/api/models", params=[("limit", 3), ("expand[]", "likes"), ("expand[]", "downloadsAllTime")]
    ).json()
    for row in rows:
        assert set(row) - {"modelId"} == {"_id", "id", "likes", "downloadsAllTime"}


def test_unknown_expand_value_is_a_400_the_client_types(hf_api: HfApi) -> None:
    with pytest.raises(BadRequestError, match="expand"):
        list(hf_api.list_models(expand=["nonsense"], limit=1))


def test_spaces_cannot_sort_by_downloads(hf_api: HfApi) -> None:
    with pytest.raises(BadRequestError, match="sort"):
        list(hf_api.list_spaces(sort="downloads", limit=1))


def test_search_author_filter_pipeline_and_params_match_ground_truth(replica, hf_api: HfApi) -> None:
    world = replica.world
    t = world.repos["model"]
    alive = np.flatnonzero(t.alive)
    # search is a case-insensitive substring of the repo id
    got = {m.id for m in hf_api.list_models(search="QWEN")}
    assert got == {t.ids[i] for i in alive if "qwen" in t.ids[i].lower()} and got
    # author
    got = {m.id for m in hf_api.list_models(author="Qwen")}
    assert got == {t.ids[i] for i in alive if t.ids[i].startswith("Qwen/")} and got
    # filter on tags (every filter must match)
    got = {m.id for m in hf_api.list_models(filter=["transformers", "license:mit"])}
    assert got == {t.ids[i] for i in alive if {"transformers", "license:mit"} <= set(world.tags("model", i))} and got
    # pipeline_tag and num_parameters
    lo, hi = parse_params("min:6B,max:128B")
    got = {m.id for m in hf_api.list_models(pipeline_tag="text-generation", num_parameters="min:6B,max:128B")}
    code = vocab.names(vocab.PIPELINE_TAGS).index("text-generation")
    expected = {t.ids[i] for i in alive if t.pipeline[i] == code and lo <= t.params[i] <= hi}
    assert got == expected and got


def test_dataset_filters_by_language_and_task(replica, hf_api: HfApi) -> None:
    world = replica.world
    t = world.repos["dataset"]
    got = {d.id for d in hf_api.list_datasets(language="en", task_categories="text-generation")}
    expected = {
        t.ids[i]
        for i in np.flatnonzero(t.alive)
        if {"language:en", "task_categories:text-generation"} <= set(world.tags("dataset", i))
    }
    assert got == expected and got


def test_model_info_parses_every_detail_field(replica, hf_api: HfApi) -> None:
    world = replica.world
    t = world.repos["model"]
    i = int(np.argmax(np.where(t.alive & (t.params > 0) & (t.library == 0), t.likes, -1)))
    info = hf_api.model_info(t.ids[i])
    assert info.id == t.ids[i]
    assert info.author == world.owners.names[int(t.author[i])]
    assert info.likes == int(t.likes[i]) and info.downloads == int(t.dl30[i])
    assert info.safetensors.total == int(t.params[i])
    assert [s.rfilename for s in info.siblings] == [".gitattributes", "README.md", "config.json", "model.safetensors"]
    assert info.transformers_info.auto_model == "AutoModelForCausalLM"
    assert info.card_data.license == vocab.LICENSES[int(t.license[i])][0]
    assert info.created_at.tzinfo is not None and info.last_modified >= info.created_at
    assert len(info.sha) == 40


def test_space_info_has_a_runtime_stage_and_every_stage_occurs(replica, hf_api: HfApi) -> None:
    spaces = list(hf_api.list_spaces(expand=["runtime", "sdk", "likes"]))
    stages = {s.runtime.stage for s in spaces if s.runtime}
    assert {"RUNNING", "SLEEPING", "BUILD_ERROR", "RUNTIME_ERROR", "PAUSED"} <= stages
    assert {s.sdk for s in spaces} >= {"gradio", "docker", "streamlit"}
    info = hf_api.space_info(spaces[0].id)
    assert info.runtime.stage == spaces[0].runtime.stage
    assert info.host.startswith("https://") and info.subdomain


def test_dataset_info_and_revision_path(replica, hf_api: HfApi) -> None:
    info = hf_api.dataset_info("lmarena-ai/leaderboard-dataset")
    assert info.author == "lmarena-ai"
    again = hf_api.dataset_info("lmarena-ai/leaderboard-dataset", revision="refs/pr/1")
    assert again.id == info.id


def test_missing_repo_is_repository_not_found(hf_api: HfApi) -> None:
    with pytest.raises(RepositoryNotFoundError):
        hf_api.model_info("nobody-here/does-not-exist")
    with pytest.raises(RepositoryNotFoundError):
        hf_api.space_info("gpt2")


def test_likers_are_exactly_the_like_count(replica, hf_api: HfApi) -> None:
    t = replica.world.repos["model"]
    i = int(np.argmax(t.likes))
    likers = list(hf_api.list_repo_likers(t.ids[i]))
    assert len(likers) == int(t.likes[i]) > 0
    assert len({u.username for u in likers}) == len(likers)
    with pytest.raises(HfHubHTTPError):
        list(hf_api.list_repo_likers("nobody-here/does-not-exist"))


def test_likes_and_downloads_are_heavy_tailed(replica) -> None:
    for kind in ("model", "dataset"):
        t = replica.world.repos[kind]
        likes = np.sort(t.likes[t.alive])[::-1]
        assert np.mean(likes == 0) > 0.5, "most repos should have no likes"
        top = max(1, len(likes) // 100)
        assert likes[:top].sum() > 0.15 * likes.sum(), "the top 1% should hold a large share"
        downloads = np.sort(t.dl30[t.alive])[::-1]
        assert downloads[: len(downloads) // 10].sum() > 0.5 * downloads.sum()


def test_legacy_repos_share_the_hubs_placeholder_creation_date(replica) -> None:
    t = replica.world.repos["model"]
    legacy = np.flatnonzero(t.legacy & t.alive)
    assert len(legacy)
    row = httpx.get(f"{replica.url}/api/models/{t.ids[legacy[0]]}", params={"expand": "createdAt"}).json()
    assert row["createdAt"] == "2022-03-02T23:29:04.000Z"
