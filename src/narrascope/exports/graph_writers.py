"""GraphML and GEXF 1.3 writers: nodes, then edges, written as they stream from the store.

Both are directed graphs with typed attributes declared up front. An attribute a node or edge
lacks is left out (not written empty), as both formats intend. Each writer returns the number of
nodes written.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from .. import __version__
from .graphs import Graph

# Characters XML 1.0 does not allow anywhere, not even escaped (control characters such as
# ESC from scraped titles, lone surrogates, U+FFFE/U+FFFF): dropped, or parsers reject the file.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
GEXF_NS = "http://gexf.net/1.3"
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def xml_text(value) -> str:
    return _NOT_XML.sub("", str(value))


def _attr(value) -> str:
    return quoteattr(xml_text(value))


# GraphML's attribute types (int, long, float, double, boolean, string) for ours.
_GRAPHML_TYPES = {"integer": "long"}


def write_graphml(graph: Graph, store, out: TextIO) -> int:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<graphml xmlns="{GRAPHML_NS}">\n')
    for domain, attrs in (("node", graph.node_attrs), ("edge", graph.edge_attrs)):
        for name, kind, _ in attrs:
            kind = _GRAPHML_TYPES.get(kind, kind)
            out.write(f'  <key id="{name}" for="{domain}" attr.name="{name}" attr.type="{kind}"/>\n')
    out.write(f'  <graph id="{graph.name}" edgedefault="directed">\n')
    count = 0
    for node in graph.nodes(store):
        out.write(f"    <node id={_attr(node.id)}>{_graphml_data(node.attrs)}</node>\n")
        count += 1
    for i, edge in enumerate(graph.edges(store)):
        out.write(f'    <edge id="e{i}" source={_attr(edge.source)} target={_attr(edge.target)}>'
                  f"{_graphml_data(edge.attrs)}</edge>\n")
    out.write("  </graph>\n</graphml>\n")
    return count


def _graphml_data(attrs: dict) -> str:
    return "".join(f"<data key={quoteattr(k)}>{escape(xml_text(v))}</data>" for k, v in attrs.items()
                   if v is not None)


def write_gexf(graph: Graph, store, out: TextIO) -> int:
    """GEXF 1.3 (Gephi's own format). ``label`` and ``weight`` are GEXF's built-in node label and
    edge weight; the other attributes are declared ``<attributes>``, keyed by their names."""
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(f'<gexf xmlns="{GEXF_NS}" version="1.3">\n')
    today = datetime.now(UTC).date().isoformat()
    out.write(f'  <meta lastmodifieddate="{today}"><creator>narrascope {escape(__version__)}</creator>'
              f"<description>{escape(graph.doc)}</description></meta>\n")
    out.write('  <graph defaultedgetype="directed" mode="static">\n')
    node_keys = [a for a in graph.node_attrs if a[0] != "label"]
    edge_keys = [a for a in graph.edge_attrs if a[0] != "weight"]
    for domain, attrs in (("node", node_keys), ("edge", edge_keys)):
        out.write(f'    <attributes class="{domain}">\n')
        for name, kind, _ in attrs:
            out.write(f'      <attribute id="{name}" title="{name}" type="{kind}"/>\n')
        out.write("    </attributes>\n")
    out.write("    <nodes>\n")
    count = 0
    for node in graph.nodes(store):
        label = node.attrs.get("label")
        out.write(f"      <node id={_attr(node.id)} label={_attr(node.id if label is None else label)}>"
                  f"{_gexf_values(node.attrs, 'label')}</node>\n")
        count += 1
    out.write("    </nodes>\n    <edges>\n")
    for i, edge in enumerate(graph.edges(store)):
        weight = edge.attrs.get("weight")
        extra = f' weight="{float(weight)!r}"' if weight is not None else ""
        relation = edge.attrs.get("relation")
        # GEXF 1.3 keeps parallel edges apart by kind: an outlet relying on a source as a speaker
        # and as a cited report are two edges, not one merged by Gephi.
        extra += f" label={_attr(relation)} kind={_attr(relation)}" if relation is not None else ""
        out.write(f'      <edge id="e{i}" source={_attr(edge.source)} target={_attr(edge.target)}{extra}>'
                  f"{_gexf_values(edge.attrs, 'weight')}</edge>\n")
    out.write("    </edges>\n  </graph>\n</gexf>\n")
    return count


def _gexf_values(attrs: dict, builtin: str) -> str:
    values = "".join(f"<attvalue for={quoteattr(k)} value={_attr(v)}/>" for k, v in attrs.items()
                     if v is not None and k != builtin)
    return f"<attvalues>{values}</attvalues>" if values else ""
