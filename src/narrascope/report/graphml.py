"""GraphML export for Gephi, yEd or networkx: outlets, articles and how they relate.

Nodes: one per outlet and one per article. Edges: ``published_by`` (article to outlet) and
``copy_of`` (a syndicated or duplicated article to its original).
"""

from __future__ import annotations

import re
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from ..model import Outlet
from ..store import SQLStore

# Characters XML 1.0 does not allow anywhere, not even escaped (control characters such as
# ESC from scraped titles, lone surrogates, U+FFFE/U+FFFF): dropped, or parsers reject the file.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_KEYS = (
    ("kind", "node", "string"),
    ("label", "node", "string"),
    ("outlet", "node", "string"),
    ("published", "node", "string"),
    ("language", "node", "string"),
    ("relation", "edge", "string"),
    ("score", "edge", "double"),
)


def write_graphml(store: SQLStore, out: TextIO) -> int:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write('<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n')
    for name, domain, kind in _KEYS:
        out.write(f'  <key id="{name}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>\n')
    out.write('  <graph id="narrascope" edgedefault="directed">\n')
    outlets: dict[str, str] = {}
    edges: list[tuple[str, str, str, float | None]] = []
    count = 0
    for article in store.iter_articles():
        _node(
            out,
            article.id,
            kind="article",
            label=article.title or article.id,
            outlet=article.outlet,
            published=article.published.isoformat() if article.published else None,
            language=article.language,
        )
        if article.outlet:
            oid = outlets.get(article.outlet)
            if oid is None:
                oid = outlets[article.outlet] = "outlet-" + Outlet(article.outlet).id
                _node(out, oid, kind="outlet", label=article.outlet)
            edges.append((article.id, oid, "published_by", None))
        if article.duplicate_of:
            edges.append((article.id, article.duplicate_of, "copy_of", article.duplicate_similarity))
        count += 1
    for i, (src, dst, relation, score) in enumerate(edges):
        out.write(
            f'    <edge id="e{i}" source={quoteattr(_xml_text(src))} target={quoteattr(_xml_text(dst))}>'
        )
        out.write(f'<data key="relation">{relation}</data>')
        if score is not None:
            out.write(f'<data key="score">{score}</data>')
        out.write("</edge>\n")
    out.write("  </graph>\n</graphml>\n")
    return count


def _node(out: TextIO, node_id: str, **data: str | None) -> None:
    out.write(f"    <node id={quoteattr(_xml_text(node_id))}>")
    for key, value in data.items():
        if value is not None:
            out.write(f"<data key={quoteattr(key)}>{escape(_xml_text(value))}</data>")
    out.write("</node>\n")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value)
