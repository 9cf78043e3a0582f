"""The dashboard's contradictions over a hand-built store (``contradiction_db``, tests/conftest.py):
confident ones (0.97, 0.91) sorted by confidence with the reason first, candidates (0.62, 0.55) collapsed."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from narrascope.config import default_settings
from narrascope.web import create_app


def _client(db: str, level: float | None = None) -> TestClient:
    settings = default_settings()
    if level is not None:
        settings = settings.replace({"report": {"confident_contradiction": level}})
    return TestClient(create_app(db, settings), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def client(contradiction_db):
    with _client(contradiction_db) as c:
        yield c


def _split(html: str, start: str, end: str) -> tuple[str, str]:
    part = html[html.index(start) : html.index(end)]
    shown, _, collapsed = part.partition('<details class="candidates">')
    return shown, collapsed


def test_overview_top_contradictions_and_collapsed_candidates(client):
    html = client.get("/").text
    shown, collapsed = _split(html, 'id="contradictions"', 'id="stories"')
    assert shown.index("$17.4 billion vs") < shown.index("at odds about sanctions")
    item = shown[shown.index('<div class="contra">') : shown.index("at odds about sanctions")]
    assert item.index("$17.4 billion vs") < item.index('href="/claims/art-alpha-0"') < item.index("confidence 0.97")
    assert 'href="/outlets/Beta%20News"' in item and 'href="/articles/art-beta"' in item
    assert "at odds about the port" not in shown
    assert "2 unconfirmed candidates (confidence below 0.9) — not findings</summary>" in collapsed
    assert collapsed.count("unconfirmed</span>") == 2
    assert collapsed.index("reopened in March") < collapsed.index("port&#39;s cargo")
    assert '<div class="card"><b>2</b>contradictions (confidence ≥ 0.9)</div>' in html
    matrix = html[html.index('id="matrix"') : html.index('id="outlets"')]
    assert matrix.count('class="cell-contradicts"') == 4


def test_story_page_uses_the_same_split(client):
    html = client.get("/stories/story-1").text
    shown, collapsed = _split(html, "<h2>Contradictions</h2>", "<h2>Claims</h2>")
    assert shown.index("$17.4 billion vs") < shown.index("at odds about sanctions") and "at odds about the port" not in shown
    assert "<summary>2 unconfirmed candidates" in collapsed and "reopened in March" in collapsed


def test_claim_page_labels_a_candidate_and_keeps_it_off_the_graph(client):
    html = client.get("/claims/art-gamma-1").text
    assert "unconfirmed contradiction</span>" in html and 'class="badge relation-contradicts"' not in html
    graph = json.loads(html.split('id="provenance-data">', 1)[1].split("</script>", 1)[0])
    assert "contradicts" not in {e["relation"] for e in graph["edges"]}
    html = client.get("/claims/art-alpha-0").text
    assert 'class="badge relation-contradicts"' in html
    graph = json.loads(html.split('id="provenance-data">', 1)[1].split("</script>", 1)[0])
    assert "contradicts" in {e["relation"] for e in graph["edges"]}


def test_dashboard_honours_the_setting(contradiction_db):
    with _client(contradiction_db, 0.5) as c:
        html = c.get("/").text
    assert '<div class="card"><b>4</b>contradictions (confidence ≥ 0.5)</div>' in html and "unconfirmed candidate" not in html
    with _client(contradiction_db, 0.99) as c:
        html = c.get("/").text
    assert "No claims contradict each other with confidence 0.99 or more." in html
    assert "4 unconfirmed candidates (confidence below 0.99)" in html
