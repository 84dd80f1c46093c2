"""The AST rules: what they reject, and that their messages say how to fix it."""

from __future__ import annotations

import pytest

from hubsight.sandbox.rules import MAX_SCRIPT_BYTES, analyse, check, describe

OK_SCRIPTS = [
    'resp = await hf_models_search(limit=min(max_calls, 10))\nresult = resp["items"]\nresult',
    "rs = await asyncio.gather(hf_whoami(), hf_trending(limit=3))\nresult = [r['ok'] for r in rs]\nresult",
    "def pick(rows):\n    return [r for r in rows if r.get('likes', 0) > 3]\nresult = pick([])\nresult",
    "class Row:\n    def __init__(self, a):\n        self.a = a\nresult = Row(1).a\nresult",
    "total = sum(x * x for x in range(10))\nresult = {'total': total}\nresult",
    "try:\n    x = 1 / 0\nexcept ZeroDivisionError:\n    x = None\nresult = x\nresult",
    "result = json.dumps({'a': 1}) + str(math.floor(2.5)) + re.sub('a', 'b', 'aa')\nresult",
    "result = getattr({'a': 1}, 'get')('a')\nresult",
    "if max_calls > 3:\n    result = 1\nelse:\n    result = 2\nresult",
    "await hf_whoami()",
]


@pytest.mark.parametrize("code", OK_SCRIPTS)
def test_prompt_style_scripts_pass(code: str) -> None:
    assert check(code) == []


CASES = [
    ("import json\nresult = 1\nresult", "import", 1, "remove `import json`"),
    ("from os import path\n1", "import", 1, "remove `from os import path`"),
    ("from json import dumps\ndumps(1)", "import", 1, "json is already in scope, so write `json.dumps`"),
    ("def f():\n    import os\n    return 1\nf()", "import", 2, "imports are not available"),
    ("x = __import__('os')\nx", "forbidden-name", 1, "imports are not available"),
    ("exec('x = 1')\n1", "forbidden-name", 1, "write the code directly"),
    ("eval('1 + 1')", "forbidden-name", 1, "write the expression directly"),
    ("compile('1', 'f', 'eval')", "forbidden-name", 1, "compiling"),
    ("f = eval\nf('1')", "forbidden-name", 1, "`eval`"),
    ("open('/etc/passwd').read()", "forbidden-name", 1, "files are not available"),
    ("globals()", "forbidden-name", 1, "globals()"),
    ("locals()", "forbidden-name", 1, "locals()"),
    ("vars()", "forbidden-name", 1, "vars()"),
    ("breakpoint()\n1", "forbidden-name", 1, "debugger"),
    ("input()", "forbidden-name", 1, "interactive input"),
    ("help(hf_whoami)", "forbidden-name", 1, "help()"),
    ("exit()\n1", "forbidden-name", 1, "final `result` line"),
    ("quit()\n1", "forbidden-name", 1, "final `result` line"),
    ("().__class__.__bases__", "dunder", 1, "`__`"),
    ("__builtins__", "dunder", 1, "`__builtins__`"),
    ("getattr((), '__class__')", "dunder", 1, "`getattr`"),
    ("setattr(x, '__dict__', {})\n1", "dunder", 1, "`setattr`"),
    ("delattr(x, '__doc__')\n1", "dunder", 1, "`delattr`"),
    ("'{0.__class__}'.format(1)", "dunder", 1, "format strings"),
    ("f'{(1).__class__}'", "dunder", 1, "`__`"),
    ("x = [1]\ndel x[0]\nx", "del", 2, "rebind instead"),
    ("class A(dict):\n    pass\n1", "inheritance", 1, "without bases"),
    ("class A(metaclass=M):\n    pass\n1", "inheritance", 1, "without bases"),
    ("async def f():\n    async with x:\n        pass\n1", "async-with", 2, "await the helpers directly"),
    ("async def f():\n    async for y in x:\n        pass\n1", "async-for", 2, "plain `for`"),
    ("def g():\n    yield 1\n1", "generator", 2, "build and return a list"),
    ("def g():\n    yield from [1]\n1", "generator", 2, "build and return a list"),
    ("x = 1\ndef f():\n    global x\n    x = 2\n1", "global", 3, "return values"),
    ("def f():\n    y = 1\n    def g():\n        nonlocal y\n    return y\n1", "nonlocal", 4, "return values"),
    ("result = 1", "final-expression", 1, "add a final line containing only `result`"),
    ("if True:\n    result = 1\n    result", "final-expression", 3, "outside every if/loop/try block"),
    ("def f():\n    return 1", "final-expression", 2, "only an expression"),
    ("", "final-expression", None, "the script is empty"),
    ("def f(:\n    pass\n1", "syntax", 1, "syntax error"),
    ("x = (1\n", "syntax", 1, "fix the Python syntax"),
]


@pytest.mark.parametrize(("code", "rule", "line", "hint"), CASES)
def test_violation_names_rule_line_and_fix(code: str, rule: str, line: int | None, hint: str) -> None:
    found = check(code)
    assert found, code
    hit = next((v for v in found if v.rule == rule), None)
    assert hit is not None, [v.rule for v in found]
    assert hit.line == line
    assert hint in hit.message
    if line:
        assert hit.message.startswith(f"line {line}: ")


def test_all_violations_reported_in_source_order() -> None:
    found = check("import os\nx = eval('1')\ndel x\nresult = 1")
    assert [v.rule for v in found] == ["import", "forbidden-name", "del", "final-expression"]
    assert [v.line for v in found] == [1, 2, 3, 4]
    message = describe(found)
    assert message.splitlines()[0].startswith("line 1: imports are not available")
    assert len(message.splitlines()) == 4


def test_describe_caps_long_lists() -> None:
    code = "\n".join(f"import m{i}" for i in range(15)) + "\n1"
    message = describe(check(code))
    assert message.endswith("... and 5 more")


def test_oversized_and_unparseable_sources() -> None:
    assert check("1\n" * (MAX_SCRIPT_BYTES // 2 + 1))[0].rule == "script-size"
    assert check("x = 1\x00\n1")[0].rule == "syntax"
    deep = "[" * 500 + "]" * 500
    assert check(deep)[0].rule == "syntax"


def test_analyse_names_only_the_prelude_modules_a_script_uses() -> None:
    assert analyse("result = 1\nresult").modules == ()
    code = "rs = await asyncio.gather(hf_whoami())\nresult = json.dumps(len(rs))\nresult"
    assert analyse(code).modules == ("asyncio", "json")
    assert analyse("import os\n1").modules == ()  # rejected scripts get no prelude


def test_violations_are_capped_and_counted_and_checked_in_linear_time() -> None:
    from hubsight.sandbox.rules import MAX_VIOLATIONS

    # 20,000 violations: looking the source up once per violation made this quadratic (no answer in 60 s)
    report = analyse("import os\n" * 20_000 + "1")
    assert len(report.violations) == MAX_VIOLATIONS
    assert report.omitted == 20_000 - MAX_VIOLATIONS
    assert report.violations[0].message.startswith("line 1: ") and "remove `import os`" in report.violations[0].message
    text = describe(report.violations, report.omitted)
    assert text.endswith(f"... and {20_000 - 10} more") and len(text.splitlines()) == 11
