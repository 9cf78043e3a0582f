"""The report's SVG charts over a small store built by hand: what each mark says, escaping, layout."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from narrascope.link.stories import Story
from narrascope.model import Annotations, Article, Claim, ClaimGroup, ClaimLink, Stance, Thesis
from narrascope.report import charts
from narrascope.report.html import write_report
from narrascope.report.views import CorpusView
from narrascope.store import SQLStore

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = 'Evil <b>&"Co"</b>'
DAY0 = datetime(2025, 3, 3, 9, tzinfo=UTC)  # a Monday
# article id -> (outlet, days after DAY0, stance on the thesis)
ARTICLES = {
    "a1": ("Alpha Daily", 0, "support"),
    "a2": ("Alpha Daily", 1, "support"),
    "a3": ("Alpha Daily", 8, "oppose"),
    "b1": ("Beta News", 2, "oppose"),
    "b2": ("Beta News", 3, "support"),
    "c1": (HOSTILE, 15, "discuss"),
    "c2": (HOSTILE, 16, "unrelated"),
}
THESIS = Thesis("t1", "Karavia is drifting away from Russia.")


def build(db: str) -> SQLStore:
    store = SQLStore(db)
    for aid, (outlet, days, _) in ARTICLES.items():
        text = f"Trade turnover of Karavia reached {days + 10} billion dollars.\n\nOfficials in {aid} said so."
        store.add_article(Article(aid, text, title=f"Story {aid}", outlet=outlet,
                                  published=DAY0 + timedelta(days=days), language="en"))
        store.save_annotations(Annotations(aid, claims=[Claim(f"{aid}-0", aid, 0, text.index("\n"), 0.9)]))
    store.add_theses([THESIS])
    store.save_stances([Stance("t1", aid, label, 0.8) for aid, (_, _, label) in ARTICLES.items()], "test")
    origin = {"origin": "Financial Times", "kind": "cited", "claims": ["a1-0", "b1-0"],
              "outlets": ["Alpha Daily", "Beta News"], "first_seen": DAY0.isoformat()}
    store.replace_claim_groups([
        ClaimGroup("g-ft", ["a1-0", "b1-0"], "single-origin", [origin], DAY0, "trade turnover reached a record"),
        ClaimGroup("g-c", ["c1-0"], "contradicted", [{"origin": HOSTILE, "kind": "outlet", "claims": ["c1-0"]}],
                   DAY0, "turnover fell"),
        *[ClaimGroup(f"g-{a}", [f"{a}-0"], "corroborated", [], DAY0, a) for a in ("a2", "a3", "b2", "c2")]])
    store.replace_claim_links([ClaimLink("a1-0", "c1-0", "contradicts", 0.97, "10 vs 25 billion")])
    store.save_stories([Story("s-big", np.zeros(4, dtype=np.float32), 5, DAY0, DAY0, label="Karavia's trade"),
                        Story("s-small", np.zeros(4, dtype=np.float32), 2, DAY0, DAY0, label=HOSTILE)],
                       [(a, "s-big", 1.0) for a in ("a1", "a2", "a3", "b1", "b2")]
                       + [(a, "s-small", 1.0) for a in ("c1", "c2")])
    return store


@pytest.fixture(scope="module")
def view(tmp_path_factory) -> CorpusView:
    store = build(str(tmp_path_factory.mktemp("charts") / "charts.db"))
    return CorpusView(store)


def parse(svg) -> ET.Element:
    """The chart as XML: it parses only if every text in it was escaped."""
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    return root


def marks(root: ET.Element, tag: str = "rect") -> dict[str, ET.Element]:
    """Each mark by the text of its <title>."""
    return {e.find(f"{SVG}title").text: e for e in root.iter(f"{SVG}{tag}") if e.find(f"{SVG}title") is not None}


def test_buckets_follow_the_span():
    days = [date(2025, 3, 5), date(2025, 3, 20)]
    assert charts.bucket_of(days, "week") == ("week", [date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 17)])
    unit, months = charts.bucket_of([date(2024, 11, 30), date(2025, 6, 2)], "week")
    assert unit == "month" and months[0] == date(2024, 11, 1) and months[-1] == date(2025, 6, 1) and len(months) == 8
    assert charts.bucket_of(days, "day")[0] == "day" and len(charts.bucket_of(days, "day")[1]) == 16
    assert charts.bucket_of([date(2024, 1, 1), date(2025, 1, 1)], "day")[0] == "week"


def test_stance_chart_colours_each_outlet_week_by_its_articles(view):
    root = parse(charts.stance_chart(view, THESIS))
    cells = marks(root)
    alpha = cells["Alpha Daily, week of 2025-03-03: 2 articles — support 2"]
    assert alpha.get("fill") == charts.STANCE_COLOURS["support"]
    assert cells["Alpha Daily, week of 2025-03-10: 1 article — oppose 1"].get("fill") == charts.STANCE_COLOURS["oppose"]
    beta = cells["Beta News, week of 2025-03-03: 2 articles — oppose 1, support 1"]
    assert beta.get("fill") == charts.STANCE_COLOURS["mixed"]
    hostile = cells[f"{HOSTILE}, week of 2025-03-17: 2 articles — discuss 1, unrelated 1"]
    assert hostile.get("fill") == charts.STANCE_COLOURS["discuss"]
    # columns are weeks in order: the later week lies to the right, Beta's row below Alpha's
    assert float(cells["Alpha Daily, week of 2025-03-10: 1 article — oppose 1"].get("x")) > float(alpha.get("x"))
    assert float(beta.get("y")) > float(alpha.get("y"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert HOSTILE in texts and "3 Mar 2025" in texts  # names as text, escaped; the axis says when


def test_status_chart_stacks_each_outlets_groups(view):
    root = parse(charts.status_chart(view))
    bars = marks(root)
    single = bars["Alpha Daily: 1 single-origin claim group"]
    corroborated = bars["Alpha Daily: 2 corroborated claim groups"]
    assert single.get("fill") == charts.STATUS_COLOURS["single-origin"]
    assert float(corroborated.get("width")) == pytest.approx(2 * float(single.get("width")), abs=0.2)
    assert f"{HOSTILE}: 1 contradicted claim group" in bars
    assert "Beta News: 1 corroborated claim group" in bars


def test_stories_chart_counts_articles_per_day(view):
    root = parse(charts.stories_chart(view))
    bars = marks(root)
    assert "Karavia's trade, day of 2025-03-03: 1 article" in bars
    assert f"{HOSTILE}, day of 2025-03-19: 1 article" in bars
    assert len([t for t in bars if t.startswith("Karavia's trade")]) == 5
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "5 articles, at most 1/day" in texts


def test_provenance_chart_joins_outlets_to_their_one_origin(view):
    group = next(g for g in view.groups if g.id == "g-ft")
    root = parse(charts.provenance_chart(view, group))
    boxes = {t.text.split(":")[0]: e for t, e in ((e.find(f"{SVG}title"), e) for e in root.iter(f"{SVG}rect"))
             if t is not None}
    assert {"Financial Times (cited)", "Alpha Daily", "Beta News"} <= set(boxes)
    x = {name: float(e.get("x")) for name, e in boxes.items()}
    assert x["Financial Times (cited)"] < x["Alpha Daily"] == x["Beta News"]  # origins, then outlets, then claims
    edges = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.find(f"{SVG}path") is not None]
    assert edges.count("cites (cited)") == 2 and edges.count("publishes") == 3
    assert "contradicts (10 vs 25 billion)" in edges  # the confident contradiction from another group
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert sorted(links) == ["#claim-a1-0", "#claim-b1-0", "#claim-c1-0"]


def test_empty_store_draws_nothing(tmp_path):
    view = CorpusView(SQLStore(str(tmp_path / "empty.db")))
    assert charts.status_chart(view) == "" and charts.stories_chart(view) == ""
    assert charts.stance_chart(view, THESIS) == ""


def test_the_report_carries_the_charts_the_same_every_time(view):
    outs = []
    for _ in range(2):
        out = io.StringIO()
        write_report(view.store, out)
        outs.append(out.getvalue())
    assert outs[0] == outs[1]
    svgs = re.findall(r"<svg.*?</svg>", outs[0], re.S)
    assert len(svgs) == 1 + 1 + 1 + 2  # stances, statuses, stories, provenance of both recurring/contradicted groups
    ids = [i for s in svgs for i in re.findall(r' id="([^"]+)"', s)]
    assert len(ids) == len(set(ids))
    for svg in svgs:
        parse(svg)


def test_rows_past_the_limit_are_named_not_drawn(view, monkeypatch):
    monkeypatch.setattr(charts, "MAX_ROWS", 1)
    root = parse(charts.status_chart(view))
    assert {t.split(":")[0] for t in marks(root)} == {"Alpha Daily"}  # the outlet with the most groups
    desc = root.find(f"{SVG}desc").text
    assert "Not drawn (2 more): Beta News, " in desc and HOSTILE in desc


def test_articles_of_no_known_outlet_take_no_row_in_the_stance_chart(tmp_path):
    store = SQLStore(str(tmp_path / "n.db"))
    for aid, outlet in (("k1", "Alpha Daily"), ("u1", None), ("u2", None)):
        store.add_article(Article(aid, f"Karavia is drifting away from Russia, {aid} says.", outlet=outlet,
                                  published=DAY0, language="en"))
    store.add_theses([THESIS])
    store.save_stances([Stance("t1", aid, "support", 0.8) for aid in ("k1", "u1", "u2")], "test")
    root = parse(charts.stance_chart(CorpusView(store), THESIS))
    assert list(marks(root)) == ["Alpha Daily, week of 2025-03-03: 1 article — support 1"]
    assert "(unknown outlet)" not in [t.text for t in root.iter(f"{SVG}text")]
    assert "2 articles of no known outlet not drawn" in root.find(f"{SVG}desc").text
