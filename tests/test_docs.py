"""Generated reference pages match the code they are generated from (run scripts/gen-docs to refresh)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hubsight.docs import PAGES

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("rel", sorted(PAGES))
def test_generated_page_is_current(rel: str) -> None:
    assert (ROOT / rel).read_text() == PAGES[rel](), f"{rel} is stale: run scripts/gen-docs"


def test_every_command_and_setting_is_documented() -> None:
    import typer.main

    from hubsight.cli import app
    from hubsight.settings import reference

    cli = (ROOT / "docs" / "cli.md").read_text()
    for name in typer.main.get_command(app).commands:
        assert f"`hubsight {name}" in cli
    settings = (ROOT / "docs" / "settings.md").read_text()
    for var, _, _ in reference():
        assert f"`{var}`" in settings


def test_the_mcp_page_names_every_tool_and_capabilities_section() -> None:
    # it said "two tools" after history_sql was the third, and listed 7 of 9 sections
    import asyncio

    from mcp import Client

    from hubsight.helpers.registry import SECTIONS
    from hubsight.mcp_server import create_mcp_server

    async def names() -> list[str]:
        async with Client(create_mcp_server()) as client:
            return [tool.name for tool in (await client.list_tools()).tools]

    page = (ROOT / "docs" / "mcp.md").read_text()
    tools = asyncio.run(names())
    assert f"with {len(tools)} tools" in page or f"{len(tools)} tools:" in page
    for name in tools:
        assert f"`{name}(" in page, name
    for section in SECTIONS:
        assert f"`{section}`" in page, section
