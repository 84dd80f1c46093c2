"""The shape of a helper declaration. Declarations live in registry.py; everything else derives from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

REQUIRED: Any = object()


@dataclass(frozen=True)
class Param:
    name: str
    annotation: str
    default: Any = REQUIRED
    values: tuple[str, ...] | None = None
    """Allowed values, checked before any request (for list params: each element)."""
    show_values: bool = True
    """Whether the prompt lists ``values`` under param_values (sort/expand have their own sections)."""


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
