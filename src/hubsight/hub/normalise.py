"""Raw Hub objects become canonical snake_case rows here, and only here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

# Which Hub expand values each canonical repo field needs (wire names). A search asks only for these.
REPO_FIELD_EXPAND: dict[str, dict[str, tuple[str, ...]]] = {
    "model": {
        "author": ("author",), "likes": ("likes",), "downloads": ("downloads",),
        "trending_score": ("trendingScore",), "created_at": ("createdAt",), "last_modified": ("lastModified",),
        "pipeline_tag": ("pipeline_tag",), "num_params": ("safetensors", "gguf"), "tags": ("tags",),
        "library_name": ("library_name",),
    },
    "dataset": {
        "author": ("author",), "likes": ("likes",), "downloads": ("downloads",),
        "trending_score": ("trendingScore",), "created_at": ("createdAt",), "last_modified": ("lastModified",),
        "tags": ("tags",), "description": ("description",), "paperswithcode_id": ("paperswithcode_id",),
    },
    "space": {
        "author": ("author",), "likes": ("likes",), "trending_score": ("trendingScore",),
        "created_at": ("createdAt",), "last_modified": ("lastModified",), "tags": ("tags",), "sdk": ("sdk",),
        "models": ("models",), "datasets": ("datasets",), "subdomain": ("subdomain",),
        "runtime_stage": ("runtime",), "runtime": ("runtime",),
    },
}
SNAKE_TO_WIRE = {
    "base_models": "baseModels", "card_data": "cardData", "created_at": "createdAt",
    "downloads_all_time": "downloadsAllTime", "eval_results": "evalResults",
    "inference_provider_mapping": "inferenceProviderMapping", "last_modified": "lastModified",
    "model_index": "model-index", "resource_group": "resourceGroup", "transformers_info": "transformersInfo",
    "trending_score": "trendingScore", "widget_data": "widgetData", "xet_enabled": "xetEnabled",
    "gitaly_uid": "gitalyUid", "used_storage": "usedStorage",
}


def wire_expand(values: list[str]) -> list[str]:
    return [SNAKE_TO_WIRE.get(v, v) for v in values]


def expand_for(kind: str, fields: list[str]) -> list[str]:
    """The smallest expand list that fills ``fields`` for one repo type."""
    needed: list[str] = []
    for f in fields:
        for e in REPO_FIELD_EXPAND[kind].get(f, ()):
            if e not in needed:
                needed.append(e)
    return needed or ["likes"]


TIME_FORMAT = "YYYY-MM-DDTHH:MM:SS.mmmZ"
"""Every timestamp a helper returns: UTC with milliseconds, the format huggingface.co's API itself uses."""


def iso(value: Any) -> str | None:
    """A datetime, or a timestamp string in any ISO 8601 shape, as ``2025-01-31T07:09:51.000Z``."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
        except ValueError:
            return value  # not a timestamp: leave it as the Hub sent it
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return str(value)


def repo_url(endpoint: str, kind: str, repo_id: str) -> str:
    prefix = {"model": "", "dataset": "datasets/", "space": "spaces/"}[kind]
    return f"{endpoint}/{prefix}{repo_id}"


def _runtime(rt: Any) -> dict[str, Any] | None:
    if rt is None:
        return None
    if isinstance(rt, dict):
        return rt
    raw = getattr(rt, "raw", None)
    if isinstance(raw, dict):
        return raw
    return {"stage": getattr(rt, "stage", None), "hardware": getattr(rt, "hardware", None)}


def repo_row(info: Any, kind: str, endpoint: str) -> dict[str, Any]:
    """A ModelInfo / DatasetInfo / SpaceInfo as a canonical repo row (every REPO_FIELDS key present)."""
    repo_id = info.id
    author = getattr(info, "author", None) or (repo_id.split("/", 1)[0] if "/" in repo_id else None)
    num_params = None
    st = getattr(info, "safetensors", None)
    if st is not None:
        num_params = st.total
    elif isinstance(getattr(info, "gguf", None), dict):
        num_params = info.gguf.get("total")
    runtime = _runtime(getattr(info, "runtime", None)) if kind == "space" else None
    card = getattr(info, "card_data", None)
    description = getattr(info, "description", None)
    if description is None and kind != "dataset" and card is not None:
        description = getattr(card, "description", None) if not isinstance(card, dict) else card.get("description")
    return {
        "repo_id": repo_id,
        "repo_type": kind,
        "author": author,
        "likes": getattr(info, "likes", None),
        "downloads": getattr(info, "downloads", None) if kind != "space" else None,
        "trending_score": getattr(info, "trending_score", None),
        "created_at": iso(getattr(info, "created_at", None)),
        "last_modified": iso(getattr(info, "last_modified", None)),
        "pipeline_tag": getattr(info, "pipeline_tag", None),
        "num_params": num_params,
        "repo_url": repo_url(endpoint, kind, repo_id),
        "tags": getattr(info, "tags", None),
        "library_name": getattr(info, "library_name", None),
        "description": description,
        "paperswithcode_id": getattr(info, "paperswithcode_id", None),
        "sdk": getattr(info, "sdk", None),
        "models": getattr(info, "models", None),
        "datasets": getattr(info, "datasets", None),
        "subdomain": getattr(info, "subdomain", None),
        "runtime_stage": (runtime or {}).get("stage"),
        "runtime": runtime,
    }


def trending_row(entry: dict[str, Any], rank: int, endpoint: str) -> dict[str, Any]:
    """One /api/trending entry as a repo row plus its rank."""
    kind = entry.get("repoType", "model")
    data = entry.get("repoData") or {}
    runtime = data.get("runtime") if isinstance(data.get("runtime"), dict) else None
    repo_id = data.get("id", "")
    return {
        "repo_id": repo_id,
        "repo_type": kind,
        "author": data.get("author") or (repo_id.split("/", 1)[0] if "/" in repo_id else None),
        "likes": data.get("likes"),
        "downloads": data.get("downloads"),
        "trending_score": data.get("trendingScore"),
        "created_at": iso(data.get("createdAt")),
        "last_modified": iso(data.get("lastModified")),
        "pipeline_tag": data.get("pipeline_tag"),
        "num_params": data.get("numParameters"),
        "repo_url": repo_url(endpoint, kind, repo_id),
        "tags": data.get("tags"),
        "library_name": data.get("library_name"),
        "description": data.get("description"),
        "paperswithcode_id": data.get("paperswithcode_id"),
        "sdk": data.get("sdk"),
        "models": data.get("models"),
        "datasets": data.get("datasets"),
        "subdomain": data.get("subdomain"),
        "runtime_stage": (runtime or {}).get("stage") or data.get("runtimeStage"),
        "runtime": runtime,
        "trending_rank": rank,
    }
