"""hf_runtime_capabilities: the registry describing itself."""

from __future__ import annotations

from typing import Any

import orjson

from hubsight.helpers.runtime import SERIALIZED_AT_ONCE, Ctx


async def hf_runtime_capabilities(ctx: Ctx, section: str | None = None) -> dict[str, Any]:
    from hubsight.helpers.describe import answer_json

    text = answer_json(section)
    # a caller gets its own copy; the sandbox, which sends the answer on as text, the rendered one
    item = orjson.Fragment(text) if SERIALIZED_AT_ONCE.get() else orjson.loads(text)
    return ctx.ok([item], project=False, section=section)
