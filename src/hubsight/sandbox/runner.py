"""Running one script in a Monty worker: pool, limits, helper grants, budget, output, errors.

One long-lived ``AsyncMonty`` pool (worker processes) serves every script; each script gets a
fresh checkout, so no state leaks between scripts. After a script that ended well its worker goes
back to the pool in the background, so the caller does not wait for that round trip. Every limit is
always set: Monty's defaults have no time or memory limit. Helpers are granted by name as external functions; each call is counted
the moment the script makes it (a call without ``await`` still runs). A call past ``max_calls`` does
not reach the helper: it answers an ``ok: false`` envelope (``BudgetExceeded``, ``budget_remaining``
0) and the script goes on, so what it fetched before is kept; the run's meta says
``budget_exhausted``. CPU time and host round trips still bound a script that ignores it in a loop.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import inspect
import re
import sys
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypedDict

import orjson
import pydantic_monty as monty
from typing_extensions import Unpack

from hubsight.hub.session import Run, use_run
from hubsight.sandbox import encode, results, rules
from hubsight.sandbox.envelope import Envelope, ScriptError, envelope
from hubsight.sandbox.envelope import error as _error
from hubsight.settings import Settings, get_settings

SCRIPT_NAME = "main.py"
TYPE_CHECK_LINES = 6
CLOSE_SETTLE_SECONDS = 0.1
"""Pause after closing the pool: a pool closed just before its event loop closes can abort the interpreter."""
MAX_SLEEP_SECONDS = 2.0
"""Total asyncio.sleep a script may do: sleeping holds a worker and helpers already retry."""
WIRE_JSON = ("hf_runtime_capabilities",)
"""Helpers whose answers are large: they cross into the sandbox as JSON text that the sandbox parses.
Handing Monty the 60 KB capabilities manifest as Python objects costs about 1.8 ms; as text plus a
parse inside the sandbox, about 0.7 ms. Not in type-checked runs, which check calls against the stubs."""
WIRE_PREFIX = "__hubsight_wire_"


# -- type-check stubs ---------------------------------------------------------------------------
@lru_cache(maxsize=1)
def stubs() -> str:
    """Stub text for Monty's type checker, generated from the helper registry."""
    from hubsight.helpers.registry import HELPERS
    from hubsight.helpers.runtime import signature

    lines = ["from typing import Any", "", "max_calls: int", "",
             *(f"{name}: Any" for name in encode.PRELUDE_NAMES), ""]
    for spec in HELPERS:
        sig = signature(spec)
        params = []
        for p in sig.parameters.values():
            text = f"{p.name}: {p.annotation}"
            if p.default is not inspect.Parameter.empty:
                text += f" = {p.default!r}"
            params.append(text)
        lines.append(f"async def {spec.name}({', '.join(params)}) -> {sig.return_annotation}: ...")
    # a stub's private names are not exported unless listed
    names = ["max_calls", *encode.PRELUDE_NAMES, *(spec.name for spec in HELPERS)]
    lines.append(f"__all__ = {names!r}")
    return "\n".join(lines) + "\n"


