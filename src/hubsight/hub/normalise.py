"""Raw Hub repo objects (models, datasets, spaces, trending) become canonical snake_case rows here, with
the converters every row builder uses (timestamps, URLs, wire names); each other row type is built by
the helper module that owns it (``helpers/social.actor_row``, ``helpers/papers.paper_row``, ...)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from hubsight.helpers.registry import REPO_ROW, TRENDING_ROW
from hubsight.helpers.spec import REPO_TYPES, Column

REPO_FIELD_EXPAND: dict[str, dict[str, tuple[str, ...]]] = {
    kind: {c.name: c.expand for c in REPO_ROW if c.expand and kind in (c.expand_kinds or c.kinds)} for kind in REPO_TYPES
}
"""Which Hub expand values (wire names) each repo field needs, per repo type: a search asks only for these."""
SNAKE_TO_WIRE = {
    "base_models": "baseModels", "card_data": "cardData", "created_at": "createdAt",
    "downloads_all_time": "downloadsAllTime", "eval_results": "evalResults",
    "inference_provider_mapping": "inferenceProviderMapping", "last_modified": "lastModified",
    "model_index": "model-index", "resource_group": "resourceGroup", "transformers_info": "transformersInfo",
    "trending_score": "trendingScore", "widget_data": "widgetData", "xet_enabled": "xetEnabled",
    "gitaly_uid": "gitalyUid", "used_storage": "usedStorage",
}


def wire(value: str) -> str:
    """A canonical name (an expand or sort value) as the Hub spells it: ``created_at`` → ``createdAt``."""
    return SNAKE_TO_WIRE.get(value, value)


def wire_expand(values: list[str]) -> list[str]:
    return [wire(v) for v in values]


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


def _author(repo_id: str, given: Any) -> str | None:
    return given or (repo_id.split("/", 1)[0] if "/" in repo_id else None)


def _num_params(info: Any) -> int | None:
    st = getattr(info, "safetensors", None)
    if st is not None:
        return st.total
    gguf = getattr(info, "gguf", None)
    return gguf.get("total") if isinstance(gguf, dict) else None


def _card_description(info: Any, kind: str) -> str | None:
    description = getattr(info, "description", None)
    card = getattr(info, "card_data", None)
    if description is None and kind != "dataset" and card is not None:
        description = getattr(card, "description", None) if not isinstance(card, dict) else card.get("description")
    return description


def _row(columns: tuple[Column, ...], kind: str, read: Callable[[Column], Any], computed: dict[str, Any]) -> dict[str, Any]:
    """One row with every declared column: computed where given, else read from the Hub's object/JSON;
    None where the column does not apply to ``kind`` (spaces have no downloads)."""
    row: dict[str, Any] = {}
    for c in columns:
        if kind not in c.kinds:
            row[c.name] = None
        elif c.name in computed:
            row[c.name] = computed[c.name]
        else:
            value = read(c)
            row[c.name] = iso(value) if c.time else value
    return row


def repo_row(info: Any, kind: str, endpoint: str) -> dict[str, Any]:
    """A ModelInfo / DatasetInfo / SpaceInfo as a canonical repo row (every ``REPO_ROW`` column present)."""
    runtime = _runtime(getattr(info, "runtime", None)) if kind == "space" else None
    computed = {
        "repo_type": kind,
        "author": _author(info.id, getattr(info, "author", None)),
        "num_params": _num_params(info),
        "repo_url": repo_url(endpoint, kind, info.id),
        "description": _card_description(info, kind),
        "runtime_stage": (runtime or {}).get("stage"),
        "runtime": runtime,
    }
    return _row(REPO_ROW, kind, lambda c: getattr(info, c.attr or c.name, None), computed)


def trending_row(entry: dict[str, Any], rank: int, endpoint: str) -> dict[str, Any]:
    """One /api/trending entry as a repo row plus its rank (``TRENDING_ROW``)."""
    kind = entry.get("repoType", "model")
    data = entry.get("repoData") or {}
    runtime = data.get("runtime") if isinstance(data.get("runtime"), dict) else None
    repo_id = data.get("id", "")
    computed = {
        "repo_id": repo_id,
        "repo_type": kind,
        "author": _author(repo_id, data.get("author")),
        "repo_url": repo_url(endpoint, kind, repo_id),
        "runtime_stage": (runtime or {}).get("stage") or data.get("runtimeStage"),
        "runtime": runtime,
        "trending_rank": rank,
    }
    return _row(TRENDING_ROW, kind, lambda c: data.get(c.wire or c.name), computed)
