"""The offline demo's sample query: what a first-time user sees after `hubsight demo`."""

from __future__ import annotations

from huggingface_hub import HfApi
from rich.console import Console
from rich.table import Table


def sample_query(endpoint: str, console: Console, limit: int = 10) -> list[str]:
    """Print the replica's most-liked text-generation models, fetched through huggingface_hub."""
    api = HfApi(endpoint=endpoint, token=False)
    models = list(
        api.list_models(
            pipeline_tag="text-generation",
            sort="likes",
            limit=limit,
            expand=["author", "likes", "downloads", "downloadsAllTime", "createdAt", "safetensors"],
        )
    )
    table = Table(title=f"Most-liked text-generation models on the replica ({endpoint})")
    table.add_column("model", no_wrap=True)
    for column in ("likes", "dl 30d", "dl total", "params"):
        table.add_column(column, justify="right")
    table.add_column("created")
    for m in models:
        params = m.safetensors.total if m.safetensors else None
        table.add_row(
            m.id,
            f"{m.likes:,}",
            f"{m.downloads:,}",
            f"{m.downloads_all_time:,}",
            f"{params / 1e9:.1f}B" if params else "—",
            m.created_at.date().isoformat() if m.created_at else "—",
        )
    console.print(table)
    return [m.id for m in models]
