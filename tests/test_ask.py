"""`hubsight ask` against a local OpenAI-compatible stub: write, run, feed the error back, retry."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

HUBSIGHT = str(Path(sys.executable).with_name("hubsight"))
BAD = "```python\nimport json\nresult = 1\nresult\n```"
GOOD = (
    "Here you go:\n```python\nresp = await hf_models_search(sort=\"likes\", limit=2, fields=[\"repo_id\", \"likes\"])\n"
    "result = resp[\"items\"]\nresult\n```"
)


class StubLLM:
    """Answers chat completions from a script of replies, and keeps every request it got."""

    def __init__(self, replies: list[str]) -> None:
        self.replies = list(replies)
        self.requests: list[dict] = []
        app = Starlette(routes=[Route("/v1/chat/completions", self.complete, methods=["POST"])])
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    async def complete(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append({"body": body, "auth": request.headers.get("authorization")})
        content = self.replies.pop(0) if self.replies else GOOD
        return JSONResponse({
            "id": "stub", "object": "chat.completion", "created": int(time.time()), "model": body["model"],
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        })

    def __enter__(self) -> StubLLM:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(5)


@pytest.fixture
def stub() -> Iterator[StubLLM]:
    with StubLLM([BAD, GOOD]) as server:
        yield server


def ask(replica, stub: StubLLM, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_TOKEN": "hf_replica_julien-c", "COLUMNS": "200"}
    return subprocess.run(
        [HUBSIGHT, "ask", "which models are liked most?", "--base-url", stub.url, "--endpoint", replica.url,
         "--model", "stub-model", *args],
        capture_output=True, text=True, timeout=120, env=env,
    )


def test_a_failed_script_is_fed_back_and_the_retry_answers(replica, stub: StubLLM, hf_api) -> None:
    out = ask(replica, stub, "--show-code")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    truth = [m.id for m in hf_api.list_models(sort="likes", limit=2)]
    assert [r["repo_id"] for r in result] == truth
    first, second = stub.requests
    assert first["body"]["model"] == "stub-model" and first["auth"] == "Bearer hf_replica_julien-c"
    assert first["body"]["messages"][0]["role"] == "system" and "## Helper contracts" in first["body"]["messages"][0]["content"]
    feedback = second["body"]["messages"][-1]["content"]
    assert "RuleViolation" in feedback and "import" in feedback and "line 1" in feedback
    assert "attempt 1 failed: RuleViolation" in out.stderr
    assert "import json" in out.stderr and "hf_models_search" in out.stderr  # --show-code, kept off stdout


def test_out_of_retries_exits_1_with_the_error(replica) -> None:
    with StubLLM([BAD, BAD, BAD]) as stub:
        out = ask(replica, stub, "--retries", "1")
    assert out.returncode == 1
    assert len(stub.requests) == 2
    assert json.loads(out.stdout)["error"]["type"] == "RuleViolation"


def test_unreachable_model_is_one_clear_line(replica) -> None:
    env = {**os.environ, "HF_TOKEN": ""}
    out = subprocess.run(
        [HUBSIGHT, "ask", "anything", "--base-url", "http://127.0.0.1:9/v1", "--endpoint", replica.url],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert out.returncode == 1 and out.stderr.strip().startswith("error: the model endpoint")
    assert "check --base-url, HUBSIGHT_ASK_MODEL and HF_TOKEN" in out.stderr, "names the flag that was passed"


def test_default_router_needs_a_token(replica) -> None:
    env = {**os.environ, "HF_TOKEN": ""}
    out = subprocess.run([HUBSIGHT, "ask", "anything", "--endpoint", replica.url], capture_output=True, text=True,
                         timeout=60, env=env)
    assert out.returncode == 1 and "needs HF_TOKEN" in out.stderr
