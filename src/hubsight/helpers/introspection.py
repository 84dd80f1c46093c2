"""hf_runtime_capabilities: the registry describing itself."""

from __future__ import annotations

from typing import Any

from hubsight.helpers.runtime import Ctx


async def hf_runtime_capabilities(ctx: Ctx, section: str | None = None) -> dict[str, Any]:
    from hubsight.helpers.describe import capabilities
    from hubsight.helpers.registry import SECTIONS

    item = {"allowed_sections": list(SECTIONS), **capabilities(section)}
    return ctx.ok([item], project=False, section=section)
