"""How many of each claim's true nearest claims the link stage's index finds, against exact search.

The stage's index is an inverted file above :data:`~narrascope.link.neighbors.EXACT_MAX` claims: a
query scans only the ``nprobe`` buckets nearest it, so a true neighbour in another bucket is never
a candidate pair. This rebuilds the index as the stage does (from the vector folder the stage left
next to the store) and, for a sample of claims, compares its ``k`` neighbours with an exact search
over every claim. Ties count as found: a neighbour as close as the exact ``k``-th is as good as it
(synthetic claims repeat, so many neighbours tie).
"""

from __future__ import annotations

import time

import numpy as np

from ..link.claimindex import ClaimIndex
from ..link.vectors import VectorCache

# Claims whose neighbours are compared; rows of the exact search per block.
SAMPLE = 1000
BLOCK = 50_000


def candidate_recall(store, embedder, threshold: float, k: int, sample: int = SAMPLE,
                     seed: int = 0) -> tuple[float, dict]:
    """(share of the exact ``k`` nearest found, details: claims, sample, nlist, nprobe, seconds)."""
    started = time.perf_counter()
    index = ClaimIndex.scan(store, threshold)
    index.fill(store, VectorCache(store, embedder))
    n = len(index)
    picks = np.sort(np.random.default_rng(seed).choice(n, size=min(n, sample), replace=False))
    found = index.search(picks, k)
    queries = index.vectors(picks)
    best = np.full((len(picks), k), -np.inf, dtype=np.float32)
    for lo in range(0, n, BLOCK):
        sims = queries @ index.vectors(np.arange(lo, min(n, lo + BLOCK))).T
        mine = (picks >= lo) & (picks < lo + sims.shape[1])
        sims[np.flatnonzero(mine), picks[mine] - lo] = -np.inf  # a claim is not its own neighbour
        both = np.concatenate([best, sims], axis=1)
        best = np.partition(both, both.shape[1] - k, axis=1)[:, -k:]
    kth = best.min(axis=1)
    hits = 0
    for row, (q, near) in enumerate(zip(picks, found, strict=True)):
        near = near[near >= 0]
        if not len(near):
            continue
        sims = index.vectors(near) @ index.vectors([int(q)])[0]
        hits += min(k, int(np.sum(sims >= kth[row] - 1e-5)))
    details = {"claims": n, "sample": len(picks), "nlist": getattr(index.index, "nlist", 0),
               "nprobe": getattr(index.index, "nprobe", 0), "seconds": time.perf_counter() - started}
    return hits / (len(picks) * k), details
