"""Repo rows as the Hub's JSON: camelCase keys, `Z` timestamps, only the fields asked for."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import Any

import numpy as np

from hubsight.replica import families, vocab
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
    "model": [
        "private", "pipeline_tag", "library_name", "tags", "downloads", "likes", "author", "sha",
        "lastModified", "gated", "disabled", "widgetData", "cardData", "config", "transformersInfo",
        "siblings", "spaces", "createdAt", "safetensors", "usedStorage", "trendingScore", "inference",
        "inferenceProviderMapping",
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


def subdomain(space_id: str) -> str:
    return re.sub(r"[^a-z0-9-]", "-", space_id.lower().replace("/", "-"))


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

    def repo(self, kind: str, i: int, fields: list[str]) -> dict[str, Any]:
        return self.rows(kind, [i], fields)[0]

    def rows(self, kind: str, idx: list[int], fields: list[str]) -> list[dict[str, Any]]:
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
                values = [self._field(kind, i, name) for i in idx]
            columns.append((name, values))
        if kind == "model" and "modelId" not in fields:
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
        return None

    def _field(self, kind: str, i: int, name: str) -> Any:
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
                lib = int(t.library[i])
                if lib < 0 or vocab.LIBRARIES[lib][0] != "transformers":
                    return _OMIT
                family = t.ids[i].split("/", 1)[1].split("-", 1)[0].lower()
                return {"architectures": [f"{family.title()}ForCausalLM"], "model_type": family}
            case "transformersInfo":
                lib = int(t.library[i])
                if lib < 0 or vocab.LIBRARIES[lib][0] != "transformers":
                    return _OMIT
                pipe = self._field(kind, i, "pipeline_tag")
                return {
                    "auto_model": "AutoModelForCausalLM",
                    "pipeline_tag": None if pipe is _OMIT else pipe,
                    "processor": "AutoTokenizer",
                }
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
                return "warm" if self._warm(i) else _OMIT
            case "inferenceProviderMapping":
                if not self._warm(i):
                    return []
                return [
                    {"provider": p, "providerId": t.ids[i].lower(), "status": "live", "task": "conversational"}
                    for p in ("together", "fireworks-ai")
                ]
            case "widgetData" | "mask_token" | "model-index" | "evalResults" | "resourceGroup":
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

    def _warm(self, i: int) -> bool:
        t = self.world.repos["model"]
        return int(t.likes[i]) >= 20 and int(t.pipeline[i]) == 0

    def _description(self, kind: str, i: int) -> str:
        t = self.world.repos[kind]
        task = vocab.TASK_CATEGORIES[int(t.task[i])][0]
        return f"A {vocab.SIZE_CATEGORIES[int(t.size_cat[i])]} {task} dataset ({t.ids[i].split('/', 1)[1]})."

    def _runtime(self, i: int) -> dict[str, Any]:
        t = self.world.repos["space"]
        stage = vocab.RUNTIME_STAGES[int(t.stage[i])][0]
        hw = vocab.HARDWARE[int(t.hardware[i])]
        running = stage in ("RUNNING", "RUNNING_BUILDING", "APP_STARTING")
        return {
            "stage": stage,
            "hardware": {"current": hw if running else None, "requested": hw},
            "storage": None,
            "gcTimeout": 172800 if hw == "cpu-basic" else 3600,
            "replicas": {"current": 1 if running else 0, "requested": 1},
            "devMode": False,
            "domains": [{"domain": f"{subdomain(t.ids[i])}.hf.space", "stage": "READY"}],
            "sha": self.world.sha("space", i),
        }

    def _card(self, kind: str, i: int) -> dict[str, Any]:
        w = self.world
        t = w.repos[kind]
        lic = vocab.LICENSES[int(t.license[i])][0]
        lang = vocab.LANGUAGES[int(t.language[i])][0]
        if kind == "model":
            card: dict[str, Any] = {"license": lic, "language": [lang], "tags": []}
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


class _Omit:
    def __repr__(self) -> str:
        return "<omit>"


_OMIT = _Omit()
