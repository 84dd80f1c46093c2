"""The MCP door: two tools over the sandbox, for any MCP client (Claude Desktop, Cursor, agents).

    server = create_mcp_server(get_settings())
    server.run("stdio")                                   # what `hubsight mcp` does
    app = streamable_http_app(server)                     # ASGI app serving /mcp, for uvicorn

- ``hub_query(code, max_calls)`` runs one script with ``run_script``; its description is the generated
  prompt (``hubsight.prompt.render``), so an LLM learns the helpers from the tool listing itself. The
  envelope comes back as structured content and as JSON text. A failed script is a tool result with
  ``isError`` whose first text block is the error message, so the model reads it and retries.
- ``hub_capabilities(section)`` returns the helper registry as data.

The run's Hub token: over HTTP it is the caller's ``Authorization: Bearer <token>`` and nothing else
(a shared server never lends its own HF_TOKEN to anonymous callers); over stdio, where the client
launched the server itself, it is the server's HF_TOKEN. Tokens are scrubbed from every envelope by
the sandbox and never logged here.
"""

# No `from __future__ import annotations`: the SDK reads the tools' annotations at registration, and
# their descriptions are built inside the factory from the settings.
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import Field, create_model, model_validator
from starlette.applications import Starlette

from hubsight import __version__
from hubsight.body_limit import BodyLimit, jsonrpc_body
from hubsight.errors import HubsightError
from hubsight.helpers.describe import capabilities, schemas
from hubsight.helpers.registry import SECTIONS, closest
from hubsight.prompt import history_views, render, render_compact
from hubsight.sandbox import close, run_script
from hubsight.sandbox.envelope import Envelope, over_http
from hubsight.settings import Settings, get_settings
from hubsight.store.views import MAX_SQL_CHARS

__all__ = ["MCP_PATH", "Envelope", "create_mcp_server", "envelope_result", "streamable_http_app"]

MCP_PATH = "/mcp"
INSTRUCTIONS = (
    "Query the Hugging Face Hub by writing a small async Python script for hub_query (its description "
    "teaches the helpers and the rules). hub_capabilities returns the helper contracts as data."
)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def structured(answer: dict[str, Any]) -> CallToolResult:
    """An answer as a tool result: structured content plus the same JSON as compact text (the SDK's own
    text is indented: about a third more of an agent's context)."""
    return CallToolResult(content=[TextContent(type="text", text=_compact(answer))], structured_content=answer)


def envelope_result(envelope: dict[str, Any]) -> CallToolResult:
    """The envelope as a tool result: structured content plus the same JSON as text; a failure is isError."""
    text = TextContent(type="text", text=_compact(envelope))
    if envelope["ok"]:
        return CallToolResult(content=[text], structured_content=envelope)
    error = envelope.get("error") or {}
    headline = f"The script failed with {error.get('type', 'Error')}: {error.get('message', 'no message')}"
    return CallToolResult(
        content=[TextContent(type="text", text=headline), text], structured_content=envelope, is_error=True
    )


