"""Renderings of the registry: contracts (for capabilities and the prompt), signatures and type stubs."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import orjson

from hubsight.helpers.contracts import OPS
from hubsight.helpers.registry import HELPERS, REPO_TYPES, SECTIONS
from hubsight.helpers.runtime import ENVELOPE, signature
from hubsight.helpers.spec import REQUIRED, Helper


def contract(spec: Helper) -> dict[str, Any]:
    out: dict[str, Any] = {"category": spec.category}
    if spec.backed_by:
        out["backed_by"] = spec.backed_by
    out["returns"] = {
        "envelope": ENVELOPE,
        "row_type": spec.row_type,
        "default_fields": list(spec.default_fields),
        "guaranteed_fields": list(spec.guaranteed_fields),
        "optional_fields": list(spec.optional_fields),
    }
    out["supported_params"] = list(spec.param_names)
    if spec.sort_values_by_repo_type:
        out["sort_values_by_repo_type"] = {k: list(v) for k, v in spec.sort_values_by_repo_type.items()}
    if spec.sort_values:
        out["sort_values"] = list(spec.sort_values)
    if spec.expand_values:
        out["expand_values"] = list(spec.expand_values)
    values = {p.name: list(p.values) for p in spec.params if p.values and p.show_values}
    if values:
        out["param_values"] = values
    if spec.has_fields_param and "fields" in spec.param_names:
        out["fields_contract"] = {"allowed_fields": list(spec.fields), "canonical_only": True}
    if spec.where:
        out["where_contract"] = {"allowed_fields": list(spec.fields), "supported_ops": list(OPS), "normalized_only": True}
    if spec.post_filter:
        out["post_filter_contract"] = {"allowed_fields": list(spec.fields), "supported_ops": list(OPS), "normalized_only": True}
    if spec.limits:
        out["limit_contract"] = spec.limits.as_dict()
    out["notes"] = spec.notes
    return out


def signature_line(spec: Helper) -> str:
    return f"await {spec.name}{signature(spec)}"


def history_sql() -> dict[str, Any]:
    """The views ``hf_history_sql`` reads, from the one declaration in ``store/views.py``."""
    from hubsight.store import views

    return {
        "dialect": "DuckDB; one SELECT or WITH ... SELECT; ? or $name placeholders take params",
        "views": {v.name: {"description": v.description, "columns": {c.name: f"{c.type}: {c.description}" for c in v.columns}}
                  for v in views.VIEWS},
        "examples": [{"title": e.title, "sql": e.sql} for e in views.EXAMPLES],
    }


def capabilities(section: str | None = None) -> dict[str, Any]:
    """The sections of hf_runtime_capabilities, derived from the registry (a fresh copy each call).

    With no ``section``, the seed's sections (``CAPABILITY_SECTIONS``): the answer a script or an
    agent asks for first, and reads in full. hubsight's own sections come only by name:
    ``arguments_schema`` (each helper's arguments as JSON schema, restating ``helper_contracts`` in
    another form: a third of the whole) and ``history_sql`` (the history's views)."""
    out = orjson.loads(_capabilities_json())
    if section is None:
        return out
    if section == "arguments_schema":
        return {section: orjson.loads(_schemas_json())}
    if section == "history_sql":
        return {section: history_sql()}
    return {section: out[section]}


@lru_cache(maxsize=len(SECTIONS) + 1)
def answer_json(section: str | None = None) -> bytes:
    """hf_runtime_capabilities' row, the sections with the names ``section=`` takes, as JSON: rendered
    once per section, since the registry does not change once imported."""
    return orjson.dumps({"allowed_sections": list(SECTIONS), **capabilities(section)})


@lru_cache(maxsize=1)
def _capabilities_json() -> str:
    # The registry does not change once imported: render it once (milliseconds), copy it per call.
    return json.dumps(_capabilities())


@lru_cache(maxsize=1)
def _schemas_json() -> str:
    from hubsight.helpers.models import schemas as build

    return json.dumps({h.name: build(h)["arguments"] for h in HELPERS})


def schemas(name: str) -> dict[str, Any]:
    """One helper's arguments and row JSON schemas, built from its declaration."""
    from hubsight.helpers.models import schemas as build

    return build(next(h for h in HELPERS if h.name == name))


def _capabilities() -> dict[str, Any]:
    row_fields: dict[str, list[str]] = {}
    for h in HELPERS:
        row_fields.setdefault(h.row_type, list(h.fields))
    search = {h.extra["repo_type"]: h for h in HELPERS if "repo_type" in h.extra}
    return {
        "overview": {
            "helper_count": len(HELPERS),
            "envelope": ENVELOPE,
            "rules": [
                "All helpers are async: always await them.",
                "items is the canonical list field; item is a singleton convenience.",
                "meta carries helper-owned limit, coverage and budget info.",
                "Unknown fields/where keys/ops/sort/expand values fail fast with ok=false.",
                "A helper call past max_calls does not run: it returns ok=false with meta.error_type "
                "'BudgetExceeded' and meta.budget_remaining 0, and the script goes on (keep what you fetched).",
            ],
            "where_ops": list(OPS),
        },
        "helpers": [{"name": h.name, "signature": signature_line(h), "category": h.category} for h in HELPERS],
        "helper_contracts": {h.name: contract(h) for h in HELPERS},
        "helper_defaults": {
            h.name: {
                "default_fields": list(h.default_fields),
                **({"default_limit": h.limits.default_limit} if h.limits and h.limits.default_limit else {}),
                **{p.name: p.default for p in h.params if p.default not in (None, False) and p.name != "limit"
                   and p.default is not REQUIRED},
            }
            for h in HELPERS
        },
        "fields": row_fields,
        "limits": {h.name: h.limits.as_dict() for h in HELPERS if h.limits},
        "repo_search": {
            "repo_types": list(REPO_TYPES),
            "sort_values": {k: list(h.sort_values or ()) for k, h in search.items()},
            "expand_values": {k: list(h.expand_values or ()) for k, h in search.items()},
            "preferred_helpers": {k: h.name for k, h in search.items()},
            "cross_type_helper": "hf_repo_search",
        },
    }
