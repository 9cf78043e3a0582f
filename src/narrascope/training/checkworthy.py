"""Fitting the check-worthiness models (training time only: scikit-learn, never imported at run time).

:func:`train` fits the USE model (:class:`narrascope.enrich.checkworthy.CheckworthinessModel`),
:func:`train_parse` the parse model (:class:`narrascope.enrich.checkworthy_parse.ParseCheckworthinessModel`);
both follow :func:`fit_linear`: one logistic regression per labelled set, their logits added,
calibrated on one set, folded into one raw-feature linear form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from ..embeddings import Embedder
from ..enrich.checkworthy import CheckworthinessModel, features
from ..enrich.checkworthy_parse import ParseCheckworthinessModel, bag_matrix, feature_names, pipeline_name

# Inverse L2 strength of every member. Strong regularisation suits 526 features and a few thousand
# positives: leave-one-debate-out MAP .2597 at 0.01, .2589 at 0.003, .2576 at 0.03 (models/README.md).
DEFAULT_C = 0.01


def train(
    texts: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    embeddings: np.ndarray,
    *,
    embedder: Embedder | None = None,
    sources: Sequence[str] | None = None,
    mix: Mapping[str, float] | None = None,
    calibrate_on: str | None = None,
    C: float = DEFAULT_C,
    metadata: Mapping[str, Any] | None = None,
    precomputed: np.ndarray | None = None,
) -> CheckworthinessModel:
    """Fit one logistic regression per labelled set, add their logits, calibrate, fold into one.

    ``sources`` names the set each row comes from (default: one set); ``mix`` weighs each set's
    logit in the sum (default 1); ``calibrate_on`` is the set whose labels map the sum to a probability
    (default: the first set named). ``embedder`` only records which embedder made ``embeddings``
    (default: the USE embedder, which must match the embeddings' width). ``precomputed`` is
    ``features(texts, embeddings)`` already made, for callers that fit many models on one corpus.
    """
    from ..embeddings import USEEmbedder

    emb_name, emb_dim = (
        (embedder.name, embedder.dim) if embedder is not None else (USEEmbedder.name, USEEmbedder.dim)
    )
    if np.asarray(embeddings).shape[1] != emb_dim:
        raise ValueError(f"embeddings are {np.asarray(embeddings).shape[1]}-d, {emb_name} gives {emb_dim}-d")
    x = np.asarray(precomputed if precomputed is not None else features(texts, embeddings), dtype=np.float64)
    w_raw, _, b_raw, params = fit_linear(x, labels, sources, mix=mix, calibrate_on=calibrate_on, C=C)
    mean, scale = _standardiser(x)
    return CheckworthinessModel(
        weights=w_raw * scale,
        bias=b_raw + float(w_raw @ mean),
        mean=mean,
        scale=scale,
        embedder=emb_name,
        dim=emb_dim,
        metadata={**params, **dict(metadata or {})},
    )


def fit_linear(
    x: np.ndarray,
    labels: Sequence[int] | np.ndarray,
    sources: Sequence[str] | None = None,
    *,
    mix: Mapping[str, float] | None = None,
    calibrate_on: str | None = None,
    C: float = DEFAULT_C,
    sparse: Any = None,
    sparse_scale: float = 1.0,
    solver: str = "lbfgs",
) -> tuple[np.ndarray, np.ndarray | None, float, dict]:
    """The recipe shared by the check-worthiness models, folded into raw-feature form.

    Returns ``(w, w_sparse, b, metadata)`` such that the calibrated probability of a row is
    ``sigmoid(x · w + sparse · w_sparse + b)``. Each set's regression sees the dense columns
    standardised on that set's rows and the optional ``sparse`` matrix (a bag of words: 0/1
    columns, which standardising would blow up when rare) multiplied by ``sparse_scale``, which
    sets how strongly those columns are regularised next to the dense ones.
    """
    from sklearn.linear_model import LogisticRegression  # training-time only

    y = np.asarray(labels, dtype=np.int64)
    x = np.asarray(x, dtype=np.float64)
    src = np.asarray(list(sources) if sources is not None else ["all"] * len(y))
    if not (len(y) == len(src) == x.shape[0]) or (sparse is not None and sparse.shape[0] != len(y)):
        raise ValueError("texts, labels, embeddings and sources must have the same length")
    names = list(dict.fromkeys(src.tolist()))
    mix = dict(mix or {})
    target = calibrate_on or names[0]
    if target not in names:
        raise ValueError(f"calibrate_on={target!r} is not one of the sources {names}")

    def design(rows: np.ndarray, mu: np.ndarray, sd: np.ndarray):
        dense = (x[rows] - mu) / sd
        if sparse is None:
            return dense
        from scipy import sparse as sp  # comes with scikit-learn

        return sp.hstack([sp.csr_matrix(dense), sparse[rows] * sparse_scale], format="csr")

    # Every member lives in one raw-feature linear form w·x + b, so their weighted sum is one too.
    width = x.shape[1]
    w_raw, b_raw = np.zeros(width), 0.0
    ws_raw = np.zeros(sparse.shape[1]) if sparse is not None else None
    for name in names:
        rows = np.flatnonzero(src == name)
        if len(set(y[rows].tolist())) < 2:
            raise ValueError(f"source {name!r} needs both labels to train on")
        mu, sd = _standardiser(x[rows])
        fit = LogisticRegression(C=C, max_iter=5000, solver=solver).fit(design(rows, mu, sd), y[rows])
        w = fit.coef_[0, :width] / sd
        weight = float(mix.get(name, 1.0))
        w_raw += weight * w
        b_raw += weight * (float(fit.intercept_[0]) - float(w @ mu))
        if ws_raw is not None:
            ws_raw += weight * sparse_scale * fit.coef_[0, width:]

    rows = src == target
    logit = x[rows] @ w_raw + b_raw
    if ws_raw is not None:
        logit += sparse[np.flatnonzero(rows)] @ ws_raw
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(logit[:, None], y[rows])
    a, c = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    meta = {
        "trained": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "params": {"C": C, "mix": {n: float(mix.get(n, 1.0)) for n in names}, "calibrate_on": target},
        "rows": {n: {"sentences": int((src == n).sum()), "positive": int(y[src == n].sum())} for n in names},
    }
    return a * w_raw, (a * ws_raw if ws_raw is not None else None), a * b_raw + c, meta


def _standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-8] = 1.0  # a constant column carries nothing; leave it unscaled
    return mean, scale


# Inverse L2 strength, and how much the word buckets are scaled next to the standardised dense
# columns (a larger scale regularises them less). Leave-one-debate-out MAP .2501 at these, .2473
# at C=0.003, .2479 at C=0.03; .2461 with words x3, .2396 x30 (models/README.md).
PARSE_C = 0.01
DEFAULT_WORD_SCALE = 10.0


def train_parse(
    dense: np.ndarray,
    words: Any,
    labels: Sequence[int] | np.ndarray,
    *,
    nlp=None,
    pipeline: tuple[str, str, int] | None = None,
    sources: Sequence[str] | None = None,
    mix: Mapping[str, float] | None = None,
    calibrate_on: str | None = None,
    C: float = PARSE_C,
    word_scale: float = DEFAULT_WORD_SCALE,
    metadata: Mapping[str, Any] | None = None,
) -> ParseCheckworthinessModel:
    """The check-worthiness recipe of :func:`fit_linear` on parse features.

    ``words`` are the bags of :func:`span_features` or their :func:`bag_matrix`; ``nlp`` (or
    ``pipeline`` as (name, version, width)) is the spaCy pipeline that made the features.
    """
    if pipeline is None:
        if nlp is None:
            raise ValueError("train() needs the spaCy pipeline (nlp) or its (name, version, width)")
        pipeline = (
            pipeline_name(nlp),
            nlp.meta.get("version", ""),
            nlp.get_pipe("tok2vec").model.get_dim("nO"),
        )
    name, version, width = pipeline
    dense = np.asarray(dense, dtype=np.float64)
    if dense.shape[1] != len(feature_names(width)):
        raise ValueError(
            f"{dense.shape[1]} dense columns, {len(feature_names(width))} expected for width {width}"
        )
    w, ws, b, params = fit_linear(
        dense,
        labels,
        sources,
        mix=mix,
        calibrate_on=calibrate_on,
        C=C,
        sparse=words if hasattr(words, "tocsr") else bag_matrix(words),
        sparse_scale=word_scale,
    )
    params["params"]["word_scale"] = word_scale
    return ParseCheckworthinessModel(
        w, ws, b, name, version, width, metadata={**params, **dict(metadata or {})}
    )
