"""Pydantic models built from the declarations: one arguments model and one row model per helper.

The arguments model is what a call is validated against (types, allowed values, ranges, string and
list sizes), and its JSON schema is what ``hf_runtime_capabilities`` publishes; the row model's schema
describes what ``items`` holds. Models are built on first use (pydantic's work stays off import).

A failed validation becomes one ``ContractError`` that names the argument, says what it must be and
lists the allowed values, so an LLM can fix its call in one retry.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any, Literal

from hubsight.errors import ContractError
from hubsight.helpers.spec import REQUIRED, Helper, Param, type_text

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

__all__ = ["MAX_LIST_ITEMS", "MAX_STRING_CHARS", "arguments_model", "row_model", "schemas", "validate"]

MAX_STRING_CHARS = 4096
"""Longest string argument a helper takes: ids, tags and search text are short; a pasted blob is a mistake."""
MAX_LIST_ITEMS = 10_000
UNIONS = (typing.Union, types.UnionType)


def _allowed(spec: Helper, p: Param) -> tuple[str, ...] | None:
    return spec.fields if p.name == "fields" and spec.has_fields_param else p.values


def _constrained(tp: Any, p: Param, values: tuple[str, ...] | None) -> Any:
    """``tp`` with the declaration's constraints on its leaves: strict scalars, Literal values, bounds, sizes."""
    from pydantic import Field, Strict

    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in UNIONS:
        parts = [_constrained(a, p, values) for a in args]
        return typing.Union[tuple(parts)]  # noqa: UP007 - built at runtime from a tuple
    if origin is list:
        item = _constrained(args[0], p, values) if args else Any
        return Annotated[list[item], Field(max_length=MAX_LIST_ITEMS)]  # type: ignore[valid-type]
    if tp is str:
        if values:
            return Literal[values]  # type: ignore[valid-type]
        return Annotated[str, Strict(), Field(max_length=p.max_chars or MAX_STRING_CHARS)]
    if tp is int:
        return Annotated[int, Strict(), Field(ge=p.ge, le=p.le)]
    if tp is bool:
        return Annotated[bool, Strict()]
    return tp


@cache
def arguments_model(name: str) -> type[BaseModel]:
    """The arguments of one helper as a pydantic model, typed as the signature declares them."""
    from pydantic import ConfigDict, Field, create_model

    from hubsight.helpers.registry import BY_NAME

    spec = BY_NAME[name]
    fields: dict[str, Any] = {}
    for p in spec.params:
        values = _allowed(spec, p)
        tp = _constrained(p.type, p, values)
        if p.one_or_many:  # list[X] | None also takes one bare X
            item = next(typing.get_args(a)[0] for a in typing.get_args(p.type) if typing.get_origin(a) is list)
            tp = tp | _constrained(item, p, values)
        fields[p.name] = (tp, Field(... if p.default is REQUIRED else p.default))
    return create_model(
        _camel(name, "Arguments"), __config__=ConfigDict(extra="forbid", arbitrary_types_allowed=True), **fields
    )


@cache
def row_model(name: str) -> type[BaseModel]:
    """One row of a helper's ``items``: every field it may return, typed where the declaration types it."""
    from pydantic import ConfigDict, Field, create_model

    from hubsight.helpers.registry import BY_NAME

    spec = BY_NAME[name]
    types = {c.name: c.type for c in spec.columns}
    fields: dict[str, Any] = {
        f: (types.get(f, Any), Field(... if f in spec.guaranteed_fields else None)) for f in spec.fields
    }
    return create_model(_camel(name, "Row"), __config__=ConfigDict(extra="allow"), **fields)


def schemas(spec: Helper) -> dict[str, Any]:
    """The JSON schemas of one helper's arguments and rows (for ``hf_runtime_capabilities``)."""
    arguments = arguments_model(spec.name).model_json_schema()
    out: dict[str, Any] = {"arguments": _compact(arguments)}
    if spec.fields:
        out["row"] = _compact(row_model(spec.name).model_json_schema())
    return out


