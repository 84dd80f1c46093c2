"""Hostile scripts: each is contained with a clear error, the host is unharmed, and the next script runs.

Every case runs a normal prompt-style script right after it (``assert_healthy``), so a hostile script
that broke the pool, the loop or the budget accounting fails its own case.
"""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import pytest

from hubsight.sandbox import run_script
from hubsight.settings import Settings
from tests.sandbox.conftest import assert_healthy

TOKEN = "hf_replica_julien-c"

IMPORT = "imports are not available"
DUNDER = "`__`"
CPU = "CPU limit"
MEMORY = "MB of memory"
BUDGET = "budget exhausted"
REFUSED = "refused"
"""The run goes on: calls past max_calls answer ok=false envelopes and the meta says budget_exhausted."""

# (id, code, error type, fragment of the message, run_script keywords)
HOSTILE: list[tuple[str, str, str, str, dict[str, Any]]] = [
    # -- imports in every disguise -----------------------------------------------------------
    ("import", "import os\nos.environ\n1", "RuleViolation", IMPORT, {}),
    ("import-as", "import os as o\no.getcwd()", "RuleViolation", IMPORT, {}),
    ("from-import", "from os import environ\nenviron", "RuleViolation", IMPORT, {}),
    ("relative-import", "from . import secrets\n1", "RuleViolation", IMPORT, {}),
    ("import-in-function", "def f():\n    import subprocess\n    return 1\nf()", "RuleViolation", IMPORT, {}),
    ("import-in-try", "try:\n    import socket\nexcept Exception:\n    pass\n1", "RuleViolation", IMPORT, {}),
    ("importlib", "import importlib\nimportlib.import_module('os')\n1", "RuleViolation", IMPORT, {}),
    ("builtins-module", "import builtins\nbuiltins.open('/etc/passwd').read()", "RuleViolation", IMPORT, {}),
    ("dunder-import", "__import__('os').environ", "RuleViolation", IMPORT, {}),
    ("dunder-import-in-list", "x = [__import__ for _ in range(1)]\nx[0]('os')", "RuleViolation", IMPORT, {}),
    ("getattr-builtins", "getattr(__builtins__, '__import__')('os')", "RuleViolation", DUNDER, {}),
    ("exec-import", "exec('import os')\n1", "RuleViolation", "running code from strings", {}),
    ("eval-import", "eval(\"__import__('os')\")", "RuleViolation", "evaluating strings", {}),
    ("compile", "c = compile('import os', 'x', 'exec')\nc", "RuleViolation", "compiling code", {}),
    ("eval-alias", "f = eval\nf('1 + 1')", "RuleViolation", "evaluating strings", {}),
    ("exec-in-lambda", "g = lambda s: exec(s)\ng('import os')\n1", "RuleViolation", "running code from strings", {}),
    # -- dunder walks ------------------------------------------------------------------------
    ("class-bases", "().__class__.__bases__[0].__subclasses__()", "RuleViolation", DUNDER, {}),
    ("mro", "type(1).__mro__", "RuleViolation", DUNDER, {}),
    ("func-globals", "(lambda: 0).__globals__", "RuleViolation", DUNDER, {}),
    ("builtin-self", "print.__self__", "RuleViolation", DUNDER, {}),
    ("helper-globals", "hf_whoami.__globals__['os']", "RuleViolation", DUNDER, {}),
    ("getattr-dunder", "getattr((), '__class__')", "RuleViolation", DUNDER, {}),
    ("setattr-dunder", "setattr(1, '__class__', 2)\n1", "RuleViolation", DUNDER, {}),
    ("hasattr-dunder", "hasattr(1, '__class__')", "RuleViolation", DUNDER, {}),
    ("format-walk", "'{0.__class__.__bases__}'.format(1)", "RuleViolation", "format strings", {}),
    ("fstring-walk", "f'{(1).__class__}'", "RuleViolation", DUNDER, {}),
    ("dunder-name", "__name__", "RuleViolation", DUNDER, {}),
    ("builtins-name", "b = __builtins__\nb", "RuleViolation", DUNDER, {}),
    ("dynamic-getattr", "getattr((), '_' + '_class__')", "AttributeError", "has no attribute '__class__'", {}),
    ("dynamic-getattr-var", "a = '__cla' + 'ss__'\ngetattr(1, a)", "AttributeError", "has no attribute", {}),
    ("helper-attr", "hf_whoami.func", "AttributeError", "has no attribute 'func'", {}),
    # -- environment and files -----------------------------------------------------------------
    ("open-passwd", "open('/etc/passwd').read()", "RuleViolation", "files are not available", {}),
    ("open-write", "open('/tmp/hubsight-pwned', 'w').write('x')\n1", "RuleViolation", "files are not available", {}),
    ("open-environ", "json.loads(open('/proc/self/environ').read())", "RuleViolation", "files are not available", {}),
    ("os-environ", "os.environ['HF_TOKEN']", "NameError", "'os' is not defined", {}),
    ("pathlib", "pathlib.Path('/etc/passwd').read_text()", "NameError", "'pathlib' is not defined", {}),
    ("token-name", "HF_TOKEN", "NameError", "'HF_TOKEN' is not defined", {}),
    ("module-os-walk", "json.os.environ", "AttributeError", "has no attribute 'os'", {}),
    ("module-sys-walk", "re.sys.modules", "AttributeError", "has no attribute 'sys'", {}),
    ("asyncio-subprocess", "asyncio.create_subprocess_exec('sh')", "AttributeError", "create_subprocess_exec", {}),
    ("asyncio-loop", "asyncio.get_event_loop()", "AttributeError", "get_event_loop", {}),
    ("globals", "globals()['max_calls']", "RuleViolation", "globals() is not available", {}),
    # -- unsupported constructs --------------------------------------------------------------
    ("del", "x = [1]\ndel x[0]\nx", "RuleViolation", "`del` is not supported", {}),
    ("inheritance", "class A(dict):\n    pass\nA()", "RuleViolation", "inheritance", {}),
    ("generator", "def g():\n    yield 1\nlist(g())", "RuleViolation", "generators", {}),
    ("global", "x = 1\ndef f():\n    global x\n    x = 2\nf()", "RuleViolation", "`global`", {}),
    ("no-final-expression", "result = 1", "RuleViolation", "final line containing only `result`", {}),
    ("system-exit", "raise SystemExit('bye')\n1", "SystemExit", "SystemExit: bye", {}),
    # -- CPU ---------------------------------------------------------------------------------
    ("infinite-loop", "while True:\n    pass\n1", "TimeoutError", CPU, {}),
    ("huge-range", "x = 0\nfor i in range(10**12):\n    x += i\nx", "TimeoutError", CPU, {}),
    ("loop-in-function", "def spin():\n    while True:\n        pass\nspin()\n1", "TimeoutError", CPU, {}),
    ("catch-timeout", "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n1",
     "TimeoutError", CPU, {}),
    ("builtin-sum", "sum(range(10**10))", "TimeoutError", CPU, {}),
    ("factorial", "math.factorial(10**7)", "TimeoutError", CPU, {}),
    # -- memory ------------------------------------------------------------------------------
    ("string-bomb", "'x' * 10**10", "MemoryError", MEMORY, {}),
    ("list-bomb", "[0] * 10**9", "MemoryError", MEMORY, {}),
    ("bigint-bomb", "10 ** 10**10", "MemoryError", MEMORY, {}),
    ("append-bomb", "x = []\nwhile True:\n    x.append('x' * 10**7)\n1", "MemoryError", MEMORY, {}),
    ("doubling-bomb", "s = 'a'\nfor i in range(64):\n    s = s + s\n1", "MemoryError", MEMORY, {}),
    ("join-bomb", "'a'.join(['b'] * 10**8)", "MemoryError", MEMORY, {}),
    # -- recursion ---------------------------------------------------------------------------
    ("recursion", "def f(n):\n    return f(n + 1)\nf(0)", "RecursionError", "use a loop", {}),
    ("lambda-recursion", "f = lambda n: f(n + 1)\nf(0)", "RecursionError", "use a loop", {}),
    ("mutual-recursion", "def a(n):\n    return b(n)\ndef b(n):\n    return a(n)\na(0)", "RecursionError", "use a loop", {}),
    ("recursion-catch-retry",
     "def f(n):\n    try:\n        return f(n + 1)\n    except RecursionError:\n        return f(n + 1)\nf(0)",
     "TimeoutError", CPU, {}),
    ("deep-literal", "[" * 300 + "]" * 300, "SyntaxError", "syntax", {}),
    # -- huge outputs that must fail -----------------------------------------------------------
    ("print-flood", "while True:\n    print('x' * 10000)\n1", "TimeoutError", CPU, {}),
    ("set-result", "result = {'ids': {1, 2, 3}}\nresult", "ResultError", "`result['ids']`", {}),
    ("nan-result", "result = [float('nan')]\nresult", "ResultError", "NaN", {}),
    ("bytes-result", "result = b'secret'\nresult", "ResultError", ".decode()", {}),
    ("function-result", "def f():\n    return 1\nresult = f\nresult", "ResultError", "call it", {}),
    ("builtin-result", "result = print\nresult", "ResultError", "not plain data", {}),
    ("bigint-result", "result = 10 ** 5000\nresult", "ResultError", "too large for JSON", {}),
    ("deep-result", "x = []\nfor i in range(500):\n    x = [x]\nx", "ResultError", "deeper than", {}),
    ("helper-result", "result = hf_whoami\nresult", "ResultError", "call it", {}),
    ("helper-in-list-result", "result = {'f': [1, hf_models_search]}\nresult", "ResultError", "`result['f'][1]`", {}),
    ("cyclic-list-result", "x = [1]\nx.append(x)\nresult = {'a': x}\nresult", "ResultError", "`result['a'][1]`", {}),
    ("cyclic-dict-result", "d = {}\nd['self'] = d\nd", "ResultError", "cycle", {}),
    ("unawaited-helper-result", "result = hf_whoami()\nresult", "ResultError", "await", {}),
    ("shadowed-builtins-result", "type = 1\nstr = 2\nlen = 3\njson = 4\nresult = {1}\nresult", "ResultError", "list(...)", {}),
    # -- budget evasion ------------------------------------------------------------------------
    ("unawaited-loop", "for i in range(5):\n    hf_whoami()\n1", REFUSED, BUDGET, {"max_calls": 3}),
    ("gather-1000", "rs = await asyncio.gather(*[hf_whoami() for _ in range(1000)])\nlen(rs)", REFUSED, BUDGET,
     {"max_calls": 5}),
    ("await-comprehension", "rs = [await hf_whoami() for _ in range(10)]\nlen(rs)", REFUSED, BUDGET, {"max_calls": 3}),
    ("unawaited-comprehension", "x = [hf_whoami() for _ in range(10)]\n1", REFUSED, BUDGET, {"max_calls": 3}),
    ("dict-comprehension", "x = {i: hf_whoami() for i in range(10)}\n1", REFUSED, BUDGET, {"max_calls": 3}),
    ("map-lambda", "x = list(map(lambda _: hf_whoami(), range(10)))\n1", "NotImplementedError", "cannot suspend",
     {"max_calls": 3}),
    ("alias", "f = hf_whoami\nfor i in range(10):\n    await f()\n1", REFUSED, BUDGET, {"max_calls": 3}),
    ("wrapper-coroutine", "async def w():\n    return await hf_whoami()\nrs = await asyncio.gather(*[w() for _ in range(10)])\n1",
     REFUSED, BUDGET, {"max_calls": 3}),
    ("reassign-max-calls", "max_calls = 10**6\nfor i in range(max_calls):\n    await hf_whoami()\n1", REFUSED, BUDGET,
     {"max_calls": 3}),
    ("catch-and-retry", "n = 0\nwhile n < 50:\n    try:\n        await hf_whoami()\n    except Exception:\n        n += 1\nn",
     REFUSED, BUDGET, {"max_calls": 3}),
    ("sleep-loop", "for i in range(1000):\n    await asyncio.sleep(0.001)\n1", "LimitExceeded", "round trips", {"max_calls": 5}),
    ("long-sleeps", "for i in range(5):\n    await asyncio.sleep(1)\n1", "TimeoutError", "slept more than 1.5 s", {"timeout": 1.5}),
    ("zero-budget", "await hf_runtime_capabilities()", REFUSED, BUDGET, {"max_calls": 0}),
]


