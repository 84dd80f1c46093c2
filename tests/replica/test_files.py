"""File downloads through the real client: the LMArena leaderboard and every other repo's files."""

from __future__ import annotations

import hashlib
import json
import struct
from datetime import date, timedelta
from itertools import pairwise

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from huggingface_hub import HfApi, get_hf_file_metadata, hf_hub_download, hf_hub_url
from huggingface_hub.errors import (
    EntryNotFoundError,
    GatedRepoError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from huggingface_hub.utils import get_session

from hubsight.replica import arena, vocab

ARENA = "lmarena-ai/leaderboard-dataset"
LATEST = "text/latest-00000-of-00001.parquet"
FULL = "text/full-00000-of-00001.parquet"
COLUMNS = [
    ("model_name", pa.string()),
    ("organization", pa.string()),
    ("license", pa.string()),
    ("rating", pa.float64()),
    ("rating_lower", pa.float64()),
    ("rating_upper", pa.float64()),
    ("variance", pa.float64()),
    ("vote_count", pa.int64()),
    ("rank", pa.int64()),
    ("category", pa.string()),
    ("leaderboard_publish_date", pa.string()),
]
SUBSETS = [
    "text", "text_style_control", "vision", "vision_style_control", "search", "search_style_control",
    "document", "document_style_control", "webdev", "text-to-image", "image-edit", "text-to-video",
    "image-to-video", "video-edit",
]
# Columns a generic dataset's parquet carries, by task category.
TASK_COLUMNS = {
    "text-generation": ["prompt", "response"],
    "question-answering": ["question", "context", "answer"],
    "text-classification": ["text", "label"],
    "translation": ["source", "target"],
    "summarization": ["document", "summary"],
    "image-classification": ["image", "label"],
    "automatic-speech-recognition": ["audio", "sentence", "duration"],
    "image-text-to-text": ["image", "question", "answer"],
    "visual-question-answering": ["image", "question", "answer"],
    "text-to-image": ["prompt", "image"],
    "token-classification": ["tokens", "ner_tags"],
    "robotics": ["episode_index", "frame_index", "timestamp", "action", "observation.state"],
    "tabular-classification": [*(f"feature_{k}" for k in range(5)), "target"],
    "feature-extraction": ["sentence1", "sentence2", "score"],
}


def arena_file(url: str, filename: str, cache_dir, **kwargs) -> pa.Table:
    path = hf_hub_download(ARENA, filename, repo_type="dataset", endpoint=url, cache_dir=cache_dir, **kwargs)
    return pq.read_table(path)


def front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_arena_text_latest_and_full(replica, tmp_path) -> None:
    w = replica.world
    latest = arena_file(replica.url, LATEST, tmp_path)
    full = arena_file(replica.url, FULL, tmp_path)
    for t in (latest, full):
        assert [(f.name, f.type) for f in t.schema] == COLUMNS
    assert full.equals(arena.table(w.seed, w.today, "text", "full"))
    assert latest.to_pylist() == arena.rows(w.seed, w.today, "text", "latest")

    dates = sorted({date.fromisoformat(d) for d in full.column("leaderboard_publish_date").to_pylist()})
    assert set(latest.column("leaderboard_publish_date").to_pylist()) == {dates[-1].isoformat()}
    assert dates[0] == date(2024, 6, 1) and dates[-1] <= w.today < dates[-1] + timedelta(days=8)
    assert {(b - a).days for a, b in pairwise(dates)} <= set(range(2, 8))
    assert len(dates) > 100

    cats = set(latest.column("category").to_pylist())
    assert {"overall", "coding", "math", "creative_writing", "hard_prompts", "if", "longer_query", "multi_turn"} <= cats
    rows = latest.to_pylist()
    overall = [r for r in rows if r["category"] == "overall"]
    assert 60 <= len(overall) <= 200
    assert len({r["model_name"] for r in overall}) == len(overall)
    assert {r["license"] for r in overall} >= {"Proprietary", "MIT", "Apache 2.0"}
    # rank (UB): 1 + models whose lower bound is above this one's upper bound
    for r in overall:
        assert r["rating_lower"] < r["rating"] < r["rating_upper"] and r["variance"] > 0
        assert r["rank"] == 1 + sum(o["rating_lower"] > r["rating_upper"] for o in overall)
    assert [r["rating"] for r in overall] == sorted((r["rating"] for r in overall), reverse=True)
    gpt4o = [r for r in full.to_pylist() if r["model_name"] == "gpt-4o-2024-05-13" and r["category"] == "overall"]
    assert gpt4o and gpt4o[0]["organization"] == "OpenAI" and gpt4o[0]["license"] == "Proprietary"
    votes = [r["vote_count"] for r in gpt4o]
    assert votes == sorted(votes)  # votes only accumulate


def test_every_arena_sibling_downloads(replica, hf_api: HfApi, tmp_path) -> None:
    info = hf_api.dataset_info(ARENA)
    names = [s.rfilename for s in info.siblings]
    expected = {f"{s}/{split}-00000-of-00001.parquet" for s in SUBSETS for split in ("latest", "full")}
    assert {n for n in names if n.endswith(".parquet")} == expected
    assert set(names) - expected == {".gitattributes", "README.md"}
    for name in names:
        path = hf_api.hf_hub_download(ARENA, name, repo_type="dataset", cache_dir=tmp_path)
        if name.endswith(".parquet"):
            t = pq.read_table(path)
            assert [(f.name, f.type) for f in t.schema] == COLUMNS
            assert t.num_rows > 0, name
            if name.endswith("latest-00000-of-00001.parquet"):
                assert len(set(t.column("leaderboard_publish_date").to_pylist())) == 1
    with open(f"{tmp_path}/datasets--lmarena-ai--leaderboard-dataset/snapshots/{info.sha}/README.md") as f:
        card = front_matter(f.read())
    assert [c["config_name"] for c in card["configs"]] == SUBSETS
    assert card["configs"][0]["data_files"] == [
        {"split": "latest", "path": "text/latest-*"},
        {"split": "full", "path": "text/full-*"},
    ]


def test_new_publish_date_after_the_clock_moves(fresh_replica, tmp_path) -> None:
    w = fresh_replica.world
    before = arena_file(fresh_replica.url, LATEST, tmp_path)
    vision_before = arena_file(fresh_replica.url, "vision/full-00000-of-00001.parquet", tmp_path)
    old = before.column("leaderboard_publish_date")[0].as_py()
    fresh_replica.world.advance(10)
    # Same cache, no force_download: the commit moved with the data, so the client fetches the new file.
    after = arena_file(fresh_replica.url, LATEST, tmp_path)
    new = after.column("leaderboard_publish_date")[0].as_py()
    assert old < new <= w.today.isoformat()
    assert after.equals(arena.table(w.seed, w.today, "text", "latest"))
    # History does not change: the new full split starts with exactly the old one.
    vision_after = arena_file(fresh_replica.url, "vision/full-00000-of-00001.parquet", tmp_path)
    assert vision_after.num_rows > vision_before.num_rows
    assert vision_after.slice(0, vision_before.num_rows).equals(vision_before)


def test_generic_datasets_serve_parquet_and_card(replica, hf_api: HfApi, tmp_path) -> None:
    w = replica.world
    t = w.repos["dataset"]
    by_task: dict[str, int] = {}
    for i in range(len(t)):
        task = vocab.TASK_CATEGORIES[int(t.task[i])][0]
        if t.alive[i] and t.ids[i] != ARENA and not t.gated[i]:
            by_task.setdefault(task, i)
    assert len(by_task) >= 10
    for task, i in by_task.items():
        repo_id = t.ids[i]
        info = hf_api.dataset_info(repo_id)
        assert [s.rfilename for s in info.siblings] == [".gitattributes", "README.md", "data/train-00000-of-00001.parquet"]
        table = pq.read_table(hf_api.hf_hub_download(repo_id, "data/train-00000-of-00001.parquet", repo_type="dataset", cache_dir=tmp_path))
        assert table.column_names == TASK_COLUMNS[task]
        assert 50 <= table.num_rows <= 200
        with open(hf_api.hf_hub_download(repo_id, "README.md", repo_type="dataset", cache_dir=tmp_path)) as f:
            assert front_matter(f.read()) == info.card_data.to_dict()
    # The same bytes every time: the ETag is the content's sha256 and the commit is the repo's sha.
    repo_id = t.ids[next(iter(by_task.values()))]
    url = hf_hub_url(repo_id, "data/train-00000-of-00001.parquet", repo_type="dataset", endpoint=replica.url)
    meta = get_hf_file_metadata(url)
    with open(hf_api.hf_hub_download(repo_id, "data/train-00000-of-00001.parquet", repo_type="dataset", cache_dir=tmp_path), "rb") as f:
        data = f.read()
    assert meta.etag == hashlib.sha256(data).hexdigest() and meta.size == len(data)
    assert meta.commit_hash == hf_api.dataset_info(repo_id).sha
    again = hf_api.hf_hub_download(repo_id, "data/train-00000-of-00001.parquet", repo_type="dataset", revision=meta.commit_hash, cache_dir=tmp_path / "other")
    with open(again, "rb") as f:
        assert f.read() == data


def test_model_and_space_files(replica, hf_api: HfApi, tmp_path) -> None:
    w = replica.world
    models = w.repos["model"]
    open_rows = [i for i in np.argsort(-models.likes) if models.alive[i] and not models.gated[i]]
    transformers = next(i for i in open_rows if "transformers" in w.tags("model", i) and "gguf" not in w.tags("model", i))
    gguf = next(i for i in open_rows if "gguf" in w.tags("model", i))
    for i in (transformers, gguf):
        info = hf_api.model_info(models.ids[i])
        paths = {s.rfilename: hf_api.hf_hub_download(info.id, s.rfilename, cache_dir=tmp_path) for s in info.siblings}
        assert set(paths) >= {".gitattributes", "README.md", "config.json"}
        with open(paths["README.md"]) as f:
            assert front_matter(f.read()) == info.card_data.to_dict()
        with open(paths["config.json"]) as f:
            config = json.load(f)
        assert config["hidden_size"] > 0 and config["num_hidden_layers"] > 0
        if info.config:
            assert config["architectures"] == info.config["architectures"]
        if "model.safetensors" in paths:
            with open(paths["model.safetensors"], "rb") as f:
                raw = f.read()
            (n,) = struct.unpack("<Q", raw[:8])
            header = json.loads(raw[8 : 8 + n])
            assert header["__metadata__"]["total_parameters"] == str(info.safetensors.total)
            assert len(raw) == 8 + n + header["model.embed_tokens.weight"]["data_offsets"][1]
        else:
            with open(paths["model.gguf"], "rb") as f:
                assert f.read(4) == b"GGUF"
    spaces = w.repos["space"]
    for sdk, import_line in (("gradio", "import gradio"), ("streamlit", "import streamlit")):
        i = next(i for i in range(len(spaces)) if spaces.alive[i] and not spaces.gated[i] and w.tags("space", i)[0] == sdk)
        info = hf_api.space_info(spaces.ids[i])
        got = {s.rfilename: hf_api.hf_hub_download(info.id, s.rfilename, repo_type="space", cache_dir=tmp_path) for s in info.siblings}
        assert set(got) == {".gitattributes", "README.md", "app.py", "requirements.txt"}
        with open(got["app.py"]) as f:
            assert import_line in f.read()
        with open(got["requirements.txt"]) as f:
            assert f.read().split() == [sdk]
        with open(got["README.md"]) as f:
            assert front_matter(f.read()) == info.card_data.to_dict()


def test_errors_are_typed(replica, tmp_path, user_token: str) -> None:
    url = replica.url
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("nobody-here/nothing", "README.md", repo_type="dataset", endpoint=url, cache_dir=tmp_path)
    with pytest.raises(RepositoryNotFoundError):
        hf_hub_download("gpt2", "config.json", endpoint=url, cache_dir=tmp_path)
    with pytest.raises(EntryNotFoundError):
        hf_hub_download(ARENA, "text/missing.parquet", repo_type="dataset", endpoint=url, cache_dir=tmp_path)
    with pytest.raises(RevisionNotFoundError):
        hf_hub_download(ARENA, "README.md", repo_type="dataset", revision="v9", endpoint=url, cache_dir=tmp_path)
    w = replica.world
    models = w.repos["model"]
    gated = next(i for i in range(len(models)) if models.alive[i] and models.gated[i])
    with pytest.raises(GatedRepoError):
        hf_hub_download(models.ids[gated], "README.md", endpoint=url, cache_dir=tmp_path, token=False)
    path = hf_hub_download(models.ids[gated], "README.md", endpoint=url, cache_dir=tmp_path, token=user_token)
    with open(path) as f:
        assert f.read().startswith("---\n")


def test_range_requests(replica) -> None:
    url = hf_hub_url(ARENA, LATEST, repo_type="dataset", endpoint=replica.url)
    session = get_session()
    whole = session.get(url)
    assert whole.status_code == 200 and whole.headers["accept-ranges"] == "bytes"
    data = whole.content
    part = session.get(url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == data[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(data)}"
    tail = session.get(url, headers={"Range": "bytes=-8"})
    assert tail.content == data[-8:] and tail.content.endswith(b"PAR1")
    assert session.get(url, headers={"Range": f"bytes={len(data)}-"}).status_code == 416
    head = session.head(url)
    assert head.content == b"" and int(head.headers["content-length"]) == len(data)