def validate(spec: Helper, arguments: dict[str, Any]) -> None:
    """ContractError naming the first bad argument, or nothing. None means "the default" for any argument
    (the implementations read it so), so only the other values are checked."""
    from pydantic import ValidationError

    try:
        arguments_model(spec.name).model_validate({k: v for k, v in arguments.items() if v is not None})
    except ValidationError as exc:
        raise ContractError(_message(spec, exc)) from None


# -- messages -------------------------------------------------------------------------------------
def _camel(name: str, suffix: str) -> str:
    return "".join(part.capitalize() for part in name.split("_")) + suffix


def _message(spec: Helper, exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    name = str(errors[0]["loc"][0])
    p = spec.param(name)
    mine = [e for e in errors if e["loc"] and e["loc"][0] == name]
    value = mine[0]["input"] if mine else None
    if p is None:
        return f"unknown argument {name!r}"
    # the most specific error: one about an element of a list, or a value outside what is allowed
    order = ("literal_error", "string_too_long", "too_long", "greater_than_equal", "less_than_equal")
    mine.sort(key=lambda e: (not any(isinstance(x, int) for x in e["loc"]), order.index(e["type"]) if e["type"] in order else 9))
    first = mine[0]
    kind, bad = first["type"], first["input"]
    element = any(isinstance(x, int) for x in first["loc"])
    allowed = _allowed(spec, p)
    if kind == "missing":
        return f"{p.name} is required: pass {_describe(p.type, p)}"
    if "[key]" in first["loc"]:
        return f"{p.name} keys must be strings, got {type(bad).__name__} {repr(bad)[:40]}"
    if kind == "literal_error" and allowed:
        return f"unknown {p.label or f'{p.name} value'} {repr(bad)[:80]}; allowed: {', '.join(allowed)}"
    if kind == "string_too_long":
        return f"{p.name} is {len(bad)} characters long; pass at most {p.max_chars or MAX_STRING_CHARS}"
    if kind == "too_long":
        return f"{p.name} has {len(bad)} items; pass at most {MAX_LIST_ITEMS}"
    if element and kind == "string_type":
        return f"{p.name} must hold strings only, got {type(bad).__name__} {repr(bad)[:40]}"
    numeric = kind in ("greater_than_equal", "less_than_equal") or "int" in type_text(p.type).split(" | ")
    shown = repr(value)[:40] if numeric else type(value).__name__
    hint = f"; allowed values: {', '.join(allowed)}" if allowed else ""
    return f"{p.name} must be {_describe(p.type, p)}, got {shown}{hint}"


def _describe(tp: Any, p: Param) -> str:
    """What a value of ``tp`` is, in words: ``a string or a list of strings``, ``an integer from 1 to 90``."""
    args = [a for a in typing.get_args(tp) if a is not type(None)] if typing.get_origin(tp) in UNIONS else [tp]
    words = []
    for a in args:
        if a is str:
            words.append("a string")
        elif a is bool:
            words.append("a boolean")
        elif a is int:
            if p.ge is not None and p.le is not None:
                words.append(f"an integer from {p.ge} to {p.le}")
            elif p.ge == 1:
                words.append("a positive integer")
            elif p.ge is not None:
                words.append(f"an integer >= {p.ge}")
            else:
                words.append("an integer")
        elif typing.get_origin(a) is list or a is list:
            inner = typing.get_args(a)
            words.append("a list of strings" if inner == (str,) else "a list")
        elif typing.get_origin(a) is dict or a is dict:
            words.append(f"a dict like {p.example}" if p.example else "a dict")
        elif typing.get_origin(a) is tuple:
            words.append(f"a pair of numbers ({type_text(a)})")
        else:
            words.append(type_text(a))
    return " or ".join(words)


def _compact(schema: dict[str, Any]) -> dict[str, Any]:
    """A schema without pydantic's generated titles: the names already say it."""
    if isinstance(schema, dict):
        return {k: _compact(v) for k, v in schema.items() if k != "title" or not isinstance(v, str)}
    if isinstance(schema, list):
        return [_compact(v) for v in schema]  # type: ignore[return-value]
    return schema
