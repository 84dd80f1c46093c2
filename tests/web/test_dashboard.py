"""The dashboard in a real headless Chromium (Debian's, driven by Playwright) over a crawled store,
each test on a desktop window and on a 390 px phone. No request may leave the server: the page must
work offline."""

from __future__ import annotations

import csv
import io
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from rich.console import Console

from hubsight.api.app import create_app
from hubsight.demo import crawl_history, start_date
from hubsight.replica import ReplicaServer
from hubsight.settings import Settings, get_settings
from tests.conftest import REPLICA_DATE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the API server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    # screenshots (scripts/screenshots) show the demo's world and its 30 days; the tests alone need 3
    seed, days, start = (0, 30, start_date(30)) if os.environ.get("HUBSIGHT_SCREENSHOTS") else (11, 3, REPLICA_DATE)
    with ReplicaServer(scale="tiny", seed=seed, start=start) as replica:
        db = tmp_path_factory.mktemp("web") / "history.db"
        crawled = crawl_history(replica.url, db, days, get_settings(), Console(quiet=True))
        yield crawled.db_url, db, replica.url


@pytest.fixture(scope="module")
def site(store: tuple[str, Path, str]) -> Iterator[str]:
    db_url, _, endpoint = store
    with serve(get_settings(db=db_url, hf_endpoint=endpoint, hf_token="")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: scripts/test installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param], accept_downloads=True)
    page = context.new_page()
    page.form_factor = request.param
    failed: list[str] = []
    local = ("http://127.0.0.1", "data:", "blob:")
    # no network but this server: a page that reaches for a CDN fails here as it would offline
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local) else route.abort())

    def request_failed(r) -> None:  # requests a view cancels when the user moves on are fine
        if not r.url.startswith(local) or r.failure != "net::ERR_ABORTED":
            failed.append(f"{r.url} ({r.failure})")

    page.on("requestfailed", request_failed)
    page.on("pageerror", lambda e: failed.append(str(e)))
    yield page
    context.close()
    assert not failed, f"requests or scripts failed in the page: {failed}"


def shoot(page, name: str) -> None:
    if os.environ.get("HUBSIGHT_SCREENSHOTS"):
        if page.form_factor != "desktop" and name != "trending":
            return  # one phone screenshot is enough for the docs
        SHOTS.mkdir(parents=True, exist_ok=True)
        suffix = "" if page.form_factor == "desktop" else f"-{page.form_factor}"
        page.screenshot(path=str(SHOTS / f"{name}{suffix}.png"), full_page=False)


def rows(page, scope: str = "#view") -> int:
    """Rows of the view's first table, once the view is drawn (not busy)."""
    inner = "" if scope == "#view" else f" {scope}"
    page.wait_for_selector(f"#view:not([aria-busy]){inner} table[data-rows]")
    return int(page.get_attribute(f"{scope} table[data-rows]", "data-rows"))


def fits(page) -> None:
    """Nothing is cut off: the page is no wider than the window (tables scroll inside their box)."""
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"


def headers(page) -> list[str]:
    return page.locator("#view thead").first.locator("th").all_inner_texts()


def column(page, name: str) -> list[str]:
    index = headers(page).index(name) + 1
    return page.locator("#view tbody").first.locator(f"tr td:nth-child({index})").all_inner_texts()


