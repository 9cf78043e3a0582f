"""Nearest neighbours: the exact index and the inverted file agree on clustered vectors."""

from __future__ import annotations

import numpy as np

from narrascope.link.neighbors import knn


def _clustered(n: int, dim: int = 32, centres: int = 40, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((centres, dim))
    x = c[rng.integers(0, centres, n)] + 0.3 * rng.standard_normal((n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_each_row_gets_its_nearest_other_rows_never_itself():
    x = _clustered(300)
    sims, idx = knn(x, 5)
    assert idx.shape == (300, 5)
    assert all(row not in idx[row] for row in range(300))
    full = x @ x.T
    np.fill_diagonal(full, -np.inf)
    best = np.argsort(-full, axis=1)[:, :5]
    assert np.mean([len(set(best[r]) & set(idx[r])) / 5 for r in range(300)]) > 0.99
    assert np.all(np.diff(sims, axis=1) <= 1e-6)  # best first


def test_inverted_file_keeps_recall_and_reports_its_steps():
    x = _clustered(3000)
    _, exact_i = knn(x, 5)
    timings: dict[str, float] = {}
    _, ivf_i = knn(x, 5, exact_max=1000, timings=timings)
    assert set(timings) == {"index build", "search"} and all(t >= 0 for t in timings.values())
    recall = np.mean([len(set(exact_i[r]) & set(ivf_i[r])) / 5 for r in range(len(x))])
    assert recall > 0.9


def test_fewer_rows_than_neighbours():
    x = _clustered(3)
    _, idx = knn(x, 5)
    assert (idx[:, 2:] == -1).all() and (idx[:, :2] >= 0).all()


def test_a_claims_own_place_and_empty_places_are_dropped_from_its_neighbours():
    from narrascope.link.claimindex import _others

    found = np.array([[0, 4, 5, -1], [7, 1, -1, -1], [3, 2, 9, 8]])
    np.testing.assert_array_equal(_others(np.array([0, 1, 2]), found, 3),
                                  [[4, 5, -1], [7, -1, -1], [3, 9, 8]])
