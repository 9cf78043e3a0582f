"""Every input format is found and read correctly (narrascope.ingest.sources).

All inputs are tiny files written by hand into ``tmp_path``; nothing here reads the network or
shared data sets.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from narrascope.config import default_settings
from narrascope.errors import UnreadableInput
from narrascope.ingest import ingest_paths
from narrascope.ingest.sources import InputFile, RawDoc, Skipped, discover, format_for, read_file, sniff
from narrascope.store.sql import SQLStore

MAX_BYTES = 8 * 2**20

EN_TEXT = (
    "Harbour bridge opens after five years of work\n"
    "\n"
    "The new harbour bridge opened to traffic on Monday morning after five years of construction work.\n"
    "City officials said the crossing would cut commuting times for thousands of residents every day.\n"
)
RU_TEXT = (
    "Министерство иностранных дел России заявило в понедельник, что переговоры продолжатся "
    "на следующей неделе. Представитель ведомства сообщил журналистам, что стороны обсудят "
    "вопросы безопасности, торговли и экономического сотрудничества в регионе.\n"
)


# -- helpers -----------------------------------------------------------------------------------


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def read(path: Path) -> list:
    """Everything read_file yields for ``path``, its format taken from the name as discover does."""
    return list(read_file(InputFile(path, format_for(path), str(path.parent)), max_bytes=MAX_BYTES))


def only_doc(path: Path) -> RawDoc:
    items = read(path)
    assert len(items) == 1, items
    assert isinstance(items[0], RawDoc), items[0]
    return items[0]


def html_page(title: str, paragraphs: list[str], head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


def write_warc(path: Path, pages: list[tuple[str, str]], *, gz: bool, extra: bool = True) -> Path:
    """A WARC of HTML response records ``(url, html)``, plus records that are not pages."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        if extra:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "narrascope-tests"}))
        for i, (url, html) in enumerate(pages):
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(html.encode("utf-8")), http_headers=http
                )
            )
            if extra and i == 0:  # an image response: not a page, must be skipped
                png = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
                writer.write_record(
                    writer.create_warc_record(
                        "https://example.org/logo.png",
                        "response",
                        payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
                        http_headers=png,
                    )
                )
    return path


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Coast Gazette</title>
  <link>https://coast.example/</link>
  <description>News from the coast</description>
  <item>
    <title>Storm closes the ferry line</title>
    <link>https://coast.example/ferry</link>
    <guid>https://coast.example/ferry</guid>
    <pubDate>Tue, 11 Feb 2025 06:48:00 GMT</pubDate>
    <author>editor@coast.example (Jane Doe)</author>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>A winter storm forced the ferry operator to cancel every crossing on Tuesday morning.</p><p>Passengers were offered refunds or seats on the first boat once the wind drops below gale force.</p>]]></content:encoded>
  </item>
  <item>
    <title>Lighthouse lamp repaired</title>
    <link>https://coast.example/lighthouse</link>
    <pubDate>Wed, 12 Feb 2025 08:00:00 +0000</pubDate>
    <description>Engineers finished repairing the old lighthouse lamp on Wednesday, and the light will shine again tonight for passing ships.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Mountain Herald</title>
  <id>urn:mh</id>
  <updated>2025-02-12T08:00:00Z</updated>
  <entry>
    <title>Pass reopens after avalanche</title>
    <link href="https://mh.example/pass"/>
    <id>urn:mh:1</id>
    <updated>2025-02-12T08:00:00Z</updated>
    <published>2025-02-11T07:30:00Z</published>
    <author><name>Karl Berg</name></author>
    <content type="html">&lt;p&gt;The mountain pass reopened on Tuesday after crews cleared the snow left by last week's avalanche.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Valley weather</title>
    <link href="https://mh.example/weather"/>
    <id>urn:mh:2</id>
    <updated>2025-02-13T08:00:00Z</updated>
    <summary>Forecasters expect the valley to stay dry and cold for the rest of the week, with frost every night.</summary>
  </entry>
