"""Outlet profiles and narrative discovery, on hand-built records; the command on the demo store."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from click.testing import CliRunner

from narrascope.cli import main
from narrascope.model import Annotations, Article, Citation, Claim, ClaimGroup, TechniqueSpan
from narrascope.narratives.discover import discover
from narrascope.narratives.profiles import outlet_profiles
from narrascope.narratives.theses import OutletStance


def _group(gid: str, claims: list[str], status: str, outlets: list[list[str]], summary: str) -> ClaimGroup:
    origins = [{"origin": f"origin-{i}", "kind": "outlet", "outlets": o, "claims": []} for i, o in enumerate(outlets)]
    return ClaimGroup(gid, claims, status, origins, summary=summary)


def test_profiles_count_articles_claims_citations_and_techniques():
    day = datetime(2025, 3, 1, tzinfo=UTC)
    a1 = Article("a1", "x", outlet="Tarsk Times", language="en", published=day)
    a2 = Article("a2", "y", outlet="Tarsk Times", language="ru", published=day.replace(day=9))
    a3 = Article("a3", "z", outlet="Nord Review", language="en", duplicate_of="a1")
    ann = {
        "a1": Annotations("a1", claims=[Claim("c1", "a1", 0, 1, 0.9), Claim("c2", "a1", 0, 1, 0.9)],
                          citations=[Citation("a1", 0, 1, "Baltic Ledger", "reports")]),
        "a2": Annotations("a2", claims=[Claim("c3", "a2", 0, 1, 0.9)],
                          citations=[Citation("a2", 0, 1, "Baltic Ledger", "reports"), Citation("a2", 0, 1, "TASS", "reports")]),
        "a3": Annotations("a3", claims=[Claim("c4", "a3", 0, 1, 0.9)]),
    }
    groups = [
        # one group carried twice by the same outlet counts once for it
        ClaimGroup("g1", ["c1", "c3", "c4"], "corroborated", []),
        ClaimGroup("g2", ["c2"], "single-origin", []),
    ]
    stances = [OutletStance("Tarsk Times", "t1", "support", {"support": 2}, {}, ["a1", "a2"])]
    techniques = [TechniqueSpan("a1", 0, 1, "loaded_language", 0.9), TechniqueSpan("a3", 0, 1, "doubt", 0.8)]
    profiles = {p.outlet: p for p in outlet_profiles([(a, ann[a.id]) for a in (a1, a2, a3)], groups, stances,
                                                     techniques)}
    tarsk, nord = profiles["Tarsk Times"], profiles["Nord Review"]
    assert tarsk.articles == 2 and dict(tarsk.languages) == {"en": 1, "ru": 1}
    assert tarsk.first_published == day and tarsk.last_published.day == 9
    assert dict(tarsk.claim_statuses) == {"corroborated": 1, "single-origin": 1}
    assert dict(tarsk.cited_sources) == {"Baltic Ledger": 2, "TASS": 1}
    assert dict(tarsk.techniques) == {"loaded_language": 1}
    assert [s.label for s in tarsk.stances] == ["support"]
    assert nord.copies_of_others == 1 and dict(nord.claim_statuses) == {"corroborated": 1}
    record = tarsk.as_record()
    assert record["stances"][0]["thesis"] == "t1" and record["cited_sources"]["Baltic Ledger"] == 2


def test_discovery_gathers_recurring_claims_into_candidate_theses():
    groups = [
        _group("g1", ["c1", "c2", "c3"], "corroborated", [["A", "B"], ["C"]],
               "Karavia will build its first nuclear plant with a Russian company; officials said so."),
        _group("g2", ["c4", "c5"], "single-origin", [["A", "D"]], "Karavia picked a Russian builder for its plant."),
        _group("g3", ["c6", "c7"], "contradicted", [["B"], ["C"]], "Trade turnover reached $27 billion."),
        _group("g4", ["c8"], "single-origin", [["A"]], "Only one outlet says this."),
    ]
    v = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [1.0, 0.0]])
    found = discover(groups, v, min_outlets=2)
    assert [n.groups for n in found] == [["g1", "g2"], ["g3"]]
    first = found[0]
    assert first.thesis == "Karavia will build its first nuclear plant with a Russian company"
    assert first.outlets == ["A", "B", "C", "D"] and first.appearances == 5
    assert first.statuses == {"corroborated": 1, "single-origin": 1}
    assert discover(groups, v, min_outlets=4) == []  # no single claim group reaches four outlets
    # with one outlet enough, the lone claim joins the narrative its vector is closest to
    assert [n.groups for n in discover(groups, v, min_outlets=1)] == [["g1", "g2", "g4"], ["g3"]]

def test_narratives_command_on_the_demo_store(demo_db, tmp_path):
    result = CliRunner().invoke(main, ["narratives", "--db", demo_db, "--limit", "3"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(" 1. ") and "outlets (" in lines[1]
    assert sum(line[:4].strip().rstrip(".").isdigit() for line in lines) <= 3
    missing = tmp_path / "none.db"
    result = CliRunner().invoke(main, ["narratives", "--db", str(missing)])
    assert result.exit_code == 2 and "error:" in result.output and not missing.exists()
    result = CliRunner().invoke(main, ["narratives", "--db", demo_db, "--min-outlets", "0"])
    assert result.exit_code == 2
