"""One record to one document: fields, --columns, and values no record should cost its article."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from narrascope.config import default_settings
from narrascope.errors import ConfigError, MissingField
from narrascope.ingest import ingest_paths
from narrascope.ingest.outlets import read_sources
from narrascope.ingest.raw import RawDoc
from narrascope.ingest.records import as_text_value, header_fields, parse_columns, record_doc
from narrascope.store.sql import SQLStore

BRIDGE = (
    "The new harbour bridge opened to traffic on Monday morning after five years of construction work. "
    "City officials said the crossing would cut commuting times for thousands of residents."
)


def test_parse_columns() -> None:
    assert parse_columns(None) == {}
    assert parse_columns("text=body, outlet = site,") == {"text": "body", "outlet": "site"}
    assert parse_columns("published=date of issue") == {"published": "date of issue"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("body", "'body' is not FIELD=COLUMN"),
        ("text=", "'text=' is not FIELD=COLUMN"),
        ("=body", "'=body' is not FIELD=COLUMN"),
        ("txt=body", "'txt' is not a field; the fields are text, title"),
        ("text=a,text=b", "'text' is given twice"),
        (" , ", "names no column"),
    ],
)
def test_bad_columns_are_one_config_error(spec: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as err:
        parse_columns(spec)
    assert "\n" not in str(err.value) and f"--columns {spec!r}" in str(err.value)


def test_header_fields_pick_the_first_alias_present_whatever_its_case() -> None:
    header = ["Stories_ID", "MAINTEXT", "text", "Media_Name", "publish_date", "title", "title"]

    assert header_fields(header, None, "x.csv") == {"id": 0, "text": 2, "outlet": 3, "published": 4, "title": 5}
    assert header_fields(header, {"text": "maintext"}, "x.csv")["text"] == 1
    err = header_fields(["a", "b"], None, "x.csv")
    assert isinstance(err, MissingField) and err.source == "x.csv" and "'a', 'b'" in err.reason


def test_columns_apply_to_json_records_too() -> None:
    doc = record_doc({"story": BRIDGE, "text": "other"}, "a.jsonl#1", "a.jsonl", max_bytes=2**20,
                     columns={"text": "story"})
    missing = record_doc({"text": BRIDGE}, "a.jsonl#2", "a.jsonl", max_bytes=2**20, columns={"text": "story"})

    assert isinstance(doc, RawDoc) and doc.body == BRIDGE
    assert isinstance(missing, MissingField) and str(missing) == "a.jsonl#2: record has no 'story'"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (float("nan"), None),
        (float("inf"), None),
        (True, None),
        (7, "7"),
        (datetime(2024, 3, 4, 9, 15, tzinfo=UTC), "2024-03-04T09:15:00+00:00"),
        (date(2024, 3, 4), "2024-03-04"),
        ({"id": None, "name": "BBC News"}, "BBC News"),
        (["A", {"name": "B"}, float("nan")], "A, B"),
    ],
)
def test_as_text_value(value: object, text: str | None) -> None:
    assert as_text_value(value) == text


def test_nan_and_infinity_in_a_json_record_are_no_value(tmp_path: Path) -> None:
    """Python's JSON reader takes NaN; it must not become an id "nan" nor a text."""
    path = tmp_path / "nan.jsonl"
    path.write_text(
        f'{{"id": NaN, "text": {json.dumps(BRIDGE)}, "title": Infinity}}\n{{"id": 2, "text": NaN}}\n'
    )
    store = SQLStore.memory()

    report = ingest_paths([str(path)], store, default_settings())

    [article] = store.iter_articles()
    assert article.external_id is None and not article.text.startswith("inf")
    assert [(type(e), e.source) for e in report.errors] == [(MissingField, f"{path}#2")]


@pytest.mark.parametrize("url", ["http://[", "http://[::1", "http://a.example:99999/x", "http://[]/"])
def test_a_malformed_url_costs_a_warning_not_the_record(tmp_path: Path, url: str) -> None:
    path = tmp_path / "u.jsonl"
    path.write_text(json.dumps({"text": BRIDGE, "url": url}) + "\n")
    page = tmp_path / "page.jsonl"
    page.write_text(json.dumps({"text": f"<p>{BRIDGE}</p><p>{BRIDGE}</p>", "url": url, "title": "Bridge"}) + "\n")
    store = SQLStore.memory()

    report = ingest_paths([str(path), str(page)], store, default_settings())

    assert not report.errors
    articles = list(store.iter_articles())
    assert len(articles) == 2 and {a.url for a in articles} == {url}
    # No outlet made of the broken address: "[" or "a.example:99999" is no site's name.
    assert all(a.outlet in (None, "a.example") for a in articles), [a.outlet for a in articles]
    if "[" in url:
        assert sum("names no host I can read" in w for w in report.warnings) == 2, report.warnings


def test_a_sources_pattern_that_is_a_broken_url_is_only_a_glob(tmp_path: Path) -> None:
    sources = tmp_path / "sources.csv"
    sources.write_text("http://[,Broken\nharbour.example,Harbour Times\n")
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": BRIDGE, "url": "https://harbour.example/x"}) + "\n")
    store = SQLStore.memory()

    report = ingest_paths([str(path)], store, default_settings(), sources=read_sources(sources))

    assert not report.errors
    assert [a.outlet for a in store.iter_articles()] == ["Harbour Times"]
