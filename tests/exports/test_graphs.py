import io
from xml.etree import ElementTree

import pytest

from narrascope.errors import ConfigError
from narrascope.exports import GRAPHS, write_graph
from narrascope.exports.graphs import outlet_node_id
from narrascope.model import Article, Outlet

GEXF = {"g": "http://gexf.net/1.3"}
GRAPHML = {"g": "http://graphml.graphdrawing.org/xmlns"}


def parse(store, graph, fmt):
    """(nodes, edges) read back from the file: {id: attrs}, [(source, target, attrs)]."""
    buf = io.StringIO()
    count = write_graph(store, graph, fmt, buf)
    root = ElementTree.fromstring(buf.getvalue())
    if fmt == "gexf":
        assert root.get("version") == "1.3"
        declared = {(a.get("id"), c.get("class")) for c in root.iterfind(".//g:attributes", GEXF)
                    for a in c.iterfind("g:attribute", GEXF)}

        def attrs(el, domain, builtin):
            values = {v.get("for"): v.get("value") for v in el.iterfind(".//g:attvalue", GEXF)}
            assert all((k, domain) in declared for k in values), "every attvalue is declared"
            if el.get(builtin) is not None:
                values[builtin] = el.get(builtin)
            return values

        nodes = {n.get("id"): attrs(n, "node", "label") for n in root.iterfind(".//g:node", GEXF)}
        edges = [(e.get("source"), e.get("target"), attrs(e, "edge", "weight"))
                 for e in root.iterfind(".//g:edge", GEXF)]
        # label and kind (what GEXF 1.3 keeps parallel edges apart by) both name the relation
        assert all(e.get("label") == e.get("kind") == e.find(".//g:attvalue[@for='relation']", GEXF).get("value")
                   for e in root.iterfind(".//g:edge", GEXF))
    else:
        keys = {(k.get("id"), k.get("for")) for k in root.iterfind("g:key", GRAPHML)}
        assert {k.get("attr.type") for k in root.iterfind("g:key", GRAPHML)} <= {
            "boolean", "int", "long", "float", "double", "string"}, "GraphML's own types only"

        def attrs(el, domain):
            values = {d.get("key"): d.text for d in el.iterfind("g:data", GRAPHML)}
            assert all((k, domain) in keys for k in values), "every data key is declared"
            return values

        nodes = {n.get("id"): attrs(n, "node") for n in root.iterfind(".//g:node", GRAPHML)}
        edges = [(e.get("source"), e.get("target"), attrs(e, "edge")) for e in root.iterfind(".//g:edge", GRAPHML)]
    assert count == len(nodes)
    assert all(s in nodes and t in nodes for s, t, _ in edges), "no edge to a missing node"
    return nodes, edges


FORMATS = ["gexf", "graphml"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_claim_graph_is_the_claim_links(filled, fmt):
    nodes, edges = parse(filled, "claims", fmt)
    links = {(k.b, k.a, k.relation) for k in filled.claim_links()}
    assert {(s, t, a["relation"]) for s, t, a in edges} == links
    assert set(nodes) == {"a0", "a1", "b0", "b1", "c0"}
    assert nodes["b1"]["label"] == "Tarsk never joined the sanctions."
    assert (nodes["b1"]["kind"], nodes["b1"]["outlet"], nodes["b1"]["status"]) == ("claim", "Beta News",
                                                                                   "single-origin")


@pytest.mark.parametrize("fmt", FORMATS)
def test_provenance_graph_says_who_relays_whom(filled, fmt):
    nodes, edges = parse(filled, "provenance", fmt)
    named = {(nodes[s]["label"], nodes[t]["label"], a["relation"], float(a["weight"])) for s, t, a in edges}
    assert named == {
        ("Alpha Daily", "Baltic Ledger", "cited", 1.0),
        ("Gamma Post", "Baltic Ledger", "cited", 1.0),
        ("Beta News", "Alpha Daily", "copy-of", 1.0),  # an outlet of the corpus is its outlet node
    }
    kinds = {a["label"]: a["kind"] for a in nodes.values()}
    assert kinds == {"Alpha Daily": "outlet", "Gamma Post": "outlet", "Beta News": "outlet",
                     "Baltic Ledger": "source"}
    assert outlet_node_id("Alpha Daily") in nodes


@pytest.mark.parametrize("fmt", FORMATS)
def test_citation_graph_counts_citations_per_outlet(filled, fmt):
    nodes, edges = parse(filled, "citations", fmt)
    named = sorted((nodes[s]["label"], nodes[t]["label"], float(a["weight"])) for s, t, a in edges)
    assert named == [("Alpha Daily", "Baltic Ledger", 1.0), ("Gamma Post", "Baltic Ledger", 1.0)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_outlet_graph_has_articles_outlets_and_copies(filled, fmt):
    nodes, edges = parse(filled, "outlets", fmt)
    assert sorted(a["kind"] for a in nodes.values()) == ["article"] * 3 + ["outlet"] * 3
    assert ("art-c", "art-a", "copy_of") in {(s, t, a["relation"]) for s, t, a in edges}
    assert sum(a["relation"] == "published_by" for _, _, a in edges) == 3


@pytest.mark.parametrize("graph", list(GRAPHS))
@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_store_gives_an_empty_valid_graph(store, graph, fmt):
    assert parse(store, graph, fmt) == ({}, [])


def test_gexf_drops_characters_xml_forbids(store):
    store.add_article(Article(id="a", text="Body.", title="Red\x1b alert\ufffe", outlet="Tarsk\x07 Times"))
    nodes, _ = parse(store, "outlets", "gexf")
    assert nodes["a"]["label"] == "Red alert"
    assert nodes["outlet-" + Outlet("Tarsk\x07 Times").id]["label"] == "Tarsk Times"


def test_unknown_graph(store):
    with pytest.raises(ConfigError, match="unknown graph 'people'"):
        write_graph(store, "people", "gexf", io.StringIO())
