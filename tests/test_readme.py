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


def bash_block(tag: str) -> str:
    block = README.read_text().split(f"<!-- readme-example: {tag} -->", 1)[1]
    return block.split("```bash\n", 1)[1].split("```", 1)[0]


def test_every_snippet_runs_the_virtualenvs_programs() -> None:
    """Pasted in a fresh shell (no virtualenv active), a bare `hubsight` or `python` is not found;
    nor does a curl send `Bearer $HF_TOKEN`, a malformed header when HF_TOKEN is not set."""
    text = "\n".join(p.read_text() for p in [README, *sorted((README.parent / "docs").glob("*.md"))])
    offenders = []
    for block in text.split("```bash\n")[1:]:
        for line in block.split("```", 1)[0].splitlines():
            command = line.split("#", 1)[0].strip()
            first = command.split()[0] if command.split() else ""
            if first in ("hubsight", "python", "pip") or "&& hubsight" in command or "| hubsight" in command or "$HF_TOKEN" in command:
                offenders.append(line)
    assert not offenders, f"use .venv/bin/… (or say source .venv/bin/activate): {offenders}"


def test_helpers_example_runs_against_the_replica_the_readme_starts(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "example.py").write_text(example("helpers"))
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])
    # the README's default port may be taken on a shared machine: the same commands on a free one
    start = bash_block("helpers-replica").replace("8765", str(port)).replace("hubsight replica", f"hubsight replica --port {port}")
    script = f"{start}\n.venv/bin/python example.py\nstatus=$?\nkill %1\nwait\nexit $status\n"
    env = {k: v for k, v in os.environ.items() if k not in ("HF_ENDPOINT", "HF_TOKEN")}
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=180)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("[{'repo_id': ") and lines[0].endswith("True")
    models, followers = map(int, lines[1].split())
    assert models > 0 and followers >= 0


def test_helpers_example_says_what_is_wrong_when_nothing_answers() -> None:
    env = {**os.environ, "HF_ENDPOINT": "http://127.0.0.1:9", "HF_TOKEN": ""}
    result = subprocess.run([sys.executable, "-c", example("helpers")], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "cannot reach" in result.stderr, result.stderr
