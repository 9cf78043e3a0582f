from datetime import UTC, datetime

from narrascope.ingest.extract import ExtractOptions, prepare
from narrascope.ingest.html import extract_article, html_to_lines
from narrascope.ingest.sources import RawDoc

P1 = "The minister said on Monday that the bridge would open next year after long delays."
P2 = "Engineers said the cost rose by a third since the plan was approved in 2020."


def page(head="", body=""):
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_canonical_url_and_stated_time_no_guessed_dates():
    html = page(
        '<link rel="canonical" href="https://x.example/a">'
        '<meta property="article:published_time" content="2025-02-13T08:00:00+00:00">',
        f"<article><h1>Bridge to open</h1><p>{P1}</p><p>{P2}</p></article>",
    )
    found = extract_article(html)
    assert found.url == "https://x.example/a"
    assert found.published == datetime(2025, 2, 13, 8, tzinfo=UTC)
    assert found.text.startswith("Bridge to open\n\n")
    undated = extract_article(page(body=f"<article><h1>Bridge to open</h1><p>{P1}</p><p>{P2}</p></article>"))
    assert undated.published is None  # "in 2020" in the text is not a publication date


def test_html_to_lines_one_line_per_block():
    html = page(
        "<title>not shown</title><style>p{}</style>",
        "<nav><a>Home</a> <a>World</a></nav><div>First <b>bold</b> words<br>next</div>"
        "<ul><li>one</li><li>two</li></ul><script>var x = 1;</script>",
    )
    assert html_to_lines(html) == ["Home World", "First bold words", "next", "one", "two"]


def test_fallback_to_lines_when_trafilatura_finds_nothing(monkeypatch):
    monkeypatch.setattr("narrascope.ingest.extract.extract_article", lambda *a, **k: None)
    raw = RawDoc("x.html", page(body=f"<div>Home</div><div>{P1}</div><div>Share</div>"), "html", "x.html")
    result = prepare(raw, ExtractOptions(languages=("en",)))
    assert P1 in result.article.text
    assert "Share" not in result.article.text
    assert {r.text for r in result.article.removed} == {"Home", "Share"}