def test_api_docs_render_their_operations_offline(page, site: str) -> None:
    page.goto(f"{site}/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/models/trending" in paths and "/v1/query" in paths


def test_home_is_the_hub_at_a_glance(page, site: str) -> None:
    page.goto(f"{site}/")
    page.wait_for_function("Chart.getChart('new-repos-chart') && Chart.getChart('new-repos-chart').data.labels.length > 0")
    new = page.evaluate("Chart.getChart('new-repos-chart').data.datasets.map(d => d.label)")
    assert new == ["models", "datasets", "spaces"]
    page.wait_for_function("document.querySelectorAll('#risers table[data-rows]').length === 3")
    assert "Likes gained" in page.inner_text("#risers thead")
    fits(page)
    shoot(page, "home")


def test_trending_reads_at_a_glance(page, site: str) -> None:
    page.goto(f"{site}/#/trending?kind=model&metric=likes&days=7")
    assert rows(page) > 0
    assert page.evaluate("typeof Chart") == "function", "the vendored chart library loaded without a CDN"
    names = headers(page)
    assert {"#", "Repo", "Likes gained", "Growth"} <= set(names)
    assert not [h for h in names if "_" in h], f"human headers, not keys: {names}"
    assert column(page, "#")[:3] == ["1", "2", "3"]
    assert all(g.endswith("%") or g == "new" for g in column(page, "Growth"))
    window = page.inner_text("#window")
    assert window.startswith("Gained from ") and "snapshot_date" not in " ".join(names)
    first = page.locator("tbody tr").first
    assert first.locator("a.hf").get_attribute("href").startswith("https://huggingface.co/")
    assert first.locator("a").first.get_attribute("href").startswith("#/repo/model/")
    fits(page)
    shoot(page, "trending")

    with page.expect_download() as download:
        page.click("#csv")
    text = Path(download.value.path()).read_text()
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) > 1 and "[" not in text, "a CSV of the ranking, lists as a;b"


def test_trending_pickers_offer_only_what_applies(page, site: str) -> None:
    page.goto(f"{site}/#/trending?kind=model")
    rows(page)
    tags = page.evaluate("fetch('/v1/repos/facets?kind=model').then(r => r.json()).then(b => b.fields.pipeline_tag.length)")
    assert page.locator("#pipeline_tag option").count() == tags + 1 > 13, "every pipeline tag in the store, and all"
    page.select_option("#kind", "space")
    page.wait_for_function("location.hash.includes('kind=space') && !document.querySelector('#pipeline_tag')")
    assert page.locator("#metric option").all_inner_texts() == ["likes gained"], "spaces have no downloads"
    assert "Pipeline tag" not in headers(page)
    page.select_option("#kind", "dataset")
    page.wait_for_function("!document.querySelector('#pipeline_tag') && document.querySelectorAll('#metric option').length === 2")


def test_every_view_keeps_its_pickers_in_the_url(page, site: str) -> None:
    page.goto(f"{site}/#/trending")
    rows(page)
    page.select_option("#kind", "dataset")
    page.wait_for_selector("#metric")
    page.select_option("#metric", "downloads")
    page.select_option("#days", "1")
    page.wait_for_function("location.hash.includes('days=1') && location.hash.includes('metric=downloads')")
    assert page.evaluate("location.hash").startswith("#/trending?kind=dataset")
    page.reload()
    rows(page)
    assert page.input_value("#kind") == "dataset" and page.input_value("#metric") == "downloads" and page.input_value("#days") == "1"
    assert "Downloads gained" in headers(page)
    page.goto(f"{site}/#/new?kind=space&days=30")
    rows(page)
    assert page.input_value("#kind") == "space" and page.input_value("#days") == "30"
    page.goto(f"{site}/#/papers?days=30&category=cs.CV")
    rows(page)
    assert page.input_value("#category") == "cs.CV"
    assert set(column(page, "Category")) == {"cs.CV"}


def test_lookup_suggests_repos_as_you_type(page, site: str) -> None:
    page.goto(f"{site}/#/trending")
    rows(page)
    repo_id = page.locator("tbody tr td.repo a").first.inner_text()
    owner, name = repo_id.split("/", 1)
    if page.form_factor == "phone":
        page.locator("#lookup-id").scroll_into_view_if_needed()
    page.fill("#lookup-id", name.lower())  # a part of the id, in another case
    page.wait_for_selector(f"#suggestions a[href='#/repo/model/{repo_id}']")
    page.click(f"#suggestions a[href='#/repo/model/{repo_id}']")
    page.wait_for_function(f"Chart.getChart('likes-chart') && document.querySelector('h1').innerText.includes('{repo_id}')")
    page.fill("#lookup-id", name.lower())  # not an exact id, submitted as it is
    page.press("#lookup-id", "Escape")
    page.press("#lookup-id", "Enter")
    page.wait_for_selector(f"#did-you-mean a[href='#/repo/model/{repo_id}']")
    assert "404" in page.inner_text("#view .error")
    page.fill("#lookup-id", f"{owner}/")
    page.wait_for_selector("#suggestions li a")
    assert all(s.startswith(f"{owner}/") for s in page.locator("#suggestions li a span:first-child").all_inner_texts())
    page.keyboard.press("Escape")


