"""Nearest neighbours of unit vectors by inner product (cosine), with faiss.

Small collections get an exact flat index. Larger ones get an inverted-file index: vectors are
bucketed around ``nlist`` centroids and a query scans only the ``nprobe`` nearest buckets, so
the work per query grows with the square root of the collection rather than with all of it —
linking N claims costs about N^1.5, not N^2.
"""

from __future__ import annotations

import math
import time

import numpy as np

# Up to this many vectors an exact search is cheaper than training an inverted file.
EXACT_MAX = 20_000
# Buckets scanned per query; with nlist about 4*sqrt(N), 16 buckets keep recall of the nearest
# few neighbours high for sentence vectors (see `narrascope bench link`).
NPROBE = 16


def knn(
    vectors: np.ndarray,
    k: int,
    *,
    exact_max: int = EXACT_MAX,
    nprobe: int = NPROBE,
    threads: int | None = None,
    timings: dict[str, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For every row, its ``k`` nearest other rows: (similarities, indices), -1 where none.

    ``timings``, when given, receives the seconds spent building the index ("index build":
    training the inverted file and adding the vectors) and searching it ("search").
    """
    import faiss

    if threads:
        faiss.omp_set_num_threads(threads)
    n, dim = vectors.shape
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    k_eff = min(k + 1, n)
    started = time.perf_counter()
    if n <= exact_max:
        index = faiss.IndexFlatIP(dim)
    else:
        nlist = int(4 * math.sqrt(n))
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
        sample = x[np.random.default_rng(0).choice(n, size=min(n, 40 * nlist), replace=False)]
        index.train(sample)
        index.nprobe = nprobe
    index.add(x)
    built = time.perf_counter()
    sims, idx = index.search(x, k_eff)
    # drop each row itself from its own neighbours
    out_s = np.full((n, k), -1.0, dtype=np.float32)
    out_i = np.full((n, k), -1, dtype=np.int64)
    for row in range(n):
        keep = [(s, j) for s, j in zip(sims[row], idx[row], strict=True) if j != row and j >= 0][:k]
        for col, (s, j) in enumerate(keep):
            out_s[row, col], out_i[row, col] = s, j
    if timings is not None:
        timings["index build"] = timings.get("index build", 0.0) + built - started
        timings["search"] = timings.get("search", 0.0) + time.perf_counter() - built
    return out_s, out_i