def _bearer(headers: Mapping[str, str]) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header; None when the header is absent."""
    value = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    if value is None:
        return None
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        # The value itself is not repeated: it may be a credential.
        raise ToolError("the Authorization header must be 'Bearer <Hugging Face token>'; fix it or leave it out")
    return token.strip()


PROMPTS = ("full", "compact")


def create_mcp_server(settings: Settings | None = None, prompt: str = "full") -> MCPServer[None]:
    """An MCP server exposing ``hub_query``, ``hub_capabilities`` and ``history_sql``; its lifespan closes the
    sandbox pool."""
    settings = settings or get_settings()
    # an agent reads the result into its context: cut it to what that can take
    settings = settings.model_copy(update={
        "sandbox_result_bytes": min(settings.sandbox_result_bytes, settings.mcp_result_bytes),
        "sandbox_stdout_bytes": min(settings.sandbox_stdout_bytes, settings.mcp_result_bytes // 4),
    })
    anonymous = settings.model_copy(update={"hf_token": None})

    @asynccontextmanager
    async def lifespan(_server: MCPServer[None]) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await close()

    tools: list[Tool] = []

    async def hub_query(
        code: Annotated[str, Field(description="The script: top-level async Python ending with a bare `result` line.")],
        ctx: Context,
        max_calls: Annotated[
            int | None,
            Field(ge=0, description=f"External-call budget for the script (default {settings.max_calls}, "
                                    f"at most {settings.max_calls_ceiling})."),
        ] = None,
    ) -> Annotated[CallToolResult, Envelope]:
        headers = ctx.headers
        if headers is None:  # stdio or in-process: the server's own token
            token, run_settings = None, settings
        else:  # HTTP: the caller's token or none
            token, run_settings = _bearer(headers), anonymous
        envelope = await run_script(code, max_calls=max_calls, token=token, settings=run_settings)
        if headers is not None:
            envelope = over_http(envelope)
        return envelope_result(envelope)

    if prompt not in PROMPTS:
        raise ValueError(f"prompt must be one of {', '.join(PROMPTS)}, got {prompt!r}")
    tools.append(_strict(Tool.from_function(
        hub_query,
        description=render() if prompt == "full" else render_compact(),
        annotations=ToolAnnotations(title="Query the Hugging Face Hub", read_only_hint=True, open_world_hint=True),
    )))

    sections = list(SECTIONS)

    async def hub_capabilities(
        section: Annotated[
            str | None, Field(description=f"One section to return: {', '.join(sections)}. Default: all but arguments_schema and history_sql.")
        ] = None,
        helper: Annotated[
            str | None, Field(description="One helper's contract, defaults and limits only, e.g. hf_models_search.")
        ] = None,
    ) -> Annotated[CallToolResult, dict[str, Any]]:
        """The hub_query helpers' contracts as data: signatures, parameters, fields, defaults, limits and JSON schemas."""
        if section is not None and section not in sections:
            raise ToolError(f"unknown section {section!r}: use one of {', '.join(sections)}, or leave it out for all")
        if section is not None and helper is not None:
            raise ToolError("pass section or helper, not both: helper= gives that helper's contract, defaults and "
                            "limits; section= one part of every helper's")
        manifest = capabilities(section if helper is None else None)
        if helper is not None:
            if helper not in manifest["helper_contracts"]:
                close = closest(helper)
                guess = f"did you mean {close}? " if close else ""
                raise ToolError(f"unknown helper {helper[:80]!r}: {guess}use one of {', '.join(manifest['helper_contracts'])}")
            return structured({
                "helper": helper,
                "signature": next(h["signature"] for h in manifest["helpers"] if h["name"] == helper),
                "contract": manifest["helper_contracts"][helper],
                "defaults": manifest["helper_defaults"].get(helper, {}),
                "limits": manifest["limits"].get(helper, {}),
                "schemas": schemas(helper),
            })
        return structured(manifest)

    tools.append(_strict(Tool.from_function(
        hub_capabilities,
        annotations=ToolAnnotations(title="hubsight helper contracts", read_only_hint=True, open_world_hint=False),
    )))

    async def history_sql(
        sql: Annotated[str, Field(max_length=MAX_SQL_CHARS, description="One DuckDB SELECT (or WITH ... SELECT) over the views.")],
        params: Annotated[list[Any] | None, Field(description="Values for ? placeholders.")] = None,
        limit: Annotated[int, Field(ge=1, description=f"Most rows (at most {settings.sql_max_rows}).")] = 1000,
    ) -> Annotated[CallToolResult, dict[str, Any]]:
        import anyio

        from hubsight.store.sql import SqlError, for_settings

        try:
            result = await anyio.to_thread.run_sync(lambda: for_settings(settings).run(sql, params, limit))
        except SqlError as exc:
            hint = f"\n{exc.hint}" if exc.about_the_query else ""
            raise ToolError(f"{exc.kind}: {exc}{hint}") from None
        except HubsightError as exc:  # the store cannot be opened (StoreUnavailable) or holds nothing (NoHistory)
            raise ToolError(f"{type(exc).__name__}: {exc}") from None
        return structured({"columns": [{"name": n, "type": t} for n, t in result.columns], "rows": result.dicts(),
                           "meta": result.meta_json()})

    tools.append(_strict(Tool.from_function(
        history_sql,
        description="Ask the Hub's past in SQL: one read-only query over hubsight's history (daily numbers and "
                    "metadata of every repo, papers, LMArena). " + history_views().split("\n", 1)[1],
        annotations=ToolAnnotations(title="Hub history in SQL", read_only_hint=True, open_world_hint=False),
    )))
    return MCPServer(
        "hubsight",
        title="hubsight",
        version=__version__,
        instructions=INSTRUCTIONS,
        lifespan=lifespan,
        log_level="WARNING",
        tools=tools,
    )


def _strict(tool: Tool) -> Tool:
    """``tool`` refusing arguments it does not take (the SDK drops them: a misspelt ``max_call`` would run
    with the default budget), in its input schema too."""
    allowed = [field.alias or name for name, field in tool.fn_metadata.arg_model.model_fields.items()]

    def refuse_unknown(cls: type, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = [key for key in data if key not in allowed]
            if unknown:
                raise ValueError(f"unknown argument {str(unknown[0])[:80]!r}; {tool.name} takes {', '.join(allowed)}")
        return data

    base = tool.fn_metadata.arg_model
    tool.fn_metadata.arg_model = create_model(
        base.__name__, __base__=base,
        __validators__={"refuse_unknown": model_validator(mode="before")(classmethod(refuse_unknown))},
    )
    tool.parameters["additionalProperties"] = False
    return tool


def streamable_http_app(server: MCPServer[Any], *, host: str = "127.0.0.1") -> Starlette:
    """The server as an ASGI app answering streamable HTTP at ``/mcp``: stateless, one JSON reply per request.

    Stateless because no tool talks back to the client mid-call, so any request may reach any worker.
    ``host`` turns on DNS-rebinding protection when it is a loopback address.
    """
    app = server.streamable_http_app(
        streamable_http_path=MCP_PATH, stateless_http=True, json_response=True, host=host
    )
    app.add_middleware(BodyLimit, body=jsonrpc_body)  # an oversized body is refused before it is read whole
    return app