@pytest.mark.parametrize(("code", "kind", "fragment", "kwargs"), [pytest.param(*c[1:], id=c[0]) for c in HOSTILE])
async def test_hostile_script_is_contained(settings: Settings, code: str, kind: str, fragment: str, kwargs: dict) -> None:
    env_before = dict(os.environ)
    env = await run_script(code, settings=settings, **kwargs)
    json.dumps(env)
    if kind == REFUSED:
        assert env["meta"]["budget_exhausted"] is True, env
        if not env["ok"]:  # a script that ignores the refusals in a loop hits the round-trip limit
            assert env["error"]["type"] == "LimitExceeded", env["error"]
    else:
        assert env["ok"] is False, env
        assert env["error"]["type"] == kind, env["error"]
        assert fragment in env["error"]["message"], env["error"]
    assert env["meta"]["calls_used"] <= env["meta"]["max_calls"]
    assert len(env["meta"]["stdout"].encode()) <= settings.sandbox_stdout_bytes + 200
    assert dict(os.environ) == env_before
    assert not os.path.exists("/tmp/hubsight-pwned")
    await assert_healthy(settings)


def test_there_are_at_least_sixty_hostile_scripts() -> None:
    assert len(HOSTILE) >= 60
    assert len({c[0] for c in HOSTILE}) == len(HOSTILE)


