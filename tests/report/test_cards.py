"""Every count on the report's cards agrees with `narrascope export --format json` of the same store."""

from __future__ import annotations

import io
import json
from collections import Counter

from click.testing import CliRunner
from markupsafe import escape

from narrascope.cli import main
from narrascope.config import default_settings
from narrascope.report.html import write_report
from narrascope.report.views import CorpusView
from narrascope.store import SQLStore


def counts_from_export(data: dict, confident: float) -> dict[str, int]:
    """The cards' counts, worked out from the JSON export alone."""
    claims = {c["id"] for c in data["claims"]}
    out = {
        "stories": len(data["stories"]),
        "check-worthy claims": len(claims),
        "claim groups": len(data["claim_groups"]),
        f"contradictions (confidence ≥ {confident:g})": sum(
            1 for k in data["claim_links"]
            if k["relation"] == "contradicts" and k["score"] >= confident and k["a"] in claims and k["b"] in claims),
        "syndicated copies": sum(1 for a in data["articles"] if a["duplicate_of"]),
        "technique spans": len(data["techniques"]),
    }
    for status, n in Counter(g["status"] for g in data["claim_groups"]).items():
        out[f"{status} claim groups"] = n
    return out


def test_report_cards_agree_with_the_json_export(demo_db, tmp_path):
    exported = tmp_path / "demo.json"
    result = CliRunner().invoke(main, ["export", "--db", demo_db, "--format", "json", "-o", str(exported)])
    assert result.exit_code == 0, result.output
    data = json.loads(exported.read_text(encoding="utf-8"))
    confident = default_settings().report.confident_contradiction
    expected = counts_from_export(data, confident)

    store = SQLStore(demo_db, create=False)
    view = CorpusView(store)
    cards = {what: n for n, what in view.cards()}
    assert cards == expected
    # the demo has every status and some of each other kind, so a wrong definition shows
    assert {"single-origin claim groups", "corroborated claim groups"} <= set(cards)
    assert cards["single-origin claim groups"] > len([g for g in view.recurring_groups()
                                                      if g.status == "single-origin"])
    assert all(cards[k] > 0 for k in ("stories", "check-worthy claims", "syndicated copies", "technique spans"))

    overview = view.overview()
    assert overview["articles"] == len(data["articles"])
    assert overview["outlets"] == len({a["outlet"] or "(unknown outlet)" for a in data["articles"]})

    out = io.StringIO()
    write_report(store, out)
    html = out.getvalue()
    for what, n in expected.items():
        assert f'<div class="card"><b>{n}</b>{escape(what)}</div>' in html, what
    assert f"{len(data['articles'])} articles from {overview['outlets']} outlets" in html
    store.close()
