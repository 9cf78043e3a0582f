"""WARC archives: Common Crawl's WET files, whose ``conversion`` records hold each page's text."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from warcio.warcwriter import WARCWriter

from narrascope.config import default_settings
from narrascope.errors import CorruptInput, EmptyInput
from narrascope.ingest import ingest_paths
from narrascope.ingest.raw import RawDoc
from narrascope.ingest.sources import InputFile, format_for, read_file
from narrascope.store.sql import SQLStore

MAX_BYTES = 2**20
PAGES = [
    (
        "https://harbour.example/news/bridge",
        "Harbour News\nHome | World | Sport\n"
        "The new harbour bridge opened to traffic on Monday morning after five years of construction work.\n"
        "City officials said the crossing would cut commuting times for thousands of residents every day.\n"
        "Drivers queued from dawn to be among the first to cross, and a brass band played on the pier.\n",
    ),
    (
        "https://valley.example/harvest",
        "Farmers in the valley reported a record harvest this autumn after a wet spring and a warm summer.\n"
        "Grain prices fell at the regional market as the silos filled, traders said on Thursday.\n",
    ),
]


def write_wet(path: Path, pages: list[tuple[str, str]], *, gz: bool, other: bytes | None = None) -> Path:
    """A WET file as Common Crawl writes it: a warcinfo record, then one conversion record a page."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "narrascope-tests"}))
        for url, text in pages:
            writer.write_record(writer.create_warc_record(
                url, "conversion", payload=io.BytesIO(text.encode("utf-8")), warc_content_type="text/plain"
            ))
        if other is not None:  # a conversion of another kind: not an article
            writer.write_record(writer.create_warc_record(
                "https://harbour.example/report.pdf", "conversion", payload=io.BytesIO(other),
                warc_content_type="application/xml",
            ))
    return path


def read(path: Path) -> list:
    return list(read_file(InputFile(path, format_for(path), str(path.parent)), max_bytes=MAX_BYTES))


@pytest.mark.parametrize("name", ["CC-MAIN-0001.warc.wet.gz", "crawl.wet", "crawl.warc"])
def test_conversion_records_are_plain_text_documents(tmp_path: Path, name: str) -> None:
    path = write_wet(tmp_path / name, PAGES, gz=name.endswith(".gz"), other=b"<xml>not a page</xml>")

    docs = read(path)

    assert all(isinstance(d, RawDoc) for d in docs), docs
    assert [(d.kind, d.meta, d.body) for d in docs] == [("text", {"url": u}, t) for u, t in PAGES]
    assert [d.source for d in docs] == [f"{path}!{u}" for u, _ in PAGES]


def test_a_wet_without_text_records_says_so(tmp_path: Path) -> None:
    path = write_wet(tmp_path / "empty.warc.wet", [], gz=False, other=b"<xml/>")

    [err] = read(path)

    assert isinstance(err, EmptyInput) and "conversion" in err.reason


def test_wet_pages_go_through_the_text_cleaner(tmp_path: Path) -> None:
    path = write_wet(tmp_path / "crawl.warc.wet.gz", PAGES, gz=True)
    store = SQLStore.memory()

    report = ingest_paths([str(path)], store, default_settings())

    assert not report.errors
    by_url = {a.url: a for a in store.iter_articles()}
    assert set(by_url) == {u for u, _ in PAGES}
    bridge = by_url[PAGES[0][0]]
    assert bridge.source_format == "text"
    assert "Home | World | Sport" not in bridge.text  # page furniture removed, as for a .txt
    assert "Home | World | Sport" in [r.text for r in bridge.removed]
    assert bridge.outlet == "harbour.example"


def wet_record(url: str, text: str) -> bytes:
    """One conversion record written by hand, as a WET file holds it."""
    body = text.encode("utf-8")
    head = (
        f"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: {url}\r\n"
        f"WARC-Record-ID: <urn:uuid:{len(url):08d}-0000-0000-0000-000000000000>\r\n"
        f"WARC-Date: 2024-03-04T09:15:00Z\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body + b"\r\n\r\n"


@pytest.mark.parametrize("gz", [False, True], ids=["wet", "wet.gz"])
@pytest.mark.parametrize("where", ["body", "header"])
def test_a_cut_record_is_one_error_naming_it_and_the_whole_ones_before_it_stay(
    tmp_path: Path, gz: bool, where: str
) -> None:
    first, second = (wet_record(u, t) for u, t in PAGES)
    if gz:
        first, second = gzip.compress(first), gzip.compress(second)
    keep = len(second) // 3 if where == "header" else len(second) * 3 // 4
    if gz and where == "header":
        keep = 40  # a gzip member cut early: the header inside is cut too
    path = tmp_path / ("cut.warc.wet.gz" if gz else "cut.wet")
    path.write_bytes(first + second[:keep])

    items = read(path)

    assert [type(i) for i in items] == [RawDoc, CorruptInput], items
    assert items[0].body == PAGES[0][1]
    if gz and where == "header":  # gzip itself says the file is cut
        assert items[1].source == str(path) and "truncated" in items[1].reason
    else:
        assert items[1].source == f"{path}#2" and "truncated record" in items[1].reason
    if where == "body" and not gz:
        assert f"of {len(PAGES[1][1].encode())} bytes" in items[1].reason


def test_a_wet_cut_in_its_first_record_stores_nothing_of_it(tmp_path: Path) -> None:
    path = tmp_path / "cut.wet"
    path.write_bytes(wet_record(*PAGES[0])[:300])
    store = SQLStore.memory()

    report = ingest_paths([str(path)], store, default_settings())

    assert list(store.iter_articles()) == []
    [err] = report.errors
    assert err.source == f"{path}#1" and "truncated record" in err.reason and "bytes)" in err.reason
