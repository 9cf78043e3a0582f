"""Models trained with scikit-learn, evaluated with numpy: sklearn grows them, nothing needs it to use them.

* :class:`TreeEnsemble`: gradient-boosted trees. :func:`trees_from_sklearn` flattens a fitted
  ``HistGradientBoostingClassifier`` (numeric features only) into a handful of arrays that fit in
  an ``.npz``; evaluation walks every tree for every row at once, one level per step, and gives
  scikit-learn's probabilities (leaf values are stored as float32: they differ by under 1e-5).
* :class:`DenseNet`: standardised inputs through dense layers (ReLU between, softmax last): a
  multinomial logistic regression is the one-layer case, an ``MLPClassifier`` the deeper one.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

_FIELDS = ("feature", "threshold", "left", "right", "leaf", "missing_left", "value", "roots", "tree_class",
           "baseline")


class TreeEnsemble:
    """Sum of regression trees per class, plus a baseline; softmax (or sigmoid for one class) on top."""

    def __init__(self, feature, threshold, left, right, leaf, missing_left, value, roots, tree_class,
                 baseline) -> None:
        self.feature = np.asarray(feature, dtype=np.int64)
        self.threshold = np.asarray(threshold, dtype=np.float64)
        self.left = np.asarray(left, dtype=np.int64)
        self.right = np.asarray(right, dtype=np.int64)
        self.leaf = np.asarray(leaf, dtype=bool)
        self.missing_left = np.asarray(missing_left, dtype=bool)
        self.value = np.asarray(value, dtype=np.float64)
        self.roots = np.asarray(roots, dtype=np.int64)
        self.tree_class = np.asarray(tree_class, dtype=np.int64)
        self.baseline = np.asarray(baseline, dtype=np.float64).reshape(-1)
        n = len(self.feature)
        if not all(len(a) == n for a in (self.threshold, self.left, self.right, self.leaf, self.missing_left,
                                         self.value)):
            raise ValueError("tree arrays differ in length")
        if len(self.roots) != len(self.tree_class) or (len(self.roots) and self.tree_class.max() >= len(self.baseline)):
            raise ValueError("tree roots and classes do not match the baseline")
        inner = ~self.leaf
        if n and (self.left[inner].max(initial=0) >= n or self.right[inner].max(initial=0) >= n):
            raise ValueError("a tree points outside its node arrays")

    @property
    def n_features(self) -> int:
        inner = ~self.leaf
        return int(self.feature[inner].max(initial=-1)) + 1

    def raw(self, x: np.ndarray) -> np.ndarray:
        """(n, classes) summed leaf values: the log-odds before the link function."""
        x = np.asarray(x, dtype=np.float64)
        n = x.shape[0]
        out = np.tile(self.baseline, (n, 1))
        if n == 0 or not len(self.roots):
            return out
        node = np.broadcast_to(self.roots, (n, len(self.roots))).copy()
        rows = np.arange(n)[:, None]
        while True:
            active = ~self.leaf[node]
            if not active.any():
                break
            value = x[rows, np.where(active, self.feature[node], 0)]
            left = np.where(np.isnan(value), self.missing_left[node], value <= self.threshold[node])
            node = np.where(active, np.where(left, self.left[node], self.right[node]), node)
        leaves = self.value[node]
        for k in range(len(self.baseline)):
            out[:, k] += leaves[:, self.tree_class == k].sum(axis=1)
        return out

    def proba(self, x: np.ndarray) -> np.ndarray:
        raw = self.raw(x)
        if raw.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-np.clip(raw[:, 0], -40, 40)))
            return np.column_stack([1 - p, p])
        raw = raw - raw.max(axis=1, keepdims=True)
        e = np.exp(raw)
        return e / e.sum(axis=1, keepdims=True)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The arrays to store, names prefixed; compact dtypes keep the file small."""
        return {
            f"{prefix}feature": self.feature.astype(np.int16),
            f"{prefix}threshold": self.threshold,
            f"{prefix}left": self.left.astype(np.int32),
            f"{prefix}right": self.right.astype(np.int32),
            f"{prefix}leaf": self.leaf,
            f"{prefix}missing_left": self.missing_left,
            f"{prefix}value": self.value.astype(np.float32),
            f"{prefix}roots": self.roots.astype(np.int32),
            f"{prefix}tree_class": self.tree_class.astype(np.int16),
            f"{prefix}baseline": self.baseline,
        }

    @classmethod
    def from_arrays(cls, data: Mapping[str, np.ndarray], prefix: str) -> TreeEnsemble:
        return cls(**{name: data[f"{prefix}{name}"] for name in _FIELDS})


