"""The README's /v1/query curl, run as written (no token in the environment) against a live server."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_curl_query_example_works_without_a_token(live_url: str) -> None:
    block = README.read_text().split("<!-- readme-example: curl-query -->", 1)[1]
    command = block.split("```bash\n", 1)[1].split("```", 1)[0]
    assert "localhost:8000" in command
    command = command.replace("localhost:8000", urlsplit(live_url).netloc)
    env = {k: v for k, v in os.environ.items() if k != "HF_TOKEN"}
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    envelope = json.loads(result.stdout)
    assert envelope["ok"] is True and len(envelope["result"]) == 3
