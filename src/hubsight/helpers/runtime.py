"""Turning declarations into callable helpers: signature, validation, run context, envelope.

A helper never raises: whatever goes wrong comes back as ``{"ok": False, ..., "error": "..."}``
with a message that names the problem and what to do about it.
"""

from __future__ import annotations

import importlib
import inspect
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypedDict

from hubsight.errors import HubsightError
from hubsight.helpers import contracts, models
from hubsight.helpers.spec import REQUIRED, Helper
from hubsight.hub.client import HubClient
from hubsight.hub.session import Run, counting, current_run, use_run
from hubsight.settings import Settings, get_settings

Impl = Callable[..., Awaitable[dict[str, Any]]]


class HelperEnvelope(TypedDict):
    """What every helper returns; ``item`` is the row when there is exactly one."""

    ok: bool
    item: dict[str, Any] | None
    items: list[dict[str, Any]]
    meta: dict[str, Any]
    error: str | None


ENVELOPE = "{" + ", ".join(HelperEnvelope.__annotations__) + "}"
SERIALIZED_AT_ONCE: ContextVar[bool] = ContextVar("hubsight_serialized_at_once", default=False)
"""True while the sandbox calls a helper whose envelope it turns into JSON text at once (runner.WIRE_JSON):
nothing can change the answer before then, so a helper may answer rows it keeps for every call, as
pre-rendered ``orjson.Fragment`` JSON, instead of a fresh copy for the caller to own."""


def envelope(items: list[dict[str, Any]], meta: dict[str, Any], error: str | None = None) -> HelperEnvelope:
    """The one place a helper envelope is built: ok with rows, or (``error`` given) a failure with none."""
    if error is not None:
        return HelperEnvelope(ok=False, item=None, items=[], meta=meta, error=error)
    return HelperEnvelope(ok=True, item=items[0] if len(items) == 1 else None, items=items, meta=meta, error=None)


def refusal(name: str, message: str, kind: str, **meta: Any) -> HelperEnvelope:
    """A call answered without running: the helper's envelope with ``error_type`` ``kind``."""
    return envelope([], {"helper": name, "error_type": kind, **meta}, message)


def signature(spec: Helper) -> inspect.Signature:
    params = [
        inspect.Parameter(
            p.name,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            default=inspect.Parameter.empty if p.default is REQUIRED else p.default,
            annotation=p.annotation,
        )
        for p in spec.params
    ]
    return inspect.Signature(params, return_annotation="dict[str, Any]")


@dataclass
class Ctx:
    """What an implementation gets: validated arguments, the Hub client, and envelope builders."""

    spec: Helper
    args: dict[str, Any]
    client: HubClient
    run: Run
    settings: Settings
    started: float = field(default_factory=time.perf_counter)
    spent: list[int] = field(default_factory=lambda: [0])
    """The requests this call charged (``session.counting``): calls gathered beside it are not in it."""
    source: str | None = None
    passed: frozenset[str] = frozenset()
    """Arguments the caller actually gave (the rest are declared defaults)."""

    @property
    def fields(self) -> list[str]:
        chosen = self.args.get("fields")
        return list(chosen) if chosen else list(self.spec.default_fields)

    @property
    def where(self) -> list[contracts.Condition]:
        return contracts.parse_where(self.args.get("where"), self.spec.fields, "where")

    @property
    def post_filter(self) -> list[contracts.Condition]:
        return contracts.parse_where(self.args.get("post_filter"), self.spec.fields, "post_filter")

    def limit(self, name: str = "limit", default: int | None = None, maximum: int | None = None) -> contracts.LimitPlan:
        lim = self.spec.limits
        default = default if default is not None else (lim.default_limit if lim else None) or 100
        maximum = maximum if maximum is not None else (lim.max_limit if lim and lim.max_limit else None)
        requested = self.args.get(name) if name in self.passed else None
        return contracts.plan_limit(requested, default, maximum if maximum is not None else 10**9, name)

    def meta(self, **extra: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"helper": self.spec.name}
        if self.source:
            out["source"] = self.source
        out.update(extra)
        out["budget_used"] = self.spent[0]
        out["budget_remaining"] = self.run.calls_remaining
        out["elapsed_ms"] = round((time.perf_counter() - self.started) * 1000, 2)
        return out

    def ok(self, items: list[dict[str, Any]], *, project: bool = True, **meta: Any) -> dict[str, Any]:
        rows = contracts.project(items, self.fields) if project and self.spec.has_fields_param else items
        return envelope(rows, self.meta(returned=len(rows), **meta))

    def fail(self, error: BaseException | str, *, error_type: str | None = None, **meta: Any) -> dict[str, Any]:
        kind = error_type or (type(error).__name__ if isinstance(error, BaseException) else "HelperError")
        return envelope([], self.meta(error_type=kind, **meta), str(error))


