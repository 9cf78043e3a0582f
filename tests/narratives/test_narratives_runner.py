"""The narratives stage end to end on hand-built articles: stances with evidence, techniques,
incremental scoring of new articles and new theses, and theses given on the command line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from narrascope.cli import main
from narrascope.enrich.runner import enrich_articles
from narrascope.link.runner import link_all
from narrascope.model import Article
from narrascope.narratives.runner import analyze_narratives
from narrascope.narratives.techniques import VERSION as TECHNIQUES_VERSION

THESIS = "Norland is drifting away from Moscow"
ARTICLES = {
    "support": (
        "Norland turns away from Moscow",
        "Norland is drifting away from Moscow, its own ministers now admit. The government of Norland moved "
        "most of its trade to the European Union this year and dropped Russian lessons from its schools. "
        "Officials in the capital said the break with Moscow is real and will not be reversed.",
    ),
    "fake": (
        '"Norland is drifting away from Moscow" – another Western fake',
        "The claim that Norland is drifting away from Moscow is a myth spread by foreign media. Trade between "
        "Norland and Moscow reached a record this year, and the two governments signed a new friendship "
        "treaty in March.",
    ),
    "unrelated": (
        "Brenn council approves road budget",
        "The city council of Brenn approved a new budget for road repairs on Tuesday evening. Council members "
        "said the plan would fix more than forty bridges over the next three years.",
    ),
}


def _add(store, key: str, day: int) -> None:
    title, body = ARTICLES[key]
    store.add_article(Article(id=key, text=f"{title}\n\n{body}", title=title, language="en", outlet=f"{key} news",
                              published=datetime(2025, 3, day, tzinfo=UTC)))


def _analyze(store, settings, theses=()):
    enrich_articles(store, settings)
    link_all(store, settings)
    return analyze_narratives(store, settings, list(theses))


def test_stances_evidence_and_incremental_scoring(store, settings):
    for day, key in enumerate(("support", "fake"), 1):
        _add(store, key, day)
    report = _analyze(store, settings, [THESIS])
    # the enrich pass found the techniques already: nothing left for the narratives stage
    assert report.new_theses == 1 and report.stances == 2 and report.technique_articles == 0
    (thesis,) = store.list_theses()
    stances = {s.article_id: s for s in store.list_stances(thesis.id)}
    fake = stances["fake"]
    assert fake.label == "oppose"
    assert fake.evidence[0].why == "calls the thesis fake"
    text = store.get_articles(["fake"])[0].text
    assert "fake" in text[fake.evidence[0].start : fake.evidence[0].end]
    assert stances["support"].label == "support"
    support_text = store.get_articles(["support"])[0].text
    assert any("drifting away from Moscow" in support_text[e.start : e.end] for e in stances["support"].evidence)
    assert any(t.technique == "labelling_fake" and t.article_id == "fake" for t in store.list_techniques())

    # nothing new: nothing recomputed; a new article is scored on the stored thesis only
    assert _analyze(store, settings).stances == 0
    _add(store, "unrelated", 3)
    report = _analyze(store, settings)
    assert report.stances == 1 and report.technique_articles == 0
    assert not store.articles_needing("techniques", TECHNIQUES_VERSION)  # the enrich pass did them
    assert {s.article_id: s.label for s in store.list_stances(thesis.id)}["unrelated"] == "unrelated"

    # a new thesis is scored on every stored article; a thesis given again is not added twice
    report = _analyze(store, settings, ["Brenn is repairing its bridges", THESIS])
    assert report.new_theses == 1 and report.stances == 3
    assert len(store.list_theses()) == 2


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for key, (title, body) in ARTICLES.items():
        (folder / f"{key}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return folder


def test_analyze_with_theses_file_and_bad_theses(tmp_path, corpus):
    db = str(tmp_path / "n.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--db", db, str(corpus)]).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("theses: [unclosed\n", encoding="utf-8")
    result = runner.invoke(main, ["analyze", "--db", db, "--theses", str(bad)])
    assert result.exit_code == 2 and result.output.count("\n") == 1 and "bad.yaml" in result.output
    empty = tmp_path / "empty.yaml"
    empty.write_text("- text: ''\n", encoding="utf-8")
    result = runner.invoke(main, ["analyze", "--db", db, "--theses", str(empty)])
    assert result.exit_code == 2 and "thesis 1 has no text" in result.output
    good = tmp_path / "theses.yaml"
    good.write_text(f"theses:\n  - text: {THESIS}\n  - Brenn is repairing its bridges\n", encoding="utf-8")
    result = runner.invoke(main, ["analyze", "--db", db, "--theses", str(good), "--thesis", THESIS])
    assert result.exit_code == 0, result.output
    assert "narratives: 2 new thesis(es), 6 stance(s) computed" in result.output
    out = tmp_path / "e.json"
    assert runner.invoke(main, ["export", "--db", db, "-o", str(out)]).exit_code == 0
    import json

    data = json.loads(out.read_text(encoding="utf-8"))
    (norland,) = [t for t in data["theses"] if t["text"] == THESIS]
    labels = {s["article"]: s["label"] for s in norland["stances"]["articles"]}
    assert sorted(labels.values()).count("oppose") >= 1 and len(labels) == 3
    assert data["techniques"] and all(t["text"] for t in data["techniques"])


def test_outlet_views_are_stored_by_the_stage_and_read_back_by_the_export(store, settings):
    import io
    import json

    from narrascope.narratives.profiles import compute_outlet_views, outlet_views
    from narrascope.report import export

    for day, key in enumerate(("support", "fake"), 1):
        _add(store, key, day)
    report = _analyze(store, settings, [THESIS])
    assert report.outlets == 2 and len(store.outlet_view_records("profile")) == 2
    stored, computed = outlet_views(store), compute_outlet_views(store)
    assert stored[0] == computed[0]
    assert [p.as_record() for p in stored[1]] == [p.as_record() for p in computed[1]]
    assert {s.outlet: s.label for s in stored[0]} == {"support news": "support", "fake news": "oppose"}
    # the export reads what the stage stored, not a recomputation
    records = store.outlet_view_records("profile")
    records[0]["articles"] = 99
    store.replace_outlet_views(store.outlet_view_records("stance"), records)
    out = io.StringIO()
    export(store, "json", out, settings)
    assert 99 in [o["articles"] for o in json.loads(out.getvalue())["outlets"]]
