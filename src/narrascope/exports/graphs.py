"""The graphs ``narrascope export --graph`` writes, for Gephi, yEd, networkx or igraph.

A graph is its attribute declarations and two streams read from the store: the nodes, then the
edges (GEXF and GraphML both want every node before the first edge). Every node carries ``kind``
(what it is: article, outlet, claim, source) and ``label``; every edge carries ``relation`` (what
it means) and, where it counts something, ``weight``.

- ``outlets``: articles and outlets; ``published_by`` (article to outlet) and ``copy_of`` (a
  syndicated copy to its original).
- ``claims``: the claims some link touches; one edge per claim link, typed by its relation
  (``same``, ``supports``, ``contradicts``, ``related``), from claim b to the claim a it bears on.
- ``provenance``: who relays whom. An edge from an outlet to each origin its claims rest on
  (a source it cites, a person it quotes, the outlet whose copy it runs), typed by how
  (``cited``, ``speaker``, ``article-source``, ``copy-of``), weighted by the claim groups.
- ``citations``: an edge from an outlet to each source its articles cite, weighted by citations.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..model import Outlet
from ..store import SQLStore

UNKNOWN_OUTLET = "(unknown outlet)"


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    attrs: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    attrs: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Graph:
    name: str
    doc: str
    node_attrs: tuple[tuple[str, str, str], ...]  # (name, type: string|double|integer, meaning)
    edge_attrs: tuple[tuple[str, str, str], ...]
    nodes: Callable[[SQLStore], Iterator[Node]]
    edges: Callable[[SQLStore], Iterator[Edge]]


KIND = ("kind", "string", "what the node is: article, outlet, claim or source")
LABEL = ("label", "string", "what to show: a title, a name, a claim's text")
OUTLET = ("outlet", "string", "outlet of the article or claim")
RELATION = ("relation", "string", "what the edge means")


def outlet_node_id(name: str) -> str:
    """The id an outlet's node has in every graph (shared with ``model.Outlet``)."""
    return "outlet-" + Outlet(name).id


# -- outlets -------------------------------------------------------------------------------------


def _outlet_nodes(store: SQLStore) -> Iterator[Node]:
    seen: set[str] = set()
    for article in store.iter_articles():
        yield Node(article.id, {
            "kind": "article", "label": article.title or article.id, "outlet": article.outlet,
            "published": article.published.isoformat() if article.published else None,
            "language": article.language,
        })
        if article.outlet and article.outlet not in seen:
            seen.add(article.outlet)
            yield Node(outlet_node_id(article.outlet), {"kind": "outlet", "label": article.outlet})


def _outlet_edges(store: SQLStore) -> Iterator[Edge]:
    for article in store.iter_articles():
        if article.outlet:
            yield Edge(article.id, outlet_node_id(article.outlet), {"relation": "published_by"})
        if article.duplicate_of:
            yield Edge(article.id, article.duplicate_of,
                       {"relation": "copy_of", "score": article.duplicate_similarity})


# -- claims --------------------------------------------------------------------------------------


def _claim_nodes(store: SQLStore) -> Iterator[Node]:
    for batch in store.stream_rows("linked_claims"):
        for row in batch:
            yield Node(row["id"], {
                "kind": "claim", "label": row["text"], "outlet": row["outlet"], "article": row["article_id"],
                "published": row["published"], "checkworthiness": row["checkworthiness"],
                "group": row["group_id"], "status": row["group_status"],
            })


def _claim_edges(store: SQLStore) -> Iterator[Edge]:
    for batch in store.stream_rows("claim_links_text"):
        for row in batch:
            yield Edge(row["b"], row["a"], {"relation": row["relation"], "score": row["score"],
                                            "reason": row["reason"]})


# -- provenance ----------------------------------------------------------------------------------


def _relays(store: SQLStore) -> Counter:
    """(outlet, origin, kind) -> claim groups in which the outlet relied on that origin. Small:
    it grows with outlets and sources, not with articles."""
    found: Counter = Counter()
    for batch in store.stream_rows("claim_groups"):
        for row in batch:
            for origin in json.loads(row["origins"]):
                name = origin.get("origin")
                if not name or origin.get("kind") in ("outlet", "article"):
                    continue  # an outlet's own reporting relays no one
                for outlet in dict.fromkeys(origin.get("outlets", [])):
                    if outlet != name:
                        found[(outlet, name, origin["kind"])] += 1
    return found


