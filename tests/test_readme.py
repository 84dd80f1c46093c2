"""README examples run: the docs cannot rot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def example(tag: str) -> str:
    text = README.read_text()
    block = text.split(f"<!-- readme-example: {tag} -->", 1)[1]
    return block.split("```python\n", 1)[1].split("```", 1)[0]


def test_helpers_example_runs_against_a_replica(replica) -> None:
    env = {**os.environ, "HF_ENDPOINT": replica.url, "HF_TOKEN": ""}
    result = subprocess.run([sys.executable, "-c", example("helpers")], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("[{'repo_id': ") and lines[0].endswith("True")
    models, followers = map(int, lines[1].split())
    assert models > 0 and followers >= 0


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text()
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = [b.split("```", 1)[0].strip() for b in quick.split("```bash\n")[1:]]
    assert blocks[0] == "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/hubsight demo"
    assert blocks[1] == "./scripts/test"
    ci = (README.parent / ".ci" / "run").read_text()
    assert "./scripts/test" in ci
