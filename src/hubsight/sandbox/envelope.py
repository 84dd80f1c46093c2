"""The envelope a script run answers, declared once.

``run_script`` returns an ``Envelope``; the MCP server publishes it as ``hub_query``'s output schema and
the HTTP API as ``POST /v1/query``'s response model, both from these types (no copy of them).
"""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict  # pydantic reads nested TypedDicts from typing_extensions before 3.12

__all__ = ["Envelope", "ScriptError", "envelope", "error", "over_http"]


class ScriptError(TypedDict):
    """Why the script failed: a kind (``RuleViolation``, ``TimeoutError``, ...), a message saying what to
    change, and the script's line when there is one."""

    type: str
    message: str
    line: int | None


class Envelope(TypedDict):
    """What ``run_script`` returns: ``ok``, the script's ``result`` (plain JSON data), the ``error`` (None
    when ok) and ``meta``: calls_used, max_calls, helper_calls, budget_exhausted, elapsed_ms, calls (the
    upstream request trace), stdout, and more when they apply (result_truncated, max_calls_clamped, ...)."""

    ok: bool
    result: Any
    error: ScriptError | None
    meta: dict[str, Any]


def error(kind: str, message: str, line: int | None = None) -> ScriptError:
    return ScriptError(type=kind, message=message, line=line)


def envelope(ok: bool, result: Any, error: ScriptError | None, meta: dict[str, Any]) -> Envelope:
    return Envelope(ok=ok, result=result, error=error, meta=meta)


def over_http(envelope: Any) -> Any:
    """The envelope as a caller over HTTP (the API, MCP over HTTP) reads it: where hubsight says what to do
    about a token (the script's error, or the error of a helper's envelope inside its result), it says to
    send the Bearer header instead (``errors.HTTP_HINTS``). The script's own data is left as it is."""
    from hubsight.errors import HTTP_HINTS

    def advise(text: Any) -> Any:
        if isinstance(text, str):
            for hint, instead in HTTP_HINTS.items():
                text = text.replace(hint, instead)
        return text

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            out = {k: walk(v) for k, v in value.items()}
            if value.get("ok") is False and isinstance(value.get("meta"), dict) and "error_type" in value["meta"]:
                out["error"] = advise(value.get("error"))  # a helper's failed envelope
            return out
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    if not isinstance(envelope, dict):
        return envelope
    out = {**envelope, "result": walk(envelope.get("result"))}
    if isinstance(envelope.get("error"), dict):
        out["error"] = {**envelope["error"], "message": advise(envelope["error"].get("message"))}
    return out