# -- per-script state ---------------------------------------------------------------------------
class _Output:
    """print() sink: keeps the first ``cap`` bytes and counts the rest."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.parts: list[str] = []
        self.kept = 0
        self.dropped = 0

    def __call__(self, stream: str, text: str) -> None:
        size = len(text.encode())
        room = self.cap - self.kept
        if size <= room:
            self.parts.append(text)
            self.kept += size
            return
        if room > 0:
            head = text.encode()[:room].decode(errors="ignore")
            self.parts.append(head)
            self.kept += len(head.encode())
            size -= len(head.encode())
        self.dropped += size

    @property
    def truncated(self) -> bool:
        return self.dropped > 0

    def text(self) -> str:
        out = "".join(self.parts)
        if self.dropped:
            out += f"\n…[stdout truncated: {self.dropped} more bytes dropped; print less]"
        return out


@dataclass
class _Script:
    """Budget, grants and in-flight helper calls of one script run."""

    run: Run
    max_calls: int
    helper_calls: int = 0
    refused: int = 0
    """Helper calls answered with BudgetExceeded instead of running."""
    lock: threading.Lock = field(default_factory=threading.Lock)
    coros: list[Coroutine[Any, Any, Any]] = field(default_factory=list)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)

    @property
    def budget_exhausted(self) -> bool:
        return self.refused > 0 or self.run.exhausted

    def grants(self, helpers: Mapping[str, Callable[..., Awaitable[dict[str, Any]]]],
               wired: tuple[str, ...] = ()) -> dict[str, Callable[..., Any]]:
        out = {name: self._grant(name, fn) for name, fn in helpers.items()}
        for name in wired:
            out[WIRE_PREFIX + name] = _as_text(out[name])
        return out

    def _grant(self, name: str, fn: Callable[..., Awaitable[dict[str, Any]]]) -> Callable[..., Any]:
        # A plain function, so the count (and the budget check) happens at the call itself,
        # awaited or not; Monty runs it off the loop, hence the lock.
        def call(*args: Any, **kwargs: Any) -> Coroutine[Any, Any, Any]:
            with self.lock:
                self.helper_calls += 1
                if self.helper_calls > self.max_calls:
                    self.refused += 1
                    coro = _refused(name, self.max_calls, self.run.calls_used)
                else:
                    coro = self._invoke(fn, args, kwargs)
                self.coros.append(coro)
                return coro

        call.__name__ = name
        return call

    async def _invoke(self, fn: Callable[..., Awaitable[dict[str, Any]]], args: tuple, kwargs: dict) -> Any:
        task = asyncio.current_task()
        if task is not None:
            self.tasks.add(task)
        try:
            with use_run(self.run):
                return await fn(*args, **kwargs)
        finally:
            if task is not None:
                self.tasks.discard(task)

    async def settle(self, wait: float) -> None:
        """Let helper calls made without await finish (up to ``wait`` seconds), then stop the rest.

        They were counted and may have reached upstream, so waiting keeps ``meta.calls`` complete.
        """
        for coro in self.coros:
            if inspect.getcoroutinestate(coro) == inspect.CORO_CREATED:
                coro.close()  # never started: closing it avoids a "never awaited" warning
        current = asyncio.current_task()
        pending = [t for t in self.tasks if t is not current and not t.done()]
        if pending and wait > 0:
            _, pending_set = await asyncio.wait(pending, timeout=wait)
            pending = list(pending_set)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=1.0)
        self.coros.clear()


def _as_text(call: Callable[..., Coroutine[Any, Any, Any]]) -> Callable[..., Coroutine[Any, Any, str]]:
    """A grant that answers its envelope as JSON text (see WIRE_JSON), counted at the call like any other."""

    def wire(*args: Any, **kwargs: Any) -> Coroutine[Any, Any, str]:
        return _dump(call(*args, **kwargs))

    wire.__name__ = call.__name__
    return wire


async def _dump(coro: Coroutine[Any, Any, Any]) -> str:
    """``[envelope, item]``: a one-row envelope's row (``item``, also ``items[0]``) is written once, not twice.

    The helper runs knowing its answer is turned into text at once, so it may answer a row it keeps
    already rendered (``SERIALIZED_AT_ONCE``)."""
    from hubsight.helpers.runtime import SERIALIZED_AT_ONCE

    at_once = SERIALIZED_AT_ONCE.set(True)
    try:
        env = await coro
    finally:
        SERIALIZED_AT_ONCE.reset(at_once)
    item = env.get("item") if isinstance(env, dict) else None
    items = env.get("items") if item is not None else None
    if isinstance(items, list) and len(items) == 1 and items[0] is item:
        return orjson.dumps([{**env, "item": None, "items": []}, item]).decode()
    return orjson.dumps([env, None]).decode()


def _wire_defs(wired: tuple[str, ...]) -> str:
    """The sandbox side of WIRE_JSON: each helper under its own name, rebuilding the envelope its grant
    wrote as text (the row once more shared by ``item`` and ``items``, as a converted envelope has it)."""
    return "".join(
        f"async def {name}(*args, **kwargs):\n"
        f"    env, item = __hubsight_json.loads(await {WIRE_PREFIX}{name}(*args, **kwargs))\n"
        f"    if item is not None:\n"
        f"        env['item'] = item\n"
        f"        env['items'] = [item]\n"
        f"    return env\n"
        for name in wired
    )


async def _refused(name: str, max_calls: int, upstream_used: int) -> Any:
    """The answer to a helper call past max_calls: the helper's own envelope shape, never run."""
    from hubsight.helpers.runtime import refusal

    return refusal(
        name,
        f"{name}: call budget exhausted: {max_calls} of max_calls={max_calls} helper calls used "
        f"({upstream_used} upstream requests); this call did not run. Return what you have with its "
        "coverage, make fewer calls (check max_calls before looping), or ask for a larger max_calls",
        "BudgetExceeded", budget_used=0, budget_remaining=0, elapsed_ms=0.0,
    )


