"""The secure script runtime: LLM-written scripts run in Monty workers with the hf_* helpers granted.

    import asyncio
    from hubsight.sandbox import run_script
    out = asyncio.run(run_script('resp = await hf_models_search(limit=3)\\nresult = resp["items"]\\nresult'))
    print(out["ok"], out["result"], out["meta"]["calls_used"])

This package is the only code that imports pydantic_monty. Every door (CLI, HTTP, MCP) calls
``run_script`` and gets one envelope back (``envelope.Envelope``): ``{"ok", "result", "error", "meta"}``, where ``error`` is
``None`` or ``{"type", "message", "line"}`` and ``meta`` holds ``calls_used``, ``max_calls``,
``helper_calls``, ``budget_exhausted`` (a helper call or request was refused for the budget),
``elapsed_ms``, ``calls`` (the upstream request trace) and ``stdout``.

The worker pool starts on first use and is shared by the whole process; ``await close()`` stops it
(otherwise an exit hook does). Scripts never see the token: it is given to the run's Hub session only,
and scrubbed from everything the envelope carries.
"""

from __future__ import annotations

from typing_extensions import Unpack

from hubsight.sandbox.envelope import Envelope, ScriptError
from hubsight.sandbox.results import ResultError, convert, to_plain
from hubsight.sandbox.rules import RuleViolation, check
from hubsight.sandbox.runner import RunOptions, SandboxRunner, stubs

__all__ = [
    "Envelope",
    "ResultError",
    "RuleViolation",
    "RunOptions",
    "SandboxRunner",
    "ScriptError",
    "check",
    "close",
    "convert",
    "default_runner",
    "run_script",
    "stubs",
    "to_plain",
]

_default: SandboxRunner | None = None


def default_runner() -> SandboxRunner:
    """The process-wide runner ``run_script`` uses (created on first call; its pool starts on first run)."""
    global _default
    if _default is None:
        _default = SandboxRunner()
    return _default


async def run_script(code: str, **options: Unpack[RunOptions]) -> Envelope:
    """Run one script and return its envelope. Never raises (except when the caller cancels it).

    ``max_calls`` defaults to ``settings.max_calls`` and is clamped to ``settings.max_calls_ceiling``;
    it bounds both helper calls and upstream requests. ``timeout`` is wall-clock seconds
    (default ``settings.sandbox_timeout``). ``token`` is the Hub token for this run only.
    ``settings`` defaults to ``get_settings()``. ``type_check`` runs Monty's type checker with stubs
    generated from the helper registry first. The options are declared once, as ``RunOptions``.
    """
    return await default_runner().run(code, **options)


async def close() -> None:
    """Stop the default runner's worker pool (it restarts on the next run)."""
    if _default is not None:
        await _default.close()
