"""The script envelope is declared once (sandbox/envelope.py): every run answers it, and both doors publish it."""

from __future__ import annotations

import inspect

import pytest
from pydantic import TypeAdapter

from hubsight.sandbox import run_script
from hubsight.sandbox.envelope import Envelope, ScriptError
from hubsight.settings import Settings


@pytest.mark.parametrize(
    ("code", "max_calls", "error_type"),
    [
        ("result = {'n': 1}\nresult", None, None),
        ("import os\nresult = 1\nresult", None, "RuleViolation"),
        ("result = 1 / 0\nresult", None, "ZeroDivisionError"),
        ("result = 1\nresult", "ten", "InvalidArgument"),
    ],
)
async def test_every_run_answers_the_declared_envelope(settings: Settings, code: str, max_calls, error_type) -> None:
    env = await run_script(code, max_calls=max_calls, settings=settings)
    TypeAdapter(Envelope).validate_python(env, strict=True)
    assert set(env) == set(Envelope.__annotations__)
    assert (env["error"] or {}).get("type") == error_type and env["ok"] is (error_type is None)
    if env["error"] is not None:
        assert set(env["error"]) == set(ScriptError.__annotations__)
    assert {"calls_used", "max_calls", "helper_calls", "elapsed_ms", "calls", "stdout"} <= set(env["meta"])


async def test_the_mcp_and_http_doors_publish_the_sandbox_envelope() -> None:
    from mcp import Client

    from hubsight.api.app import create_app
    from hubsight.mcp_server import create_mcp_server
    from hubsight.settings import get_settings

    described = inspect.cleandoc(Envelope.__doc__ or "")
    components = create_app(get_settings()).openapi()["components"]["schemas"]
    assert components["Envelope"]["description"] == described
    assert components["ScriptError"]["required"] == list(ScriptError.__annotations__)
    async with Client(create_mcp_server(get_settings())) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    schema = tools["hub_query"].output_schema
    assert schema is not None and schema["description"] == described
    assert schema["required"] == list(Envelope.__annotations__)
