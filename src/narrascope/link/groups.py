"""Claim groups without chaining, and whether a group's confirmations are independent.

A group is a *representative* claim and the claims linked to it directly as ``same`` or
``supports``: every member says what the representative says, by a link a reader can check. No
transitive closure: A~B and B~C puts C with A only if A~C too, so a group never drifts from one
event to the next, and its size is bounded by the links its representative has. Representatives
are taken greedily, the claim with the most agreement links first (the earliest on ties); a
claim belongs to one group.

Independence: each appearance names its sources (:func:`~narrascope.link.provenance.origin_of`);
sources named together in one appearance are one chain (a person quoted through an outlet, an
outlet relaying another), so two appearances are independent only when their chains differ.
Status: *contradicted* if a member is contradicted by a claim elsewhere (confidently: at or above
``report.confident_contradiction``); *unverified* if every
appearance is hedged; *corroborated* with two or more independent chains; else *single-origin*.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from ..model import Annotations, Article, Claim, ClaimGroup, ClaimLink, content_id
from .provenance import SpanNames, origin_of
from .relate import AGREEMENT
from .stories import as_utc


def build_groups(
    links: list[ClaimLink],
    claims: dict[str, tuple[Claim, Article, Annotations]],
    originals: dict[str, Article],
    names: SpanNames | None = None,
    confident: float = 0.0,
) -> list[ClaimGroup]:
    """``confident``: the least score of a contradiction that makes a group *contradicted* (a
    lower one is a candidate the report shows collapsed, not a finding)."""
    contradicted = {cid for link in links if link.relation == "contradicts" and link.score >= confident
                    for cid in (link.a, link.b)}
    return [_group(ids, claims, originals, names, contradicted) for ids in stars(links, claims)]


def stars(links: list[ClaimLink], claims) -> list[list[str]]:
    """Claim ids in groups: each a representative and its unassigned direct agreement links."""
    agree: dict[str, set[str]] = defaultdict(set)
    for link in links:
        if link.relation in AGREEMENT and link.a in claims and link.b in claims:
            agree[link.a].add(link.b)
            agree[link.b].add(link.a)
    order = sorted(claims, key=lambda c: (-len(agree[c]), _date_key(claims[c][1]), c))
    placed: set[str] = set()
    out = []
    for rep in order:
        if rep in placed:
            continue
        members = [rep, *sorted(m for m in agree[rep] if m not in placed)]
        placed.update(members)
        out.append(members)
    return out


def _group(ids, claims, originals, names, contradicted) -> ClaimGroup:
    rep = ids[0]
    appearances = [(claims[cid][0], claims[cid][1], origin_of(*claims[cid], originals, names)) for cid in ids]
    chain = _chains([o.keys | {o.key} for _, _, o in appearances])
    origins: dict[str, dict] = {}
    for claim, article, origin in sorted(appearances, key=lambda x: _date_key(x[1])):
        record = origins.setdefault(
            chain[origin.key],
            {"origin": origin.name, "kind": origin.kind, "claims": [], "outlets": [],
             "first_seen": _iso(article.published)},
        )
        record["claims"].append(claim.id)
        if article.outlet and article.outlet not in record["outlets"]:
            record["outlets"].append(article.outlet)
    if any(cid in contradicted for cid in ids):
        status = "contradicted"
    elif all(claim.hedged for claim, _, _ in appearances):
        status = "unverified"
    elif len(origins) >= 2:
        status = "corroborated"
    else:
        status = "single-origin"
    first = min(appearances, key=lambda x: _date_key(x[1]))
    claim, article = claims[rep][0], claims[rep][1]
    return ClaimGroup(
        content_id("claim-group", rep),
        sorted(ids),
        status,
        list(origins.values()),
        first[1].published,
        article.text[claim.start : claim.end],
    )


def _chains(key_sets: list[frozenset[str]]) -> dict[str, str]:
    """Each key -> the first key of its chain (keys named together are joined)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for keys in key_sets:
        keys = sorted(keys)
        for k in keys[1:]:
            ra, rb = find(keys[0]), find(k)
            if ra != rb:
                parent[rb] = ra
        find(keys[0])
    return {k: find(k) for k in parent}


def _date_key(article: Article) -> tuple:
    return (article.published is None, as_utc(article.published) if article.published else datetime.min)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
