"""The arena source: every publish date of every LMArena leaderboard subset.

The dataset ``lmarena-ai/leaderboard-dataset`` holds a ``full`` split per subset
(``{subset}/full-*.parquet``) with every publication. Subsets are discovered from the dataset's files
at one pinned commit (so all files are from the same moment), downloaded with ``hf_hub_download`` into
a temporary directory, checked column by column, and reduced to plain rows.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable
from datetime import date
from typing import Any

from hubsight.crawl.errors import SchemaChanged
from hubsight.crawl.retry import Retrier

REPO_ID = "lmarena-ai/leaderboard-dataset"
FULL = re.compile(r"^([^/]+)/full-\d{5}-of-\d{5}\.parquet$")
# column → (kind, required); kinds: string, float, int
COLUMNS: dict[str, tuple[str, bool]] = {
    "leaderboard_publish_date": ("date", True),
    "category": ("string", True),
    "model_name": ("string", True),
    "organization": ("string", False),
    "license": ("string", False),
    "rating": ("float", True),
    "rating_lower": ("float", False),
    "rating_upper": ("float", False),
    "variance": ("float", False),
    "vote_count": ("int", False),
    "rank": ("int", True),
}


def _check(path: str, table: Any) -> None:
    import pyarrow as pa

    for name, (kind, required) in COLUMNS.items():
        if name not in table.column_names:
            if required:
                raise SchemaChanged(
                    f"arena {path}: required column {name!r} is missing (columns: {', '.join(table.column_names)}); "
                    "the leaderboard dataset's format changed: nothing was stored for this source"
                )
            continue
        t = table.schema.field(name).type
        if pa.types.is_dictionary(t):
            t = t.value_type
        ok = {
            "string": pa.types.is_string(t) or pa.types.is_large_string(t),
            "float": pa.types.is_floating(t) or pa.types.is_integer(t),
            "int": pa.types.is_integer(t),
            "date": pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_date(t),
        }[kind]
        if not ok:
            raise SchemaChanged(
                f"arena {path}: column {name!r} should hold {kind} values but is {t}; "
                "the leaderboard dataset's format changed: nothing was stored for this source"
            )


def rows_of(path: str, subset: str, table: Any) -> list[tuple[Any, ...]]:
    """Rows in ``writer.ARENA_COLUMNS`` order."""
    _check(path, table)
    n = table.num_rows

    def col(name: str) -> list[Any]:
        return table.column(name).to_pylist() if name in table.column_names else [None] * n

    dates: dict[Any, date] = {}
    for raw in set(col("leaderboard_publish_date")):
        try:
            dates[raw] = raw if isinstance(raw, date) else date.fromisoformat(raw)
        except (TypeError, ValueError):
            raise SchemaChanged(f"arena {path}: leaderboard_publish_date {raw!r} is not a YYYY-MM-DD date") from None
    publish = [dates[v] for v in col("leaderboard_publish_date")]
    return list(
        zip(
            publish, [subset] * n, col("category"), col("model_name"), col("organization"), col("license"),
            col("rating"), col("rating_lower"), col("rating_upper"), col("variance"), col("vote_count"), col("rank"),
            strict=True,
        )
    )


def locate(settings: Any, retrier: Retrier) -> tuple[str, list[str]]:
    """(commit, ``full`` parquet paths) of the leaderboard dataset as it is now."""
    from huggingface_hub import HfApi

    api = HfApi(endpoint=settings.hf_endpoint, token=settings.hf_token or False)
    info = retrier(f"arena {REPO_ID} info", lambda: api.dataset_info(REPO_ID))
    files = sorted(s.rfilename for s in (info.siblings or []) if FULL.match(s.rfilename))
    if not files or not info.sha:
        raise SchemaChanged(
            f"arena: {REPO_ID} has no commit or no {{subset}}/full-*.parquet files; the dataset's layout changed"
        )
    return info.sha, files


def fetch_arena(
    settings: Any, retrier: Retrier, commit: str, files: list[str], on_file: Callable[[str, int], None] | None = None
) -> dict[str, list[tuple[Any, ...]]]:
    """Rows per subset of every ``full`` file, all downloaded at the same ``commit``."""
    # huggingface_hub logs each of its own retries as a warning; ours are counted in the crawl's stats
    hf_log = logging.getLogger("huggingface_hub")
    level = hf_log.level
    hf_log.setLevel(logging.ERROR)
    try:
        return _download(settings, retrier, commit, files, on_file)
    finally:
        hf_log.setLevel(level)


def _download(
    settings: Any, retrier: Retrier, commit: str, files: list[str], on_file: Callable[[str, int], None] | None
) -> dict[str, list[tuple[Any, ...]]]:
    import pyarrow.parquet as pq
    from huggingface_hub import hf_hub_download

    out: dict[str, list[tuple[Any, ...]]] = {}
    with tempfile.TemporaryDirectory(prefix="hubsight-arena-") as tmp:
        for path in files:
            local = retrier(
                f"arena {path}",
                lambda p=path: hf_hub_download(
                    REPO_ID, p, repo_type="dataset", revision=commit, endpoint=settings.hf_endpoint,
                    token=settings.hf_token or False, local_dir=tmp,
                ),
            )
            subset = FULL.match(path).group(1)  # type: ignore[union-attr]
            rows = rows_of(path, subset, pq.read_table(local))
            out.setdefault(subset, []).extend(rows)
            if on_file is not None:
                on_file(subset, len(rows))
    return out
