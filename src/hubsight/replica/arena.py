"""Placeholder: the LMArena leaderboard dataset (filled in by its own module)."""

from __future__ import annotations


def parquet_paths() -> list[str]:
    return []