async def test_budget_evasion_never_exceeds_the_upstream_budget(settings: Settings) -> None:
    code = "rs = await asyncio.gather(*[hf_models_search(limit=1) for _ in range(1000)])\nlen(rs)"
    env = await run_script(code, max_calls=5, settings=settings)
    meta = env["meta"]
    assert meta["calls_used"] == 5 and len(meta["calls"]) == 5 and meta["budget_exhausted"] is True


async def test_output_flood_is_capped_and_the_script_still_succeeds(settings: Settings) -> None:
    env = await run_script("for i in range(20000):\n    print('spam', i)\nresult = 'done'\nresult", settings=settings)
    assert env["ok"] and env["result"] == "done"
    assert env["meta"]["stdout_truncated"] is True
    assert len(env["meta"]["stdout"].encode()) <= settings.sandbox_stdout_bytes + 200
    await assert_healthy(settings)


async def test_huge_result_is_truncated_with_a_marker(settings: Settings) -> None:
    env = await run_script("result = ['x' * 1000 for i in range(5000)]\nresult", settings=settings)
    assert env["ok"] and env["meta"]["result_truncated"] is True
    assert env["result"][-1].startswith("…[truncated:")
    assert len(json.dumps(env["result"], ensure_ascii=False, separators=(",", ":")).encode()) <= settings.sandbox_result_bytes
    env = await run_script("result = 'y' * (5 * 10**6)\nresult", settings=settings)
    assert env["ok"] and env["result"].endswith("more characters]")
    await assert_healthy(settings)