def test_suggestions_close_on_escape_and_on_leaving_and_stay_closed(page, site: str) -> None:
    # an answer arriving after Escape re-opened the list, and a list left open covered the next view
    page.goto(f"{site}/#/trending")
    rows(page)
    owner = page.locator("tbody tr td.repo a").first.inner_text().split("/", 1)[0]
    if page.form_factor == "phone":
        page.locator("#lookup-id").scroll_into_view_if_needed()
    page.fill("#lookup-id", f"{owner}/")
    page.press("#lookup-id", "Escape")  # before the debounced request has answered
    page.wait_for_timeout(600)
    assert page.locator("#suggestions li").count() == 0, "a late answer re-opened the list"
    page.fill("#lookup-id", f"{owner}/")
    page.wait_for_selector("#suggestions li a")
    page.evaluate("location.hash = '#/sql'")  # the back button, a link from the keyboard
    page.wait_for_selector("#sql-examples button")
    assert page.locator("#suggestions li").count() == 0, "the list outlived the view it was opened on"


def test_a_query_with_no_rows_says_which_days_the_history_holds(page, site: str) -> None:
    page.goto(f"{site}/#/sql")
    page.wait_for_selector("#sql-examples button")
    page.fill("#sql", "SELECT repo_id FROM repo_days WHERE date < DATE '2000-01-01'")
    page.click("#sql-run")
    page.wait_for_selector("#sql-meta")
    text = page.inner_text("#sql-output")
    assert "0 rows" in text and "the history holds Hub crawls from" in text, text
    assert "history from " in page.inner_text("#sql-meta"), "the span is shown beside any answer"


def test_repo_page_draws_likes_and_downloads_charts(page, site: str) -> None:
    page.goto(f"{site}/#/trending")
    rows(page)
    links = page.locator("tbody tr td.repo a:first-child")
    lengths = page.evaluate(
        "ids => Promise.all(ids.map(id => fetch(`/models/${id}/history?limit=180`).then(r => r.json()).then(b => b.length)))",
        links.all_inner_texts()[:10],
    )
    pick = max(range(len(lengths)), key=lambda i: lengths[i])
    repo_id = links.nth(pick).inner_text()
    links.nth(pick).click()
    page.wait_for_selector("#likes-chart")
    page.wait_for_function("Chart.getChart('likes-chart') && Chart.getChart('downloads-chart')")
    points = page.evaluate("Chart.getChart('likes-chart').data.datasets[0].data.length")
    days = page.evaluate(f"fetch('/models/{repo_id}/history?limit=180').then(r => r.json()).then(b => b.length)")
    assert points == days >= 2, "one point per crawled day the repo existed"
    assert repo_id in page.inner_text("h1")
    assert page.locator("#deleted").count() == 0
    fits(page)
    shoot(page, "repo")
    page.goto(f"{site}/#/papers")
    rows(page)
    page.goto(f"{site}/#/repo/models/{repo_id}")  # the plural, as older links have it
    page.wait_for_function(f"Chart.getChart('likes-chart') && document.querySelector('h1').innerText.includes('{repo_id}')")
    assert page.locator(".error").count() == 0


