"""The MCP door as clients meet it, through the SDK's own client: in memory, over stdio, over streamable HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp_types import CallToolResult

from hubsight.helpers.describe import capabilities
from hubsight.mcp_server import MCP_PATH, create_mcp_server
from hubsight.prompt import render
from hubsight.settings import get_settings
from tests.api import history_store

crawled = history_store.crawled  # the crawled store, a fixture shared by these modules

HUBSIGHT = str(Path(sys.executable).with_name("hubsight"))
README = Path(__file__).resolve().parents[1] / "README.md"
TOKEN = "hf_replica_julien-c"
QUERY = 'resp = await hf_models_search(limit=3)\nresult = resp["items"]\nresult'
WHOAMI = "result = await hf_whoami()\nresult"
IMPORT = "import os\nresult = os.getcwd()\nresult"


def texts(result: CallToolResult) -> list[str]:
    return [block.text for block in result.content if block.type == "text"]


async def assert_lists_both_tools(client: Client) -> None:
    tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == {"hub_query", "hub_capabilities", "history_sql"}
    assert "repo_days(date DATE" in tools["history_sql"].description, "the views come with the tool"
    query = tools["hub_query"]
    assert query.description == render(), "the tool description is the generated prompt"
    assert set(query.input_schema["properties"]) == {"code", "max_calls"}
    assert query.input_schema["required"] == ["code"]
    assert query.output_schema is not None and set(query.output_schema["required"]) == {"ok", "result", "error", "meta"}
    assert query.annotations is not None and query.annotations.read_only_hint


async def assert_query_returns_rows(client: Client) -> None:
    result = await client.call_tool("hub_query", {"code": QUERY})
    assert not result.is_error, texts(result)
    envelope = result.structured_content
    assert envelope is not None and envelope["ok"] and envelope["error"] is None
    assert len(envelope["result"]) == 3 and all("repo_id" in row for row in envelope["result"])
    assert envelope["meta"]["calls_used"] == 1
    assert json.loads(texts(result)[0]) == envelope, "the same envelope as JSON text, for clients without structured output"


async def assert_failed_script_is_a_tool_error(client: Client) -> None:
    result = await client.call_tool("hub_query", {"code": IMPORT})
    assert result.is_error
    first = texts(result)[0]
    assert first.startswith("The script failed with RuleViolation: line 1: imports are not available")
    assert "remove `import os`" in first, "the rule's fix reaches the model, so it can retry"
    assert result.structured_content is not None and result.structured_content["ok"] is False


async def whoami(client: Client) -> dict[str, Any]:
    """The hf_whoami helper response the script returned, with the token checked absent from the result."""
    result = await client.call_tool("hub_query", {"code": WHOAMI})
    assert not result.is_error, texts(result)
    assert TOKEN not in json.dumps(result.model_dump(mode="json")), "the token never reaches the output"
    assert result.structured_content is not None
    return result.structured_content["result"]


# -- in memory -------------------------------------------------------------------------------


@pytest.fixture
def server(replica):
    return create_mcp_server(get_settings(hf_endpoint=replica.url, hf_token=TOKEN))


async def test_in_memory_lists_the_prompt_and_runs_scripts(server) -> None:
    async with Client(server) as client:
        await assert_lists_both_tools(client)
        await assert_query_returns_rows(client)
        await assert_failed_script_is_a_tool_error(client)
        me = await whoami(client)
    assert me["ok"] and me["item"]["username"] == "julien-c", "in process, the server's own HF_TOKEN is used"


async def test_max_calls_is_the_script_budget(server) -> None:
    async with Client(server) as client:
        result = await client.call_tool("hub_query", {"code": QUERY, "max_calls": 0})
        bad = await client.call_tool("hub_query", {"code": QUERY, "max_calls": "many"})
    assert result.structured_content is not None
    meta = result.structured_content["meta"]
    assert meta["max_calls"] == 0 and meta["calls_used"] == 0 and meta["budget_exhausted"] is True
    assert bad.is_error and "max_calls" in texts(bad)[0], "a bad argument is a tool error naming it"


async def test_a_misspelt_argument_is_a_tool_error_not_ignored(server) -> None:
    # max_call (for max_calls) ran with the default budget, and the agent believed it had set one
    async with Client(server) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        typo = await client.call_tool("hub_query", {"code": QUERY, "max_call": 1})
        sql = await client.call_tool("history_sql", {"sql": "SELECT 1", "param": [1]})
    assert typo.is_error and "unknown argument 'max_call'" in texts(typo)[0] and "max_calls" in texts(typo)[0]
    assert sql.is_error and "unknown argument 'param'" in texts(sql)[0] and "params" in texts(sql)[0]
    for tool in tools.values():  # and the schemas say so before any call
        assert tool.input_schema.get("additionalProperties") is False, tool.name


async def test_answers_come_as_compact_json_text_beside_their_structured_content(server) -> None:
    # history_sql and hub_capabilities were pretty-printed (indent=2): about a third more of an agent's context
    async with Client(server) as client:
        answers = [await client.call_tool("hub_capabilities", {"section": "limits"}),
                   await client.call_tool("hub_query", {"code": QUERY})]
    for answer in answers:
        text = texts(answer)[-1]
        assert json.loads(text) == answer.structured_content
        assert text == json.dumps(answer.structured_content, ensure_ascii=False, separators=(",", ":"))


async def test_a_result_is_cut_to_what_an_agents_context_can_take(server) -> None:
    # the sandbox's 1 MB cap let one answer take a whole context window (a quarter of a million tokens)
    from hubsight.settings import get_settings

    cap = get_settings().mcp_result_bytes
    async with Client(server) as client:
        big = await client.call_tool("hub_query", {"code": "[{'i': i, 'text': 'x' * 200} for i in range(5000)]"})
    meta = big.structured_content["meta"]
    assert not big.is_error and meta["result_truncated"] is True and meta["result_bytes"] <= cap < 1_000_000
    assert big.structured_content["result"][-1].endswith("more items]"), "the cut says how much is left out"
    async with Client(server) as client:  # print output counts too: a quarter of the cap
        chatty = await client.call_tool("hub_query", {"code": "for i in range(3000):\n    print('z' * 100)\n1"})
    out = chatty.structured_content["meta"]["stdout"]
    assert chatty.structured_content["meta"]["stdout_truncated"] is True and len(out.encode()) <= cap // 4 + 100


async def test_history_sql_on_a_store_it_cannot_open_says_why(tmp_path) -> None:
    # a store error escaped as an unexpected error: the agent read only "Error executing tool history_sql"
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"these bytes are not a SQLite database\n" * 200)
    for db, cause in (("postgresql+psycopg://u:s3cret@127.0.0.1:54x2/test", "is not a database URL"),
                      (f"sqlite:///{junk}", "not a database")):
        async with Client(create_mcp_server(get_settings(db=db))) as client:
            answer = await client.call_tool("history_sql", {"sql": "SELECT 1"})
        assert answer.is_error and "StoreUnavailable" in texts(answer)[0] and cause in texts(answer)[0], texts(answer)
        assert "s3cret" not in texts(answer)[0]


async def test_capabilities_whole_and_by_section(server) -> None:
    async with Client(server) as client:
        limits = await client.call_tool("hub_capabilities", {"section": "limits"})
        unknown = await client.call_tool("hub_capabilities", {"section": "everything"})
    assert not limits.is_error and limits.structured_content == {"limits": capabilities()["limits"]}
    assert unknown.is_error
    message = texts(unknown)[0]
    assert "unknown section 'everything'" in message
    assert all(name in message for name in capabilities()), "the error lists the allowed sections"
    assert "arguments_schema" in message and "history_sql" in message, "including the ones the whole answer leaves out"


async def test_capabilities_without_section_returns_every_section(server) -> None:
    async with Client(server) as client:
        result = await client.call_tool("hub_capabilities", {})
    assert not result.is_error, texts(result)
    assert result.structured_content is not None and set(result.structured_content) == set(capabilities())


# -- stdio ----------------------------------------------------------------------------------


def readme_mcp_config() -> dict[str, Any]:
    """The MCP client configuration the README shows."""
    text = README.read_text().split("<!-- readme-example: mcp-config -->", 1)[1]
    return json.loads(text.split("```json\n", 1)[1].split("```", 1)[0])["mcpServers"]["hubsight"]


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_stdio_subprocess_as_the_readme_configures_it(replica, mode: str) -> None:
    config = readme_mcp_config()
    assert config["command"] == "hubsight" and set(config["env"]) == {"HF_TOKEN"}
    env = {**config["env"], "HF_ENDPOINT": replica.url, "HF_TOKEN": TOKEN}
    params = StdioServerParameters(command=HUBSIGHT, args=config["args"], env=env)
    async with Client(params, mode=mode) as client:
        await assert_lists_both_tools(client)
        await assert_query_returns_rows(client)
        await assert_failed_script_is_a_tool_error(client)
        me = await whoami(client)
        caps = await client.call_tool("hub_capabilities", {"section": "helpers"})
    assert me["ok"] and me["item"]["username"] == "julien-c"
    assert not caps.is_error and caps.structured_content == {"helpers": capabilities()["helpers"]}


# -- streamable HTTP ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def http_url(replica) -> Iterator[str]:
    """`hubsight mcp --transport http` in a subprocess; its own HF_TOKEN must never serve a caller."""
    port = _free_port()
    env = {**os.environ, "HF_ENDPOINT": replica.url, "HF_TOKEN": "hf_replica_the-operator"}
    proc = subprocess.Popen(
        [HUBSIGHT, "mcp", "--transport", "http", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()[1]
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}{MCP_PATH}"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "MCP server ready" in err
    assert TOKEN not in err and "the-operator" not in err, "tokens are never logged"


@asynccontextmanager
async def http_client(url: str, authorization: str | None = None, mode: str = "auto") -> AsyncIterator[Client]:
    headers = {"Authorization": authorization} if authorization else None
    async with httpx2.AsyncClient(headers=headers) as http, Client(
        streamable_http_client(url, http_client=http), mode=mode
    ) as client:
        yield client


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_http_runs_scripts_with_the_callers_bearer_token(http_url: str, mode: str) -> None:
    async with http_client(http_url, f"Bearer {TOKEN}", mode) as client:
        await assert_lists_both_tools(client)
        await assert_query_returns_rows(client)
        await assert_failed_script_is_a_tool_error(client)
        me = await whoami(client)
        caps = await client.call_tool("hub_capabilities", {"section": "fields"})
    assert me["ok"] and me["item"]["username"] == "julien-c"
    assert not caps.is_error and caps.structured_content == {"fields": capabilities()["fields"]}


async def test_http_without_a_token_runs_anonymously(http_url: str) -> None:
    async with http_client(http_url) as client:
        me = await whoami(client)
    assert me["ok"] is False and me["meta"]["error_type"] == "AuthRequired", "the server's HF_TOKEN is not lent"
    message = json.dumps(me["error"])
    assert "Authorization: Bearer <token>" in message and "HF_TOKEN" not in message, "says what a caller can do"


async def test_http_with_a_token_the_hub_refuses_says_to_fix_the_bearer_header(http_url: str) -> None:
    async with http_client(http_url, "Bearer hf_bogus") as client:
        me = await whoami(client)
    assert me["ok"] is False and me["meta"]["error_type"] == "AccessDenied", me
    assert "Authorization: Bearer <token>" in me["error"] and "HF_TOKEN" not in me["error"], me["error"]


async def test_http_malformed_authorization_is_a_tool_error(http_url: str) -> None:
    async with http_client(http_url, f"Token {TOKEN}") as client:
        result = await client.call_tool("hub_query", {"code": WHOAMI})
    assert result.is_error
    assert "Authorization header must be 'Bearer <Hugging Face token>'" in texts(result)[0]
    assert TOKEN not in json.dumps(result.model_dump(mode="json"))


# -- the command ----------------------------------------------------------------------------


def run_hubsight(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run([HUBSIGHT, *args], capture_output=True, text=True, timeout=60, env=env)


def test_unknown_transport_is_a_usage_error() -> None:
    result = run_hubsight("mcp", "--transport", "sse")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: Invalid value for '--transport': unknown transport 'sse': use stdio or http (see 'hubsight mcp --help')"
    ]


def test_busy_port_is_a_usage_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        result = run_hubsight("mcp", "--transport", "http", "--port", str(port))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert f"port {port} on 127.0.0.1 is busy: pass --port with a free port" in lines[0]


def test_http_refuses_an_oversized_body_early_with_413(http_url: str) -> None:
    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "hub_query", "arguments": {"code": "x = 1\n" * 400_000 + "x"}}}
    response = httpx2.post(http_url, json=call, timeout=30,
                           headers={"accept": "application/json, text/event-stream"})
    assert response.status_code == 413
    body = response.json()
    assert body["error"]["code"] == -32600 and "KiB" in body["error"]["message"]


def test_http_health_answers_while_huge_results_are_converted(http_url: str) -> None:
    import concurrent.futures
    import time

    call = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "hub_query", "arguments": {"code": "result = list(range(2000000))\nresult"}}}
    headers = {"accept": "application/json, text/event-stream"}
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        heavy = [pool.submit(httpx2.post, http_url, json=call, headers=headers, timeout=120) for _ in range(6)]
        slowest = 0.0
        in_flight = 0
        while not all(f.done() for f in heavy):
            began = time.perf_counter()
            # any answer will do: it only shows the event loop is free
            httpx2.get(http_url.replace("/mcp", "/nothing-here"), timeout=30)
            slowest = max(slowest, time.perf_counter() - began)
            in_flight += not all(f.done() for f in heavy)
            time.sleep(0.02)
        for f in heavy:
            result = f.result().json()["result"]
            assert result["structuredContent"]["meta"]["result_truncated"] is True
    # generous: other work shares the machine; converting on the event loop stalled it for seconds per result
    assert in_flight > 0 and slowest < 3.0, f"a request took {slowest:.2f} s while results were converted"


async def test_history_sql_tool_answers_and_errors_name_the_views(crawled) -> None:
    from hubsight.mcp_server import create_mcp_server

    server = create_mcp_server(get_settings(db=crawled.url))
    async with Client(server) as client:
        ok = await client.call_tool("history_sql", {"sql": "SELECT count(DISTINCT date) AS days FROM repo_days"})
        bad = await client.call_tool("history_sql", {"sql": "DROP VIEW repos"})
    assert not ok.is_error and ok.structured_content["rows"] == [{"days": len(crawled.days)}]
    assert bad.is_error and "SqlRefused" in texts(bad)[0] and "repo_days(date DATE" in texts(bad)[0]


async def test_compact_prompt_fits_and_contracts_come_per_helper() -> None:
    import json as _json

    from hubsight.helpers.describe import capabilities as caps
    from hubsight.helpers.registry import SECTIONS
    from hubsight.mcp_server import create_mcp_server
    from hubsight.prompt import COMPACT_LIMIT, render_compact

    server = create_mcp_server(get_settings(), prompt="compact")
    async with Client(server) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        one = await client.call_tool("hub_capabilities", {"helper": "hf_models_search"})
        unknown = await client.call_tool("hub_capabilities", {"helper": "hf_nothing"})
        misspelled = await client.call_tool("hub_capabilities", {"helper": "hf_model_search"})
        both = await client.call_tool("hub_capabilities", {"helper": "hf_trending", "section": "limits"})
        sections = {name: await client.call_tool("hub_capabilities", {"section": name}) for name in SECTIONS}
    description = tools["hub_query"].description
    assert description == render_compact() and len(description) <= COMPACT_LIMIT
    assert "hub_capabilities(helper=" in description and "await hf_models_search(" in description
    assert one.structured_content["contract"] == caps()["helper_contracts"]["hf_models_search"]
    schemas = one.structured_content["schemas"]
    assert schemas["arguments"] == caps("arguments_schema")["arguments_schema"]["hf_models_search"]
    assert schemas["arguments"]["properties"]["sort"]["anyOf"][0]["enum"][0] == "created_at"
    assert "repo_id" in schemas["row"]["required"]
    assert unknown.is_error and "unknown helper 'hf_nothing'" in texts(unknown)[0]
    assert misspelled.is_error and "did you mean hf_models_search?" in texts(misspelled)[0]
    assert both.is_error and "section or helper, not both" in texts(both)[0], "a section was dropped unsaid"
    for name, answer in sections.items():  # each section fits one turn of an agent's context
        assert len(_json.dumps(answer.structured_content)) < 40_000, name


def test_mcp_prompt_flag_is_checked() -> None:
    done = subprocess.run([HUBSIGHT, "mcp", "--prompt", "tiny"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--prompt must be full or compact" in done.stderr
