"""Narrative discovery without a thesis: recurring claims across outlets, as candidate theses.

Claim groups that appear in at least ``min_outlets`` outlets are the statements a story keeps
coming back to. Groups that say nearly the same thing (their summaries' vectors close) are
gathered into one narrative; the statement most outlets carry is offered as a candidate thesis the
user can adopt with ``narrascope analyze --thesis``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..model import ClaimGroup

# Two recurring claims this close (cosine) are one narrative told twice.
SAME_NARRATIVE = 0.6


@dataclass(slots=True)
class Narrative:
    thesis: str
    outlets: list[str]
    groups: list[str] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    appearances: int = 0


def discover(groups: list[ClaimGroup], vectors: np.ndarray, min_outlets: int = 2,
             same: float = SAME_NARRATIVE) -> list[Narrative]:
    """``vectors`` holds one unit vector per group (of its summary), in the same order."""
    recurring = [i for i, g in enumerate(groups) if len(_outlets(g)) >= min_outlets]
    recurring.sort(key=lambda i: (-len(_outlets(groups[i])), -len(groups[i].claims)))
    clusters: list[list[int]] = []
    for i in recurring:
        for cluster in clusters:
            if float(vectors[i] @ vectors[cluster[0]]) >= same:
                cluster.append(i)
                break
        else:
            clusters.append([i])
    out = []
    for cluster in clusters:
        members = [groups[i] for i in cluster]
        centre = cluster[0]  # the statement most outlets carry (clusters keep that order)
        outlets = sorted({o for g in members for o in _outlets(g)})
        statuses: dict[str, int] = {}
        for g in members:
            statuses[g.status] = statuses.get(g.status, 0) + 1
        out.append(Narrative(_as_thesis(groups[centre].summary or ""), outlets, [g.id for g in members], statuses,
                             sum(len(g.claims) for g in members)))
    out.sort(key=lambda n: (-len(n.outlets), -n.appearances))
    return out


def _outlets(group: ClaimGroup) -> set[str]:
    return {o for origin in group.origins for o in origin.get("outlets", [])}


def _as_thesis(text: str) -> str:
    """A statement short enough to adopt as a thesis: the first clause, without a trailing period."""
    text = " ".join(text.split())
    for sep in ("; ", " — ", " – "):
        if sep in text:
            text = text.split(sep)[0]
    return text.rstrip(" .")
