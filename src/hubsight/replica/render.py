"""Repo rows as the Hub's JSON: camelCase keys, `Z` timestamps, only the fields asked for."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import Any

import numpy as np

from hubsight.replica import families, modelcard, vocab
from hubsight.replica.world import LEGACY_CREATED_AT, World

# What a listing returns when no expand/full is given, per kind (as the Hub does).
LIST_DEFAULT = {
    "model": ["likes", "trendingScore", "private", "downloads", "tags", "pipeline_tag", "library_name", "createdAt"],
    "dataset": [
        "author", "disabled", "gated", "lastModified", "likes", "trendingScore", "private", "sha",
        "description", "downloads", "tags", "createdAt",
    ],
    "space": ["likes", "trendingScore", "private", "sdk", "tags", "createdAt"],
}
# Expand values the Hub accepts, per kind (wire names).
EXPAND = {
    "model": [
        "author", "baseModels", "cardData", "childrenModelCount", "config", "createdAt", "disabled",
        "downloads", "downloadsAllTime", "evalResults", "gated", "gguf", "inference",
        "inferenceProviderMapping", "lastModified", "library_name", "likes", "mask_token", "model-index",
        "pipeline_tag", "private", "resourceGroup", "safetensors", "sha", "siblings", "spaces", "tags",
        "transformersInfo", "trendingScore", "usedStorage", "widgetData", "xetEnabled", "gitalyUid",
    ],
    "dataset": [
        "author", "cardData", "citation", "createdAt", "description", "disabled", "downloads",
        "downloadsAllTime", "gated", "lastModified", "likes", "mainSize", "paperswithcode_id", "private",
        "resourceGroup", "sha", "siblings", "tags", "trendingScore", "usedStorage", "xetEnabled", "gitalyUid",
    ],
    "space": [
        "author", "cardData", "createdAt", "datasets", "disabled", "lastModified", "likes", "models",
        "private", "region", "resourceGroup", "runtime", "sdk", "sha", "siblings", "subdomain", "tags",
        "trendingScore", "usedStorage", "xetEnabled", "gitalyUid",
    ],
}
# full=true adds these to the listing defaults.
FULL_EXTRA = {
    "model": ["author", "sha", "lastModified", "gated", "disabled", "siblings", "usedStorage"],
    "dataset": ["siblings", "cardData", "usedStorage"],
    "space": ["author", "sha", "lastModified", "gated", "disabled", "siblings", "cardData", "subdomain"],
}
# What a repo detail call (model_info & co.) returns without expand.
DETAIL_DEFAULT = {
    # as huggingface.co answers model_info: no trendingScore, no inferenceProviderMapping unless expanded
    "model": [
        "private", "pipeline_tag", "library_name", "tags", "downloads", "likes", "author", "sha",
        "lastModified", "gated", "disabled", "mask_token", "widgetData", "model-index", "config", "cardData",
        "transformersInfo", "siblings", "spaces", "createdAt", "safetensors", "inference", "usedStorage",
    ],
    "dataset": [
        "author", "sha", "private", "gated", "disabled", "tags", "downloads", "likes", "cardData",
        "siblings", "createdAt", "lastModified", "description", "citation", "paperswithcode_id",
        "usedStorage", "trendingScore",
    ],
    "space": [
        "author", "sha", "lastModified", "private", "gated", "disabled", "subdomain", "host", "likes",
        "sdk", "tags", "siblings", "createdAt", "cardData", "runtime", "models", "datasets",
        "usedStorage", "trendingScore",
    ],
}

LMARENA_ID = "lmarena-ai/leaderboard-dataset"
_GGUF = vocab.names(vocab.LIBRARIES).index("gguf")
# Inference providers and what they serve: (provider, tasks, id style)
PROVIDERS = [
    ("hf-inference", ("conversational", "text-to-image"), "{id}"),
    ("together", ("conversational", "text-to-image"), "{id}-Turbo"),
    ("fireworks-ai", ("conversational",), "accounts/fireworks/models/{slug}"),
    ("nebius", ("conversational", "text-to-image"), "{id}-fast"),
    ("novita", ("conversational",), "{lower}"),
    ("sambanova", ("conversational",), "{name}"),
    ("fal-ai", ("text-to-image",), "fal-ai/{slug}"),
    ("replicate", ("text-to-image",), "{lower}"),
    ("hyperbolic", ("conversational", "text-to-image"), "{id}"),
]
SERVED_PIPELINES = ("text-generation", "image-text-to-text", "text-to-image")
WARM_MIN_LIKES = 20


def warm_mask(t: Any) -> np.ndarray:
    """Models served by inference providers (``inference: warm``): liked chat and text-to-image models."""
    codes = [vocab.names(vocab.PIPELINE_TAGS).index(p) for p in SERVED_PIPELINES]
    return (t.likes >= WARM_MIN_LIKES) & np.isin(t.pipeline, codes)


_DAYS: dict[int, str] = {}


def iso(ts: int | float) -> str:
    """A timestamp as the Hub writes it: milliseconds and a trailing ``Z``."""
    day, rest = divmod(int(ts), 86_400)
    prefix = _DAYS.get(day)
    if prefix is None:
        y, mo, d = time.gmtime(day * 86_400)[:3]
        prefix = _DAYS[day] = f"{y:04d}-{mo:02d}-{d:02d}T"
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return f"{prefix}{h:02d}:{m:02d}:{s:02d}.000Z"


_NOT_SUBDOMAIN = re.compile(r"[^a-z0-9-]")


def subdomain(space_id: str) -> str:
    return _NOT_SUBDOMAIN.sub("-", space_id.lower().replace("/", "-"))


def is_warm(w: World, i: int) -> bool:
    t = w.repos["model"]
    pipe = int(t.pipeline[i])
    return int(t.likes[i]) >= WARM_MIN_LIKES and pipe >= 0 and vocab.PIPELINE_TAGS[pipe][0] in SERVED_PIPELINES


def providers(w: World, i: int) -> dict[str, dict[str, str]]:
    """Inference providers serving model ``i`` (empty unless it is warm), keyed by provider."""
    if not is_warm(w, i):
        return {}
    repo_id = w.repos["model"].ids[i]
    task = "text-to-image" if modelcard.pipeline(w, i) == "text-to-image" else "conversational"
    name = repo_id.split("/", 1)[1]
    fill = {"id": repo_id, "lower": repo_id.lower(), "name": name, "slug": name.lower().replace(".", "p")}
    mine = [p for p in PROVIDERS if task in p[1] and (p[0] == "hf-inference" or modelcard.draw(w, i, p[0]) < 0.45)]
    return {
        p: {"status": "live" if modelcard.draw(w, i, f"{p}-status") < 0.75 else "staging", "providerId": style.format(**fill), "task": task}
        for p, _, style in mine
    }


def space_runtime(w: World, i: int, *, with_sha: bool = True) -> dict[str, Any]:
    """A Space's runtime as space_info and listings carry it (``with_sha=False``: the /runtime route)."""
    t = w.repos["space"]
    return _runtime(int(t.stage[i]), int(t.sdk[i]), int(t.hardware[i]), t.ids[i], w.sha("space", i) if with_sha else None)


