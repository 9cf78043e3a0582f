"""HTML pages: trafilatura finds the article; our own line converter is the fallback.

``html_to_lines`` renders a page the way a browser's "save as text" does, one line per block
element. It serves twice: as the fallback when trafilatura finds nothing (the lines then go
through :class:`~narrascope.ingest.textclean.TextCleaner`), and to turn feed item fragments
and benchmark pages into plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import lxml.html
from lxml import etree
from lxml_html_clean import Cleaner

from ..errors import CorruptInput
from .dates import parse_iso

BLOCK_TAGS = frozenset(
    """address article aside blockquote body br dd details dialog div dl dt fieldset figcaption figure footer
    form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody thead tfoot tr td th ul
    caption option""".split()
)
_CLEANER = Cleaner(
    scripts=True,
    javascript=True,
    comments=True,
    style=True,
    inline_style=True,
    links=False,
    meta=False,
    page_structure=False,
    processing_instructions=True,
    embedded=True,
    frames=True,
    forms=False,
    annoying_tags=False,
    remove_unknown_tags=False,
    safe_attrs_only=False,
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None
    sitename: str | None = None
    url: str | None = None  # the page's canonical address, when it states one


def parse_html(html: str, *, source: str | None = None) -> lxml.html.HtmlElement:
    try:
        # lxml refuses str input that carries its own encoding declaration.
        return lxml.html.document_fromstring(html.encode("utf-8"), parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise CorruptInput(f"not parseable as HTML ({exc})", source=source) from exc


def _parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def html_to_lines(html: str | lxml.html.HtmlElement, *, source: str | None = None) -> list[str]:
    """Visible text of a page or fragment, one line per block element, empty lines dropped."""
    tree = parse_html(html, source=source) if isinstance(html, str) else html
    tree = _CLEANER.clean_html(tree)
    for head in tree.xpath("//head"):
        head.drop_tree()
    chunks: list[str] = []
    _walk(tree, chunks)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(chunks).split("\n"))
    return [line for line in lines if line]


def _walk(el: etree._Element, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    block = tag.lower() in BLOCK_TAGS
    if block:
        out.append("\n")
    if el.text and tag:
        out.append(el.text.replace("\n", " "))
    for child in el:
        _walk(child, out)
        if child.tail:
            out.append(child.tail.replace("\n", " "))
    if block:
        out.append("\n")


def extract_article(html: str, *, url: str | None = None, source: str | None = None) -> Extracted | None:
    """trafilatura's main-text extraction with metadata; None when it finds no article."""
    import trafilatura  # heavy import, only where HTML is actually read

    tree = parse_html(html, source=source)
    stated = _meta_published(tree)  # read before trafilatura, which prunes the tree
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        # Only dates the page states in its markup: a free-text search takes any year in the
        # body ("approved in 2020") for the publication date.
        date_extraction_params={
            "extensive_search": False,
            "original_date": True,
            "outputformat": "%Y-%m-%dT%H:%M:%S%z",
        },
    )
    if doc is None or not (doc.text or "").strip():
        return None
    paragraphs = [p.strip() for p in doc.text.split("\n") if p.strip()]
    title = (doc.title or "").strip() or None
    if title and (not paragraphs or paragraphs[0] != title):
        paragraphs.insert(0, title)
    return Extracted(
        text="\n\n".join(paragraphs),
        title=title,
        author=(doc.author or "").strip() or None,
        published=stated or (parse_iso(doc.date) if doc.date else None),
        sitename=(doc.sitename or "").strip() or None,
        url=(doc.url or "").strip() or None,
    )


# Meta tags that state the publication moment with its time of day; trafilatura keeps only
# the day when a visible <time> element disagrees in precision.
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "date",
    "dc.date",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
)


def _meta_published(tree: lxml.html.HtmlElement) -> datetime | None:
    for meta in tree.xpath("//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _DATE_META and (value := parse_iso(meta.get("content", ""))):
            return value
    return None