def test_deleted_repos_are_marked(page, site: str, store: tuple[str, Path, str]) -> None:
    from sqlalchemy import select

    from hubsight.store.db import make_engine
    from hubsight.store.schema import repos

    engine = make_engine(f"sqlite:///{store[1]}")
    with engine.connect() as conn:  # typed: SQLite keeps dates as day numbers
        found = conn.execute(select(repos.c.repo_id, repos.c.deleted_on)
                             .where(repos.c.kind == "model", repos.c.deleted_on.is_not(None)).limit(1)).first()
    engine.dispose()
    assert found, "the replica deletes a few repos over three days"
    repo_id, deleted_on = found
    page.goto(f"{site}/#/repo/model/{repo_id}")
    page.wait_for_selector("#deleted")
    assert str(deleted_on)[:10] in page.inner_text("#deleted")
    assert "deleted" in page.inner_text("h1")
    page.wait_for_function("Chart.getChart('likes-chart')")
    assert "null" not in page.inner_text("#view").split("Daily snapshots")[0]


def test_compare_puts_repos_on_one_chart(page, site: str) -> None:
    page.goto(f"{site}/#/trending?kind=model")
    rows(page)
    picks = page.locator("tbody input.pick")
    picks.nth(0).check()
    picks.nth(1).check()
    picks.nth(2).check()
    ids = page.locator("tbody tr td.repo a:first-child").all_inner_texts()[:3]
    page.click("#compare-selected")
    page.wait_for_function("Chart.getChart('compare-chart') && Chart.getChart('compare-chart').data.datasets.length === 3")
    assert page.evaluate("Chart.getChart('compare-chart').data.datasets.map(d => d.label)") == ids
    assert page.evaluate("location.hash").startswith("#/compare?kind=model&metric=likes&ids=")
    fits(page)
    shoot(page, "compare")
    page.select_option("#metric", "downloads")
    page.wait_for_function("location.hash.includes('metric=downloads') && Chart.getChart('compare-chart')")
    page.click(f"button[aria-label='remove {ids[0]}']")
    page.wait_for_function("Chart.getChart('compare-chart') && Chart.getChart('compare-chart').data.datasets.length === 2")
    # from a repo page
    page.goto(f"{site}/#/repo/model/{ids[0]}")
    page.click("#compare-this")
    page.wait_for_function("Chart.getChart('compare-chart') && Chart.getChart('compare-chart').data.datasets.length === 1")
    page.fill("#compare-add", ids[1])
    page.press("#compare-add", "Enter")
    page.wait_for_function("Chart.getChart('compare-chart') && Chart.getChart('compare-chart').data.datasets.length === 2")


def test_new_repos_page_has_numbers_and_names_its_date(page, site: str) -> None:
    page.goto(f"{site}/#/new?days=30")
    assert rows(page) > 0
    names = headers(page)
    assert {"Likes", "Downloads (30 days)", "Created on the Hub (created_at, UTC)"} <= set(names)
    assert all(v.replace(",", "").isdigit() for v in column(page, "Likes"))
    fits(page)
    shoot(page, "new")


def test_papers_and_arena(page, site: str) -> None:
    page.goto(f"{site}/#/papers")
    assert rows(page) > 0
    fits(page)
    page.goto(f"{site}/#/arena")
    page.wait_for_function("Chart.getChart('arena-chart') && Chart.getChart('arena-chart').data.labels.length > 1")
    assert rows(page) > 0
    fits(page)
    shoot(page, "arena")


def test_query_console_shows_the_result_as_a_table(page, site: str) -> None:
    page.goto(f"{site}/#/console")
    page.click("#run")
    page.wait_for_selector("#console-output table[data-rows]")
    assert int(page.get_attribute("#console-output table", "data-rows")) == 10
    assert "repo_id" in page.inner_text("#console-output thead")
    fits(page)
    shoot(page, "console")
    page.fill("#code", "import os\nresult = 1\nresult")
    page.click("#run")
    page.wait_for_selector("#console-output .error")
    assert "RuleViolation" in page.inner_text("#console-output .error")
    assert "import" in page.evaluate("decodeURIComponent(location.hash)"), "the script is in the URL"


def test_dark_theme_follows_the_system(page, site: str) -> None:
    page.emulate_media(color_scheme="dark")
    try:
        page.goto(f"{site}/#/trending")
        rows(page)
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background == "rgb(13, 17, 23)"
    finally:
        page.emulate_media(color_scheme="light")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


