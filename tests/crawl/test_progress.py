"""What a crawl shows while it runs: labels that say what is counted, and no leftover rows."""

from __future__ import annotations

import io
import re
from pathlib import Path

from rich.console import Console

from hubsight.crawl import crawl
from hubsight.crawl.progress import RichProgress
from hubsight.demo import crawl_history
from hubsight.replica import ReplicaServer
from hubsight.settings import get_settings
from tests.crawl.conftest import E2E_DAY, E2E_SEED


def screen(console: Console) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", console.file.getvalue()).replace("\r", "\n")


def test_crawl_progress_counts_rows_as_rows(tmp_path: Path) -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=160)
    with ReplicaServer(scale="tiny", seed=E2E_SEED, start=E2E_DAY) as replica:
        settings = get_settings(hf_endpoint=replica.url, db=f"sqlite:///{tmp_path / 'h.db'}", hf_token="", arxiv_delay_seconds=0)
        with RichProgress(console) as progress:
            summary = crawl(None, None, settings, progress)
    assert summary.ok, summary.line()
    text = screen(console)
    assert "arena leaderboard (" in text and "arena subsets" not in text
    assert not re.search(r"\b0/0\b", text), "a step that counts nothing shows no count"
    for line in text.splitlines():
        if "arena leaderboard" in line and "/" in line.split("subsets)", 1)[-1]:
            assert "rows" in line, line


def test_demo_progress_ends_with_the_summary_row_only(tmp_path: Path) -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=160)
    with ReplicaServer(scale="tiny", seed=E2E_SEED, start=E2E_DAY) as replica:
        crawl_history(replica.url, tmp_path / "demo.db", 1, get_settings(), console)
    text = screen(console)
    assert not re.search(r"\b\d+/\d+\b", text.split("crawling", 1)[-1].replace(str(E2E_DAY.year), "")), "counts are rows, not m/n"
    last = [line for line in text.splitlines() if line.strip()][-1]
    assert "2 days crawled (1 day of history)" in last
