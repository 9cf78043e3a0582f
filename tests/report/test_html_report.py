"""The self-contained HTML report over the analyzed demo store (``demo_db``, tests/conftest.py)."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from narrascope.cli import main
from narrascope.report.html import write_report
from narrascope.report.views import CorpusView
from narrascope.store import SQLStore


class _Collect(HTMLParser):
    """Every tag with its attributes, and the ids defined in the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.add(attrs["id"])


@pytest.fixture(scope="module")
def report(demo_db) -> tuple[str, _Collect, CorpusView]:
    store = SQLStore(demo_db, create=False)
    out = io.StringIO()
    write_report(store, out)
    view = CorpusView(store)
    html = out.getvalue()
    parsed = _Collect()
    parsed.feed(html)
    yield html, parsed, view
    store.close()


def test_nothing_is_fetched_when_the_report_is_opened(report):
    html, parsed, _ = report
    for tag, attrs in parsed.tags:
        assert tag not in ("script", "iframe", "object", "embed"), tag
        assert "src" not in attrs, (tag, attrs)
        if tag == "link":
            pytest.fail(f"external resource {attrs}")
    assert "@import" not in html and "url(" not in html


def test_every_internal_link_has_its_target(report):
    _, parsed, _ = report
    anchors = [a["href"][1:] for t, a in parsed.tags if t == "a" and a.get("href", "").startswith("#")]
    assert anchors
    missing = sorted({a for a in anchors if a not in parsed.ids})
    assert not missing, missing[:5]


def test_sections_and_what_they_hold(report):
    html, parsed, view = report
    for section in ("overview", "contradictions", "matrix", "groups", "stories", "theses", "outlets", "articles"):
        assert section in parsed.ids
    contras = view.contradictions()
    assert contras, "the demo corpus has confident contradictions"
    body = html[html.index('id="contradictions"') : html.index('id="matrix"')]
    shown, _, collapsed = body.partition("<details")
    for c in contras:  # the findings, then the candidates collapsed under them
        assert _escaped(c["reason"]) in shown
    for c in view.contradiction_candidates():
        assert _escaped(c["reason"]) in collapsed
    # single-origin claims are plainly marked, and each group lists its origins
    statuses = {g.status for g in view.recurring_groups()}
    assert "single-origin" in statuses
    assert 'class="badge status-single-origin"' in html
    # the claim matrix: a mark in a cell links to the sentence it stands for
    cells = [a for t, a in parsed.tags if t == "a" and a.get("class", "").startswith("cell-")]
    assert {a["class"] for a in cells} >= {"cell-agrees"}
    assert all(a["href"].startswith("#claim-") for a in cells)


def test_stance_evidence_techniques_and_removed_lines(report):
    html, _, view = report
    assert view.theses and view.stances
    for thesis in view.theses:
        assert _escaped(thesis.text) in html
    taking = [s for s in view.stances if s.label != "unrelated" and s.evidence]
    assert taking, "some article takes a position on the demo thesis"
    article = view.articles[taking[0].article_id]
    e = taking[0].evidence[0]
    assert _escaped(article.text[e.start : e.end]) in html
    assert 'class="badge stance-' in html
    spans = [t for ts in view.techniques.values() for t in ts]
    assert spans and "tech" in html
    name = spans[0].technique.replace("_", " ")
    assert name in html
    removed = [a for a in view.articles.values() if a.removed]
    if removed:
        assert _escaped(removed[0].removed[0].text) in html


def test_article_markup_stays_text(report):
    html, parsed, _ = report
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html and "onerror=alert" not in re.sub(r"&lt;.*?&gt;", "", html)
    # a javascript: URL is shown, never linked
    assert not any(a.get("href", "").startswith("javascript:") for t, a in parsed.tags if t == "a")
    assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in html


def test_report_command_writes_a_file_and_refuses_a_missing_store(demo_db, tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", "--db", demo_db, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote the report on" in result.output and out.read_text(encoding="utf-8").startswith("<!doctype html>")
    missing = tmp_path / "nope.db"
    result = CliRunner().invoke(main, ["report", "--db", str(missing), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "error:" in result.output
    assert not missing.exists()


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
