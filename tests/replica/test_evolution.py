"""The replica's clock evolves metadata, seen through the real huggingface_hub client.

Day by day, Spaces sleep, wake, break and get fixed; a few models and datasets get gated or opened,
change license, get their pipeline tag corrected or start naming a base model; each such edit is a
commit, so lastModified moves to that day. Listings and detail bodies agree, and the same seed
evolves the same way.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from huggingface_hub import HfApi

from hubsight.replica import ReplicaServer
from tests.conftest import REPLICA_DATE, REPLICA_SEED

MODEL_EXPAND = ["gated", "tags", "pipeline_tag", "library_name", "lastModified", "safetensors", "gguf"]
DATASET_EXPAND = ["gated", "tags", "lastModified"]
SPACE_EXPAND = ["runtime", "sdk", "tags", "lastModified"]


def advance(url: str, days: int = 1) -> None:
    httpx.post(f"{url}/_replica/clock/advance", params={"days": days}, timeout=60).raise_for_status()


def snapshot(api: HfApi) -> dict[str, dict[str, dict[str, Any]]]:
    """Every repo's tracked metadata, as a crawler listing with expand= sees it."""
    models = {
        m.id: {
            "gated": m.gated,
            "license": sorted(t for t in m.tags if t.startswith("license:")),
            "base_model": sorted(t for t in m.tags if t.startswith("base_model:")),
            "pipeline_tag": m.pipeline_tag,
            "library_name": m.library_name,
            "params": m.safetensors.total if m.safetensors else None,
            "modified": m.last_modified,
        }
        for m in api.list_models(expand=MODEL_EXPAND)
    }
    datasets = {
        d.id: {"gated": d.gated, "license": sorted(t for t in d.tags if t.startswith("license:")), "modified": d.last_modified}
        for d in api.list_datasets(expand=DATASET_EXPAND)
    }
    spaces = {
        s.id: {"stage": s.runtime.stage if s.runtime else None, "sdk": s.sdk, "modified": s.last_modified}
        for s in api.list_spaces(expand=SPACE_EXPAND)
    }
    return {"model": models, "dataset": datasets, "space": spaces}


def changed(before: dict[str, dict], after: dict[str, dict], field: str) -> list[str]:
    return [rid for rid, row in after.items() if rid in before and before[rid][field] != row[field]]


def test_three_days_evolve_metadata_and_move_last_modified(fresh_replica: ReplicaServer) -> None:
    api = HfApi(endpoint=fresh_replica.url, token=False)
    seen = {field: [] for field in ("stage", "gated", "license", "pipeline_tag", "base_model", "dataset_gated")}
    now = snapshot(api)
    for day in range(1, 4):
        advance(fresh_replica.url)
        today = REPLICA_DATE + timedelta(days=day)
        before, now = now, snapshot(api)
        stages = changed(before["space"], now["space"], "stage")
        # a noticeable share of Spaces changes stage every day
        assert len(stages) >= len(now["space"]) // 50, (day, len(stages))
        seen["stage"] += stages
        edited = set()
        for field in ("gated", "license", "pipeline_tag", "base_model"):
            ids = changed(before["model"], now["model"], field)
            seen[field] += ids
            edited |= set(ids)
        # an edit is a commit of that day, and nothing else about the repo changed with it
        for rid in edited:
            assert now["model"][rid]["modified"].date() == today, (rid, now["model"][rid]["modified"])
            assert now["model"][rid]["modified"] > before["model"][rid]["modified"]
            assert now["model"][rid]["params"] == before["model"][rid]["params"], "num_params stay constant"
        data_edits = set(changed(before["dataset"], now["dataset"], "gated")) | set(changed(before["dataset"], now["dataset"], "license"))
        seen["dataset_gated"] += changed(before["dataset"], now["dataset"], "gated")
        for rid in data_edits:
            assert now["dataset"][rid]["modified"].date() == today, rid
        # a Space that starts a build, breaks its build or is fixed was committed to that day
        for rid in stages:
            a, b = before["space"][rid]["stage"], now["space"][rid]["stage"]
            if b in ("BUILDING", "BUILD_ERROR") or (a in ("BUILD_ERROR", "RUNTIME_ERROR") and b == "RUNNING"):
                assert now["space"][rid]["modified"].date() == today, (rid, a, b)
    for field, ids in seen.items():
        assert ids, f"no repo changed {field} in three days"
    stages_seen = {row["stage"] for row in now["space"].values()}
    assert {"RUNNING", "SLEEPING", "BUILD_ERROR", "RUNTIME_ERROR"} <= stages_seen
    # corrected pipeline tags stay within what the family does: a bert is never re-tagged text-to-image
    for rid in seen["pipeline_tag"]:
        assert now["model"][rid]["pipeline_tag"] is not None
    # new base_model tags are written as the Hub writes them, with their relation
    for rid in seen["base_model"]:
        tags = now["model"][rid]["base_model"]
        plain = [t for t in tags if t.count(":") == 1]
        related = [t for t in tags if t.count(":") == 2]
        assert plain and related, tags
        assert related[0].split(":")[1] in ("finetune", "adapter", "quantized", "merge")
        assert related[0].split(":", 2)[2] == plain[0].split(":", 1)[1]


def test_details_and_listings_show_the_same_evolved_metadata(fresh_replica: ReplicaServer) -> None:
    api = HfApi(endpoint=fresh_replica.url, token=False)
    before = snapshot(api)
    advance(fresh_replica.url, 3)
    after = snapshot(api)
    spaces = changed(before["space"], after["space"], "stage")[:10]
    assert spaces
    for rid in spaces:
        info = api.space_info(rid)
        assert info.runtime.stage == after["space"][rid]["stage"]
        assert info.last_modified == after["space"][rid]["modified"]
    models = (changed(before["model"], after["model"], "gated") + changed(before["model"], after["model"], "license")
              + changed(before["model"], after["model"], "pipeline_tag") + changed(before["model"], after["model"], "base_model"))
    assert models
    for rid in models:
        info = api.model_info(rid)
        row = after["model"][rid]
        assert info.gated == row["gated"] and info.pipeline_tag == row["pipeline_tag"]
        assert sorted(t for t in info.tags if t.startswith(("license:", "base_model:"))) == sorted(row["license"] + row["base_model"])
        assert info.last_modified == row["modified"]
        if any(t.startswith("base_model:") for t in row["base_model"]):
            assert info.card_data is not None and info.card_data.get("base_model")


def test_the_same_seed_evolves_the_same_way() -> None:
    start = date(2026, 11, 23)
    snaps = []
    for _ in range(2):
        with ReplicaServer(scale="tiny", seed=REPLICA_SEED + 1, start=start) as server:
            advance(server.url, 3)
            snaps.append(snapshot(HfApi(endpoint=server.url, token=False)))
    assert snaps[0] == snaps[1]
    with ReplicaServer(scale="tiny", seed=REPLICA_SEED + 2, start=start) as server:
        advance(server.url, 3)
        other = snapshot(HfApi(endpoint=server.url, token=False))
    assert other != snaps[0]
