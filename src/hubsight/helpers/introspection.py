"""hf_runtime_capabilities: the registry describing itself."""

from __future__ import annotations

from typing import Any

from hubsight.helpers.runtime import Ctx


async def hf_runtime_capabilities(ctx: Ctx, section: str | None = None) -> dict[str, Any]:
    from hubsight.helpers.describe import capabilities
    from hubsight.helpers.registry import SECTIONS

    manifest = capabilities(with_schemas=section == "arguments_schema")
    item = {"allowed_sections": list(SECTIONS), **(manifest if section is None else {section: manifest[section]})}
    return ctx.ok([item], project=False, section=section)
