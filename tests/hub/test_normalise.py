"""Raw Hub JSON (through huggingface_hub's own ModelInfo/DatasetInfo/SpaceInfo) becomes canonical rows.

The expected keys are the seed prompt's repo row (``default_fields`` of every repo helper), written out
here rather than read from the registry, so a field renamed in the code shows up as a failure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from huggingface_hub import DatasetInfo, ModelInfo, SpaceInfo

from hubsight.hub.normalise import expand_for, iso, repo_row, trending_row, wire_expand

HUB = "https://hub.test"
REPO_ROW = (
    "repo_id", "repo_type", "author", "likes", "downloads", "trending_score", "created_at", "last_modified",
    "pipeline_tag", "num_params", "repo_url", "tags", "library_name", "description", "paperswithcode_id", "sdk",
    "models", "datasets", "subdomain", "runtime_stage", "runtime",
)
NONE = dict.fromkeys(REPO_ROW)

MODEL = {
    "_id": "538453d71000000000000000", "id": "openai/whisper-medium-en", "author": "openai", "likes": 4,
    "downloads": 2, "trendingScore": 1, "createdAt": "2026-10-18T22:18:15.000Z", "lastModified": "2026-11-21T05:53:29Z",
    "pipeline_tag": "automatic-speech-recognition", "safetensors": {"parameters": {"BF16": 737910772}, "total": 737910772},
    "tags": ["transformers", "whisper"], "library_name": "transformers",
}
RUNTIME = {"stage": "RUNNING", "hardware": {"current": "cpu-basic", "requested": "cpu-basic"}, "replicas": {"requested": 1}}
SPACE = {
    "_id": "538453d73000000000000000", "id": "Qwen/tiny-arena", "author": "Qwen", "likes": 64, "trendingScore": 14,
    "createdAt": "2026-10-09T11:57:16.000Z", "lastModified": "2026-11-07T19:34:17.000Z", "sdk": "gradio",
    "runtime": RUNTIME, "models": ["Qwen/a"], "datasets": [], "subdomain": "qwen-tiny-arena", "tags": ["gradio"],
}

MODEL_ROW = {
    "repo_id": "openai/whisper-medium-en", "repo_type": "model", "author": "openai", "likes": 4, "downloads": 2,
    "trending_score": 1, "created_at": "2026-10-18T22:18:15.000Z", "last_modified": "2026-11-21T05:53:29.000Z",
    "pipeline_tag": "automatic-speech-recognition", "num_params": 737910772,
    "repo_url": "https://hub.test/openai/whisper-medium-en", "tags": ["transformers", "whisper"],
    "library_name": "transformers",
}
SPACE_ROW = {
    "repo_id": "Qwen/tiny-arena", "repo_type": "space", "author": "Qwen", "likes": 64, "trending_score": 14,
    "created_at": "2026-10-09T11:57:16.000Z", "last_modified": "2026-11-07T19:34:17.000Z",
    "repo_url": "https://hub.test/spaces/Qwen/tiny-arena", "tags": ["gradio"], "sdk": "gradio",
    "models": ["Qwen/a"], "datasets": [], "subdomain": "qwen-tiny-arena", "runtime_stage": "RUNNING",
    "runtime": RUNTIME,
}
"""What a user sees for MODEL and SPACE (every other key is None)."""


@pytest.mark.parametrize(
    ("info", "kind", "expected"),
    [
        pytest.param(ModelInfo(**MODEL), "model", MODEL_ROW, id="model"),
        pytest.param(ModelInfo(id="TheBloke/x-GGUF", gguf={"total": 7_000_000_000, "architecture": "llama"}), "model", {
            "repo_id": "TheBloke/x-GGUF", "repo_type": "model", "author": "TheBloke", "num_params": 7_000_000_000,
            "repo_url": "https://hub.test/TheBloke/x-GGUF",
        }, id="gguf-only-model-and-author-from-the-id"),
        pytest.param(ModelInfo(id="gpt2", cardData={"description": "the card's words"}), "model", {
            "repo_id": "gpt2", "repo_type": "model", "repo_url": "https://hub.test/gpt2", "description": "the card's words",
        }, id="legacy-id-without-owner"),
        pytest.param(DatasetInfo(id="org/set", downloads=5, description="A set.", paperswithcode_id="set",
                                 cardData={"description": "not this"}), "dataset", {
            "repo_id": "org/set", "repo_type": "dataset", "author": "org", "downloads": 5, "description": "A set.",
            "paperswithcode_id": "set", "repo_url": "https://hub.test/datasets/org/set",
        }, id="dataset-its-own-description"),
        pytest.param(SpaceInfo(**SPACE), "space", SPACE_ROW, id="space"),
        pytest.param(SpaceInfo(id="Qwen/s", downloads=99), "space", {
            "repo_id": "Qwen/s", "repo_type": "space", "author": "Qwen", "repo_url": "https://hub.test/spaces/Qwen/s",
        }, id="spaces-have-no-downloads"),
    ],
)
def test_repo_row_is_the_canonical_row(info: object, kind: str, expected: dict) -> None:
    row = repo_row(info, kind, HUB)
    assert tuple(row) == REPO_ROW
    assert row == {**NONE, **expected}


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param({"repoType": "model", "repoData": {**MODEL, "numParameters": 737910772}}, MODEL_ROW, id="model"),
        pytest.param({"repoType": "space", "repoData": SPACE}, SPACE_ROW, id="space"),
        pytest.param({"repoType": "space", "repoData": {"id": "a/b", "runtimeStage": "SLEEPING"}}, {
            "repo_id": "a/b", "repo_type": "space", "author": "a", "repo_url": "https://hub.test/spaces/a/b",
            "runtime_stage": "SLEEPING",
        }, id="space-with-only-a-stage"),
        pytest.param({"repoData": {"id": "a/m"}}, {
            "repo_id": "a/m", "repo_type": "model", "author": "a", "repo_url": "https://hub.test/a/m",
        }, id="no-repo-type-means-model"),
    ],
)
def test_trending_row_is_the_canonical_row_plus_its_rank(entry: dict, expected: dict) -> None:
    row = trending_row(entry, 3, HUB)
    assert tuple(row) == (*REPO_ROW, "trending_rank")
    assert row == {**NONE, **expected, "trending_rank": 3}


@pytest.mark.parametrize(
    ("raw", "kind", "info"),
    [({**MODEL, "numParameters": 737910772}, "model", ModelInfo), (SPACE, "space", SpaceInfo)],
    ids=["model", "space"],
)
def test_a_repo_reads_the_same_in_the_trending_feed_and_in_a_search(raw: dict, kind: str, info: type) -> None:
    """The feed counts parameters in ``numParameters``, a listing in ``safetensors``: one row either way."""
    assert trending_row({"repoType": kind, "repoData": raw}, 1, HUB) == {**repo_row(info(**raw), kind, HUB), "trending_rank": 1}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, None, id="none"),
        pytest.param("2025-01-31T07:09:51.000Z", "2025-01-31T07:09:51.000Z", id="already-canonical"),
        pytest.param("2025-01-31T07:09:51Z", "2025-01-31T07:09:51.000Z", id="no-milliseconds"),
        pytest.param("2025-01-31T07:09:51.123456Z", "2025-01-31T07:09:51.123Z", id="microseconds-cut-to-milliseconds"),
        pytest.param("2025-01-31T08:09:51+01:00", "2025-01-31T07:09:51.000Z", id="offset-to-utc"),
        pytest.param("2025-01-31T07:09:51", "2025-01-31T07:09:51.000Z", id="naive-is-utc"),
        pytest.param("2025-01-31", "2025-01-31T00:00:00.000Z", id="a-date"),
        pytest.param(datetime(2025, 1, 31, 7, 9, 51, 999_999, tzinfo=UTC), "2025-01-31T07:09:51.999Z", id="datetime"),
        pytest.param(datetime(2025, 1, 1, 1, 0, tzinfo=timezone(timedelta(hours=2))), "2024-12-31T23:00:00.000Z", id="datetime-offset-crosses-a-day"),
        pytest.param("yesterday", "yesterday", id="not-a-timestamp-left-as-sent"),
    ],
)
def test_every_timestamp_is_utc_with_milliseconds(value: object, expected: str | None) -> None:
    assert iso(value) == expected


@pytest.mark.parametrize(
    ("kind", "fields", "expand"),
    [
        pytest.param("model", ["repo_id", "likes"], ["likes"], id="only-what-is-asked"),
        pytest.param("model", ["repo_id", "repo_url"], ["likes"], id="nothing-to-expand-still-asks-one"),
        pytest.param("model", ["num_params", "created_at"], ["safetensors", "gguf", "createdAt"], id="wire-names"),
        pytest.param("space", ["runtime_stage", "runtime", "sdk"], ["runtime", "sdk"], id="no-duplicates"),
        pytest.param("space", ["downloads", "likes"], ["likes"], id="spaces-have-no-downloads"),
        pytest.param("dataset", ["description", "paperswithcode_id"], ["description", "paperswithcode_id"], id="dataset"),
    ],
)
def test_a_search_expands_only_what_its_fields_need(kind: str, fields: list[str], expand: list[str]) -> None:
    assert expand_for(kind, fields) == expand


def test_expand_values_go_upstream_under_their_wire_names() -> None:
    assert wire_expand(["created_at", "card_data", "likes", "model_index"]) == ["createdAt", "cardData", "likes", "model-index"]
