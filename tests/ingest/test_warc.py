"""WARC archives: Common Crawl's WET files, whose ``conversion`` records hold each page's text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.warcwriter import WARCWriter

from narrascope.config import default_settings
from narrascope.errors import EmptyInput
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
