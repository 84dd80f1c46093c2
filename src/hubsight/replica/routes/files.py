"""File downloads: ``GET``/``HEAD /{datasets/|spaces/}{repo}/resolve/{revision}/{path}``.

``hf_hub_download`` first sends a HEAD and needs ``X-Repo-Commit`` (a 40-hex commit), an ``ETag`` and
``Content-Length``; then it GETs the same URL (with ``Range`` when it resumes a partial download).
Errors carry ``X-Error-Code`` so the client raises typed exceptions: RepoNotFound, RevisionNotFound,
EntryNotFound, GatedRepo.

Every file a repo's ``siblings`` lists is served: the LMArena leaderboard's parquet files, a small
deterministic parquet for every other dataset, dataset/model/space cards whose YAML front matter is
the repo's ``cardData``, ``config.json``, tiny but well-formed weight files, Space code. Contents do not
change when the clock advances, except the leaderboard's, whose commit changes with them.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import re
import struct
from dataclasses import dataclass
from urllib.parse import quote, unquote

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hubsight.replica import arena, vocab
from hubsight.replica.render import LMARENA_ID
from hubsight.replica.state import ReplicaState, bearer, hub_error, repo_not_found, state_of
from hubsight.replica.world import World, _stable_hash

# Files the Hub stores in LFS: their ETag is the content's sha256 (a git blob sha1 otherwise).
LFS_SUFFIXES = (".parquet", ".safetensors", ".gguf")
GITATTRIBUTES = "".join(
    f"{pattern} filter=lfs diff=lfs merge=lfs -text\n"
    for pattern in (
        "*.7z", "*.arrow", "*.bin", "*.bz2", "*.ckpt", "*.ftz", "*.gguf", "*.gz", "*.h5", "*.joblib",
        "*.lfs.*", "*.mlmodel", "*.model", "*.msgpack", "*.npy", "*.npz", "*.onnx", "*.ot", "*.parquet",
        "*.pb", "*.pickle", "*.pkl", "*.pt", "*.pth", "*.rar", "*.safetensors", "saved_model/**/*",
        "*.tar.*", "*.tar", "*.tflite", "*.tgz", "*.wasm", "*.xz", "*.zip", "*.zst", "*tfevents*",
    )
).encode()


@dataclass
class Target:
    """What one resolve request points at, captured under the world lock."""

    kind: str
    index: int
    commit: str
    path: str


# -- contents ---------------------------------------------------------------------------------------
def _front_matter(card: dict) -> str:
    return "---\n" + yaml.safe_dump(card, sort_keys=False, allow_unicode=True) + "---\n"


def _file_rng(w: World, *parts: object) -> np.random.Generator:
    """Content randomness keyed by the repo's row, so it survives renames and clock moves."""
    return np.random.default_rng([w.seed & 0xFFFFFFFF, _stable_hash("file", *parts) & 0xFFFFFFFF])


WORDS = [
    "the", "model", "data", "river", "city", "music", "history", "science", "garden", "language",
    "network", "quickly", "carefully", "small", "large", "bright", "ancient", "modern", "people",
    "question", "answer", "system", "energy", "market", "planet", "forest", "ocean", "story", "simple",
    "complex", "new", "old", "first", "last", "good", "great", "local", "global", "open", "clear",
]
LABELS = {
    "text-classification": ["negative", "neutral", "positive"],
    "image-classification": ["cat", "dog", "bird", "car", "plane", "ship", "horse", "frog"],
}
CATEGORY_NAMES = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]


def _sentence(rng: np.random.Generator, lo: int = 5, hi: int = 16) -> str:
    words = [WORDS[k] for k in rng.integers(0, len(WORDS), int(rng.integers(lo, hi)))]
    return " ".join(words).capitalize() + "."


def _texts(rng: np.random.Generator, n: int, lo: int = 5, hi: int = 16) -> list[str]:
    return [_sentence(rng, lo, hi) for _ in range(n)]