@pytest.mark.parametrize("form_factor", list(VIEWPORTS))
def test_an_api_key_can_be_entered_when_the_server_needs_one(browser, store: tuple[str, Path, str], form_factor: str) -> None:
    from hubsight.api.keys import create_key
    from hubsight.store.db import make_engine, writing

    db_url, _, endpoint = store
    engine = make_engine(db_url)
    with writing(engine) as conn:
        key = create_key(conn, f"web-test-{form_factor}", 1000)
    engine.dispose()
    with serve(get_settings(db=db_url, hf_endpoint=endpoint, hf_token="", api_keys_required=True)) as url:
        context = browser.new_context(viewport=VIEWPORTS[form_factor])
        page = context.new_page()
        try:
            page.goto(f"{url}/#/trending")
            page.wait_for_selector(".error")
            assert "401" in page.inner_text(".error") and "API key" in page.inner_text(".error")
            assert page.evaluate("document.getElementById('apikey').open")
            page.fill("#apikey-input", key)
            page.click("#apikey-form button")
            assert rows(page) > 0
            page.reload()
            assert rows(page) > 0, "the key is remembered"
            assert page.inner_text("#apikey-summary") == "API key ✓"
        finally:
            context.close()


def test_trending_filters_windows_and_sparklines_from_the_open_history(page, site: str) -> None:
    page.goto(f"{site}/#/trending?kind=model&days=3")
    assert rows(page) > 0
    assert page.input_value("#days") == "3", "a window the list lacks still shows as chosen"
    assert "Library" in headers(page) and "Daily" in headers(page)
    points = page.eval_on_selector_all("#view tbody svg.sparkline", "svgs => svgs.map(s => Number(s.dataset.points))")
    assert max(points) >= 2, "each row draws its daily values"
    author = column(page, "Repo")[0].split("/")[0]
    page.fill("#author", author)
    page.press("#author", "Tab")
    page.wait_for_function(f"location.hash.includes('author={author}')")
    rows(page)
    assert {r.split("/")[0] for r in column(page, "Repo")} == {author}
    page.goto(f"{site}/#/trending?kind=model&days=180&library=gguf")
    assert rows(page) > 0
    assert "cannot be covered" in page.inner_text("#clamped"), "a window longer than the store says so"
    assert set(column(page, "Library")) == {"gguf"}
    page.goto(f"{site}/#/trending?kind=model&days=3&group_by=author")
    assert rows(page) > 0
    assert headers(page)[:3] == ["#", "Author", "Repos"]
    fits(page)


def test_sql_page_runs_examples_charts_dates_and_downloads_csv(page, site: str) -> None:
    page.goto(f"{site}/#/sql")
    page.wait_for_selector("#sql-examples button")
    assert page.locator("#sql-examples button").count() >= 4
    assert "repo_days" in page.inner_text("#sql-views")
    page.click("#sql-examples button:has-text('per day')")
    page.wait_for_selector("#sql-output table[data-rows]")
    page.wait_for_function("Chart.getChart('sql-chart') && Chart.getChart('sql-chart').data.labels.length > 1")
    assert "select" in page.evaluate("decodeURIComponent(location.hash)").lower(), "the query is in the URL"
    fits(page)
    shoot(page, "sql")
    with page.expect_download() as download:
        page.click("#sql-output #csv")
    text = Path(download.value.path()).read_text()
    assert text.splitlines()[0] == ",".join(page.locator("#sql-output thead th").all_inner_texts())
    page.reload()
    page.wait_for_selector("#sql-output table[data-rows]")  # a shared link runs its query
    page.fill("#sql", "SELECT nope FROM repo_days")
    page.click("#sql-run")
    page.wait_for_selector("#sql-output .error")
    assert "nope" in page.inner_text("#sql-output .error")
    page.fill("#sql", "SELECT date, count(*) AS repos FROM repo_days GROUP BY date ORDER BY date")
    page.press("#sql", "Control+Enter")
    page.wait_for_function("Chart.getChart('sql-chart') && Chart.getChart('sql-chart').data.datasets[0].label === 'repos'")
