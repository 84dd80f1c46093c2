"""What the insights routes share: repo kinds and their URL segments, window and limit parameters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import Query

from hubsight.helpers.registry import MAX_DAYS

__all__ = ["ID_KEY", "KINDS", "NO_NUL", "PATHS", "DaysParam", "PipelineTagParam", "iso"]

NO_NUL = r"^[^\x00]*$"
"""Text parameters may hold anything but NUL, which no stored id contains and PostgreSQL refuses."""

KINDS = ("model", "dataset", "space")
PATHS = {"model": "models", "dataset": "datasets", "space": "spaces"}
ID_KEY = {"model": "model_id", "dataset": "dataset_id", "space": "space_id"}
TAGS = {"model": "models", "dataset": "datasets", "space": "spaces"}

DaysParam = Annotated[
    int,
    Query(ge=1, le=MAX_DAYS, description=f"Lookback window in days (1–{MAX_DAYS}), ending at the newest stored crawl."),
]
PipelineTagParam = Annotated[
    str | None,
    Query(max_length=64, pattern=NO_NUL, description="Only models with this pipeline tag (task), e.g. `text-generation`."),
]


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601; datetimes are UTC with an explicit ``+00:00``, as the seed API writes them."""
    return None if value is None else value.isoformat()