# -- errors -------------------------------------------------------------------------------------
def _at(line: int | None, message: str) -> str:
    return f"line {line}: {message}" if line else message


def _script_line(frames: list[monty.Frame], offset: int) -> int | None:
    """The script's line of the innermost frame in the script, not in the prelude fed before it."""
    for frame in reversed(frames):
        if frame.line > offset:
            return frame.line - offset
    return None


def _runtime_error(exc: monty.MontyRuntimeError, limits: _Limits, offset: int = 0) -> ScriptError:
    inner = exc.exception()
    kind = type(inner).__name__
    message = exc.display("msg")
    line = _script_line(exc.traceback(), offset)
    if kind == "TimeoutError" and "time limit exceeded" in message:
        return _error(
            "TimeoutError",
            f"the script computed for more than {limits.cpu_seconds:g} s (CPU limit; time awaiting helpers is not "
            f"counted): avoid unbounded loops and heavy work over large lists ({message})",
            None,
        )
    if kind == "TimeoutError" and "sleep" in message:
        return _error(
            "TimeoutError",
            _at(line, f"the script slept more than {limits.sleep_seconds:g} s in total: do not sleep in scripts, helpers "
                      f"already retry ({message})"),
            line,
        )
    if kind == "MemoryError" and "worker exceeded its memory limit" in message:
        # the worker was stopped, not the script: so was turning the result into JSON, whose text can
        # outgrow the worker before the sandbox raises (Monty's json.dumps of text that needs escaping)
        return _error(
            "MemoryError",
            f"the script, or turning its result into JSON, needed more than {limits.memory_mb} MB of memory: fetch "
            f"fewer rows, keep less in lists, and return fewer or smaller values ({message})",
            None,
        )
    if kind == "MemoryError":
        return _error(
            "MemoryError",
            _at(line, f"the script needed more than {limits.memory_mb} MB of memory: fetch fewer rows "
                      f"(smaller limit, fewer fields) and keep less in lists ({message})"),
            line,
        )
    if kind == "RecursionError":
        return _error(
            "RecursionError",
            _at(line, f"function calls nested deeper than {limits.recursion_depth}: use a loop instead of recursion"),
            line,
        )
    if kind == "RuntimeError" and "suspension limit" in message:
        return _error(
            "LimitExceeded",
            f"the script made more than {limits.suspensions} round trips to the host (helper calls, sleeps): "
            "make fewer calls",
            line,
        )
    if kind == "NotImplementedError" and "does not yet support" in message:
        return _error("UnsupportedSyntax", _at(line, f"{message}: rewrite it with simpler Python"), line)
    text = exc.display("type-msg")
    if kind == "NameError":
        text += _name_hint(message)
    return _error(kind, _at(line, text), line)


_UNDEFINED = re.compile(r"name '(\w+)' is not defined")


def _name_hint(message: str) -> str:
    """What a script meant by a name that is not defined: the helper it misspelled, or the module
    function it called without its module (``gather`` for ``asyncio.gather``)."""
    from hubsight.helpers.registry import closest
    from hubsight.sandbox.rules import MODULE_FUNCTIONS

    found = _UNDEFINED.search(message)
    name = found.group(1) if found else ""
    if name.startswith("hf_"):
        close = closest(name)
        guess = f"did you mean {close}? " if close else ""
        return f"; {guess}only the documented hf_* helpers exist (hf_runtime_capabilities() lists them)"
    module = MODULE_FUNCTIONS.get(name)
    return f"; write {module}.{name} ({module} is in scope, no import needed)" if module else ""


class _ConversionError(Exception):
    """The converter's feed failed: the script itself had ended well, so no line of it is to blame."""

    def __init__(self, error: monty.MontyRuntimeError) -> None:
        super().__init__(str(error))
        self.error = error


