"""The dashboard in a real browser: Debian's chromium, headless, driven by Playwright.

Playwright never downloads a browser here: it is pointed at /usr/bin/chromium, and the tests
skip when that is missing. The server is uvicorn in a thread on a free loopback port over the
demo store. Screenshots go to test-output/screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def server(dashboard_app):
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(dashboard_app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the dashboard server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (the dev extra) is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.problems = []  # console errors (CSP violations among them), uncaught exceptions, alert() calls
    pg.on("console", lambda m: pg.problems.append(f"{pg.url}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on("dialog", lambda d: (pg.problems.append(f"dialog: {d.message}"), d.dismiss()))
    yield pg
    context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_each_page_loads_without_errors(server, page, dash):
    view = dash.view
    outlet = max(dash.profiles.values(), key=lambda p: p.articles).outlet
    pages = {"overview": "/", "search": "/search?q=trade+turnover", "stories": "/stories",
             "story": f"/stories/{dash.stories_by_size[0].id}", "article": f"/articles/{next(iter(view.articles))}",
             "claim": f"/claims/{dash.contradictions[0]['a']}", "outlet": f"/outlets/{outlet}",
             "thesis": f"/theses/{view.theses[0].id}", "not-found": "/articles/nope"}
    for name, url in pages.items():
        response = page.goto(server + url)
        assert response.status == (404 if name == "not-found" else 200), url
        page.wait_for_load_state("load")
        shot(page, name)
    assert page.problems == [] or all("404" in p for p in page.problems), page.problems


def test_story_to_claim_to_article(server, page, dash):
    page.goto(server + "/")
    page.click(f'a[href="/stories/{dash.stories_by_size[0].id}"]')
    page.wait_for_selector("#timeline-chart")
    assert page.is_visible("#timeline-chart"), "the story timeline chart is drawn"
    assert page.eval_on_selector("#timeline-chart", "c => c.width") > 0
    shot(page, "flow-1-story")

    page.click("table a[href^='/claims/']")
    page.wait_for_selector("#provenance-graph canvas")
    assert page.is_visible("#provenance-graph"), "the provenance graph is drawn"
    assert page.locator("#provenance-graph canvas").count() >= 1
    shot(page, "flow-2-claim")

    article_link = page.locator("p.small a[href^='/articles/']").first
    href = article_link.get_attribute("href")
    article_link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(href)
    claim_spans = page.locator(".article a.claim")
    assert claim_spans.count() >= 1 and claim_spans.first.is_visible()
    assert page.locator(".article [class*='ent-']").first.is_visible()
    shot(page, "flow-3-article")
    assert page.problems == [], page.problems


def test_contradiction_reason_and_techniques_are_visible(server, page, dash):
    contra = dash.contradictions[0]
    page.goto(server + f"/claims/{contra['a']}")
    reason = page.locator(".reason-cell", has_text=contra["reason"]).first
    assert reason.is_visible()
    with_techniques = next(a for a, spans in dash.view.techniques.items() if spans)
    page.goto(server + f"/articles/{with_techniques}")
    assert page.locator(".article .tech-name").first.is_visible()
    assert page.problems == [], page.problems


def test_markup_in_an_article_never_runs(server, page, dash):
    aid = next(a.id for a in dash.view.articles.values() if a.external_id == "hostile-1")
    page.goto(server + f"/articles/{aid}")
    assert page.locator(".article", has_text="<script>alert(1)</script>").count() == 1
    assert page.locator("h1", has_text="<script>alert('title')</script>").count() == 1
    page.goto(server + "/search?q=script")
    shot(page, "escaped-search")
    assert not any(p.startswith("dialog") for p in page.problems), page.problems


def test_pages_work_without_javascript(server, browser, dash):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.goto(server + f"/claims/{dash.contradictions[0]['a']}")
    assert pg.is_hidden("#provenance-graph")
    assert pg.is_visible("#provenance-table table"), "the provenance table stands in for the graph"
    pg.goto(server + f"/stories/{dash.stories_by_size[0].id}")
    assert pg.is_visible("table.timeline")
    pg.goto(server + "/search?q=Karavia&outlet=Nord+Review")
    assert pg.locator(".hit").count() >= 1
    shot(pg, "no-javascript-claim")
    context.close()


def test_the_report_file_opens_offline_and_its_marks_lead_to_sentences(browser, demo_db, tmp_path):
    from narrascope.report.html import write_report
    from narrascope.store import SQLStore

    path = tmp_path / "report.html"
    store = SQLStore(demo_db, create=False)
    with path.open("w", encoding="utf-8") as out:
        write_report(store, out)
    store.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(path.as_uri())
    assert all(url.startswith("file://") for url in requests), requests
    assert pg.locator("#contradictions ~ .contra .reason").first.is_visible()
    cell = pg.locator("table.matrix a.cell-agrees").first
    target = cell.get_attribute("href")
    cell.click()
    assert pg.url.endswith(target)
    assert pg.locator(f"[id='{target[1:]}']").count() == 1
    shot(pg, "report")
    context.close()