</feed>
"""


# -- discover ----------------------------------------------------------------------------------


def test_discover_walks_folders_recursively_skips_hidden_and_reports_unknown(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    expected = {
        write(root / "a.txt", EN_TEXT): "text",
        write(root / "B.HTML", "<html><body><p>x</p></body></html>"): "html",
        write(root / "sub" / "deeper" / "c.jsonl", '{"text": "x"}'): "json",
        write(root / "sub" / "feed.xml", RSS): "feed",
        write(root / "sub" / "d.warc.gz", b"\x1f\x8b"): "warc",
        write(root / "e.txt.gz", gzip.compress(b"hello")): "text",
        write(root / "README", EN_TEXT): None,  # no extension: sniffed from the bytes later
    }
    # Not read in a folder walk: unknown extensions (reported as skipped, with the reason), and
    # hidden files and folders (passed over).
    unknown = {write(root / "notes.md", EN_TEXT), write(root / "image.png", b"\x89PNG\r\n\x1a\n")}
    write(root / ".hidden.txt", EN_TEXT)
    write(root / ".git" / "config.txt", EN_TEXT)
    write(root / "sub" / ".cache" / "page.html", "<p>x</p>")

    found = list(discover([root]))

    files = [f for f in found if isinstance(f, InputFile)]
    skipped = [f for f in found if isinstance(f, Skipped)]
    assert len(files) + len(skipped) == len(found), found
    assert {f.path: f.format for f in files} == expected
    assert all(f.group == str(f.path.parent) for f in files)
    assert {s.path for s in skipped} == unknown
    assert all("is not a format narrascope reads" in s.reason and s.path.suffix in s.reason for s in skipped)


def test_discover_named_files_are_kept_whatever_their_extension(tmp_path: Path) -> None:
    txt = write(tmp_path / "story.txt", EN_TEXT)
    odd = write(tmp_path / "story.md", EN_TEXT)

    found = list(discover([str(txt), odd]))

    assert found == [
        InputFile(txt, "text", str(tmp_path)),
        InputFile(odd, None, str(tmp_path)),  # named explicitly: sniffed, not skipped
    ]


def test_discover_missing_path_is_unreadable_input_naming_it(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", EN_TEXT)
    missing = tmp_path / "nope" / "missing.txt"

    found = list(discover([missing, good]))

    assert len(found) == 2
    err = found[0]
    assert isinstance(err, UnreadableInput)
    assert err.source == str(missing)
    assert str(missing) in str(err)
    assert "\n" not in str(err)
    assert found[1] == InputFile(good, "text", str(tmp_path))  # the rest still comes


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "text"),
        ("a.TXT", "text"),
        ("a.htm", "html"),
        ("a.xhtml", "html"),
        ("a.json", "json"),
        ("a.ndjson", "json"),
        ("a.jsonl.gz", "json"),
        ("a.warc", "warc"),
        ("a.warc.gz", "warc"),
        ("a.rss", "feed"),
        ("a.atom", "feed"),
        ("a.xml", "feed"),
        ("a.txt.gz", "text"),
        ("a.md", None),
        ("README", None),
        ("a.csv", "csv"),
        ("a.TSV", "csv"),
        ("a.tab.gz", "csv"),
        ("a.parquet", "parquet"),
        ("CC-MAIN-1.warc.wet.gz", "warc"),
        ("a.opml", "opml"),
    ],
)
def test_format_for(name: str, fmt: str | None) -> None:
    assert format_for(Path(name)) == fmt


# -- sniff -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "fmt"),
    [
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
        (b"warc/1.1\r\n", "warc"),
        (b'[{"text": "a"}]', "json"),
        (b'\n  {"text": "a"}\n{"text": "b"}', "json"),
        (b'\xef\xbb\xbf{"text": "a"}', "json"),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed"),
        (b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', "feed"),
        (b"<!DOCTYPE html><html><head>", "html"),
        (b"<HTML><BODY>", "html"),
        (b"  <div class='x'><p>One</p>", "html"),
        (b"Harbour bridge opens.\nThe new bridge opened on Monday.", "text"),
        ("Мост открыт. Новый мост открылся в понедельник.".encode(), "text"),
        (b"PAR1\x15\x04", "parquet"),
        (b'<?xml version="1.0"?>\n<opml version="2.0">', "opml"),
        (b"\xef\xbb\xbftitle,text,url\nA,B,C\n", "csv"),
        (b"title\tcontent\nA\tB\n", "csv"),
    ],
)
def test_sniff(head: bytes, fmt: str) -> None:
    assert sniff(head) == fmt


# -- plain text --------------------------------------------------------------------------------


def test_txt_is_read_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", EN_TEXT)

    doc = only_doc(path)

    assert doc.kind == "text"
    assert doc.body == EN_TEXT
    assert doc.source == doc.path == str(path)
    assert doc.meta["encoding"] == "utf-8"
    assert doc.warnings == []


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_legacy_russian_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = RU_TEXT * 2
    path = write(tmp_path / "story.txt", text.encode(encoding))

    doc = only_doc(path)

    assert doc.kind == "text"
    assert doc.body == text
    assert codecs.lookup(doc.meta["encoding"]).name == codecs.lookup(encoding).name


def test_utf8_bom_is_removed(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", codecs.BOM_UTF8 + RU_TEXT.encode("utf-8"))

    doc = only_doc(path)

    assert doc.body == RU_TEXT
    assert not doc.body.startswith("\ufeff")


def test_file_without_extension_is_sniffed_as_text(tmp_path: Path) -> None:
    path = write(tmp_path / "STORY", EN_TEXT)

    doc = only_doc(path)

    assert doc.kind == "text"
    assert doc.body == EN_TEXT


def test_gzipped_txt_is_decompressed(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt.gz", gzip.compress(RU_TEXT.encode("cp1251")))

    doc = only_doc(path)

    assert doc.kind == "text"
    assert doc.body == RU_TEXT


# -- HTML --------------------------------------------------------------------------------------


def test_html_is_read_as_html(tmp_path: Path) -> None:
    page = html_page("Council approves budget", ["The council approved the budget on Tuesday."])
    path = write(tmp_path / "page.html", page)

    doc = only_doc(path)

    assert doc.kind == "html"
    assert doc.body == page
    assert doc.source == str(path)


def test_html_without_extension_is_sniffed(tmp_path: Path) -> None:
    page = html_page("Council approves budget", ["The council approved the budget on Tuesday."])
    path = write(tmp_path / "page", page)

    assert only_doc(path).kind == "html"


def test_html_declared_cp1251_charset_is_honoured(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        f"</head><body><p>{RU_TEXT}</p></body></html>"
    )
    path = write(tmp_path / "page.htm", page.encode("cp1251"))

    doc = only_doc(path)

    assert doc.kind == "html"
    assert RU_TEXT in doc.body


# -- JSON / JSONL ------------------------------------------------------------------------------


def test_json_array_of_records(tmp_path: Path) -> None:
    records = [
        {"id": "a-1", "text": "First story text.", "title": "First", "url": "https://x.example/1"},
        {"id": 2, "text": "Second story text.", "headline": "Second", "link": "https://x.example/2"},
    ]
    path = write(tmp_path / "records.json", json.dumps(records))

    docs = read(path)

    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2"]
    assert all(isinstance(d, RawDoc) and d.path == str(path) and d.kind == "text" for d in docs)
    assert docs[0].body == "First story text."
    assert docs[0].meta == {"id": "a-1", "title": "First", "url": "https://x.example/1"}
    assert docs[1].meta == {"id": "2", "title": "Second", "url": "https://x.example/2"}


def test_jsonl_news_please_keys_are_mapped(tmp_path: Path) -> None:
    lines = [
        {
            "id": "np-1",
            "maintext": "Farmers in the valley reported a record harvest this autumn.",
            "title": "Record harvest",
            "source_domain": "valleynews.example",
            "date_publish": "2025-03-01 10:00:00",
            "authors": ["Anna Smith", "Bob Jones"],
            "url": "https://valleynews.example/harvest",
            "language": "en",
        },
        {"id": 7, "maintext": "Second line, second record.", "authors": []},
    ]
    path = write(tmp_path / "np.jsonl", "\n".join(json.dumps(r) for r in lines) + "\n")

    docs = read(path)

    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2"]
    first, second = docs
    assert first.body == "Farmers in the valley reported a record harvest this autumn."
    assert first.meta == {
        "id": "np-1",
        "title": "Record harvest",
        "outlet": "valleynews.example",
        "published": "2025-03-01 10:00:00",
        "author": "Anna Smith, Bob Jones",
        "url": "https://valleynews.example/harvest",
        "language": "en",
    }
    assert second.meta == {"id": "7"}  # an empty authors list is no author


def test_jsonl_record_numbers_are_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path / "gaps.jsonl", '{"text": "one"}\n\n   \n{"text": "four"}\n')

    assert [d.source for d in read(path)] == [f"{path}#1", f"{path}#4"]


def test_single_pretty_printed_object_is_one_record(tmp_path: Path) -> None:
    record = {"id": "solo", "text": "A single story, pretty printed.", "outlet": "Solo News"}
    path = write(tmp_path / "one.json", json.dumps(record, indent=2))

    doc = only_doc(path)

    assert doc.source == f"{path}#1"
    assert doc.body == "A single story, pretty printed."
    assert doc.meta == {"id": "solo", "outlet": "Solo News"}


def test_json_text_holding_html_is_a_fragment(tmp_path: Path) -> None:
    record = {"text": "<p>First paragraph.</p><p>Second paragraph.</p>"}
    path = write(tmp_path / "frag.jsonl", json.dumps(record))

    assert only_doc(path).kind == "fragment"


def test_jsonl_without_extension_is_sniffed(tmp_path: Path) -> None:
    path = write(tmp_path / "dump", '{"text": "one"}\n{"text": "two"}\n')

    assert [d.body for d in read(path)] == ["one", "two"]


# -- WARC --------------------------------------------------------------------------------------

WARC_PAGES = [
    (
        "https://example.org/news/bridge",
        html_page("Bridge opens", ["The harbour bridge opened to traffic on Monday morning."]),
    ),
    (
        "https://example.org/news/budget",
        html_page("Budget passes", ["The council approved the new budget on Tuesday evening."]),
    ),
]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_html_responses_are_read_and_others_skipped(tmp_path: Path, name: str) -> None:
    path = write_warc(tmp_path / name, WARC_PAGES, gz=name.endswith(".gz"))

    docs = read(path)

    assert all(isinstance(d, RawDoc) for d in docs), docs
    assert [d.meta for d in docs] == [{"url": url} for url, _ in WARC_PAGES]
    assert [d.source for d in docs] == [f"{path}!{url}" for url, _ in WARC_PAGES]
    assert [d.body for d in docs] == [html for _, html in WARC_PAGES]
    assert all(d.kind == "html" and d.path == str(path) for d in docs)


def test_gzipped_warc_without_extension_is_sniffed(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl-0001", WARC_PAGES, gz=True)

    docs = read(path)

    assert [d.meta["url"] for d in docs] == [url for url, _ in WARC_PAGES]


# -- RSS / Atom --------------------------------------------------------------------------------


def test_rss_items_content_encoded_and_description(tmp_path: Path) -> None:
    path = write(tmp_path / "coast.rss", RSS)

    docs = read(path)

    assert len(docs) == 2 and all(isinstance(d, RawDoc) for d in docs), docs
    ferry, lighthouse = docs
    assert ferry.source == f"{path}#https://coast.example/ferry"
    assert ferry.kind == "fragment"
    assert "cancel every crossing" in ferry.body  # content:encoded wins over the teaser
    assert "Short teaser" not in ferry.body
    assert ferry.meta == {
        "title": "Storm closes the ferry line",
        "url": "https://coast.example/ferry",
        "author": "Jane Doe",
        "published": "Tue, 11 Feb 2025 06:48:00 GMT",
        "outlet": "Coast Gazette",
    }
    assert lighthouse.body.startswith("Engineers finished repairing")  # description only
    assert lighthouse.meta["outlet"] == "Coast Gazette"
    assert lighthouse.meta["url"] == "https://coast.example/lighthouse"
    assert "author" not in lighthouse.meta


def test_atom_entries(tmp_path: Path) -> None:
    path = write(tmp_path / "herald.atom", ATOM)

    docs = read(path)

    assert len(docs) == 2 and all(isinstance(d, RawDoc) for d in docs), docs
    pass_, weather = docs
    assert pass_.source == f"{path}#urn:mh:1"
    assert "mountain pass reopened" in pass_.body
    assert pass_.meta == {
        "title": "Pass reopens after avalanche",
        "url": "https://mh.example/pass",
        "author": "Karl Berg",
        "published": "2025-02-11T07:30:00Z",
        "outlet": "Mountain Herald",
    }
    assert weather.body.startswith("Forecasters expect")
    assert weather.meta["outlet"] == "Mountain Herald"


def test_feed_in_xml_file_without_known_name_is_sniffed(tmp_path: Path) -> None:
    path = write(tmp_path / "feed", RSS)

    assert [d.meta["outlet"] for d in read(path)] == ["Coast Gazette", "Coast Gazette"]


# -- end to end --------------------------------------------------------------------------------


def test_ingest_one_file_of_each_format(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    txt = write(corpus / "bridge.txt", EN_TEXT)
    html = write(
        corpus / "budget.html",
        html_page(
            "Council approves new budget",
            [
                "The city council approved the new budget on Tuesday evening after a long debate about school funding.",
                "Several members said the spending plan would finally repair roads that have been neglected for a decade.",
                "The mayor thanked residents for their patience and promised regular updates on every project.",
            ],
            head='<meta property="og:site_name" content="Daily Planet">'
            '<meta property="article:published_time" content="2025-02-11T06:48:00+00:00">',
        ),
    )
    jsonl = write(
        corpus / "np.jsonl",
        json.dumps(
            {
                "id": "np-1",
                "maintext": RU_TEXT,
                "title": "Переговоры продолжатся",
                "source_domain": "novosti.example",
                "date_publish": "2025-03-01 10:00:00",
                "authors": ["Анна Смирнова"],
                "url": "https://novosti.example/talks",
            },
            ensure_ascii=False,
        )
        + "\n",
    )
    warc = write_warc(
        corpus / "crawl.warc.gz",
        [
            (
                "https://www.harbourtimes.example/fish",
                html_page(
                    "Fish market moves to the old pier",
                    [
                        "The fish market will move to the old pier next spring, the harbour authority announced on Friday.",
                        "Traders welcomed the decision because the new hall offers cold storage and more room for stalls.",
                    ],
                ),
            )
        ],
        gz=True,
    )
    rss = write(corpus / "coast.rss", RSS)

    store = SQLStore.memory()
    report = ingest_paths([str(corpus)], store, default_settings())

    assert report.errors == []
    assert report.files == 5
    assert store.count_articles() == len(report.added) == 6
    by_path = {a.path: a for a in store.iter_articles()}

    a = by_path[str(txt)]
    assert (a.title, a.outlet, a.url, a.published, a.language, a.source_format) == (
        "Harbour bridge opens after five years of work",
        None,
        None,
        None,
        "en",
        "text",
    )
    assert "opened to traffic on Monday morning" in a.text

    a = by_path[str(html)]
    assert a.title == "Council approves new budget"
    assert a.outlet == "Daily Planet"
    assert a.published == datetime(2025, 2, 11, 6, 48, tzinfo=UTC)
    assert a.language == "en"
    assert a.source_format == "html"
    assert "approved the new budget on Tuesday evening" in a.text

    a = by_path[f"{jsonl}#1"]
    assert a.title == "Переговоры продолжатся"
    assert a.outlet == "novosti.example"
    assert a.url == "https://novosti.example/talks"
    assert a.published == datetime(2025, 3, 1, 10, 0)
    assert a.author == "Анна Смирнова"
    assert a.external_id == "np-1"
    assert a.language == "ru"
    assert a.source_format == "text"

    a = by_path[f"{warc}!https://www.harbourtimes.example/fish"]
    assert a.url == "https://www.harbourtimes.example/fish"
    assert a.title == "Fish market moves to the old pier"
    assert a.outlet == "harbourtimes.example"  # the page names no site: the URL's domain, less www.
    assert a.language == "en"
    assert a.source_format == "html"
    assert "cold storage" in a.text

    a = by_path[f"{rss}#https://coast.example/ferry"]
    assert a.title == "Storm closes the ferry line"
    assert a.outlet == "Coast Gazette"
    assert a.url == "https://coast.example/ferry"
    assert a.author == "Jane Doe"
    assert a.published == datetime(2025, 2, 11, 6, 48, tzinfo=UTC)
    assert a.language == "en"
    assert a.source_format == "html-fragment"

    light = [a for a in by_path.values() if a.url == "https://coast.example/lighthouse"]
    assert len(light) == 1
    assert light[0].published == datetime(2025, 2, 12, 8, 0, tzinfo=UTC)
    assert light[0].outlet == "Coast Gazette"


# -- files that are not articles ---------------------------------------------------------------

OPML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>My feeds</title></head><body>'
    '<outline text="Coast News" type="rss" xmlUrl="https://coast.example/rss"/></body></opml>'
)


@pytest.mark.parametrize("name", ["feeds.opml", "feeds.xml", "FEEDS", "feeds.html"])
def test_opml_is_refused_with_its_reason_whatever_its_name(tmp_path: Path, name: str) -> None:
    from narrascope.errors import UnsupportedInput

    path = write(tmp_path / name, OPML)

    [err] = read(path)

    assert isinstance(err, UnsupportedInput) and err.source == str(path)
    assert "an OPML list of feeds, not articles" in err.reason


def test_files_skipped_in_a_folder_are_on_the_report(tmp_path: Path) -> None:
    folder = tmp_path / "scrape"
    good = write(folder / "a.txt", EN_TEXT)
    pdf = write(folder / "report.pdf", b"%PDF-1.4\n")
    store = SQLStore.memory()

    report = ingest_paths([str(folder)], store, default_settings())

    assert [a.path for a in store.iter_articles()] == [str(good)]
    assert report.errors == []
    assert [s.path for s in report.skipped] == [pdf]
    assert report.skipped_lines() == [
        f"{pdf}: skipped: '.pdf' is not a format narrascope reads "
        "(txt, html, json/jsonl, csv/tsv, parquet, warc/wet, rss/atom/xml; any of them .gz)"
    ]
    assert report.summary().endswith("; 1 file(s) skipped (not a format narrascope reads)")