def dataset_columns(w: World, i: int) -> dict[str, pa.Array]:
    """Plausible columns for a dataset's task, 50–200 rows, the same for a given seed and dataset row."""
    t = w.repos["dataset"]
    task = vocab.TASK_CATEGORIES[int(t.task[i])][0]
    rng = _file_rng(w, "dataset", i)
    n = int(rng.integers(50, 201))
    paths = [f"images/{k:05d}.jpg" for k in range(n)]
    if task == "text-generation":
        return {"prompt": pa.array(_texts(rng, n)), "response": pa.array(_texts(rng, n, 10, 40))}
    if task == "question-answering":
        ctx = _texts(rng, n, 20, 50)
        answers = [c.split()[int(rng.integers(0, 5))] for c in ctx]
        return {"question": pa.array([s[:-1] + "?" for s in _texts(rng, n)]), "context": pa.array(ctx), "answer": pa.array(answers)}
    if task in LABELS:
        names = LABELS[task]
        first = {"text": pa.array(_texts(rng, n))} if task == "text-classification" else {"image": pa.array(paths)}
        return {**first, "label": pa.array(rng.integers(0, len(names), n), pa.int64())}
    if task == "translation":
        return {"source": pa.array(_texts(rng, n)), "target": pa.array(_texts(rng, n))}
    if task == "summarization":
        return {"document": pa.array(_texts(rng, n, 40, 90)), "summary": pa.array(_texts(rng, n, 8, 20))}
    if task == "automatic-speech-recognition":
        return {
            "audio": pa.array([f"clips/{k:06d}.flac" for k in range(n)]),
            "sentence": pa.array(_texts(rng, n)),
            "duration": pa.array(np.round(rng.uniform(1.0, 15.0, n), 2), pa.float64()),
        }
    if task in ("image-text-to-text", "visual-question-answering"):
        return {"image": pa.array(paths), "question": pa.array([s[:-1] + "?" for s in _texts(rng, n)]), "answer": pa.array(_texts(rng, n, 1, 8))}
    if task == "text-to-image":
        return {"prompt": pa.array(_texts(rng, n)), "image": pa.array(paths)}
    if task == "token-classification":
        tokens = [_sentence(rng)[:-1].split() for _ in range(n)]
        tags = [rng.integers(0, len(CATEGORY_NAMES), len(tok)).tolist() for tok in tokens]
        return {"tokens": pa.array(tokens, pa.list_(pa.string())), "ner_tags": pa.array(tags, pa.list_(pa.int64()))}
    if task == "robotics":
        per = max(1, n // 4)
        return {
            "episode_index": pa.array(np.arange(n) // per, pa.int64()),
            "frame_index": pa.array(np.arange(n) % per, pa.int64()),
            "timestamp": pa.array(np.round((np.arange(n) % per) / 30.0, 4), pa.float64()),
            "action": pa.array(np.round(rng.normal(0, 1, (n, 6)), 4).tolist(), pa.list_(pa.float32())),
            "observation.state": pa.array(np.round(rng.normal(0, 1, (n, 6)), 4).tolist(), pa.list_(pa.float32())),
        }
    if task == "tabular-classification":
        cols = {f"feature_{k}": pa.array(np.round(rng.normal(0, 1, n), 4), pa.float64()) for k in range(5)}
        return {**cols, "target": pa.array(rng.integers(0, 2, n), pa.int64())}
    # feature-extraction and anything else: sentence pairs with a similarity score
    return {
        "sentence1": pa.array(_texts(rng, n)),
        "sentence2": pa.array(_texts(rng, n)),
        "score": pa.array(np.round(rng.uniform(0, 5, n), 3), pa.float64()),
    }


def dataset_parquet(w: World, i: int) -> bytes:
    sink = io.BytesIO()
    pq.write_table(pa.table(dataset_columns(w, i)), sink, compression="snappy")
    return sink.getvalue()


def _card_data(state: ReplicaState, kind: str, i: int) -> dict:
    return state.render.repo(kind, i, ["cardData"]).get("cardData", {})


def readme(state: ReplicaState, kind: str, i: int) -> bytes:
    w = state.world
    t = w.repos[kind]
    repo_id = t.ids[i]
    card = _card_data(state, kind, i)
    name = repo_id.split("/", 1)[1]
    if kind == "dataset" and repo_id == LMARENA_ID:
        card = {**card, "configs": arena.configs()}
        body = (
            f"# LMArena Leaderboard\n\nRatings from LMArena's {len(arena.SUBSETS)} arenas, republished every few days.\n"
            "Each subset has a `latest` split (the newest leaderboard) and a `full` split (every publish date).\n"
        )
    elif kind == "dataset":
        body = f"# {card.get('pretty_name', name)}\n\n{state.render.repo(kind, i, ['description'])['description']}\n"
    elif kind == "model":
        body = f"# {name}\n\n"
        if "base_model" in card:
            body += f"This model is a fine-tuned version of [{card['base_model']}](https://huggingface.co/{card['base_model']}).\n"
        else:
            body += "Model card generated by the hubsight replica.\n"
    else:
        body = "Check out the configuration reference at https://huggingface.co/docs/hub/spaces-config-reference\n"
    return (_front_matter(card) + "\n" + body).encode()


def model_config(state: ReplicaState, i: int) -> bytes:
    w = state.world
    t = w.repos["model"]
    rendered = state.render.repo("model", i, ["config"]).get("config")
    family = t.ids[i].split("/", 1)[1].split("-", 1)[0].lower()
    params = max(int(t.params[i]), 1_000_000)
    # A decoder's parameters are about 12 * layers * hidden^2: pick a plausible shape for the size.
    layers = int(np.clip(round(params ** (1 / 3) / 40), 4, 96))
    hidden = int(max(256, round((params / (12 * layers)) ** 0.5 / 128) * 128))
    config = {
        "architectures": [f"{family.title()}ForCausalLM"],
        "model_type": family,
        **(rendered or {}),
        "hidden_size": hidden,
        "intermediate_size": hidden * 4,
        "num_hidden_layers": layers,
        "num_attention_heads": max(4, hidden // 128),
        "vocab_size": 32_000 + (i % 5) * 32_000,
        "max_position_embeddings": 8192,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.57.1",
    }
    return (json.dumps(config, indent=2) + "\n").encode()


def safetensors_stub(params: int) -> bytes:
    """A valid safetensors file with one tiny tensor; the real parameter count is in the metadata."""
    header = {
        "__metadata__": {"format": "pt", "total_parameters": str(params), "note": "hubsight replica stub"},
        "model.embed_tokens.weight": {"dtype": "BF16", "shape": [4, 8], "data_offsets": [0, 64]},
    }
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + bytes(64)


def gguf_stub(name: str, params: int) -> bytes:
    """A valid GGUF v3 header with no tensors and a few general.* keys."""

    def text(s: str) -> bytes:
        b = s.encode()
        return struct.pack("<Q", len(b)) + b

    kv = [
        text("general.architecture") + struct.pack("<I", 8) + text("llama"),
        text("general.name") + struct.pack("<I", 8) + text(name),
        text("general.parameter_count") + struct.pack("<I", 10) + struct.pack("<Q", params),
    ]
    return b"GGUF" + struct.pack("<IQQ", 3, 0, len(kv)) + b"".join(kv)


APPS = {
    "gradio": (
        "import gradio as gr\n\n\ndef predict(text: str) -> str:\n    return text[::-1]\n\n\n"
        'demo = gr.Interface(fn=predict, inputs="text", outputs="text", title="{title}")\n\n'
        'if __name__ == "__main__":\n    demo.launch()\n',
        "gradio\n",
    ),
    "streamlit": (
        'import streamlit as st\n\nst.title("{title}")\ntext = st.text_input("Input")\nst.write(text[::-1])\n',
        "streamlit\n",
    ),
    "docker": (
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/\")\ndef root() -> dict:\n"
        '    return {{"title": "{title}"}}\n',
        "fastapi\nuvicorn[standard]\n",
    ),
    "static": ('print("{title}: a static Space, served from index.html")\n', ""),
}


def space_file(w: World, i: int, path: str) -> bytes:
    t = w.repos["space"]
    sdk = vocab.SPACE_SDKS[int(t.sdk[i])][0]
    app, requirements = APPS.get(sdk, APPS["gradio"])
    title = t.ids[i].split("/", 1)[1].replace("-", " ").title().replace('"', "")
    return (app.format(title=title) if path == "app.py" else requirements).encode()


def content(state: ReplicaState, target: Target) -> bytes | None:
    """The bytes of a listed file (the arena's parquet files excepted: they are built off the lock)."""
    w = state.world
    kind, i, path = target.kind, target.index, target.path
    t = w.repos[kind]
    if path == ".gitattributes":
        return GITATTRIBUTES
    if path == "README.md":
        return readme(state, kind, i)
    if kind == "dataset":
        return dataset_parquet(w, i) if path.endswith(".parquet") else None
    if kind == "model":
        if path == "config.json":
            return model_config(state, i)
        if path == "model.safetensors":
            return safetensors_stub(int(t.params[i]))
        if path == "model.gguf":
            return gguf_stub(t.ids[i].split("/", 1)[1], int(t.params[i]))
        return None
    return space_file(w, i, path)


def etag_of(path: str, data: bytes) -> str:
    if path.endswith(LFS_SUFFIXES):
        return hashlib.sha256(data).hexdigest()
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


# -- HTTP -------------------------------------------------------------------------------------------
def _split_raw(request: Request, skip: int) -> tuple[str, str] | None:
    """(revision, path) from the raw URL after ``skip`` segments (prefix, repo id, ``resolve``).

    The raw path is used because the client escapes ``/`` inside a revision as ``%2F``.
    """
    raw = request.scope.get("raw_path") or request.url.path.encode()
    segments = raw.decode("latin-1").split("?", 1)[0].lstrip("/").split("/")
    if len(segments) < skip + 2:
        return None
    return unquote(segments[skip]), unquote("/".join(segments[skip + 1 :]))


def _byte_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """``(start, end)`` inclusive for a single ``bytes=`` range; None to send everything; "bad" for 416."""
    if not header:
        return None
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if m is None or (not m.group(1) and not m.group(2)):
        return None  # multiple or odd ranges: a full 200 answer is allowed
    if not m.group(1):
        n = int(m.group(2))
        return (max(0, size - n), size - 1) if n else "bad"
    start = int(m.group(1))
    end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
    if start >= size or end < start:
        return "bad"
    return start, end


def _gated_refusal(request: Request, w: World, kind: str, i: int, repo_id: str) -> Response | None:
    """Gated repos need a known user's token, as on the Hub (the replica grants access to every user)."""
    if not int(w.repos[kind].gated[i]) or repo_id == LMARENA_ID:
        return None
    if w.token_user(bearer(request)) is not None:
        return None
    return hub_error(
        401, f"Access to {kind} {repo_id} is restricted. You must have access to it and be authenticated to access it.",
        "GatedRepo",
    )


async def resolve(request: Request) -> Response:
    params = request.path_params
    first = request.url.path.split("/", 2)[1]
    kind = {"datasets": "dataset", "spaces": "space"}.get(first, "model")
    repo_id = f"{params['ns']}/{params['name']}" if "ns" in params else params["name"]
    parts = _split_raw(request, (kind != "model") + repo_id.count("/") + 2)
    state = state_of(request)
    with state.lock:
        w = state.world
        table = w.repos[kind]
        i = table.find(repo_id) if "ns" in params else None
        if i is None:
            return repo_not_found(kind, repo_id)
        refused = _gated_refusal(request, w, kind, i, repo_id)
        if refused is not None:
            return refused
        is_arena = kind == "dataset" and table.ids[i] == LMARENA_ID
        commit = arena.commit(w, i) if is_arena else w.sha(kind, i)
        if parts is None:
            return hub_error(404, "Entry not found", "EntryNotFound")
        revision, path = parts
        if revision not in ("main", "refs/heads/main", commit, w.sha(kind, i)):
            return hub_error(404, f"Invalid rev id: {revision}", "RevisionNotFound")
        if path not in state.render.files(kind, i):
            response = hub_error(404, "Entry not found", "EntryNotFound")
            response.headers["X-Repo-Commit"] = commit
            return response
        target = Target(kind, i, commit, path)
        seed, today = w.seed, w.today
        data = None if is_arena and path.endswith(".parquet") else content(state, target)
    if data is None:
        # The leaderboard's files take a moment to build: do it off the event loop and off the lock.
        data = await asyncio.to_thread(arena.parquet_bytes, seed, today, path)
    if data is None:
        return hub_error(404, "Entry not found", "EntryNotFound")
    return _send(request, target, data)


def _send(request: Request, target: Target, data: bytes) -> Response:
    size = len(data)
    etag = etag_of(target.path, data)
    name = target.path.rsplit("/", 1)[-1]
    headers = {
        "ETag": f'"{etag}"',
        "X-Repo-Commit": target.commit,
        "Accept-Ranges": "bytes",
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}; filename=\"{name}\";",
        "Cache-Control": "public, max-age=3600",
    }
    if target.path.endswith(LFS_SUFFIXES):
        headers["X-Linked-Etag"] = f'"{etag}"'
        headers["X-Linked-Size"] = str(size)
    media = {"json": "application/json", "md": "text/markdown; charset=utf-8", "py": "text/x-python; charset=utf-8"}
    media_type = media.get(name.rsplit(".", 1)[-1], "text/plain; charset=utf-8" if name.endswith(".txt") or name.startswith(".") else "application/octet-stream")
    status, body = 200, data
    span = _byte_range(request.headers.get("range"), size)
    if span == "bad":
        headers["Content-Range"] = f"bytes */{size}"
        return Response(b"", status_code=416, headers=headers)
    if isinstance(span, tuple):
        start, end = span
        status, body = 206, data[start : end + 1]
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    headers["Content-Length"] = str(len(body))
    if request.method == "HEAD":
        return Response(b"", status_code=status, headers=headers, media_type=media_type)
    return Response(body, status_code=status, headers=headers, media_type=media_type)


routes = [
    route
    for prefix in ("/datasets", "/spaces", "")
    for route in (
        Route(f"{prefix}/{{ns}}/{{name}}/resolve/{{rest:path}}", resolve, methods=["GET", "HEAD"]),
        Route(f"{prefix}/{{name}}/resolve/{{rest:path}}", resolve, methods=["GET", "HEAD"]),
    )
]
