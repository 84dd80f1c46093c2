"""A crawled history store and its ground truth, shared by the API and history-helper tests.

Four days of a tiny replica (hub and papers, the world advanced a day between crawls) are crawled once
per backend and test session; what the replica served each day, read back through huggingface_hub's
own pagination, is the ground truth. Arena comes from an early-2025 world (27k rows instead of 430k).
Modules import the ``crawled`` fixture; the store is built once per backend whichever module asks first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.store.backends import BACKENDS, fresh_db

SEED = 7
START = date(2026, 11, 23)
DAYS = 4
ARENA_SEED = 21
ARENA_DAY = date(2025, 1, 10)
KINDS = ("model", "dataset", "space")
PATHS = {"model": "models", "dataset": "datasets", "space": "spaces"}
LEGACY_CREATED_AT = "2022-03-02T23:29:04.000Z"


@dataclass
class Crawled:
    """A store after the crawls, and what the upstreams served."""

    url: str
    backend: str
    days: list[date]
    served: dict[date, dict[str, list[dict[str, Any]]]]
    """Per crawl day and kind: the raw listing rows (``_id``, ``id``, ``likes``, ``downloadsAllTime``, ...)."""
    papers: list[dict[str, Any]] = field(default_factory=list)
    """Every arXiv paper the replica had for the followed categories at the last crawl."""
    categories: tuple[str, ...] = ()

    @property
    def last(self) -> date:
        return self.days[-1]

    def by_id(self, day: date, kind: str) -> dict[str, dict[str, Any]]:
        return {row["id"]: row for row in self.served[day][kind]}

    def by_oid(self, day: date, kind: str) -> dict[str, dict[str, Any]]:
        return {row["_id"]: row for row in self.served[day][kind]}


def settings_for(endpoint: str, db: str, **overrides: Any) -> Any:
    from hubsight.settings import get_settings

    return get_settings(
        hf_endpoint=endpoint, db=db, hf_token="", arxiv_delay_seconds=0, crawl_backoff_seconds=0.01, **overrides
    )


def listing(url: str, kind: str) -> list[dict[str, Any]]:
    from huggingface_hub.utils import build_hf_headers, paginate

    from hubsight.crawl.hub import EXPAND

    params = [("expand", name) for name in EXPAND[kind]]
    return list(paginate(f"{url}/api/{PATHS[kind]}", params=params, headers=build_hf_headers(token=False)))


def build(url: str, backend: str) -> Crawled:
    from hubsight.crawl import crawl
    from hubsight.replica import ReplicaServer
    from hubsight.replica.papers import papers_between

    served: dict[date, dict[str, list[dict[str, Any]]]] = {}
    with ReplicaServer(scale="tiny", seed=SEED, start=START) as replica:
        settings = settings_for(replica.url, url)
        for i in range(DAYS):
            if i:
                replica.world.advance(1)
            summary = crawl(settings=settings, only=["hub", "papers"])
            assert summary.ok, summary.line()
            served[summary.day] = {kind: listing(replica.url, kind) for kind in KINDS}
        followed = set(settings.arxiv_categories)
        papers = [
            {
                "arxiv_id": p.id,
                "title": p.title,
                "authors": [a.name for a in p.authors],
                "published": datetime.fromtimestamp(p.published, UTC),
                "primary": p.primary,
                "categories": list(p.categories),
            }
            for p in papers_between(replica.world, START - timedelta(days=7), replica.world.today)
            if followed & set(p.categories)
        ]
    with ReplicaServer(scale="tiny", seed=ARENA_SEED, start=ARENA_DAY) as replica:
        summary = crawl(settings=settings_for(replica.url, url), only=["arena"])
        assert summary.ok, summary.line()
    return Crawled(url, backend, sorted(served), served, papers, tuple(settings.arxiv_categories))


_built: dict[str, Crawled] = {}


@pytest.fixture(scope="session", params=BACKENDS)
def crawled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    """The crawled store on each backend (built once per backend and session)."""
    backend = request.param
    if backend not in _built:
        gen = fresh_db(backend, tmp_path_factory.mktemp(f"history-{backend}"))
        url = next(gen)
        request.addfinalizer(lambda: next(gen, None))
        _built[backend] = build(url, backend)
    yield _built[backend]


@asynccontextmanager
async def api(url: str, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    """The API app over the store at ``url``, in process, lifespan entered."""
    from hubsight.api import create_app
    from hubsight.settings import get_settings

    app = create_app(get_settings(db=url, **overrides))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hubsight.test") as http:
            yield http


async def pages(http: httpx.AsyncClient, path: str, params: dict[str, Any]) -> tuple[list[Any], int]:
    """Every row by following ``X-Next-Cursor``; also the number of pages read."""
    rows: list[Any] = []
    n = 0
    cursor = None
    while True:
        response = await http.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        n += 1
        rows += response.json()
        cursor = response.headers.get("x-next-cursor")
        if cursor is None:
            assert "link" not in response.headers
            return rows, n
        link = response.headers["link"]
        assert link.startswith("<http://hubsight.test" + path) and link.endswith('>; rel="next"') and cursor in link
        assert n < 1000, "pagination does not end"


def created(row: dict[str, Any]) -> datetime | None:
    value = row["createdAt"]
    return None if value == LEGACY_CREATED_AT else datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse_csv(
    text: str,
    strings: frozenset[str] = frozenset({"title", "model_name"}),
    lists: frozenset[str] = frozenset({"tags", "authors"}),
) -> list[dict[str, Any]]:
    """CSV back into JSON rows: the ``lists`` columns split on ``;``, numbers and booleans typed, empty
    cells null (except in the ``strings`` columns, which stay text)."""
    import csv
    import io
    def cell(value: str) -> Any:
        if value == "":
            return None
        if value in ("true", "false"):
            return value == "true"
        for kind in (int, float):
            try:
                return kind(value)
            except ValueError:
                pass
        return value

    reader = csv.DictReader(io.StringIO(text))
    def typed(k: str, v: str) -> Any:
        if k in lists:
            return v.split(";") if v else []
        return v if k in strings and v else cell(v)

    return [{k: typed(k, v) for k, v in row.items()} for row in reader]