def trees_from_sklearn(model) -> TreeEnsemble:
    """Flatten a fitted ``HistGradientBoostingClassifier`` (numeric features only)."""
    if getattr(model, "is_categorical_", None) is not None and np.any(model.is_categorical_):
        raise ValueError("categorical features are not supported")
    parts, roots, classes, offset = [], [], [], 0
    for iteration in model._predictors:
        for k, tree in enumerate(iteration):
            nodes = tree.nodes
            parts.append((nodes, offset))
            roots.append(offset)
            classes.append(k)
            offset += len(nodes)
    if parts:
        nodes = np.concatenate([p for p, _ in parts])
        shift = np.concatenate([np.full(len(p), off) for p, off in parts])
    else:
        nodes = np.zeros(0, dtype=[("feature_idx", "i8"), ("num_threshold", "f8"), ("left", "u4"), ("right", "u4"),
                                   ("is_leaf", "u1"), ("missing_go_to_left", "u1"), ("value", "f8")])
        shift = np.zeros(0, dtype=np.int64)
    leaf = nodes["is_leaf"].astype(bool)
    # Leaves keep left/right at 0; shifting them would only point at another tree's root.
    left = np.where(leaf, 0, nodes["left"].astype(np.int64) + shift)
    right = np.where(leaf, 0, nodes["right"].astype(np.int64) + shift)
    return TreeEnsemble(
        feature=np.where(leaf, 0, nodes["feature_idx"]),
        threshold=nodes["num_threshold"],
        left=left,
        right=right,
        leaf=leaf,
        missing_left=nodes["missing_go_to_left"].astype(bool),
        value=nodes["value"],
        roots=np.asarray(roots, dtype=np.int64),
        tree_class=np.asarray(classes, dtype=np.int64),
        baseline=np.asarray(model._baseline_prediction, dtype=np.float64).reshape(-1),
    )


class DenseNet:
    """softmax(relu(...relu(((x - mean) / scale) W1 + b1)...) Wn + bn)."""

    def __init__(self, mean, scale, weights, biases) -> None:
        self.mean = np.asarray(mean, dtype=np.float32)
        self.scale = np.asarray(scale, dtype=np.float32)
        self.weights = [np.asarray(w, dtype=np.float32) for w in weights]
        self.biases = [np.asarray(b, dtype=np.float32) for b in biases]
        width = self.mean.shape[0]
        if self.scale.shape != (width,) or len(self.weights) != len(self.biases) or not self.weights:
            raise ValueError("dense net needs a mean and a scale per input and a bias per layer")
        for w, b in zip(self.weights, self.biases, strict=True):
            if w.ndim != 2 or w.shape[0] != width or b.shape != (w.shape[1],):
                raise ValueError("dense net layers do not chain")
            width = w.shape[1]

    @property
    def n_inputs(self) -> int:
        return int(self.mean.shape[0])

    def proba(self, x: np.ndarray) -> np.ndarray:
        h = (np.asarray(x, dtype=np.float32) - self.mean) / self.scale
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            h = h @ w + b
            if i < len(self.weights) - 1:
                h = np.maximum(h, 0.0)
        h = h - h.max(axis=1, keepdims=True)
        e = np.exp(h)
        return e / e.sum(axis=1, keepdims=True)

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        out = {f"{prefix}mean": self.mean, f"{prefix}scale": self.scale,
               f"{prefix}layers": np.int64(len(self.weights))}
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            out[f"{prefix}w{i}"], out[f"{prefix}b{i}"] = w, b
        return out

    @classmethod
    def from_arrays(cls, data: Mapping[str, np.ndarray], prefix: str) -> DenseNet:
        n = int(data[f"{prefix}layers"])
        return cls(data[f"{prefix}mean"], data[f"{prefix}scale"], [data[f"{prefix}w{i}"] for i in range(n)],
                   [data[f"{prefix}b{i}"] for i in range(n)])


def dense_from_sklearn(model, mean: np.ndarray, scale: np.ndarray) -> DenseNet:
    """A fitted multinomial ``LogisticRegression`` or ``MLPClassifier`` (ReLU), fed (x - mean) / scale."""
    if hasattr(model, "coefs_"):
        if model.activation != "relu":
            raise ValueError("only ReLU MLPs are supported")
        weights, biases = list(model.coefs_), list(model.intercepts_)
        if weights[-1].shape[1] == 1:  # sklearn's binary MLP has one logistic output
            weights[-1] = np.hstack([np.zeros_like(weights[-1]), weights[-1]])
            biases[-1] = np.r_[0.0, biases[-1]]
    else:
        coef, intercept = np.asarray(model.coef_), np.asarray(model.intercept_)
        if coef.shape[0] == 1:  # binary logistic regression: class 0 has logit 0
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.r_[0.0, intercept]
        weights, biases = [coef.T], [intercept]
    return DenseNet(mean, scale, weights, biases)
