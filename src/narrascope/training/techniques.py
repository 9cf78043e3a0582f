"""Fitting the technique detector's two stages and choosing its thresholds (training time only:
needs scikit-learn and scipy, which the detector itself never imports).

Candidates are labelled by overlap with gold spans: a candidate whose intersection-over-union with
a gold span of technique k reaches ``label_iou`` is a propaganda candidate of technique k. The
detector learns propaganda vs not from every candidate (negatives subsampled, and weighted back up);
the classifier learns the technique from the propaganda candidates only. Both are logistic
regressions on standardised inputs whose standardisation is then folded into the weights, so the
shipped file holds raw-input weights and the runtime is two matrix products.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..narratives.techniques import MODEL_TECHNIQUES, RouteModel, decode
from .span_metrics import merge_spans

# Threshold grid on p(propaganda) x p(technique | propaganda); inf switches a technique off.
GRID = (0.02, 0.03, 0.05, 0.07, 0.1, 0.13, 0.16, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, np.inf)


@dataclass(frozen=True)
class Params:
    label_iou: float = 0.5  # a candidate this close to a gold span is one (see models/README.md)
    detector_C: float = 0.1
    classifier_C: float = 0.05
    negatives: float = 0.3  # share of negative candidates the detector is fitted on
    word_scale: float = 3.0  # weight of the hashed bag of words against the standardised inputs
    buckets: int = 2**16  # 0: no bag of words
    seed: int = 0


def _standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0, dtype=np.float64)
    scale = x.std(axis=0, dtype=np.float64)
    scale[scale < 1e-6] = 1.0  # a constant column carries nothing; leave it unscaled
    return mean, scale


def _design(dense: np.ndarray, mean: np.ndarray, scale: np.ndarray, words, word_scale: float):
    x = (dense - mean) / scale
    if words is None:
        return x
    import scipy.sparse as sp

    return sp.hstack([sp.csr_matrix(x), words * word_scale]).tocsr()


def fit_route(dense: np.ndarray, words, iou: np.ndarray, params: Params) -> RouteModel:
    """Both stages on candidates ``dense`` (n, F), ``words`` (n, buckets) CSR or None, ``iou`` (n, K)
    with the best overlap of each candidate with a gold span of each technique. Thresholds are left
    at infinity: :func:`choose_thresholds` sets them from out-of-fold scores."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    n_dense, k = dense.shape[1], iou.shape[1]
    positive = iou.max(axis=1) >= params.label_iou
    rng = np.random.default_rng(params.seed)
    rows = np.flatnonzero(positive | (rng.random(len(positive)) < params.negatives))
    weight = np.where(positive[rows], 1.0, 1.0 / params.negatives)
    mean, scale = _standardiser(dense[rows])
    x = _design(dense[rows], mean, scale, words[rows] if words is not None else None, params.word_scale)
    with warnings.catch_warnings():
        # 300 iterations is a time cap, not convergence: on the full PTC corpus (about 90,000 rows
        # of 1,583 dense and 65,536 hashed columns) lbfgs stops there after about 3 minutes on one
        # core, and the figures in models/README.md are those of the capped fit.
        warnings.simplefilter("ignore", ConvergenceWarning)
        detector = LogisticRegression(C=params.detector_C, max_iter=300).fit(
            x, positive[rows], sample_weight=weight
        )
    w1 = detector.coef_[0]

    rows2 = np.flatnonzero(positive)
    label = iou[rows2].argmax(axis=1)
    mean2, scale2 = _standardiser(dense[rows2])
    x2 = _design(dense[rows2], mean2, scale2, words[rows2] if words is not None else None, params.word_scale)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the same time cap as the detector's
        classifier = LogisticRegression(C=params.classifier_C, max_iter=300).fit(x2, label)
    # A technique missing from the training rows never wins: weight 0 and a very low bias.
    w2 = np.zeros((k, x2.shape[1]))
    b2 = np.full(k, -30.0)
    w2[classifier.classes_] = classifier.coef_
    b2[classifier.classes_] = classifier.intercept_

    def fold(w: np.ndarray, b: float | np.ndarray, mu: np.ndarray, sd: np.ndarray):
        raw = w[..., :n_dense] / sd
        return raw, b - raw @ mu, (w[..., n_dense:] * params.word_scale if words is not None else None)

    d_w, d_b, d_words = fold(w1, float(detector.intercept_[0]), mean, scale)
    c_w, c_b, c_words = fold(w2, b2, mean2, scale2)
    return RouteModel(d_w, float(d_b), c_w, c_b, np.full(k, np.inf), d_words, c_words)


@dataclass
class Scored:
    """One article's candidates, out-of-fold scores and gold spans per technique index."""

    starts: np.ndarray
    ends: np.ndarray
    scores: np.ndarray  # (n, K)
    gold: dict[int, list[tuple[int, int]]]


def tallies(items: Sequence[Scored], k: int, grid: Sequence[float] = GRID) -> np.ndarray:
    """(len(grid), 4): precision credit, predicted spans, recall credit, gold spans of technique k
    when it is decoded at each threshold of ``grid``.

    Decoding keeps candidates best first, so what it keeps at a threshold is what it keeps at the
    lowest threshold with a score at or above it: one decode per article serves the whole grid."""
    grid_arr = np.asarray(grid, dtype=np.float64)
    out = np.zeros((len(grid), 4))
    for item in items:
        gold = merge_spans(item.gold.get(k, []))
        out[:, 3] += len(gold)
        kept = decode(item.starts, item.ends, item.scores[:, k : k + 1], np.array([grid_arr.min()]))
        for s0, s1, _, score in kept:
            p = r = 0.0
            for g0, g1 in gold:
                overlap = min(s1, g1) - max(s0, g0)
                if overlap > 0:
                    p += overlap / (s1 - s0)
                    r += overlap / (g1 - g0)
            on = score >= grid_arr
            out[on, 0] += p
            out[on, 1] += 1
            out[on, 2] += r
    return out


def _f1(t: np.ndarray) -> float:
    p = t[0] / t[1] if t[1] else 0.0
    r = t[2] / t[3] if t[3] else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def choose_thresholds(items: Sequence[Scored], grid: Sequence[float] = GRID, rounds: int = 3) -> np.ndarray:
    """Per-technique thresholds maximising the typed micro-F1 over ``items`` (coordinate ascent
    from "all off": a rare technique is switched on only if it adds to the whole)."""
    k = len(MODEL_TECHNIQUES)
    table = np.stack([tallies(items, j, grid) for j in range(k)])  # (K, G, 4)
    choice = np.full(k, len(grid) - 1)
    for _ in range(rounds):
        changed = False
        for j in range(k):
            rest = sum(table[i, choice[i]] for i in range(k) if i != j)
            best = max(range(len(grid)), key=lambda g: (_f1(rest + table[j, g]), g))  # ties: the stricter
            if best != choice[j]:
                choice[j], changed = best, True
        if not changed:
            break
    return np.array([grid[g] for g in choice], dtype=np.float64)