TOKEN_PROBES = [
    "r = await hf_whoami()\nprint(r)\nresult = r\nresult",
    "r = await hf_repo_details(repo_id='nobody/nothing')\nprint(r['error'])\nresult = r\nresult",
    "r = await hf_models_search(limit='x')\nresult = r\nresult",
    "r = await hf_whoami()\nraise RuntimeError(str(r))\n1",
    "r = await hf_user_likes(limit=3)\nresult = [r, max_calls]\nresult",
    "r = await hf_recent_activity(feed_type='user', limit=2)\nresult = r\nresult",
    "print('hf_replica_' + 'julien-c')\nresult = 'hf_replica_' + 'julien-c'\nresult",  # even a guessed token is scrubbed
    "raise ValueError('hf_replica_' + 'julien-c')\n1",
    "for i in range(5):\n    await hf_whoami()\n1",
]


@pytest.mark.parametrize("code", TOKEN_PROBES)
async def test_token_appears_nowhere_in_the_envelope(settings: Settings, code: str) -> None:
    env = await run_script(code, token=TOKEN, max_calls=3, settings=settings)
    assert TOKEN not in json.dumps(env, ensure_ascii=False)


async def test_token_is_used_for_the_run_only(settings: Settings) -> None:
    env = await run_script("r = await hf_whoami()\nresult = r['item']['username']\nresult", token=TOKEN, settings=settings)
    assert env["ok"] and env["result"] == "julien-c"
    env = await run_script("r = await hf_whoami()\nresult = r['ok']\nresult", settings=settings)
    assert env["ok"] and env["result"] is False  # no token leaks from the previous run


CONCURRENT = [
    ("while True:\n    pass\n1", "TimeoutError"),
    ("'x' * 10**10", "MemoryError|TimeoutError"),
    ("def f(n):\n    return f(n + 1)\nf(0)", "RecursionError"),
    ("while True:\n    await hf_whoami()\n1", "LimitExceeded"),
    ("import os\n1", "RuleViolation"),
    ("x = []\nwhile True:\n    x.append('x' * 10**6)\n1", "MemoryError|TimeoutError"),
    ("while True:\n    print('x' * 1000)\n1", "TimeoutError"),
    ("getattr((), '_' + '_class__')", "AttributeError"),
]


async def test_concurrent_abuse_is_contained(settings: Settings) -> None:
    hostile = [run_script(code, settings=settings, max_calls=5) for code, _ in CONCURRENT for _ in range(2)]
    normal = [run_script('r = await hf_models_search(limit=2)\nresult = len(r["items"])\nresult', settings=settings)
              for _ in range(6)]
    envs = await asyncio.gather(*hostile, *normal)
    kinds = [kind for _, kind in CONCURRENT for _ in range(2)]
    for env, kind in zip(envs[: len(hostile)], kinds, strict=True):
        # under this much contention a memory bomb may hit the time limit first: both contain it
        assert env["ok"] is False and env["error"]["type"] in kind.split("|"), (kind, env["error"])
    for env in envs[len(hostile):]:
        assert env["ok"] and env["result"] == 2, env["error"]
    await assert_healthy(settings)


async def test_the_token_is_gone_from_memory_after_its_run_ends(settings: Settings) -> None:
    import gc

    from huggingface_hub import HfApi

    def holders() -> set[int]:
        gc.collect()
        return {id(o) for o in gc.get_objects() if isinstance(o, HfApi) and o.token == TOKEN}

    # (another test in this process may have made TOKEN the process's own HF_TOKEN, whose client is shared)
    before = holders()
    env = await run_script("r = await hf_whoami()\nresult = r['item']['username']\nresult", token=TOKEN, settings=settings)
    assert env["ok"] and env["result"] == "julien-c"
    assert holders() - before == set(), "a shared server must not keep a caller's token once the caller's requests end"
