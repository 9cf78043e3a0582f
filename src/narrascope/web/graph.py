"""The provenance graph of a claim page: :mod:`narrascope.report.provenance` over the request's reading."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import ClaimGroup
from ..report.provenance import provenance_graph as _graph

if TYPE_CHECKING:
    from .reading import Reading


def provenance_graph(dash: Reading, group: ClaimGroup | None, claim_id: str) -> dict:
    """``{"nodes": [...], "edges": [...]}`` for the claim page's JSON (links in the dashboard's order)."""
    members = [c for c in (group.claims if group else [claim_id]) if c in dash.view.claims]
    return _graph(dash.view, group, claim_id, links=dash.group_links(members))
