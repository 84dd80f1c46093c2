"""Running scripts end to end against the replica: envelope, helpers, budget, output, limits, type checks."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

from hubsight.helpers.registry import HELPERS
from hubsight.sandbox import SandboxRunner, run_script, stubs
from hubsight.settings import Settings
from tests.sandbox.conftest import assert_healthy

PROMPT_SHAPE = 'resp = await hf_models_search(limit=min(max_calls, 10))\nresult = resp["items"]\nresult'


def assert_envelope(env: dict[str, Any]) -> None:
    assert set(env) == {"ok", "result", "error", "meta"}
    assert {"calls_used", "max_calls", "elapsed_ms", "calls", "stdout", "helper_calls"} <= set(env["meta"])
    if env["error"] is not None:
        assert set(env["error"]) == {"type", "message", "line"}
    json.dumps(env)  # always plain JSON


async def test_prompt_shape_runs_green(settings: Settings) -> None:
    env = await run_script(PROMPT_SHAPE, max_calls=5, settings=settings)
    assert_envelope(env)
    assert env["ok"] and env["error"] is None
    assert len(env["result"]) == 5 and {"repo_id", "repo_url"} <= set(env["result"][0])
    meta = env["meta"]
    assert meta["max_calls"] == 5 and meta["helper_calls"] == 1 and meta["calls_used"] == 1
    assert [c["endpoint"] for c in meta["calls"]] == ["/api/models"]
    assert meta["calls"][0]["status"] == 200 and "limit" in meta["calls"][0]["params"]


async def test_prompt_coverage_pattern(settings: Settings) -> None:
    code = (
        'resp = await hf_user_likes(username="julien-c", sort="repo_likes", ranking_window=50, limit=5,\n'
        '                           fields=["repo_id", "repo_likes", "repo_url"])\n'
        'result = {"results": resp["items"], "coverage": resp["meta"]}\n'
        "result"
    )
    env = await run_script(code, settings=settings)
    assert env["ok"], env["error"]
    assert set(env["result"]) == {"results", "coverage"}
    assert all(set(row) <= {"repo_id", "repo_likes", "repo_url"} for row in env["result"]["results"])


async def test_gather_runs_helpers_concurrently_and_traces_each_request(settings: Settings) -> None:
    code = (
        "rs = await asyncio.gather(hf_models_search(limit=2), hf_datasets_search(limit=2), hf_spaces_search(limit=2))\n"
        'result = [len(r["items"]) for r in rs]\n'
        "result"
    )
    env = await run_script(code, settings=settings)
    assert env["ok"] and env["result"] == [2, 2, 2]
    assert sorted(c["endpoint"] for c in env["meta"]["calls"]) == ["/api/datasets", "/api/models", "/api/spaces"]
    assert env["meta"]["calls_used"] == 3 and env["meta"]["helper_calls"] == 3


async def test_each_gathered_helper_reports_only_its_own_requests(settings: Settings) -> None:
    # budget_used is the call's own: four searches at once made one request each, not up to four
    code = ("found = await asyncio.gather(*[hf_models_search(limit=n) for n in (1, 2, 3, 4)])\n"
            "[r['meta']['budget_used'] for r in found]")
    env = await run_script(code, max_calls=10, settings=settings)
    assert env["ok"], env["error"]
    assert env["result"] == [1, 1, 1, 1] and env["meta"]["calls_used"] == 4


async def test_stdout_is_captured(settings: Settings) -> None:
    env = await run_script('print("hello", max_calls)\nprint("again")\nresult = 1\nresult', max_calls=7, settings=settings)
    assert env["ok"] and env["result"] == 1
    assert env["meta"]["stdout"] == "hello 7\nagain\n"


async def test_stdout_is_capped_with_a_marker(settings: Settings) -> None:
    capped = settings.model_copy(update={"sandbox_stdout_bytes": 1000})
    env = await run_script("for i in range(1000):\n    print('line', i)\n1", settings=capped)
    assert env["ok"]
    out = env["meta"]["stdout"]
    assert out.startswith("line 0\n") and "stdout truncated" in out
    assert len(out.split("\n…[stdout truncated")[0].encode()) == 1000
    assert env["meta"]["stdout_truncated"] is True


async def test_helper_errors_come_back_as_data(settings: Settings) -> None:
    code = 'r = await hf_models_search(fields=["nope"])\nresult = [r["ok"], r["error"]]\nresult'
    env = await run_script(code, settings=settings)
    assert env["ok"]
    assert env["result"][0] is False and "nope" in env["result"][1]


async def test_budget_call_past_max_calls_returns_an_error_envelope_and_the_script_goes_on(settings: Settings) -> None:
    # the seed's patterns: loop, check ok, return what was fetched plus coverage
    code = (
        "got = []\n"
        "errors = []\n"
        "for i in range(5):\n"
        "    r = await hf_models_search(limit=1)\n"
        "    if r['ok']:\n"
        "        got.append(r['items'][0]['repo_id'])\n"
        "    else:\n"
        "        errors.append([r['meta']['error_type'], r['meta']['budget_remaining'], r['error']])\n"
        "result = {'results': got, 'errors': errors}\n"
        "result"
    )
    env = await run_script(code, max_calls=3, settings=settings)
    assert_envelope(env)
    assert env["ok"] and env["error"] is None
    assert len(env["result"]["results"]) == 3  # the three fetched before the budget ran out are kept
    errors = env["result"]["errors"]
    assert len(errors) == 2 and all(e[0] == "BudgetExceeded" and e[1] == 0 for e in errors)
    assert "3 of max_calls=3" in errors[0][2] and "max_calls" in errors[0][2] and "fewer" in errors[0][2]
    meta = env["meta"]
    assert meta["budget_exhausted"] is True and meta["helper_calls"] == 5 and meta["calls_used"] == 3


async def test_budget_exhausted_is_reported_only_when_a_call_was_refused(settings: Settings) -> None:
    env = await run_script("r = await hf_models_search(limit=1)\nr['ok']", max_calls=1, settings=settings)
    assert env["ok"] and env["result"] is True
    assert env["meta"].get("budget_exhausted", False) is False


async def test_budget_counts_calls_without_await(settings: Settings) -> None:
    code = "a = hf_models_search(limit=1)\nb = hf_models_search(limit=1)\nc = hf_models_search(limit=1)\nr = await c\nr['meta']['error_type']"
    env = await run_script(code, max_calls=2, settings=settings)
    assert env["ok"] and env["result"] == "BudgetExceeded"
    assert env["meta"]["helper_calls"] == 3 and env["meta"]["budget_exhausted"] is True
    # the two un-awaited calls within budget still ran, and the trace shows them
    assert env["meta"]["calls_used"] == 2 and len(env["meta"]["calls"]) == 2


async def test_a_script_that_ignores_the_budget_error_in_a_loop_is_still_bounded(settings: Settings) -> None:
    env = await run_script("while True:\n    await hf_models_search(limit=1)\n1", max_calls=2, settings=settings)
    assert not env["ok"] and env["error"]["type"] in ("LimitExceeded", "TimeoutError")
    assert env["meta"]["calls_used"] == 2 and env["meta"]["budget_exhausted"] is True


async def test_upstream_requests_are_bounded_by_the_run(settings: Settings) -> None:
    ids = [f"org/m{i}" for i in range(6)]
    env = await run_script(f"r = await hf_repo_details(repo_ids={ids!r})\nresult = r\nresult", max_calls=2, settings=settings)
    assert env["meta"]["calls_used"] <= 2
    assert "budget" in json.dumps(env["result"])


async def test_max_calls_defaults_and_is_clamped(settings: Settings) -> None:
    env = await run_script("max_calls", settings=settings)
    assert env["result"] == settings.max_calls == env["meta"]["max_calls"]
    env = await run_script("max_calls", max_calls=10**9, settings=settings)
    assert env["result"] == settings.max_calls_ceiling
    assert env["meta"]["max_calls_clamped"] is True and env["meta"]["max_calls_requested"] == 10**9


async def test_runtime_errors_have_type_and_line(settings: Settings) -> None:
    env = await run_script("x = {}\ny = 1\nz = x['missing']\nz", settings=settings)
    assert env["error"] == {"type": "KeyError", "message": "line 3: KeyError: missing", "line": 3}
    env = await run_script("r = await hf_nope()\nr", settings=settings)
    assert env["error"]["type"] == "NameError" and "hf_runtime_capabilities" in env["error"]["message"]
    env = await run_script("r = await hf_model_search(limit=1)\nr", settings=settings)
    assert "did you mean hf_models_search?" in env["error"]["message"]
    env = await run_script("r = await gather(hf_whoami())\nr", settings=settings)
    assert "asyncio.gather" in env["error"]["message"]
    # a name that is a variable as often as a module's (e, search, pi), or that the sandbox's module
    # lacks (asyncio.create_task): no hint that sends the script the wrong way
    for name in ("e", "search", "pi", "create_task", "timeout"):
        env = await run_script(f"x = {name}\nx", settings=settings)
        assert env["error"]["type"] == "NameError" and " is in scope" not in env["error"]["message"], name


async def test_every_module_function_a_hint_names_exists_in_the_sandbox(settings: Settings) -> None:
    from hubsight.sandbox.rules import MODULE_FUNCTIONS

    code = "[" + ", ".join(f"{module}.{name}" for name, module in MODULE_FUNCTIONS.items()) + "] and True"
    env = await run_script(code, settings=settings)
    assert env["ok"] and env["result"] is True, env["error"]


async def test_rule_violations_stop_before_running(settings: Settings) -> None:
    env = await run_script("import json\nresult = await hf_whoami()\nresult = 1", settings=settings)
    assert env["error"]["type"] == "RuleViolation" and env["error"]["line"] == 1
    assert "remove `import json`" in env["error"]["message"]
    assert [v["rule"] for v in env["meta"]["violations"]] == ["import", "final-expression"]
    assert env["meta"]["helper_calls"] == 0 and env["meta"]["calls"] == []


async def test_syntax_error_reports_line(settings: Settings) -> None:
    env = await run_script("x = 1\ny = (2\n", settings=settings)
    assert env["error"]["type"] == "SyntaxError" and env["error"]["line"] == 2


async def test_result_must_be_plain_data(settings: Settings) -> None:
    env = await run_script('result = {"items": [1, 2, 3, {4}]}\nresult', settings=settings)
    assert env["error"]["type"] == "ResultError"
    assert "`result['items'][3]`" in env["error"]["message"] and "list(...)" in env["error"]["message"]
    env = await run_script("result = (1, (2, 3))\nresult", settings=settings)
    assert env["ok"] and env["result"] == [1, [2, 3]]


async def test_big_result_is_truncated_not_refused(settings: Settings) -> None:
    small = settings.model_copy(update={"sandbox_result_bytes": 5_000})
    env = await run_script("result = {'rows': [{'i': i} for i in range(5000)], 'coverage': {'partial': True}}\nresult", settings=small)
    assert env["ok"] and env["meta"]["result_truncated"] is True
    assert env["result"]["coverage"] == {"partial": True}
    assert env["result"]["rows"][-1].endswith("more items]")


async def test_a_huge_result_is_converted_within_the_cap_inside_the_sandbox(settings: Settings) -> None:
    # 2 million ints: converting them all first took seconds on the host, outside every limit
    small = settings.model_copy(update={"sandbox_result_bytes": 10_000})
    env = await run_script("result = {'rows': list(range(2000000)), 'coverage': {'n': 2000000}}\nresult", settings=small)
    assert env["ok"], env["error"]
    assert env["meta"]["result_truncated"] is True and env["result"]["coverage"] == {"n": 2000000}
    rows = env["result"]["rows"]
    assert rows[:3] == [0, 1, 2] and rows[-1].startswith("…[truncated: ") and rows[-1].endswith("more items]")
    assert len(json.dumps(env["result"], separators=(",", ":")).encode()) <= 10_000


async def test_a_result_small_in_memory_but_huge_as_json_is_cut_to_the_cap(settings: Settings) -> None:
    # one string shared 200,000 times: 2 MB in memory, 200 MB as JSON. Encoding it whole first ran out
    # of memory and blamed a line the script does not have
    for code in ['["x" * 1000] * 200000', 'n = 200000\nrow = {"a": "y" * 5000}\n{"rows": [row] * n, "n": n}']:
        env = await run_script(code, settings=settings)
        assert env["ok"], (code, env["error"])
        assert env["meta"]["result_truncated"] is True
        assert len(json.dumps(env["result"], ensure_ascii=False, separators=(",", ":")).encode()) <= settings.sandbox_result_bytes
    assert env["result"]["n"] == 200000 and env["result"]["rows"][0] == {"a": "y" * 5000}


async def test_a_memory_error_in_the_results_conversion_names_no_line_of_the_script(settings: Settings) -> None:
    # the script's three lines run fine; what runs out of memory is encoding 20 MB of result in 16 MB
    # (little CPU: the memory runs out long before the CPU limit, even on busy cores)
    roomy = settings.model_copy(update={"sandbox_result_bytes": 50_000_000, "sandbox_memory_mb": 16})
    env = await run_script('x = 1\ny = 2\n["x" * 1000] * 20000', settings=roomy)
    assert not env["ok"] and env["error"]["type"] == "MemoryError"
    assert env["error"]["line"] is None and not env["error"]["message"].startswith("line ")
    assert "result" in env["error"]["message"]


async def test_a_dict_a_little_over_the_cap_keeps_the_keys_that_fit(settings: Settings) -> None:
    # 600 values of 2,000 characters: 1.2 MB. Room kept for the later values starved every one of them
    env = await run_script('{"k%d" % i: "x" * 2000 for i in range(600)}', settings=settings)
    assert env["ok"] and env["meta"]["result_truncated"] is True, env["error"]
    kept = [k for k in env["result"] if k.startswith("k")]
    assert kept == [f"k{i}" for i in range(len(kept))] and len(kept) >= 450
    assert env["result"]["…truncated"] == f"…[truncated: {600 - len(kept)} more keys]"
    assert len(json.dumps(env["result"], ensure_ascii=False, separators=(",", ":")).encode()) <= settings.sandbox_result_bytes


async def test_line_breaks_python_does_not_count_keep_the_scripts_lines(settings: Settings) -> None:
    # str.splitlines also breaks at form feeds, \x1c-\x1e, \x85 and \u2028; Python's line numbers do not
    for code, expected in [('x = "a\u2028b"\nlen(x)', 3), ("# note\x0c page\nx = 5\nx * 2", 10),
                           ('x = "\x85\x1c"\n[len(x), 1]', [2, 1])]:
        env = await run_script(code, settings=settings)
        assert env["ok"] and env["result"] == expected, (code, env["error"])
    env = await run_script('x = "\u2028"\ny = 1\nx[5]', settings=settings)
    assert env["error"]["type"] == "IndexError" and env["error"]["line"] == 3


async def test_a_worker_stopped_for_memory_says_the_result_may_be_what_was_too_big(settings: Settings) -> None:
    # Monty's json.dumps of text that needs escaping can outgrow the worker's memory before the
    # sandbox can raise MemoryError: the worker is stopped, the value is gone, and the error says
    # that the result, not only the script, may have needed the memory
    env = await run_script('["\\n" * 4000] * 10000', settings=settings)
    assert not env["ok"] and env["error"]["type"] == "MemoryError" and env["error"]["line"] is None
    assert "its result" in env["error"]["message"] and "return fewer or smaller values" in env["error"]["message"]
    again = await run_script("1 + 1", settings=settings)
    assert again["ok"] and again["result"] == 2, "the pool replaced the worker"


async def test_conversion_counts_against_the_scripts_cpu_limit(settings: Settings) -> None:
    # a result that is cheap to build but costly to convert: the conversion is the script's own work
    tight = settings.model_copy(update={"sandbox_cpu_seconds": 0.3, "sandbox_memory_mb": 256,
                                        "sandbox_result_bytes": 50_000_000})
    env = await run_script("row = {'k': [{'v': 'x'}] * 1000}\nresult = [row] * 3000\nresult", settings=tight)
    assert not env["ok"] and env["error"]["type"] == "TimeoutError" and "CPU limit" in env["error"]["message"]


async def test_the_final_expression_keeps_its_line_and_trailing_comment(settings: Settings) -> None:
    env = await run_script("x = {'a': 1}\nx = 1; (x +\n  1)  # the answer\n", settings=settings)
    assert env["ok"] and env["result"] == 2
    env = await run_script("x = 1\nx['a']  # oops", settings=settings)
    assert env["error"]["line"] == 2


async def test_invalid_arguments_come_back_as_errors(settings: Settings) -> None:
    env = await run_script("1", timeout=-1, settings=settings)
    assert env["error"]["type"] == "InvalidArgument"
    env = await run_script(None, settings=settings)  # type: ignore[arg-type]
    assert env["error"]["type"] == "InvalidArgument"
    for bad in ("5", 2.5, True):
        env = await run_script("1", max_calls=bad, settings=settings)  # type: ignore[arg-type]
        assert env["error"]["type"] == "InvalidArgument" and "max_calls" in env["error"]["message"]


async def test_wall_timeout_stops_a_script_waiting_on_a_slow_helper(settings: Settings) -> None:
    async def slow(**_: Any) -> dict[str, Any]:
        await asyncio.sleep(5)
        return {"ok": True}

    async with SandboxRunner(settings, helpers={"hf_slow": slow}) as runner:
        env = await runner.run("await hf_slow()\n1", timeout=0.5, settings=settings)
        assert env["error"]["type"] == "TimeoutError" and "wall-clock" in env["error"]["message"]
        assert env["meta"]["elapsed_ms"] < 3000
        env = await runner.run("1 + 1", settings=settings)
        assert env["ok"] and env["result"] == 2
    await assert_healthy(settings)


def test_a_worker_released_in_the_background_comes_back_even_when_its_loop_ends_first() -> None:
    """One worker, one runner, a new event loop per script (asyncio.run each time, as scripts that call
    run_script do): each script's worker goes back to the pool after its answer, and a loop that ends
    before that must neither lose the worker (the next script would wait for it) nor abort the process."""
    code = (
        "import asyncio\n"
        "from hubsight.sandbox import SandboxRunner\n"
        "from hubsight.settings import get_settings\n"
        "s = get_settings(hf_token='', sandbox_workers=1, sandbox_warm_workers=1, sandbox_queue_timeout=5)\n"
        "runner = SandboxRunner(s)\n"
        "for i in range(4):\n"
        "    env = asyncio.run(runner.run(f'result = {i} * 2\\nresult', settings=s))\n"
        "    print(env['ok'], env['result'], env['error'])\n"
        "asyncio.run(runner.close())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:4] == [f"True {i * 2} None" for i in range(4)]


async def test_a_saturated_pool_answers_busy(settings: Settings) -> None:
    started = asyncio.Event()

    async def slow(**_: Any) -> dict[str, Any]:
        started.set()
        await asyncio.sleep(1.0)
        return {"ok": True}

    tiny = settings.model_copy(update={"sandbox_workers": 1, "sandbox_warm_workers": 1, "sandbox_queue_timeout": 0.2})
    async with SandboxRunner(tiny, helpers={"hf_slow": slow}) as runner:
        first = asyncio.ensure_future(runner.run("r = await hf_slow()\nr['ok']", settings=tiny))
        await started.wait()  # the only worker is busy now
        second = await runner.run("1", settings=tiny)
        first_env = await first
    assert first_env["ok"] and first_env["result"] is True
    assert second["error"]["type"] == "Busy" and "retry" in second["error"]["message"]


def test_stubs_cover_every_helper_and_max_calls() -> None:
    text = stubs()
    assert "max_calls: int" in text
    for spec in HELPERS:
        assert f"async def {spec.name}(" in text
    assert "async def hf_models_search(search: str | None = None," in text
    assert "-> dict[str, Any]: ..." in text
    compile(text, "stubs.pyi", "exec")


async def test_type_check_catches_misspelled_keywords(settings: Settings) -> None:
    env = await run_script("r = await hf_models_search(limt=3)\nr", settings=settings, type_check=True)
    assert env["error"]["type"] == "TypeCheckError" and env["error"]["line"] == 1
    assert "limt" in env["error"]["message"]
    assert env["meta"]["helper_calls"] == 0


async def test_type_check_catches_missing_await_and_wrong_types(settings: Settings) -> None:
    env = await run_script("r = hf_models_search(limit='x')\nresult = r['items']\nresult", settings=settings, type_check=True)
    assert env["error"]["type"] == "TypeCheckError"
    assert "Expected `int`" in env["error"]["message"] and "not-subscriptable" in env["error"]["message"]


async def test_type_checked_prompt_script_runs(settings: Settings) -> None:
    code = "rs = await asyncio.gather(hf_models_search(limit=min(max_calls, 2)), hf_whoami())\nresult = rs[0]['items']\nresult"
    env = await run_script(code, settings=settings, type_check=True)
    assert env["ok"], env["error"]
    assert len(env["result"]) == 2


async def test_prelude_modules_are_in_scope_without_import(settings: Settings) -> None:
    code = 'result = [json.dumps({"a": 1}), math.floor(2.5), re.sub("a", "b", "aa"), datetime.date(2026, 1, 2).isoformat()]\nresult'
    env = await run_script(code, settings=settings)
    assert env["ok"], env["error"]
    assert env["result"] == ['{"a": 1}', 2, "bb", "2026-01-02"]


def test_a_door_that_never_closes_the_pool_exits_cleanly(replica) -> None:
    """asyncio.run(run_script(...)) and exit, as a CLI does: the exit hook closes the pool."""
    code = (
        "import asyncio\n"
        "from hubsight.sandbox import run_script\n"
        "from hubsight.settings import get_settings\n"
        f"s = get_settings(hf_endpoint={replica.url!r}, hf_token='')\n"
        "env = asyncio.run(run_script('r = await hf_models_search(limit=1)\\nr[\"ok\"]', settings=s))\n"
        "print(env['ok'], env['result'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True True"


async def test_meta_violations_are_capped_and_say_how_many_were_left_out(settings: Settings) -> None:
    env = await run_script("x = 1 # pad\n" * 10 + "import os\n" * 15_000 + "1", settings=settings)
    assert env["error"]["type"] == "RuleViolation"
    from hubsight.sandbox.rules import MAX_VIOLATIONS

    assert len(env["meta"]["violations"]) == MAX_VIOLATIONS
    assert env["meta"]["violations_omitted"] == 15_000 - MAX_VIOLATIONS
    assert len(json.dumps(env)) < 50_000


async def test_small_and_big_results_follow_the_same_rules(settings: Settings) -> None:
    small = settings.model_copy(update={"sandbox_result_bytes": 5_000})
    # int keys become strings, as JSON makes them, whether the result fits or is cut
    env = await run_script("result = {1: 'a', 'rows': [2]}\nresult", settings=small)
    assert env["ok"] and env["result"] == {"1": "a", "rows": [2]}
    env = await run_script("result = {1: 'a', 'rows': list(range(10000))}\nresult", settings=small)
    assert env["ok"] and env["result"]["1"] == "a" and env["meta"]["result_truncated"] is True
    for code in ("result = [10 ** 5000]\nresult", "result = [10 ** 5000] + list(range(10000))\nresult"):
        env = await run_script(code, settings=small)
        assert env["error"]["type"] == "ResultError" and "too large for JSON" in env["error"]["message"]


async def test_a_script_that_rebinds_builtins_still_gets_its_big_result_cut(settings: Settings) -> None:
    small = settings.model_copy(update={"sandbox_result_bytes": 5_000})
    code = "type = 1\nlen = 2\nstr = 3\nrepr = 4\njson = 5\nValueError = 6\nresult = [[i] for i in range(20000)]\nresult"
    env = await run_script(code, settings=small)
    assert env["ok"], env["error"]
    assert env["meta"]["result_truncated"] is True and env["result"][0] == [0]


async def test_runs_without_settings_build_them_once(settings: Settings, monkeypatch) -> None:
    import hubsight.sandbox.runner as runner_module

    built: list[int] = []

    def counting_get_settings(**overrides: object) -> Settings:
        built.append(1)
        return settings

    monkeypatch.setattr(runner_module, "get_settings", counting_get_settings)
    async with SandboxRunner() as runner:
        for _ in range(3):
            env = await runner.run("result = 1\nresult")
            assert env["ok"] and env["result"] == 1
    assert len(built) == 1, "settings are built on the first run only, not on every run"


async def test_capabilities_in_a_script_are_the_helpers_own_answer(settings: Settings) -> None:
    from hubsight.helpers import hf_runtime_capabilities

    direct = await hf_runtime_capabilities()
    env = await run_script("r = await hf_runtime_capabilities()\nr", settings=settings)
    assert env["ok"] and env["meta"]["helper_calls"] == 1
    for envelope in (direct, env["result"]):
        envelope["meta"].pop("elapsed_ms")
    assert env["result"] == direct
    # a section, twice in one script: each call is its own copy (the script changes the first)
    code = "a = await hf_runtime_capabilities('limits')\na['item']['limits'].clear()\nb = await hf_runtime_capabilities('limits')\n[a, b]"
    env = await run_script(code, settings=settings)
    narrow = await hf_runtime_capabilities("limits")
    assert env["ok"] and env["result"][0]["item"]["limits"] == {}
    assert env["result"][1]["item"] == narrow["item"] and narrow["item"]["limits"]
    env = await run_script("r = await hf_runtime_capabilities('bogus')\n[r['ok'], r['error']]", settings=settings)
    assert env["ok"] and env["result"][0] is False and "bogus" in env["result"][1]


async def test_error_lines_count_from_the_scripts_first_line(settings: Settings) -> None:
    # the script names modules (bound for it before it runs) and calls helpers: lines stay its own
    code = "x = json.dumps([re.escape('a')])\nr = await hf_runtime_capabilities()\ndef f():\n    return 1 / 0\nf()"
    env = await run_script(code, settings=settings)
    assert env["error"]["type"] == "ZeroDivisionError" and env["error"]["line"] == 4
    assert env["error"]["message"].startswith("line 4: ")