def _outlets(store: SQLStore) -> set[str]:
    return {row["outlet"] for batch in store.stream_rows("outlets") for row in batch}


def _source_nodes(store: SQLStore, pairs: Iterator[tuple[str, str]]) -> Iterator[Node]:
    """A node per outlet and per source; a source that is also an outlet of the corpus is that
    outlet's node, so "who relays whom" reads across outlets."""
    outlets = _outlets(store)
    seen: set[str] = set()
    for outlet, source in pairs:
        for name, kind in ((outlet, "outlet"), (source, "outlet" if source in outlets else "source")):
            node = _node_id(name, outlets, outlet=kind == "outlet")
            if node not in seen:
                seen.add(node)
                yield Node(node, {"kind": kind, "label": name})


def _node_id(name: str, outlets: set[str], *, outlet: bool = False) -> str:
    return outlet_node_id(name) if outlet or name in outlets else "source-" + Outlet(name).id


def _provenance_nodes(store: SQLStore) -> Iterator[Node]:
    yield from _source_nodes(store, ((o, s) for o, s, _ in _relays(store)))


def _provenance_edges(store: SQLStore) -> Iterator[Edge]:
    outlets = _outlets(store)
    for (outlet, origin, kind), groups in sorted(_relays(store).items()):
        yield Edge(_node_id(outlet, outlets, outlet=True), _node_id(origin, outlets),
                   {"relation": kind, "weight": float(groups)})


# -- citations -----------------------------------------------------------------------------------


def _citation_pairs(store: SQLStore) -> Iterator[dict]:
    for batch in store.stream_rows("citation_counts"):
        for row in batch:
            yield {**row, "outlet": row["outlet"] or UNKNOWN_OUTLET}


def _citation_nodes(store: SQLStore) -> Iterator[Node]:
    yield from _source_nodes(store, ((r["outlet"], r["source"]) for r in _citation_pairs(store)))


def _citation_edges(store: SQLStore) -> Iterator[Edge]:
    outlets = _outlets(store)
    for row in _citation_pairs(store):
        yield Edge(_node_id(row["outlet"], outlets, outlet=True), _node_id(row["source"], outlets),
                   {"relation": "cites", "weight": float(row["citations"]), "articles": row["articles"]})


SOURCE_NODE = (KIND, LABEL)
GRAPHS: dict[str, Graph] = {g.name: g for g in (
    Graph("outlets", "articles and outlets: published_by and copy_of edges",
          (KIND, LABEL, OUTLET, ("published", "string", "publication time (ISO 8601)"),
           ("language", "string", "language code")),
          (RELATION, ("score", "double", "for copy_of: share of text in common")),
          _outlet_nodes, _outlet_edges),
    Graph("claims", "claims and the links between them, typed by relation",
          (KIND, LABEL, OUTLET, ("article", "string", "article id"),
           ("published", "string", "publication time of the article"),
           ("checkworthiness", "double", "0..1"), ("group", "string", "claim group id"),
           ("status", "string", "status of the claim group")),
          (("relation", "string", "same, supports, contradicts or related (b bears on a)"),
           ("score", "double", "confidence in the relation, 0..1"), ("reason", "string", "why, in words")),
          _claim_nodes, _claim_edges),
    Graph("provenance", "who relays whom: outlets to the origins their claims rest on",
          SOURCE_NODE, (("relation", "string", "cited, speaker, article-source or copy-of"),
                        ("weight", "double", "claim groups in which the outlet relied on the origin")),
          _provenance_nodes, _provenance_edges),
    Graph("citations", "outlets to the sources their articles cite",
          SOURCE_NODE, (("relation", "string", "cites"), ("weight", "double", "citations"),
                        ("articles", "integer", "articles citing")),
          _citation_nodes, _citation_edges),
)}
