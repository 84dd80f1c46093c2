"""The README's crawl example runs as written against a replica started as the README says."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from datetime import date
from pathlib import Path

from hubsight.replica import ReplicaServer

README = Path(__file__).resolve().parents[2] / "README.md"
BIN = Path(sys.executable).parent


def _example() -> list[str]:
    block = README.read_text().split("<!-- readme-example: crawl -->", 1)[1]
    return [line for line in block.split("```bash\n", 1)[1].split("```", 1)[0].splitlines() if line.strip()]


def test_the_readme_crawl_example_runs(tmp_path: Path) -> None:
    # the README's replica, made tiny and early (a short leaderboard history) so the test stays fast
    env = {**os.environ, "HF_TOKEN": "", "NO_COLOR": "1"}
    outputs = []
    with ReplicaServer(scale="tiny", seed=0, start=date(2025, 1, 10)) as replica:
        for line in _example():
            line = line.replace("http://127.0.0.1:8765", replica.url).replace("localhost:8765", f"localhost:{replica.port}")
            line = line.replace(".venv/bin/", f"{BIN}/")
            result = subprocess.run(shlex.split(line), cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
            assert result.returncode == 0, (line, result.stderr)
            outputs.append(result.stdout)
    assert outputs[0].startswith("crawl 2025-01-10: hub 3,300 repos (")
    assert outputs[2].startswith("crawl 2025-01-11: hub ") and " · papers " in outputs[2] and " · arena " in outputs[2]
    assert (tmp_path / "history.db").exists(), "sqlite:///history.db is a file in the working directory"
