"""The provenance graph of one claim group: outlets, origins and claims, and how they connect.

Nodes are the group's appearances (claims), the outlets that published them, the origins they
rest on and the claims elsewhere that contradict them. Edges say why two nodes are joined:

- ``publishes``: outlet → claim;
- ``relays``: outlet → origin, when the outlet's article passes on another's report (it relays a
  source named in its lead, or it is a syndicated copy of the origin's article);
- ``cites`` / ``quotes``: claim → origin, when the claim's own sentence cites a source or is
  attributed to a speaker;
- ``contradicts``: claim → claim from another group, for confident contradictions only.

An origin that is itself an outlet in the graph is the same node (an outlet's own reporting, the
original of a copy), so "two outlets relaying one newspaper" shows as two arrows into one node.
On the dashboard the same data is the page's table, which is what a browser without JavaScript shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..model import ClaimGroup, ClaimLink

if TYPE_CHECKING:
    from .views import CorpusView

# The origin kinds (see narrascope.link.provenance) and the edge each draws.
_EDGE_OF_KIND = {"cited": "cites", "speaker": "quotes", "article-source": "relays", "copy-of": "relays"}


def provenance_graph(view: CorpusView, group: ClaimGroup | None, claim_id: str | None = None, *,
                     links: Iterable[ClaimLink] | None = None, claim_href: str = "/claims/") -> dict:
    """``{"nodes": [...], "edges": [...]}`` with ids, labels and kinds: the dashboard's page JSON, the
    report's SVG (:func:`narrascope.report.charts.provenance_chart`).

    ``claim_id`` marks the claim a page is about; ``links`` are those touching the group's claims
    (default: found in ``view.links``); a claim node's ``href`` is ``claim_href`` + its id.
    """
    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str, str], dict] = {}

    def outlet_node(name: str) -> str:
        key = f"outlet:{name}"
        nodes.setdefault(key, {"id": key, "label": name, "kind": "outlet"})
        return key

    def claim_node(cid: str, current: bool = False) -> str:
        claim = view.claims[cid]
        article = view.articles[claim.article_id]
        key = f"claim:{cid}"
        date = article.published.strftime("%Y-%m-%d") if article.published else "undated"
        label = f"{article.outlet or '(unknown outlet)'}, {date}"
        nodes.setdefault(key, {"id": key, "label": label, "kind": "claim", "href": f"{claim_href}{cid}",
                               "text": view.claim_text(cid)})
        if current:
            nodes[key]["current"] = True
        edge(outlet_node(article.outlet or "(unknown outlet)"), key, "publishes")
        return key

    def edge(source: str, target: str, relation: str, why: str = "") -> None:
        if source == target:
            return
        edges.setdefault((source, target, relation), {"source": source, "target": target,
                                                      "relation": relation, "why": why})

    members = [c for c in (group.claims if group else [claim_id]) if c in view.claims]
    if links is None:
        touching = set(members)
        links = [k for k in view.links if (k.a in touching or k.b in touching)
                 and k.a in view.claims and k.b in view.claims]
    outlets = {view.outlet(view.claims[c].article_id) for c in members}
    for cid in members:
        claim_node(cid, cid == claim_id)
    for origin in group.origins if group else []:
        name, kind = origin["origin"], origin.get("kind", "")
        if kind == "outlet" and name in outlets:
            continue  # the outlet's own reporting: its "publishes" edges say it all
        key = f"outlet:{name}" if name in outlets else f"origin:{name}"
        nodes.setdefault(key, {"id": key, "label": name, "kind": "origin", "origin_kind": kind})
        relation = _EDGE_OF_KIND.get(kind, "relays")
        for cid in origin.get("claims", []):
            if cid not in view.claims:
                continue
            if relation == "relays":
                edge(outlet_node(view.outlet(view.claims[cid].article_id)), key, relation, kind)
            else:
                edge(f"claim:{cid}", key, relation, kind)
    for link in links:
        if link.relation != "contradicts" or view.is_candidate(link):
            continue  # an unconfirmed candidate is no finding: the links table lists it, labelled
        a, b = link.a, link.b
        edge(claim_node(a, a == claim_id), claim_node(b, b == claim_id), "contradicts", link.reason)
    return {"nodes": list(nodes.values()), "edges": list(edges.values())}