def _conversion_error(exc: monty.MontyRuntimeError, limits: _Limits) -> ScriptError:
    kind = type(exc.exception()).__name__
    message = exc.display("msg")
    if kind == "MemoryError":
        return _error(
            "MemoryError",
            f"the script ran, but turning its result into JSON needed more than {limits.memory_mb} MB of memory: "
            f"return fewer or smaller values ({message})",
            None,
        )
    if kind == "TimeoutError" and "time limit exceeded" in message:
        return _runtime_error(exc, limits)
    return _error(kind, f"the script ran, but its result could not be turned into JSON: {exc.display('type-msg')}", None)


_TYPE_LINE = re.compile(r":(\d+):\d+:")


def _typing_error(exc: monty.MontyTypingError) -> ScriptError:
    lines = [ln for ln in exc.display().splitlines() if ln.strip()]
    shown = lines[:TYPE_CHECK_LINES]
    if len(lines) > TYPE_CHECK_LINES:
        shown.append(f"... and {len(lines) - TYPE_CHECK_LINES} more")
    match = _TYPE_LINE.search(lines[0]) if lines else None
    line = int(match.group(1)) if match else None
    text = "\n".join(ln.replace(f"{SCRIPT_NAME}:", "line ", 1) for ln in shown)
    return _error("TypeCheckError", f"type check failed; fix these and retry:\n{text}", line)


# -- limits -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Limits:
    cpu_seconds: float
    memory_mb: int
    recursion_depth: int
    suspensions: int
    wall_seconds: float

    @property
    def sleep_seconds(self) -> float:
        return min(self.wall_seconds, MAX_SLEEP_SECONDS)

    @classmethod
    def of(cls, settings: Settings, max_calls: int, timeout: float) -> _Limits:
        return cls(
            cpu_seconds=settings.sandbox_cpu_seconds,
            memory_mb=settings.sandbox_memory_mb,
            recursion_depth=settings.sandbox_recursion_depth,
            # helper calls, their futures, sleeps and name lookups: helper calls are bounded by the budget
            suspensions=2 * max_calls + 100,
            wall_seconds=timeout,
        )

    def monty(self) -> monty.ResourceLimits:
        return {
            "max_feed_duration_secs": self.cpu_seconds,
            "max_memory": self.memory_mb * 1024 * 1024,
            "max_recursion_depth": self.recursion_depth,
            "max_suspensions": self.suspensions,
            "max_total_sleep_secs": self.sleep_seconds,
        }


# -- the runner ---------------------------------------------------------------------------------
class RunOptions(TypedDict, total=False):
    """The keyword options of one run (``SandboxRunner.run``, ``run_script``); each may be left out.

    ``max_calls`` (default ``settings.max_calls``, clamped to ``settings.max_calls_ceiling``) bounds both
    helper calls and upstream requests; ``timeout`` is wall-clock seconds (default
    ``settings.sandbox_timeout``); ``token`` is the Hub token for this run only; ``settings`` defaults to
    the runner's (else ``get_settings()``); ``type_check`` (default False) runs Monty's type checker with
    stubs generated from the helper registry first.
    """

    max_calls: int | None
    timeout: float | None
    token: str | None
    settings: Settings | None
    type_check: bool


