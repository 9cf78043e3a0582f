import csv
import io
import json
from xml.etree import ElementTree

import jsonschema
import pytest

from narrascope.errors import ConfigError
from narrascope.ingest import ingest_paths
from narrascope.report import export, export_schema
from narrascope.report.csv_export import COLUMNS


@pytest.fixture
def filled(tmp_path, store, settings, article_text):
    ARTICLE = article_text
    (tmp_path / "a.txt").write_text("Council approves road budget\nBy Ann Lee\n" + ARTICLE + "Share\n")
    (tmp_path / "b.jsonl").write_text(
        json.dumps(
            {
                "id": "rec-1",
                "text": ARTICLE,
                "outlet": "Beta Daily",
                "url": "https://beta.example/road",
                "title": "Roads & <bridges>",
                "published": "2025-03-01T10:00:00+01:00",
            }
        )
        + "\n"
    )
    ingest_paths([str(tmp_path)], store, settings)
    return store


def render(store, fmt):
    buf = io.StringIO()
    count = export(store, fmt, buf)
    return buf.getvalue(), count


def test_json_export_validates_against_the_schema(filled):
    text, count = render(filled, "json")
    data = json.loads(text)
    jsonschema.validate(data, export_schema())
    assert count == 2
    assert next(iter(data)) == "schema_version"
    assert {a["outlet"] for a in data["articles"]} == {None, "Beta Daily"}
    beta = next(a for a in data["articles"] if a["outlet"] == "Beta Daily")
    assert beta["external_id"] == "rec-1"
    assert beta["published"] == "2025-03-01T10:00:00+01:00"
    assert beta["duplicate_of"] is not None  # same body as the .txt article: an exact copy
    plain = next(a for a in data["articles"] if a["outlet"] is None)
    assert {"text": "Share", "reason": "prompt", "line": 6} in plain["removed_boilerplate"]
    for key in (
        "entities",
        "claims",
        "claim_links",
        "claim_groups",
        "citations",
        "stories",
        "theses",
        "techniques",
    ):
        assert data[key] == []


def test_schema_rejects_a_broken_export(filled):
    data = json.loads(render(filled, "json")[0])
    del data["articles"][0]["text"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, export_schema())


def test_empty_store_exports_valid_json(store):
    data = json.loads(render(store, "json")[0])
    jsonschema.validate(data, export_schema())
    assert data["articles"] == []


def test_csv_export(filled):
    text, count = render(filled, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == count == 2
    assert all("forty bridges" in r["text"] for r in rows)


def test_graphml_export_is_xml_with_outlets_and_copies(filled):
    text, _ = render(filled, "graphml")
    root = ElementTree.fromstring(text)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    kinds = [d.text for d in root.iterfind(".//g:node/g:data[@key='kind']", ns)]
    assert sorted(kinds) == ["article", "article", "outlet"]
    relations = sorted(d.text for d in root.iterfind(".//g:edge/g:data[@key='relation']", ns))
    assert relations == ["copy_of", "published_by"]
    assert "Roads &amp; &lt;bridges&gt;" in text


def test_unknown_format(store):
    with pytest.raises(ConfigError, match="unknown export format 'xml'"):
        export(store, "xml", io.StringIO())


def test_graphml_drops_characters_xml_forbids(store):
    from narrascope.model import Article, Outlet

    store.add_article(
        Article(id="a", text="Body.", title="Red\x1b[0m alert\x00 \ufffe", outlet="Tarsk\x07 Times")
    )
    text, _ = render(store, "graphml")
    root = ElementTree.fromstring(text)  # a parser refuses the raw control characters
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    labels = [d.text for d in root.iterfind(".//g:node/g:data[@key='label']", ns)]
    assert labels == ["Red[0m alert ", "Tarsk Times"]
    outlet_ids = [n.get("id") for n in root.iterfind(".//g:node", ns) if n.get("id") != "a"]
    assert outlet_ids == ["outlet-" + Outlet("Tarsk\x07 Times").id]  # the id graphml shares with model


def test_thesis_evidence_is_exported_without_reading_every_article(filled, monkeypatch):
    from narrascope.model import Evidence, Stance, Thesis, thesis_id
    from narrascope.narratives.profiles import store_outlet_views
    from narrascope.report import json_export

    articles = list(filled.iter_articles())
    thesis = Thesis(thesis_id("The council approved the road budget."), "The council approved the road budget.")
    filled.add_theses([thesis])
    filled.save_stances([
        Stance(thesis.id, a.id, "support", 0.9, [Evidence(0, 7, "support", 0.9, "states it")]) for a in articles
    ], "test")
    store_outlet_views(filled)  # as the narratives stage leaves an analysed store
    monkeypatch.setattr(type(filled), "iter_articles", lambda self: (_ for _ in ()).throw(AssertionError("read all")))
    [exported] = list(json_export._theses(filled))
    assert len(exported["stances"]["articles"]) == len(articles)
    records = list(json_export._stance_records(filled, filled.list_stances(thesis.id), batch=1))
    assert [r["evidence"][0]["text"] for r in records] == [a.text[0:7] for a in sorted(articles, key=lambda a: a.id)]
