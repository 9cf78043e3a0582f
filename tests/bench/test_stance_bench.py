"""bench stance: the seed articles as one more event, and the figures the BASIL set prints."""

from __future__ import annotations

import json

from narrascope.bench.stance_theses import load_seeds, report_basil


def test_seed_articles_are_one_event_titled_by_their_first_line(tmp_path):
    (tmp_path / "b.txt").write_text("\n\nKaravia signs a pact\nBody text.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Brenn votes\n\nThe council voted.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")
    records = load_seeds(tmp_path)
    assert [(r["id"], r["title"], r["event"]) for r in records] == [("a", "Brenn votes", "seeds"),
                                                                    ("b", "Karavia signs a pact", "seeds")]
    assert load_seeds(tmp_path / "missing") == []


def test_report_counts_off_topic_same_event_and_judged_labels():
    rows = [
        {"thesis": "t", "split": "report", "same": False, "gold": None, "before": "support", "after": "unrelated"},
        {"thesis": "t", "split": "report", "same": False, "gold": None, "before": "unrelated", "after": "discuss"},
        {"thesis": "t", "split": "report", "same": True, "gold": "oppose", "before": "support", "after": "oppose"},
        {"thesis": "t", "split": "report", "same": True, "gold": "support", "before": "support", "after": "unrelated"},
    ]
    for r in rows:
        r.update(outlet="o", title="x", relevance=0.5, evidence="")
    lines: list[str] = []
    figures = report_basil(rows, lines.append)
    assert figures[("report", "after")] == (0.5, 0.5, 0.5)
    assert figures[("report", "before")] == (0.5, 1.0, 0.5)
    assert json.dumps(lines)  # printable
