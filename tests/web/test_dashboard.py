"""The dashboard in a real headless Chromium (Debian's, driven by Playwright) over a crawled store."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from rich.console import Console

from hubsight.api.app import create_app
from hubsight.demo import crawl_history
from hubsight.replica import ReplicaServer
from hubsight.settings import get_settings
from tests.conftest import REPLICA_DATE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with ReplicaServer(scale="tiny", seed=11, start=REPLICA_DATE) as replica:
        db = tmp_path_factory.mktemp("web") / "history.db"
        store = crawl_history(replica.url, db, 3, get_settings(), Console(quiet=True))
        settings = get_settings(db=store.db_url, hf_endpoint=replica.url, hf_token="")
        server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def page(site: str):
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: scripts/test installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        failed: list[str] = []
        # no network but this server: a page that reaches for a CDN fails here as it would offline
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")) else route.abort())
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.on("pageerror", lambda e: failed.append(str(e)))
        yield page
        browser.close()
        assert not failed, f"requests or scripts failed in the page: {failed}"


def shoot(page, name: str) -> None:
    if os.environ.get("HUBSIGHT_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def rows(page) -> int:
    page.wait_for_selector("table[data-rows]")
    return int(page.get_attribute("table[data-rows]", "data-rows"))


def test_trending_with_window_and_tag_pickers(page, site: str) -> None:
    page.goto(f"{site}/#/trending")
    assert rows(page) > 0
    assert page.evaluate("typeof Chart") == "function", "the vendored chart library loaded without a CDN"
    shoot(page, "trending")
    page.select_option("#kind", "datasets")
    page.wait_for_selector("th:has-text('dataset_id')")
    page.select_option("#kind", "models")
    page.select_option("#tag", "text-generation")
    page.wait_for_function("document.querySelector('td:nth-child(2)') && [...document.querySelectorAll('tbody tr td:nth-child(2)')].every(td => td.textContent === 'text-generation')")
    page.select_option("#days", "1")
    assert rows(page) > 0


def test_new_repos_page(page, site: str) -> None:
    page.goto(f"{site}/#/new")
    assert rows(page) > 0
    shoot(page, "new")


def test_repo_page_draws_likes_and_downloads_charts(page, site: str) -> None:
    page.goto(f"{site}/#/trending")
    rows(page)
    first = page.locator("tbody tr td a").first
    repo_id = first.inner_text()
    first.click()
    page.wait_for_selector("#likes-chart")
    page.wait_for_function("Chart.getChart('likes-chart') && Chart.getChart('downloads-chart')")
    points = page.evaluate("Chart.getChart('likes-chart').data.datasets[0].data.length")
    kind_path = page.evaluate("location.hash").split("/")[2]
    days = page.evaluate(f"fetch('/{kind_path}/{repo_id}/history?limit=180').then(r => r.json()).then(b => b.length)")
    assert points == days >= 2, "one point per crawled day the repo existed"
    assert repo_id in page.inner_text("h1")
    shoot(page, "repo")
    page.goto(f"{site}/#/papers")
    rows(page)
    page.goto(f"{site}/#/repo/model/{repo_id}")  # a hand-typed link may name the kind in the singular
    page.wait_for_function(f"Chart.getChart('likes-chart') && document.querySelector('h1').innerText.includes('{repo_id}')")
    assert page.locator(".error").count() == 0


def test_papers_and_arena(page, site: str) -> None:
    page.goto(f"{site}/#/papers")
    assert rows(page) > 0
    page.goto(f"{site}/#/arena")
    page.wait_for_function("Chart.getChart('arena-chart') && Chart.getChart('arena-chart').data.labels.length > 1")
    assert rows(page) > 0
    shoot(page, "arena")


def test_query_console_shows_the_result_as_a_table(page, site: str) -> None:
    page.goto(f"{site}/#/console")
    page.click("#run")
    page.wait_for_selector("#console-output table[data-rows]")
    assert int(page.get_attribute("#console-output table", "data-rows")) == 10
    assert "repo_id" in page.inner_text("#console-output thead")
    shoot(page, "console")
    page.fill("#code", "import os\nresult = 1\nresult")
    page.click("#run")
    page.wait_for_selector("#console-output .error")
    assert "RuleViolation" in page.inner_text("#console-output .error")


def test_api_docs_render_their_operations_offline(page, site: str) -> None:
    page.goto(f"{site}/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/models/trending" in paths and "/v1/query" in paths
