"""POST /v1/query: a script in, its envelope out; the caller's token used and never echoed."""

from __future__ import annotations

import asyncio
import json
import shlex
import time
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from hubsight.api import create_app
from hubsight.settings import Settings
from tests.api.conftest import SERVER_TOKEN, TOKEN

README = Path(__file__).resolve().parents[2] / "README.md"
QUERY = 'resp = await hf_models_search(limit=3)\nresult = resp["items"]\nresult'
WHOAMI = "result = await hf_whoami()\nresult"


async def test_a_script_runs_and_answers_its_envelope(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/query", json={"code": QUERY})
    assert response.status_code == 200
    envelope = response.json()
    assert set(envelope) == {"ok", "result", "error", "meta"}
    assert envelope["ok"] and envelope["error"] is None
    assert len(envelope["result"]) == 3 and all("repo_id" in row for row in envelope["result"])
    assert envelope["meta"]["calls_used"] == 1 and envelope["meta"]["max_calls"] == 100


async def test_a_failed_script_is_200_with_ok_false(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/query", json={"code": "import os\nresult = 1\nresult", "max_calls": 5})
    assert response.status_code == 200, "the request was served; the envelope carries the script's error"
    envelope = response.json()
    assert envelope["ok"] is False and envelope["result"] is None
    assert envelope["error"]["type"] == "RuleViolation" and envelope["error"]["line"] == 1
    assert "remove `import os`" in envelope["error"]["message"]


async def test_options_reach_the_sandbox(client: httpx.AsyncClient) -> None:
    budget = (await client.post("/v1/query", json={"code": QUERY, "max_calls": 0})).json()
    assert budget["meta"]["budget_exhausted"] is True and budget["meta"]["max_calls"] == 0
    typed = (await client.post("/v1/query", json={"code": 'x: int = "a"\nresult = x\nresult', "type_check": True})).json()
    assert typed["ok"] is False and typed["error"]["type"] == "TypeCheckError"


async def test_a_callers_timeout_cannot_exceed_the_servers(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"sandbox_timeout": 0.5}))
    code = "await asyncio.sleep(3)\nresult = 1\nresult"
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        envelope = (await http.post("/v1/query", json={"code": code, "timeout": 100})).json()
    assert envelope["error"]["type"] == "TimeoutError" and "longer than 0.5 s" in envelope["error"]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"max_calls": 3}, "code: Field required"),
        ({"code": 42}, "code: Input should be a valid string"),
        ({"code": "result = 1\nresult", "max_calls": "3"}, "max_calls: Input should be a valid integer"),
        ({"code": "result = 1\nresult", "max_calls": -1}, "max_calls: Input should be greater than or equal to 0"),
        ({"code": "result = 1\nresult", "timeout": "fast"}, "timeout: Input should be a valid number"),
        ({"code": "result = 1\nresult", "timeout": 0}, "timeout: Input should be greater than 0"),
        ({"code": "result = 1\nresult", "type_check": "yes"}, "type_check: Input should be a valid boolean"),
        ({"code": "result = 1\nresult", "maxcalls": 3}, "maxcalls: Extra inputs are not permitted"),
        (["result = 1"], "request body: Input should be a valid dictionary or object to extract fields from"),
    ],
)
async def test_malformed_bodies_are_422_naming_the_field(client: httpx.AsyncClient, body: object, message: str) -> None:
    response = await client.post("/v1/query", json=body)
    assert response.status_code == 422
    assert response.json() == {"error": {"type": "ValidationError", "message": message}}


