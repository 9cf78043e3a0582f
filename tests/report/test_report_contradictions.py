"""Contradictions split at ``report.confident_contradiction``: findings first, candidates collapsed.

Over a hand-built store (``contradiction_db``, tests/conftest.py): confident contradictions at 0.97 and
0.91, candidates at 0.62 and 0.55.
"""

from __future__ import annotations

import io

import pytest

from narrascope.config import default_settings
from narrascope.errors import ConfigError
from narrascope.model import ClaimLink
from narrascope.report.html import write_report
from narrascope.report.views import CorpusView, split_contradictions
from narrascope.store import SQLStore


def _link(a: str, score: float, reason: str, relation: str = "contradicts") -> ClaimLink:
    return ClaimLink(a, a + "'", relation, score, reason)


def test_split_sorts_each_side_by_confidence_then_reason():
    links = [_link("a", 0.91, "b reason"), _link("b", 0.62, "low"), _link("c", 0.97, "top"),
             _link("d", 0.91, "a reason"), _link("e", 0.99, "agrees", "same"), _link("f", 0.9, "at the level"),
             _link("g", 0.89, "just under")]
    confident, candidates = split_contradictions(links, 0.9)
    assert [k.reason for k in confident] == ["top", "a reason", "b reason", "at the level"]
    assert [k.reason for k in candidates] == ["just under", "low"]
    assert split_contradictions(links, 0.0)[1] == [] and split_contradictions(links, 1.0)[0] == []


@pytest.fixture
def view(contradiction_db):
    store = SQLStore(contradiction_db, create=False)
    yield CorpusView(store)
    store.close()


def test_view_lists_findings_and_counts_only_them(view):
    assert view.confident_contradiction == default_settings().report.confident_contradiction == 0.9
    assert [c["score"] for c in view.contradictions()] == [0.97, 0.91]
    assert [c["score"] for c in view.contradiction_candidates()] == [0.62, 0.55]
    assert view.overview()["contradictions"] == 2


def test_matrix_marks_only_confident_contradictions(view):
    matrix = view.matrix(view.recurring_groups())
    marks = {(g, outlet, cell.claim_id) for g, row in matrix.items() for outlet, cell in row.items()
             if cell.state == "contradicts"}
    assert marks == {("g-art-alpha-0", "Beta News", "art-beta-0"), ("g-art-beta-0", "Alpha Daily", "art-alpha-0"),
                     ("g-art-alpha-1", "Gamma Post", "art-gamma-0"), ("g-art-gamma-0", "Alpha Daily", "art-alpha-1")}
    # the port claims are contradicted only by candidates: their group keeps its stored status, but no ✗
    assert matrix["g-art-gamma-1"]["Beta News"].state == "silent"
    assert matrix["g-art-beta-1"]["Gamma Post"].state == "silent"


def _report(db: str, settings=None) -> str:
    store = SQLStore(db, create=False)
    out = io.StringIO()
    try:
        write_report(store, out, settings)
    finally:
        store.close()
    return out.getvalue()


def test_report_leads_with_confident_contradictions_reason_first(contradiction_db):
    html = _report(contradiction_db)
    section = html[html.index('id="contradictions"') : html.index('id="matrix"')]
    shown, collapsed = section.split('<details class="candidates">')
    # findings, most confident first, each reason before its two sentences and its confidence
    trade, sanctions = shown.index("$17.4 billion vs $27.1 billion"), shown.index("at odds about sanctions")
    assert trade < sanctions
    item = shown[shown.index('<div class="contra">', 0) : sanctions]
    assert item.index("$17.4 billion vs") < item.index("reached $17.4 billion last year") < item.index("confidence 0.97")
    assert 'href="#claim-art-alpha-0"' in item and 'href="#article-art-beta"' in item and "Beta News" in item
    assert "at odds about the port" not in shown
    # candidates: collapsed (a closed <details>), labelled, below the findings, never counted
    assert "<summary>2 unconfirmed candidates (confidence below 0.9) — not findings</summary>" in collapsed
    assert collapsed.index("reopened in March") < collapsed.index("port&#39;s cargo")
    assert collapsed.count('class="badge unconfirmed"') == 2 and "confidence 0.62" in collapsed
    assert "<details class=\"candidates\" open" not in section
    assert '<div class="card"><b>2</b>contradictions (confidence ≥ 0.9)</div>' in html
    matrix = html[html.index('id="matrix"') : html.index('id="groups"')]
    assert matrix.count('class="cell-contradicts"') == 4


def test_report_honours_the_setting(contradiction_db):
    strict = default_settings().replace({"report": {"confident_contradiction": 0.95}})
    html = _report(contradiction_db, strict)
    shown, collapsed = html[html.index('id="contradictions"') : html.index('id="matrix"')].split("<details")
    assert "$17.4 billion vs" in shown and "at odds about sanctions" not in shown
    assert "3 unconfirmed candidates (confidence below 0.95)" in collapsed and "at odds about sanctions" in collapsed
    assert '<div class="card"><b>1</b>contradictions (confidence ≥ 0.95)</div>' in html
    lenient = default_settings().replace({"report": {"confident_contradiction": 0.5}})
    html = _report(contradiction_db, lenient)
    assert '<div class="card"><b>4</b>contradictions (confidence ≥ 0.5)</div>' in html and "unconfirmed candidate" not in html


@pytest.mark.parametrize("value", [-0.1, 1.5])
def test_the_setting_is_a_fraction(value):
    with pytest.raises(ConfigError, match=r"report\.confident_contradiction"):
        default_settings().replace({"report": {"confident_contradiction": value}})
