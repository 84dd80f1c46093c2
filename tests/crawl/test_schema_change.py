"""An upstream format change stops its source loudly, names the field, and stores nothing of it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from hubsight.crawl import crawl
from hubsight.replica import ReplicaServer
from hubsight.replica.render import Renderer
from tests.crawl.conftest import settings_for
from tests.store.backends import dump

DAY = date(2026, 11, 23)


def _break(monkeypatch: pytest.MonkeyPatch, kind: str, at: int, damage: Callable[[dict[str, Any]], None]) -> None:
    """Damage one row of a listing (``at`` counts rows served for ``kind``), as an upstream change would."""
    original = Renderer.rows
    served = {"n": 0}

    def rows(self: Renderer, k: str, idx: list[int], fields: list[str]) -> list[dict[str, Any]]:
        out = original(self, k, idx, fields)
        if k == kind and "likes" in fields:
            start = served["n"]
            served["n"] += len(out)
            if start <= at < served["n"]:
                damage(out[at - start])
        return out

    monkeypatch.setattr(Renderer, "rows", rows)


def _rename(old: str, new: str) -> Callable[[dict[str, Any]], None]:
    return lambda row: row.__setitem__(new, row.pop(old))


CHANGES = [
    pytest.param("model", lambda row: row.pop("likes"), "required field 'likes' is missing", id="likes-dropped"),
    pytest.param("model", _rename("downloadsAllTime", "downloads_all_time"), "required field 'downloadsAllTime' is missing",
                 id="field-renamed"),
    pytest.param("dataset", lambda row: row.__setitem__("createdAt", 1732357200), "field 'createdAt' should be an ISO timestamp",
                 id="createdAt-number"),
    pytest.param("space", lambda row: row.__setitem__("likes", "12"), "field 'likes' should be an integer but is str",
                 id="likes-string"),
    pytest.param("model", lambda row: row.__setitem__("tags", "a,b"), "field 'tags' should be a list of strings", id="tags-string"),
    pytest.param("model", lambda row: row.__setitem__("createdAt", "2026-11-23 around noon, UTC"), "'createdAt' is not an ISO timestamp",
                 id="createdAt-garbage"),
]


@pytest.mark.parametrize(("kind", "damage", "message"), CHANGES)
def test_every_field_is_checked_before_anything_is_stored(kind: str, damage: Callable, message: str) -> None:
    """The checks themselves, on pages as the replica renders them (no store needed)."""
    from hubsight.crawl.errors import SchemaChanged
    from hubsight.crawl.hub import EXPAND, Known, PageReducer
    from hubsight.crawl.writer import _meta
    from hubsight.replica import World

    world = World(seed=5, scale=60, start=DAY)
    page = Renderer(world).rows(kind, list(range(20)), list(EXPAND[kind]))
    damage(page[13])
    reducer = PageReducer(kind, Known(kind))
    with pytest.raises(SchemaChanged, match=re.escape(message)) as caught:
        reducer.add(page)
        for row in reducer.result().changed:  # timestamps are parsed before the write starts
            _meta(row)
    assert "nothing was stored" in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "damage", "message"),
    [CHANGES[0].values, CHANGES[5].values],  # caught while listing page 2; caught just before writing
    ids=["likes-dropped-on-page-2", "createdAt-garbage"],
)
def test_a_changed_listing_fails_the_hub_and_stores_nothing_of_it(
    db_url: str, monkeypatch: pytest.MonkeyPatch, kind: str, damage: Callable, message: str
) -> None:
    _break(monkeypatch, kind, at=1500, damage=damage)
    with ReplicaServer(scale="tiny", seed=5, start=DAY) as replica:
        summary = crawl(settings=settings_for(replica, db_url), only=["hub", "papers"])
    hub, papers = summary.results
    assert hub.status == "failed" and hub.error_type == "SchemaChanged"
    assert message in hub.error and "nothing was stored" in hub.error
    assert "FAILED (SchemaChanged)" in summary.line() and not summary.ok
    assert papers.status == "done", "one source's failure does not stop the others"
    stored = dump(db_url)
    assert stored["repos"] == stored["snapshots"] == stored["trending"] == []
    assert [row[1] for row in stored["crawl_runs"]] == ["papers"]


def test_a_change_on_a_later_day_leaves_the_earlier_days_untouched(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with ReplicaServer(scale="tiny", seed=5, start=DAY) as replica:
        settings = settings_for(replica, db_url)
        crawl(settings=settings, only=["hub"])
        before = dump(db_url)
        replica.world.advance(1)
        _break(monkeypatch, "space", at=700, damage=lambda row: row.__setitem__("runtime", "RUNNING"))
        summary = crawl(settings=settings, only=["hub"])
    assert summary.results[0].error_type == "SchemaChanged" and "'runtime' should be an object" in summary.results[0].error
    assert dump(db_url) == before


def test_a_changed_leaderboard_fails_the_arena_and_stores_nothing(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from hubsight.replica import arena

    original = arena.table

    def table(seed: int, today: date, subset: str, split: str = "full") -> Any:
        t = original(seed, today, subset, split)
        return t.drop_columns(["rating"]) if subset == "vision" else t

    monkeypatch.setattr(arena, "table", table)
    with ReplicaServer(scale="tiny", seed=91, start=date(2025, 1, 10)) as replica:
        summary = crawl(settings=settings_for(replica, db_url), only=["arena"])
    (result,) = summary.results
    assert result.error_type == "SchemaChanged" and "vision/full-00000-of-00001.parquet: required column 'rating'" in result.error
    assert dump(db_url)["arena_rankings"] == []


def test_changed_daily_papers_fail_the_papers_source(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from hubsight.replica.routes import papers as routes

    original = routes.paper_json

    def paper_json(*args: Any) -> dict[str, Any]:
        return original(*args) | {"upvotes": "many"}

    monkeypatch.setattr(routes, "paper_json", paper_json)
    with ReplicaServer(scale="tiny", seed=5, start=DAY) as replica:
        summary = crawl(settings=settings_for(replica, db_url), only=["papers"])
    (result,) = summary.results
    assert result.error_type == "SchemaChanged" and "upvotes 'many', not an integer" in result.error
    stored = dump(db_url)
    assert stored["papers"] == stored["daily_papers"] == stored["crawl_runs"] == []