class SandboxRunner:
    """A pool of Monty workers and the way to run scripts in it. Close it (or use ``async with``)."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        helpers: Mapping[str, Callable[..., Awaitable[dict[str, Any]]]] | None = None,
    ) -> None:
        """``settings`` configures the pool (default: the first run's); ``helpers`` replaces the registry's
        (benchmarks and tests grant stubs)."""
        self._settings = settings
        self._helpers = dict(helpers) if helpers is not None else None
        self._pool: monty.AsyncMonty | None = None
        self._starting: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()
        self._closed = False
        self._atexit: Callable[[], None] | None = None
        self._releasing: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> SandboxRunner:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def started(self) -> bool:
        return self._pool is not None

    async def _ensure_pool(self, settings: Settings) -> monty.AsyncMonty:
        if self._pool is not None:
            return self._pool
        lock = self._starting.setdefault(asyncio.get_running_loop(), asyncio.Lock())
        async with lock:
            if self._pool is None:
                conf = self._settings or settings
                pool = monty.AsyncMonty(
                    min_processes=min(conf.sandbox_warm_workers, conf.sandbox_workers),
                    max_processes=conf.sandbox_workers,
                    checkout_timeout=conf.sandbox_queue_timeout,
                    max_checkouts_per_worker=500,
                )
                await pool.__aenter__()
                self._pool = pool
                self._closed = False
                # Never closed explicitly (a CLI run, a script): close before interpreter teardown.
                self._atexit = self._close_at_exit
                atexit.register(self._atexit)
        return self._pool

    async def close(self) -> None:
        """Stop the workers. The runner starts a new pool if used again."""
        pool, self._pool = self._pool, None
        if self._atexit is not None:
            atexit.unregister(self._atexit)
            self._atexit = None
        loop = asyncio.get_running_loop()
        releasing = [t for t in self._releasing if t.get_loop() is loop and not t.done()]
        if releasing:  # workers on their way back: let them arrive before the pool stops
            await asyncio.wait(releasing, timeout=5.0)
        if pool is not None and not self._closed:
            self._closed = True
            with contextlib.suppress(Exception):
                await pool.__aexit__(None, None, None)
            await asyncio.sleep(CLOSE_SETTLE_SECONDS)

    def _close_at_exit(self) -> None:
        if self._pool is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run(self.close())

    async def run(self, code: str, **options: Unpack[RunOptions]) -> Envelope:
        """Run one script with ``options`` (``RunOptions``: ``max_calls``, ``timeout``, ``token``,
        ``settings``, ``type_check``); always returns the envelope ``{ok, result, error, meta}``, never
        raises (an unknown option is a ``TypeError``, as for any misspelt keyword)."""
        if unknown := options.keys() - RunOptions.__optional_keys__:
            raise TypeError(f"run() got unexpected keyword arguments: {', '.join(sorted(unknown))}")
        max_calls, token = options.get("max_calls"), options.get("token")
        began = time.perf_counter()
        try:
            return await self._run(code, max_calls, options.get("timeout"), token, options.get("settings"),
                                   options.get("type_check", False), began)
        except Exception as exc:  # the envelope is the only way out (settings that fail to load, bugs)
            error = _error("InternalError", f"the sandbox failed unexpectedly ({type(exc).__name__}: {exc}); retry")
            meta = {"calls_used": 0, "max_calls": max_calls, "helper_calls": 0, "calls": [], "stdout": "",
                    "elapsed_ms": round((time.perf_counter() - began) * 1000, 2), "budget_exhausted": False}
            failed = envelope(False, None, error, meta)
            return _redact(failed, [token]) if isinstance(token, str) and token else failed

    async def _run(
        self,
        code: str,
        max_calls: int | None,
        timeout: float | None,
        token: str | None,
        settings: Settings | None,
        type_check: bool,
        began: float,
    ) -> Envelope:
        if settings is None:
            if self._settings is None:
                self._settings = get_settings()  # once: building settings costs milliseconds
            settings = self._settings
        requested = settings.max_calls if max_calls is None else max_calls
        valid_budget = isinstance(requested, int) and not isinstance(requested, bool)
        budget = max(0, min(requested, settings.max_calls_ceiling)) if valid_budget else 0
        run = Run(max_calls=budget, token=token, settings=settings)
        script = _Script(run=run, max_calls=budget)
        output = _Output(settings.sandbox_stdout_bytes)
        meta_extra: dict[str, Any] = {}
        if valid_budget and requested != budget:
            meta_extra["max_calls_requested"] = requested
            meta_extra["max_calls_clamped"] = True
        ok, result, error = False, None, None
        wall = settings.sandbox_timeout if timeout is None else timeout
        try:
            if not valid_budget:
                error = _error("InvalidArgument", f"max_calls must be a whole number of calls, got {max_calls!r}")
            else:
                ok, result, error, extra = await self._execute(code, script, output, settings, budget, wall, type_check)
                meta_extra.update(extra)
        except Exception as exc:  # the envelope is the only way out
            error = _error("InternalError", f"the sandbox failed unexpectedly ({type(exc).__name__}: {exc}); retry")
        finally:
            timed_out = error is not None and error["type"] == "TimeoutError"
            valid = isinstance(wall, int | float) and not timed_out
            with contextlib.suppress(Exception):
                await script.settle(wall - (time.perf_counter() - began) if valid else 0.0)
        meta = {
            "calls_used": run.calls_used,
            "max_calls": budget,
            "helper_calls": script.helper_calls,
            "elapsed_ms": round((time.perf_counter() - began) * 1000, 2),
            "calls": [c.as_dict() for c in list(run.trace)],
            "stdout": output.text(),
            **({"stdout_truncated": True} if output.truncated else {}),
            "budget_exhausted": script.budget_exhausted,
            **meta_extra,
        }
        answer = envelope(ok, result, error, meta)
        secrets = [s for s in (token, settings.hf_token) if isinstance(s, str) and s]
        return _redact(answer, secrets) if secrets else answer

    async def _execute(
        self,
        code: str,
        script: _Script,
        output: _Output,
        settings: Settings,
        budget: int,
        wall: Any,
        type_check: bool,
    ) -> tuple[bool, Any, ScriptError | None, dict[str, Any]]:
        if not isinstance(code, str):
            return False, None, _error("InvalidArgument", "the script must be a string of Python source"), {}
        if isinstance(wall, bool) or not isinstance(wall, int | float) or not wall > 0 or wall != wall:
            return False, None, _error("InvalidArgument", f"timeout must be a positive number of seconds, got {wall!r}"), {}
        report = rules.analyse(code)
        violations = report.violations
        if violations:
            first = violations[0]
            kind = "SyntaxError" if first.rule == "syntax" else "RuleViolation"
            extra: dict[str, Any] = {"violations": [v.as_dict() for v in violations]}
            if report.omitted:
                extra["violations_omitted"] = report.omitted
            return False, None, _error(kind, rules.describe(violations, report.omitted), first.line), extra
        limits = _Limits.of(settings, budget, wall)
        if self._helpers is None:
            from hubsight.helpers import helper_functions

            self._helpers = helper_functions()
        # only the helpers the script names: no other name can reach one (no globals(), getattr on
        # modules or eval), so the rest would be closures built for nothing
        named = {name: fn for name, fn in self._helpers.items() if name in report.names}
        wired = () if type_check else tuple(n for n in WIRE_JSON if n in named)
        grants = script.grants(named, wired)
        # Scripts may not import, so the modules they name are bound for them first, with the builtins
        # the result's conversion uses (under names scripts cannot touch). The prelude goes in the
        # script's own feed (one round trip less; error lines are shifted back), except in a
        # type-checked run, where the checker must see the script alone.
        prelude = "".join(f"import {m}\n" for m in report.modules) + encode.PRELUDE + _wire_defs(wired)
        offset = 0 if type_check else prelude.count("\n")
        pool = await self._ensure_pool(settings)
        checkout = pool.checkout(
            script_name=SCRIPT_NAME,
            limits=limits.monty(),
            type_check=type_check,
            type_check_stubs=stubs() if type_check else None,
            type_check_format="concise",
            os_policy={"sleep": "system", "sleep_system_max": limits.sleep_seconds},
        )
        entered = False
        try:
            async with self._session(checkout) as session:
                entered = True
                depth = max(1, min(results.MAX_DEPTH, settings.sandbox_recursion_depth - 10))
                assert report.tree is not None
                prepared = encode.prepare(code, report.tree, settings.sandbox_result_bytes)
                async with asyncio.timeout(wall):  # on this task: wait_for would start another one
                    converted = await self._feed(session, prepared, prelude, bool(offset), grants, output, budget,
                                                 settings.sandbox_result_bytes, depth, offset + code.count("\n") + 1)
        except TimeoutError:
            if not entered:
                return False, None, _error(
                    "Busy",
                    f"all {settings.sandbox_workers} sandbox workers stayed busy for {settings.sandbox_queue_timeout:g} s; "
                    "retry shortly",
                ), {}
            return False, None, _error(
                "TimeoutError",
                f"the script ran longer than {wall:g} s of wall-clock time (helper calls included): make fewer or "
                "smaller helper calls, and run independent calls together with asyncio.gather",
            ), {}
        except monty.MontyTypingError as exc:
            return False, None, _typing_error(exc), {}
        except monty.MontySyntaxError as exc:
            line = _script_line(exc.traceback(), offset)
            return False, None, _error("SyntaxError", _at(line, f"{exc.display('msg')}; fix the Python syntax"), line), {}
        except _ConversionError as exc:
            return False, None, _conversion_error(exc.error, limits), {}
        except monty.MontyRuntimeError as exc:
            return False, None, _runtime_error(exc, limits, offset), {}
        except monty.MontyCrashedError as exc:
            if exc.timed_out:
                return False, None, _error("TimeoutError", f"the sandbox worker stopped answering and was killed ({exc})"), {}
            return False, None, _error(
                "SandboxCrashed",
                f"the sandbox worker died ({exc}): the script probably used too much memory; fetch and keep less",
            ), {}
        except monty.MontyError as exc:
            return False, None, _error("SandboxError", f"{type(exc).__name__}: {exc}"), {}
        converted_ok, plain, error, extra = _convert(converted, settings)
        return converted_ok, plain, error, extra

    @contextlib.asynccontextmanager
    async def _session(self, checkout: monty.AsyncMontySession) -> AsyncIterator[monty.AsyncMontySession]:
        """The checked-out session; after a feed that ended well, the worker goes back to the pool in the
        background (a round trip to the worker the caller need not wait for). After a failure, at once."""
        session = await checkout.__aenter__()
        try:
            yield session
        except BaseException:
            if not await checkout.__aexit__(*sys.exc_info()):
                raise
        else:
            # A task, not the bare future: a loop that ends first (asyncio.run) cancels and settles it,
            # where a release still pending on a closed loop would abort the interpreter.
            task = asyncio.get_running_loop().create_task(_release(checkout))
            self._releasing.add(task)
            task.add_done_callback(self._releasing.discard)

    async def _feed(
        self,
        session: monty.AsyncMontySession,
        code: str,
        prelude: str,
        merged: bool,
        grants: dict[str, Callable[..., Any]],
        output: _Output,
        budget: int,
        room: int,
        depth: int,
        last: int,
    ) -> encode.Decoded | Any:
        """The script's result: the fast way, else the converter. ``last`` is the script's last line as
        the worker counts it (the prelude included): lines past it are the fast way's own."""
        if merged:
            code = prelude + code
        else:
            await session.feed_run(prelude, print_callback=output)
        try:
            out = await session.feed_run(code, inputs={"max_calls": budget}, external_lookup=grants,
                                         print_callback=output)
        except monty.MontyRuntimeError as exc:
            # the fast way's json.dumps builds the whole text before it is cut: a value small in memory
            # but huge as JSON (one string shared 200,000 times) runs out of memory there, past the
            # script's last line. The value is still bound: the converter stops at the cap instead.
            frames = exc.traceback()
            if not (type(exc.exception()).__name__ == "MemoryError" and frames and frames[-1].line > last):
                raise
            out = None
        else:
            fast = encode.fast_result(out, room)
            if fast is not None:
                return fast
        # not plain JSON as it is, or too big: the converter checks it and stops at the cap (its own
        # feed, under the same limits, in the worker: never on this event loop)
        try:
            return await session.feed_run(encode.slow(room, depth), print_callback=output, skip_type_check=True)
        except monty.MontyRuntimeError as exc:
            raise _ConversionError(exc) from exc


async def _release(checkout: monty.AsyncMontySession) -> None:
    with contextlib.suppress(Exception):  # a worker that fails to reset is the pool's to replace
        await checkout.__aexit__(None, None, None)


def _convert(value: Any, settings: Settings) -> tuple[bool, Any, ScriptError | None, dict[str, Any]]:
    try:
        converted = value if isinstance(value, encode.Decoded) else encode.decode(value, settings.sandbox_result_bytes)
    except results.ResultError as exc:
        return False, None, _error("ResultError", f"the result is not plain data: {exc}"), {}
    extra: dict[str, Any] = {}
    if converted.truncated:
        extra = {"result_truncated": True, "result_bytes": converted.size}
    return True, converted.value, None, extra


def _redact(value: Any, secrets: list[str]) -> Any:
    """The envelope with every secret string replaced: the token must never reach the caller's script output."""
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, "[redacted]")
        return value
    if isinstance(value, dict):
        return {_redact(k, secrets): _redact(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, secrets) for v in value]
    return value
