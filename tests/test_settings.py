"""Settings come from the environment, and the README documents every one of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from hubsight.settings import get_settings, reference

README = Path(__file__).resolve().parents[1] / "README.md"


def test_standard_hf_variables_and_hubsight_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9999/")
    monkeypatch.setenv("HF_TOKEN", "hf_replica_julien-c")
    monkeypatch.setenv("HUBSIGHT_DB", "sqlite:////tmp/x.db")
    monkeypatch.setenv("HUBSIGHT_ARXIV_CATEGORIES", "cs.AI, cs.RO")
    s = get_settings()
    assert s.hf_endpoint == "http://127.0.0.1:9999"
    assert s.hf_token == "hf_replica_julien-c"
    assert s.db == "sqlite:////tmp/x.db"
    assert s.arxiv_categories == ["cs.AI", "cs.RO"]
    assert s.is_replica
    assert "hf_replica" not in repr(s), "the token must never be printed"


def test_defaults_point_at_the_real_hub_and_a_user_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HF_ENDPOINT", "HF_TOKEN", "HUBSIGHT_DB"):
        monkeypatch.delenv(var, raising=False)
    s = get_settings()
    assert s.hf_endpoint == "https://huggingface.co" and not s.is_replica
    assert s.db.startswith("sqlite:///") and s.db.endswith("hubsight.db")


def test_overrides_win_and_bad_values_are_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUBSIGHT_HTTP_TIMEOUT", "5")
    assert get_settings(http_timeout=2.5).http_timeout == 2.5
    assert get_settings(http_timeout=None).http_timeout == 5
    with pytest.raises(ValidationError, match="must start with http"):
        get_settings(hf_endpoint="localhost:8765")


def test_readme_settings_table_is_current() -> None:
    text = README.read_text()
    table = text.split("<!-- settings-table")[1].split("<!-- /settings-table -->")[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert rows == [f"| `{var}` | {default} | {meaning} |" for var, default, meaning in reference()]
