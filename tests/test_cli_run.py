"""`hubsight run`: scripts from a file or stdin, the envelope on stdout, exit codes 0/1/2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HUBSIGHT = str(Path(sys.executable).with_name("hubsight"))
GOOD = 'resp = await hf_models_search(limit=min(max_calls, 3), fields=["repo_id"])\nresult = resp["items"]\nresult\n'


def run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HUBSIGHT, "run", *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_a_script_file_prints_its_envelope(replica, tmp_path: Path) -> None:
    script = tmp_path / "top.py"
    script.write_text(GOOD)
    out = run([str(script), "--endpoint", replica.url, "--max-calls", "5"])
    assert out.returncode == 0, out.stderr
    envelope = json.loads(out.stdout)
    assert envelope["ok"] and len(envelope["result"]) == 3 and set(envelope["result"][0]) == {"repo_id"}
    assert envelope["meta"]["max_calls"] == 5 and envelope["meta"]["calls_used"] == 1
    assert envelope["meta"]["calls"][0]["endpoint"] == "/api/models"


def test_stdin_and_a_failing_script_exit_1(replica) -> None:
    out = run(["-", "--endpoint", replica.url], stdin="import os\nresult = 1\nresult\n")
    assert out.returncode == 1
    envelope = json.loads(out.stdout)
    assert envelope["error"]["type"] == "RuleViolation" and envelope["error"]["line"] == 1
    assert "import" in envelope["error"]["message"]


def test_type_check_reports_a_misspelled_keyword(replica) -> None:
    out = run(["-", "--endpoint", replica.url, "--type-check"], stdin="r = await hf_models_search(limitt=3)\nresult = r\nresult\n")
    assert out.returncode == 1
    assert "limitt" in json.loads(out.stdout)["error"]["message"]


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = run([str(tmp_path / "nope.py")])
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    bad = run(["-", "--endpoint", "localhost:1"], stdin=GOOD)
    assert bad.returncode == 2 and "http" in bad.stderr


SERVER_STACK = ("fastapi", "starlette", "uvicorn", "sqlalchemy", "alembic", "duckdb", "pyarrow", "mcp", "numpy")
IMPORTED = (
    "import sys\nfrom hubsight.cli import main\nsys.argv = ['hubsight', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    f"print(' '.join(m for m in {(*SERVER_STACK, 'huggingface_hub')!r} if m in sys.modules), file=sys.stderr)\n"
)


def imported(*argv: str) -> set[str]:
    """The heavy packages a `hubsight ...` process imported (its last stderr line)."""
    done = subprocess.run([sys.executable, "-c", IMPORTED, *argv], capture_output=True, text=True, timeout=120)
    return set(done.stderr.strip().splitlines()[-1].split()) if done.stderr.strip() else set()


def test_help_and_a_one_call_run_import_no_server_stack(replica, tmp_path: Path) -> None:
    # a whole `hubsight run` process stays short: it loads the CLI, settings and the sandbox, not the
    # HTTP API, the store, the SQL engine or the MCP server
    assert imported("--help") == set()
    script = tmp_path / "caps.py"
    script.write_text("r = await hf_runtime_capabilities()\nr['ok']\n")
    assert imported("run", str(script), "--endpoint", replica.url) == set()
    script.write_text("r = await hf_models_search(limit=1)\nr['ok']\n")
    assert imported("run", str(script), "--endpoint", replica.url) == {"huggingface_hub"}