_impls: dict[str, Impl] = {}


def _impl(spec: Helper) -> Impl:
    impl = _impls.get(spec.name)
    if impl is None:
        module, _, attr = spec.impl.partition(":")
        impl = _impls[spec.name] = getattr(importlib.import_module(module), attr)
    return impl


def _validate(spec: Helper, args: dict[str, Any]) -> None:
    """The arguments model (types, values, ranges, sizes), then the row-dependent where/post_filter keys."""
    models.validate(spec, args)
    if spec.where and args.get("where") is not None:
        contracts.parse_where(args["where"], spec.fields, "where")
    if spec.post_filter and args.get("post_filter") is not None:
        contracts.parse_where(args["post_filter"], spec.fields, "post_filter")


async def invoke(spec: Helper, args: tuple[Any, ...], kwargs: dict[str, Any], sig: inspect.Signature | None = None) -> dict[str, Any]:
    run = current_run()
    if run is None:
        defaults = get_settings()
        run = Run(max_calls=defaults.max_calls, settings=defaults)
    settings: Settings = run.settings or get_settings()
    started = time.perf_counter()
    sig = sig or signature(spec)
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as exc:
        allowed = ", ".join(spec.param_names) or "(no arguments)"
        message = str(exc).replace("got an unexpected keyword argument", "unknown argument")
        return _bare_fail(spec, run, started, f"{spec.name}: {message}; allowed arguments: {allowed}")
    passed = frozenset(bound.arguments)
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    try:
        _validate(spec, arguments)
        client = HubClient(settings, token=run.token if run.token is not None else settings.hf_token, run=run)
    except HubsightError as exc:
        return _bare_fail(spec, run, started, f"{spec.name}: {exc}", type(exc).__name__)
    ctx = Ctx(spec, arguments, client, run, settings, started=started, passed=passed)
    with use_run(run), counting() as ctx.spent:
        try:
            return await _impl(spec)(ctx, **arguments)
        except HubsightError as exc:
            # NoHistory says what is missing (the store, a crawl of the source, or the repo); it is not
            # imported here, so that a run without history helpers never loads the store's stack
            said = {"missing": exc.missing} if isinstance(getattr(exc, "missing", None), str) else {}
            return ctx.fail(f"{spec.name}: {exc}", error_type=type(exc).__name__, **said)
        except Exception as exc:  # a bug must still come back as data, never as an exception in a script
            return ctx.fail(f"{spec.name}: internal error {type(exc).__name__}: {exc}", error_type="InternalError")


def _bare_fail(spec: Helper, run: Run, started: float, message: str, kind: str = "ContractError") -> dict:
    # refused before it ran: it sent nothing
    return refusal(spec.name, message, kind, budget_used=0, budget_remaining=run.calls_remaining,
                   elapsed_ms=round((time.perf_counter() - started) * 1000, 2))


def build(spec: Helper) -> Callable[..., Awaitable[dict[str, Any]]]:
    sig = signature(spec)  # once per helper, not per call

    async def helper(*args: Any, **kwargs: Any) -> dict[str, Any]:
        return await invoke(spec, args, kwargs, sig)

    helper.__name__ = helper.__qualname__ = spec.name
    helper.__doc__ = spec.notes
    helper.__signature__ = sig  # type: ignore[attr-defined]
    return helper
