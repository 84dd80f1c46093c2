"""The shape of a helper declaration. Declarations live in registry.py; everything else derives from them.

A ``Param`` carries a real type and its constraints (allowed values, a range, the name the Hub client
takes it under); a ``Column`` is one field of a row, with its type and where the Hub keeps it. The
pydantic models built from them (``helpers/models.py``), the runtime signature, the type stubs, the
prompt, ``hf_runtime_capabilities`` and the normalisers all read these declarations.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from typing import Any

REQUIRED: Any = object()
REPO_TYPES = ("model", "dataset", "space")


def type_text(tp: Any) -> str:
    """An annotation as source text: ``str | list[str] | None``, ``dict[str, Any]``, ``list | dict``."""
    if tp is None or tp is type(None):
        return "None"
    if tp is Any:
        return "Any"
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        return " | ".join(type_text(a) for a in args)
    if origin is not None:
        return f"{origin.__name__}[{', '.join(type_text(a) for a in args)}]"
    return tp.__name__ if isinstance(tp, type) else str(tp)


@dataclass(frozen=True)
class Param:
    name: str
    type: Any
    """The Python type scripts see in the signature and the stubs, e.g. ``str | None``, ``list[str] | None``."""
    default: Any = REQUIRED
    values: tuple[str, ...] | None = None
    """Allowed values, checked before any request (for list params: each element)."""
    ge: int | None = None
    le: int | None = None
    """Inclusive bounds of an integer parameter."""
    upstream: str | None = None
    """The keyword huggingface_hub's lister takes this argument as: passed on whenever it is not None/False."""
    example: str | None = None
    """Shown in the error when the value has the wrong type (``where``: ``{'likes': {'gte': 10}}``)."""
    one_or_many: bool = False
    """A list parameter that also takes one bare value (``fields="repo_id"``)."""
    label: str | None = None
    """What an unknown value is called in errors; default ``<name> value``."""
    show_values: bool = True
    """Whether the prompt lists ``values`` under param_values (sort/expand have their own sections)."""
    max_chars: int | None = None
    """Longest text a ``str`` parameter takes; default ``models.MAX_STRING_CHARS`` (SQL takes more)."""

    @property
    def annotation(self) -> str:
        return type_text(self.type)


@dataclass(frozen=True)
class Column:
    """One field of a row: its type and, for rows built from Hub objects, where the Hub keeps it."""

    name: str
    type: Any = Any
    attr: str | None = None
    """The huggingface_hub object's attribute (ModelInfo etc.); default: ``name``."""
    wire: str | None = None
    """The key in the Hub's raw JSON (``/api/trending``'s repoData); default: ``name``."""
    time: bool = False
    """A timestamp: written as ``YYYY-MM-DDTHH:MM:SS.mmmZ``."""
    kinds: tuple[str, ...] = REPO_TYPES
    """The repo types that have this field; for the others it is always None (spaces have no downloads)."""
    expand: tuple[str, ...] = ()
    """The Hub ``expand`` values a listing needs to fill it, for ``expand_kinds``."""
    expand_kinds: tuple[str, ...] | None = None
    """The repo types whose listings ask ``expand`` for it (default: ``kinds``)."""
    default: bool = True
    """In the helper's default_fields; False: returned only when asked for with ``fields=[...]``."""


def row(columns: tuple[Column, ...]) -> dict[str, Any]:
    """A Helper's row arguments from its columns: ``Helper(..., **row(REPO_ROW))``."""
    names = tuple(c.name for c in columns)
    default = tuple(c.name for c in columns if c.default)
    return {"columns": columns, "default_fields": default, "allowed_fields": names if names != default else None}


@dataclass(frozen=True)
class Limits:
    default_limit: int | None = None
    max_limit: int | None = None
    page_limit: int | None = None
    max_pages: int | None = None
    scan_max: int | None = None
    enrich_max: int | None = None
    ranking_default: int | None = None

    def as_dict(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Helper:
    name: str
    category: str
    row_type: str
    params: tuple[Param, ...]
    default_fields: tuple[str, ...]
    guaranteed_fields: tuple[str, ...]
    impl: str
    """``module:function`` of the implementation, resolved on first call (no work at import)."""
    notes: str = ""
    use_for: str = ""
    """The question type this helper answers: a line of the prompt's navigation graph."""
    backed_by: str | None = None
    allowed_fields: tuple[str, ...] | None = None
    sort_values: tuple[str, ...] | None = None
    sort_values_by_repo_type: dict[str, tuple[str, ...]] | None = None
    expand_values: tuple[str, ...] | None = None
    where: bool = False
    post_filter: bool = False
    limits: Limits | None = None
    has_fields_param: bool = True
    columns: tuple[Column, ...] = ()
    """Typed row fields, where declared (the rest of ``fields`` are typed Any)."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def fields(self) -> tuple[str, ...]:
        return self.allowed_fields or self.default_fields

    @property
    def optional_fields(self) -> tuple[str, ...]:
        return tuple(f for f in self.fields if f not in self.guaranteed_fields)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @property
    def upstream(self) -> tuple[Param, ...]:
        """The parameters handed to the Hub client as they are (by their ``upstream`` name)."""
        return tuple(p for p in self.params if p.upstream)