async def test_the_callers_bearer_token_is_used_and_never_echoed(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/query", json={"code": WHOAMI}, headers={"Authorization": f"Bearer {TOKEN}"})
    envelope = response.json()
    assert envelope["ok"] and envelope["result"]["item"]["username"] == "julien-c"
    assert TOKEN not in response.text and SERVER_TOKEN not in response.text


async def test_without_a_token_scripts_run_anonymously(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/query", json={"code": WHOAMI})
    helper = response.json()["result"]
    assert helper["ok"] is False and helper["meta"]["error_type"] == "AuthRequired", "the server's HF_TOKEN is not lent"
    assert SERVER_TOKEN not in response.text
    assert "Authorization: Bearer <token>" in helper["error"] and "HF_TOKEN" not in helper["error"], "what a caller can do"
    # the script's own data is never rewritten: only hubsight's advice in errors
    echoed = await client.post("/v1/query", json={"code": "result = 'pass a valid HF_TOKEN'\nresult"})
    assert echoed.json()["result"] == "pass a valid HF_TOKEN"
    refused = (await client.post("/v1/query", json={"code": WHOAMI}, headers={"Authorization": "Bearer hf_bogus"}))
    error = refused.json()["result"]["error"]
    assert "Authorization: Bearer <token>" in error and "HF_TOKEN" not in error, error


async def test_a_script_cannot_print_the_token(client: httpx.AsyncClient) -> None:
    code = f'print("{TOKEN}")\nresult = "{TOKEN}"\nresult'
    response = await client.post("/v1/query", json={"code": code}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200 and TOKEN not in response.text


async def test_a_malformed_authorization_header_is_not_echoed(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/query", json={"code": WHOAMI}, headers={"Authorization": f"Token {TOKEN}"})
    assert response.status_code == 401 and TOKEN not in response.text


async def test_openapi_documents_the_query_and_the_error_body(app: FastAPI, client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    operation = spec["paths"]["/v1/query"]["post"]
    assert operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    request = spec["components"]["schemas"]["QueryRequest"]
    assert set(request["properties"]) == {"code", "max_calls", "timeout", "type_check"} and request["required"] == ["code"]
    assert "HubToken" in spec["components"]["securitySchemes"]
    assert (await client.get("/docs")).status_code == 200


def test_query_over_a_socket(live_url: str) -> None:
    response = httpx.post(f"{live_url}/v1/query", json={"code": WHOAMI}, headers={"Authorization": f"Bearer {TOKEN}"},
                          timeout=30)
    assert response.status_code == 200 and response.json()["result"]["item"]["username"] == "julien-c"
    assert TOKEN not in response.text
    anonymous = httpx.post(f"{live_url}/v1/query", json={"code": WHOAMI}, timeout=30).json()
    assert anonymous["result"]["ok"] is False
    rows = httpx.post(f"{live_url}/v1/query", json={"code": QUERY}, timeout=30).json()
    assert rows["ok"] and len(rows["result"]) == 3


async def test_the_readme_curl_example_runs(client: httpx.AsyncClient) -> None:
    text = README.read_text().split("<!-- readme-example: curl-query -->", 1)[1]
    command = shlex.split(text.split("```bash\n", 1)[1].split("```", 1)[0].replace("\\\n", " "))
    assert command[:4] == ["curl", "-s", "-X", "POST"] and command[4].endswith("/v1/query")
    assert not [c for c in command if "Authorization" in c], "it works as pasted, without a token"
    body = json.loads(command[command.index("-d") + 1])
    response = await client.post("/v1/query", json=body)
    envelope = response.json()
    assert response.status_code == 200 and envelope["ok"] and len(envelope["result"]) == 3
    assert envelope["meta"]["max_calls"] == body["max_calls"]


HUGE = "result = list(range(2000000))\nresult"


async def test_health_answers_while_six_huge_results_are_converted(client: httpx.AsyncClient) -> None:
    # converting a result used to run on the event loop: six of these stalled /health for 21 s
    heavy = [asyncio.create_task(client.post("/v1/query", json={"code": HUGE}, timeout=120)) for _ in range(6)]
    slowest = 0.0
    answered_in_flight = 0
    while not all(task.done() for task in heavy):
        began = time.perf_counter()
        health = await client.get("/health")
        slowest = max(slowest, time.perf_counter() - began)
        assert health.status_code == 200
        if not all(task.done() for task in heavy):
            answered_in_flight += 1
        await asyncio.sleep(0.02)
    for task in heavy:
        envelope = task.result().json()
        assert envelope["ok"] and envelope["meta"]["result_truncated"] is True
    assert answered_in_flight > 0
    # the goal is 0.2 s; the bound is generous because other work shares the machine (a stall was 5-21 s)
    assert slowest < 3.0, f"/health took {slowest:.2f} s while results were converted"


async def test_an_oversized_body_is_refused_early_with_413(client: httpx.AsyncClient) -> None:
    code = "x = 1\n" * 400_000 + "x"  # 2.4 MB: larger than any script may be
    response = await client.post("/v1/query", json={"code": code})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["type"] == "PayloadTooLarge" and "KiB" in error["message"] and "script" in error["message"]


async def test_a_streamed_200_mb_body_is_not_read_whole(client: httpx.AsyncClient) -> None:
    pulled = 0

    async def body():  # sent without Content-Length
        nonlocal pulled
        for _ in range(200 * 16):  # 200 MB in 64 KiB chunks
            pulled += 1
            yield b" " * 65536

    response = await client.post("/v1/query", content=body(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["type"] == "PayloadTooLarge"
    assert pulled * 65536 <= 2 * 1024 * 1024, f"the server read {pulled * 64} KiB of the body"
