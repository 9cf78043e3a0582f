"""Claim matching across articles: nearest neighbours by meaning, then a relation for each pair.

Every check-worthy claim is embedded (cached), each claim's ``k`` nearest claims from *other*
articles become candidate pairs, and :func:`~narrascope.link.relate.relate` names the relation.
A pair is stored once, oriented from the earlier claim (``a``) to the later one (``b``): how the
later report bears on the earlier.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from ..model import Annotations, Article, Claim, ClaimLink
from .learned import RelationScorer
from .neighbors import knn
from .relate import DEFAULT_PARAMS, ClaimView, RelateParams, relate
from .stories import as_utc

# Neighbours looked at per claim: the claims a story repeats across outlets are few.
NEIGHBOURS = 10


@dataclass(slots=True)
class ClaimItem:
    claim: Claim
    article: Article
    view: ClaimView


def claim_items(
    pairs: list[tuple[Article, Annotations]], threshold: float, entity_names: dict[str, str]
) -> list[ClaimItem]:
    out = []
    for article, ann in pairs:
        for claim in ann.claims:
            if claim.checkworthiness < threshold:
                continue
            start, end = _said(claim)
            view = ClaimView(
                text=article.text[start:end],
                negated=claim.negated,
                quantities=[q for q in claim.quantities if start <= q.start and q.end <= end],
                times=[t for t in ann.times if start <= t.start and t.end <= end],
                names=frozenset(entity_names[e] for e in claim.entity_ids if e in entity_names),
                hedged=claim.hedged,
                offset=start,
            )
            out.append(ClaimItem(claim, article, view))
    return out


def _said(claim: Claim) -> tuple[int, int]:
    """What is claimed, without who claims it: "X noted that Karavia has never joined the
    sanctions" is compared as "Karavia has never joined the sanctions"."""
    a = claim.attribution
    if a is not None and claim.start <= a.start and a.end <= claim.end and a.end - a.start >= 20:
        return a.start, a.end
    return claim.start, claim.end


def link_claims(
    items: list[ClaimItem],
    vectors: np.ndarray,
    params: RelateParams = DEFAULT_PARAMS,
    k: int = NEIGHBOURS,
    threads: int | None = None,
    scorer: RelationScorer | None = None,
    timings: dict[str, float] | None = None,
) -> list[ClaimLink]:
    """Links between each claim and its nearest claims in other articles; ``timings``, when
    given, receives the seconds of each step (index build, search, relations)."""
    if len(items) < 2:
        return []
    sims, idx = knn(vectors, k, threads=threads, timings=timings)
    started = time.perf_counter()
    seen: set[tuple[int, int]] = set()
    links = []
    for i in range(len(items)):
        for sim, j in zip(sims[i], idx[i], strict=True):
            if j < 0 or sim < params.related:
                continue
            pair = (min(i, j), max(i, j))
            if pair in seen or items[i].article.id == items[j].article.id:
                continue
            seen.add(pair)
            a, b = sorted(pair, key=lambda n: (_when(items[n].article), items[n].claim.id))
            rel = relate(items[a].view, items[b].view, float(sim), params, scorer)
            if rel.relation != "unrelated":
                links.append(
                    ClaimLink(
                        items[a].claim.id, items[b].claim.id, rel.relation, round(rel.score, 4), rel.reason
                    )
                )
    if timings is not None:
        timings["relations"] = timings.get("relations", 0.0) + time.perf_counter() - started
    return links


def _when(article: Article) -> datetime:
    return as_utc(article.published) if article.published else datetime.max
