"""GraphML export for Gephi, yEd or networkx: outlets, articles and how they relate (the
``outlets`` graph of :mod:`narrascope.exports.graphs`).

Nodes: one per outlet and one per article. Edges: ``published_by`` (article to outlet) and
``copy_of`` (a syndicated or duplicated article to its original).
"""

from __future__ import annotations

from typing import TextIO

from ..exports import write_graph
from ..store import SQLStore


def write_graphml(store: SQLStore, out: TextIO) -> int:
    return write_graph(store, "outlets", "graphml", out)