def _runtime(stage_code: int, sdk_code: int, hardware_code: int, space_id: str, sha: str | None) -> dict[str, Any]:
    """A static Space has no hardware, sleep time or domains, as huggingface.co answers for one."""
    stage = vocab.RUNTIME_STAGES[stage_code][0]
    running = stage in ("RUNNING", "RUNNING_BUILDING", "APP_STARTING")
    replicas = {"current": 1, "requested": 1} if running else {"requested": 1}
    if vocab.SPACE_SDKS[sdk_code][0] == "static":
        return {"stage": stage, "hardware": {"current": None, "requested": None}, "storage": None, "replicas": replicas}
    hw = vocab.HARDWARE[hardware_code]
    out: dict[str, Any] = {
        "stage": stage,
        "hardware": {"current": hw if running else None, "requested": hw},
        "storage": None,
        "gcTimeout": 172800 if hw == "cpu-basic" else 3600,
        "replicas": replicas,
        "devMode": False,
        "domains": [{"domain": f"{subdomain(space_id)}.hf.space", "stage": "READY"}],
    }
    if sha is not None:
        out["sha"] = sha
    return out


class Renderer:
    """Turns world rows into Hub JSON. Holds per-version caches of reverse links."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._cache_version = -1
        self._children: np.ndarray | None = None
        self._spaces_by_model: tuple[np.ndarray, np.ndarray] | None = None

    def _refresh(self) -> None:
        if self._cache_version != self.world.version:
            self._children = None
            self._spaces_by_model = None
            self._cache_version = self.world.version

    def children_count(self, i: int) -> int:
        self._refresh()
        if self._children is None:
            models = self.world.repos["model"]
            base = models.base[models.base >= 0]
            self._children = np.bincount(base, minlength=len(models))
        return int(self._children[i]) if i < len(self._children) else 0

    def spaces_using(self, model: int) -> list[str]:
        self._refresh()
        spaces = self.world.repos["space"]
        if self._spaces_by_model is None:
            order = np.argsort(spaces.linked_model, kind="stable")
            self._spaces_by_model = (order, spaces.linked_model[order])
        order, keys = self._spaces_by_model
        lo, hi = np.searchsorted(keys, [model, model + 1])
        return [spaces.ids[j] for j in order[lo:hi][:50] if spaces.alive[j]]

    def repo(self, kind: str, i: int, fields: list[str], *, expanded: bool = False) -> dict[str, Any]:
        """One repo as its detail route answers: ``modelId`` only without expand, as on the Hub."""
        return self.rows(kind, [i], fields, detail=True, model_id=not expanded)[0]

    def rows(self, kind: str, idx: list[int], fields: list[str], *, detail: bool = False, model_id: bool = True) -> list[dict[str, Any]]:
        """Render many rows at once: hot fields are pulled column-wise, the rest row by row."""
        w = self.world
        t = w.repos[kind]
        oid = w.repos[kind].object_id
        columns: list[tuple[str, list[Any]]] = [
            ("_id", [oid(i, w.seed) for i in idx]),
            ("id", [t.ids[i] for i in idx]),
        ]
        for name in fields:
            values = self._column(kind, idx, name)
            if values is None:
                values = [self._field(kind, i, name, detail) for i in idx]
            columns.append((name, values))
        if kind == "model" and model_id and "modelId" not in fields:
            columns.append(("modelId", columns[1][1]))
        names = [c[0] for c in columns]
        out = []
        for values in zip(*(c[1] for c in columns), strict=True):
            out.append({k: v for k, v in zip(names, values, strict=True) if v is not _OMIT})
        if kind == "dataset":
            self._leaderboard_metadata(idx, out)
        return out

    def _leaderboard_metadata(self, idx: list[int], rows: list[dict[str, Any]]) -> None:
        """The LMArena dataset's commit, date and card follow its publications, not the random world."""
        w = self.world
        for i, row in zip(idx, rows, strict=True):
            if row["id"] != LMARENA_ID:
                continue
            from hubsight.replica import arena

            if "sha" in row:
                row["sha"] = arena.commit(w, i)
            if "lastModified" in row:
                row["lastModified"] = iso(arena.last_modified(w, i))
            if "cardData" in row:
                row["cardData"] = arena.card_data()

    def _column(self, kind: str, idx: list[int], name: str) -> list[Any] | None:
        """Column-wise values for the hot listing fields, or None to fall back to ``_field``."""
        w = self.world
        t = w.repos[kind]
        arr = np.asarray(idx, dtype=np.int64)
        match name:
            case "likes":
                return t.likes[arr].tolist()
            case "trendingScore":
                return t.trending[arr].tolist()
            case "downloads" if kind != "space":
                return t.dl30[arr].astype(np.int64).tolist()
            case "downloadsAllTime" if kind != "space":
                return t.dl_all[arr].tolist()
            case "private" | "disabled":
                return [False] * len(idx)
            case "author":
                names = w.owners.names
                return [names[a] for a in t.author[arr].tolist()]
            case "createdAt":
                legacy = iso(LEGACY_CREATED_AT.timestamp())
                return [legacy if old else iso(ts) for ts, old in zip(t.created[arr].tolist(), t.legacy[arr].tolist(), strict=True)]
            case "lastModified":
                return [iso(ts) for ts in t.modified[arr].tolist()]
            case "gated":
                choices = [False, "auto", "manual"]
                return [choices[g] for g in t.gated[arr].tolist()]
            case "pipeline_tag" if kind == "model":
                tags = vocab.names(vocab.PIPELINE_TAGS)
                return [tags[p] if p >= 0 else _OMIT for p in t.pipeline[arr].tolist()]
            case "library_name" if kind == "model":
                libs = vocab.names(vocab.LIBRARIES)
                return [libs[x] if x >= 0 else _OMIT for x in t.library[arr].tolist()]
            case "tags":
                return w.tag_rows(kind, idx)
            case "sha":
                return [w.sha(kind, i) for i in idx]
            case "siblings":
                return [[{"rfilename": f} for f in self.files(kind, i)] for i in idx]
            case "runtime" if kind == "space":
                return [_runtime(stage, sdk, hw, t.ids[i], w.sha(kind, i)) for i, stage, sdk, hw in zip(
                    idx, t.stage[arr].tolist(), t.sdk[arr].tolist(), t.hardware[arr].tolist(), strict=True)]
            case "subdomain":
                return [subdomain(t.ids[i]) for i in idx]
            case "safetensors" if kind == "model":
                params, gguf = t.params[arr].tolist(), (t.library[arr] == _GGUF).tolist()
                return [{"parameters": {"BF16": p}, "total": p} if p and not g else _OMIT
                        for p, g in zip(params, gguf, strict=True)]
            case "gguf" if kind == "model":
                params, gguf = t.params[arr].tolist(), (t.library[arr] == _GGUF).tolist()
                return [{"total": p, "architecture": "llama", "context_length": 8192} if g else _OMIT
                        for p, g in zip(params, gguf, strict=True)]
        return None

    def _field(self, kind: str, i: int, name: str, detail: bool = False) -> Any:
        w = self.world
        t = w.repos[kind]
        match name:
            case "author":
                return w.owners.names[int(t.author[i])]
            case "sha":
                return w.sha(kind, i)
            case "createdAt":
                return iso(LEGACY_CREATED_AT.timestamp()) if t.legacy[i] else iso(t.created[i])
            case "lastModified":
                return iso(t.modified[i])
            case "private" | "disabled":
                return False
            case "gated":
                return [False, "auto", "manual"][int(t.gated[i])]
            case "likes":
                return int(t.likes[i])
            case "trendingScore":
                return int(t.trending[i])
            case "downloads":
                return int(t.dl30[i]) if kind != "space" else _OMIT
            case "downloadsAllTime":
                return int(t.dl_all[i]) if kind != "space" else _OMIT
            case "tags":
                return w.tags(kind, i)
            case "pipeline_tag":
                p = int(t.pipeline[i]) if kind == "model" else -1
                return vocab.PIPELINE_TAGS[p][0] if p >= 0 else _OMIT
            case "library_name":
                lib = int(t.library[i]) if kind == "model" else -1
                return vocab.LIBRARIES[lib][0] if lib >= 0 else _OMIT
            case "usedStorage":
                return int(t.params[i]) * 2 + 4096 if kind == "model" else 1_000_000 + (i * 7919) % 10**9
            case "cardData":
                return self._card(kind, i)
            case "siblings":
                return [{"rfilename": f} for f in self.files(kind, i)]
            case "safetensors":
                params = int(t.params[i]) if kind == "model" else 0
                if not params or self._is_gguf(i):
                    return _OMIT
                return {"parameters": {"BF16": params}, "total": params}
            case "gguf":
                params = int(t.params[i])
                if not self._is_gguf(i):
                    return _OMIT
                return {"total": params, "architecture": "llama", "context_length": 8192}
            case "config":
                return _or_omit(modelcard.config(w, i)) if kind == "model" else _OMIT
            case "transformersInfo":
                return _or_omit(modelcard.transformers_info(w, i)) if kind == "model" else _OMIT
            case "widgetData":
                return _or_omit(modelcard.widget_data(w, i)) if kind == "model" else _OMIT
            case "mask_token":
                return _or_omit(modelcard.mask_token(w, i)) if kind == "model" else _OMIT
            case "model-index":
                return modelcard.model_index(w, i) if kind == "model" else _OMIT
            case "spaces":
                return self.spaces_using(i)
            case "baseModels":
                base = int(t.base[i])
                if base < 0:
                    return _OMIT
                return {"relation": families.RELATIONS[int(t.relation[i])], "models": [{"id": t.ids[base]}]}
            case "childrenModelCount":
                return self.children_count(i)
            case "inference":
                return "warm" if self.warm(i) else "cold"
            case "inferenceProviderMapping":
                return self._providers(i, as_dict=detail)
            case "evalResults" | "resourceGroup":
                return _OMIT
            case "xetEnabled":
                return True
            case "gitalyUid":
                return f"{(i * 2654435761) & 0xFFFFFFFFFFFF:012x}"
            case "description":
                return self._description(kind, i) if kind == "dataset" else _OMIT
            case "citation":
                return f"@misc{{{t.ids[i].replace('/', '_')},\n  title={{{t.ids[i]}}},\n  year={{{datetime.fromtimestamp(int(t.created[i]), UTC).year}}}\n}}"
            case "paperswithcode_id":
                return t.ids[i].split("/", 1)[1].lower() if i % 7 == 0 else None
            case "mainSize":
                return 10_000 * (1 + int(t.size_cat[i])) ** 3
            case "sdk":
                return vocab.SPACE_SDKS[int(t.sdk[i])][0]
            case "subdomain":
                return subdomain(t.ids[i])
            case "host":
                return f"https://{subdomain(t.ids[i])}.hf.space"
            case "region":
                return "us"
            case "runtime":
                return self._runtime(i)
            case "models":
                m = int(t.linked_model[i])
                models = w.repos["model"]
                return [models.ids[m]] if m >= 0 and m < len(models) and models.alive[m] else []
            case "datasets":
                d = int(t.linked_dataset[i])
                data = w.repos["dataset"]
                return [data.ids[d]] if d >= 0 and d < len(data) and data.alive[d] else []
        return _OMIT

    def _is_gguf(self, i: int) -> bool:
        return int(self.world.repos["model"].library[i]) == _GGUF

    def warm(self, i: int) -> bool:
        return is_warm(self.world, i)

    def _providers(self, i: int, as_dict: bool) -> Any:
        """Where a warm model is served: a dict keyed by provider on model_info, a list on listings."""
        out = providers(self.world, i)
        return out if as_dict else [{"provider": p, **v} for p, v in out.items()]

    def _description(self, kind: str, i: int) -> str:
        t = self.world.repos[kind]
        task = vocab.TASK_CATEGORIES[int(t.task[i])][0]
        return f"A {vocab.SIZE_CATEGORIES[int(t.size_cat[i])]} {task} dataset ({t.ids[i].split('/', 1)[1]})."

    def _runtime(self, i: int) -> dict[str, Any]:
        return space_runtime(self.world, i)

    def _card(self, kind: str, i: int) -> dict[str, Any]:
        w = self.world
        t = w.repos[kind]
        lic = vocab.LICENSES[int(t.license[i])][0]
        lang = vocab.LANGUAGES[int(t.language[i])][0]
        if kind == "model":
            card: dict[str, Any] = {"language": [lang], "license": lic, "tags": modelcard.card_tags(w, i)}
            pipe = self._field(kind, i, "pipeline_tag")
            lib = self._field(kind, i, "library_name")
            if pipe is not _OMIT:
                card["pipeline_tag"] = pipe
            if lib is not _OMIT:
                card["library_name"] = lib
            if int(t.base[i]) >= 0:
                card["base_model"] = t.ids[int(t.base[i])]
            if int(t.trained[i]) >= 0:
                card["datasets"] = [w.repos["dataset"].ids[int(t.trained[i])]]
            widget = modelcard.card_widget(w, i)
            if widget is not None:
                card["widget"] = widget
            card |= modelcard.gate_card(w, i, [False, "auto", "manual"][int(t.gated[i])])
            index = modelcard.model_index(w, i)
            if index is not None:
                card["model-index"] = index
            return card
        if kind == "dataset":
            return {
                "license": lic,
                "language": [lang],
                "task_categories": [vocab.TASK_CATEGORIES[int(t.task[i])][0]],
                "size_categories": [vocab.SIZE_CATEGORIES[int(t.size_cat[i])]],
                "pretty_name": t.ids[i].split("/", 1)[1].replace("-", " ").title(),
            }
        return {
            "title": t.ids[i].split("/", 1)[1].replace("-", " ").title(),
            "emoji": "🚀",
            "colorFrom": "blue",
            "colorTo": "purple",
            "sdk": vocab.SPACE_SDKS[int(t.sdk[i])][0],
            "app_file": "app.py",
            "pinned": False,
            "license": lic,
        }

    def files(self, kind: str, i: int) -> list[str]:
        w = self.world
        t = w.repos[kind]
        if kind == "model":
            weights = "model.gguf" if self._is_gguf(i) else "model.safetensors"
            return [".gitattributes", "README.md", "config.json", weights]
        if kind == "dataset":
            if t.ids[i] == LMARENA_ID:
                from hubsight.replica.arena import parquet_paths

                return [".gitattributes", "README.md", *parquet_paths()]
            return [".gitattributes", "README.md", "data/train-00000-of-00001.parquet"]
        return [".gitattributes", "README.md", "app.py", "requirements.txt"]


def _or_omit(value: Any) -> Any:
    return _OMIT if value is None else value


class _Omit:
    def __repr__(self) -> str:
        return "<omit>"


_OMIT = _Omit()
