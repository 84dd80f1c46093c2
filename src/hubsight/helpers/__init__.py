"""The hf_* helpers: async functions over the Hub that return ``{ok, item, items, meta, error}``.

    import asyncio
    from hubsight.helpers import hf_models_search
    print(asyncio.run(hf_models_search(pipeline_tag="text-generation", limit=5))["items"])

Helpers are built from their declarations in ``registry.py`` on first access.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from hubsight.helpers.registry import BY_NAME, HELPERS

__all__ = [h.name for h in HELPERS] + ["HELPERS", "helper_functions"]

_built: dict[str, Callable[..., Awaitable[dict[str, Any]]]] = {}


def helper_functions() -> dict[str, Callable[..., Awaitable[dict[str, Any]]]]:
    """Every helper by name, e.g. to grant them to a sandbox."""
    return {name: __getattr__(name) for name in BY_NAME}


def __getattr__(name: str) -> Any:
    spec = BY_NAME.get(name)
    if spec is None:
        raise AttributeError(f"module 'hubsight.helpers' has no attribute {name!r}")
    fn = _built.get(name)
    if fn is None:
        from hubsight.helpers.runtime import build

        fn = _built[name] = build(spec)
    return fn
