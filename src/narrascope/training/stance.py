"""Training and scoring the stance model on FNC-1. scikit-learn is needed here only.

The held-out part is chosen by body id: a stable hash puts about 20% of the bodies (and every
pair of theirs) aside, so no body is in both parts, as the FNC baseline's own hold-out did. The
headlines are shared between the parts (FNC pairs each headline with many bodies); ``split="claims"``
holds out whole claims instead: the connected groups of headlines and bodies that FNC labels as
related, with every pair whose headline or body falls on the other side dropped, which is closer to
the competition's test set of new stories.

:func:`fit` trains the three models of :mod:`.stance`: the sentence and text models out of fold
to make the pair model's training inputs, twice (5 folds by body: the claim is known to them; 5
folds by claim group: it is new), then once more on all training rows.
"""

from __future__ import annotations

import csv
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from ..embeddings import Embedder
from ..errors import ConfigError
from ..narratives.small_models import dense_from_sklearn, trees_from_sklearn
from ..narratives.stance import (
    AGGREGATES,
    FNC_LABELS,
    LABELS,
    TEXT_OUTPUTS,
    TOP,
    PairInputs,
    StanceModel,
    aggregate,
    familiarity,
    pair_inputs,
)
from ..narratives.stance_features import prepare_claim, prepare_text
from ..narratives.techniques_candidates import split_sentences

FNC_CLASSES = tuple(FNC_LABELS)  # agree, disagree, discuss, unrelated: same order as LABELS
HELD_OUT_PERCENT = 20
UNRELATED = FNC_CLASSES.index("unrelated")

# The recipe. Each value was compared on the body split's training part, out of fold, or on the
# held-out bodies during development; models/README.md lists what each alternative scored.
RECIPE = {
    "sentence_C": 0.01,  # logistic regression over 1,035 inputs: strong regularisation
    "text_hidden": 64,  # MLP over 2,048 inputs
    "text_alpha": 1.0,
    "trees_learning_rate": 0.1,
    "trees_iterations": 300,
    "trees_leaves": 31,
    "class_weight": "balanced",  # the only way disagree (1.7% of pairs) gets found
    "folds": 5,
}


@dataclass
class FncData:
    bodies: dict[int, str]
    headlines: list[str]
    head: np.ndarray  # per pair: index into headlines
    body: np.ndarray  # per pair: body id
    y: np.ndarray  # per pair: index into FNC_CLASSES


def load_fnc(root: Path, bodies_file: str = "train_bodies.csv", stances_file: str = "train_stances.csv") -> FncData:
    """FNC-1 (or a corpus in its format, such as ARC: ``arc_bodies.csv``, ``arc_stances_train.csv``)."""
    bodies: dict[int, str] = {}
    rows: list[tuple[str, int, str]] = []
    try:
        csv.field_size_limit(sys.maxsize)
        with (root / bodies_file).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                bodies[int(row["Body ID"])] = row["articleBody"]
        with (root / stances_file).open(encoding="utf-8", newline="") as fh:
            rows = [(r["Headline"], int(r["Body ID"]), r["Stance"]) for r in csv.DictReader(fh)]
    except (OSError, KeyError, ValueError, csv.Error) as exc:
        raise ConfigError(f"cannot read FNC-1 ({type(exc).__name__}: {exc})", source=str(root)) from exc
    bad = [(b, s) for _, b, s in rows if b not in bodies or s not in FNC_CLASSES]
    if bad:
        raise ConfigError(f"{len(bad)} FNC-1 pairs with an unknown body or stance, e.g. {bad[0]}", source=str(root))
    headlines = sorted({h for h, _, _ in rows})
    index = {h: i for i, h in enumerate(headlines)}
    return FncData(bodies, headlines, np.array([index[h] for h, _, _ in rows]), np.array([b for _, b, _ in rows]),
                   np.array([FNC_CLASSES.index(s) for _, _, s in rows]))


def _hashed(key: str) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 100 < HELD_OUT_PERCENT


def split(data: FncData, how: str = "bodies") -> tuple[np.ndarray, np.ndarray]:
    """(train, held-out) masks over pairs; ``how`` is "bodies" or "claims" (see the module docstring)."""
    if how == "bodies":
        held = np.array([_hashed(f"fnc1-body-{b}") for b in data.body])
        return ~held, held
    if how != "claims":
        raise ValueError(f"unknown split {how!r}")
    body_group, head_group = claim_groups(data)
    held_group = {g: _hashed(f"fnc1-claim-{g}") for g in set(body_group.tolist())}
    body_held = np.array([held_group[g] for g in body_group])
    head_held = np.array([held_group.get(g, False) for g in head_group])
    return ~body_held & ~head_held, body_held & head_held


def claim_groups(data: FncData) -> tuple[np.ndarray, np.ndarray]:
    """Per pair, the claim group of its body and of its headline: the connected parts of the
    graph whose edges are FNC's related pairs, each named by its smallest body id (-1: a headline
    with no related body)."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for h, b, y in zip(data.head, data.body, data.y, strict=True):
        if y != UNRELATED:
            parent[find(f"h{h}")] = find(f"b{b}")
    name: dict[str, int] = {}
    for b in sorted(data.bodies):
        name.setdefault(find(f"b{b}"), b)
    return (np.array([name[find(f"b{b}")] for b in data.body]),
            np.array([name.get(find(f"h{h}"), -1) for h in data.head]))


# -- inputs -------------------------------------------------------------------------------------


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "narrascope" / "embeddings"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only home: the cache only saves time
        path = Path(tempfile.gettempdir()) / "narrascope-embeddings"
        path.mkdir(parents=True, exist_ok=True)
    return path


def cached_embeddings(embedder: Embedder, texts: list[str], use_cache: bool = True) -> np.ndarray:
    """Embeddings of ``texts``, kept outside the repo, keyed by the embedder and the exact texts."""
    digest = hashlib.sha256("\0".join([embedder.name, str(embedder.dim), *texts]).encode()).hexdigest()
    path = cache_dir() / f"{embedder.name}-{digest[:20]}.npy"
    if use_cache and path.is_file():
        return np.load(path)
    vectors = embedder.embed(texts)
    if use_cache:
        np.save(path, vectors)
    return vectors


@dataclass
class Inputs:
    """Every pair's model inputs, as :func:`.stance.pair_inputs` makes them at run time."""

    features: np.ndarray  # (n, PAIR_FEATURES)
    sentences: np.ndarray  # (n, TOP, sentence inputs), zero rows past ``counts``
    counts: np.ndarray  # (n,) sentences kept per pair (TOP, or fewer for a short body)
    text: np.ndarray  # (n, text inputs)
    heads: np.ndarray  # (n,) index into head_vectors
    head_vectors: np.ndarray  # (headlines, dim); rows of headlines not built are zero

    def pair(self, i: int) -> PairInputs:
        n = int(self.counts[i])
        return PairInputs(self.features[i], np.arange(n), np.zeros(n), self.sentences[i, :n], self.text[i],
                          self.head_vectors[self.heads[i]])


def build_inputs(data: FncData, embedder: Embedder, rows: np.ndarray | None = None, use_cache: bool = True,
                 say: Callable[[str], object] = print) -> Inputs:
    """Inputs of the pairs ``rows`` (default: all); bodies and headlines are embedded once, cached."""
    rows = np.arange(len(data.y)) if rows is None else np.flatnonzero(rows) if rows.dtype == bool else rows
    ids = sorted({int(b) for b in data.body[rows]})
    spans = {b: split_sentences(data.bodies[b]) for b in ids}
    sentences = [data.bodies[b][s:e] for b in ids for s, e in spans[b]]
    heads = sorted({int(h) for h in data.head[rows]})
    start = time.perf_counter()
    say(f"embedding {len(sentences):,} sentences of {len(ids):,} bodies and {len(heads):,} headlines "
        f"(cached in {cache_dir()})")
    vectors = cached_embeddings(embedder, sentences, use_cache)
    head_vectors = cached_embeddings(embedder, [data.headlines[h] for h in heads], use_cache)
    texts, pos = {}, 0
    for b in ids:
        texts[b] = prepare_text(data.bodies[b], spans[b], vectors[pos:pos + len(spans[b])])
        pos += len(spans[b])
    claims = {h: prepare_claim(data.headlines[h], v) for h, v in zip(heads, head_vectors, strict=True)}
    say(f"embedded and prepared in {time.perf_counter() - start:.0f}s; computing pair inputs")
    first = pair_inputs(claims[int(data.head[rows[0]])], texts[int(data.body[rows[0]])])
    all_heads = np.zeros((len(data.headlines), embedder.dim), np.float32)
    all_heads[heads] = head_vectors
    out = Inputs(np.zeros((len(rows), len(first.features)), np.float32),
                 np.zeros((len(rows), TOP, first.sentences.shape[1]), np.float32),
                 np.zeros(len(rows), np.int64), np.zeros((len(rows), len(first.text)), np.float32),
                 data.head[rows].copy(), all_heads)
    for j, i in enumerate(rows):
        x = pair_inputs(claims[int(data.head[i])], texts[int(data.body[i])])
        n = min(len(x.rows), TOP)
        out.features[j], out.text[j], out.counts[j] = x.features, x.text, n
        out.sentences[j, :n] = x.sentences[:n]
    return out


# -- fitting ------------------------------------------------------------------------------------


def _standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    return mean.astype(np.float32), scale.astype(np.float32)


def _sentence_rows(inputs: Inputs, y: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Training rows of the sentence model: the closest sentences of related pairs, each labelled
    with its pair's stance (a weak label: FNC labels pairs, not sentences)."""
    rows = rows[y[rows] != UNRELATED]
    mask = np.arange(TOP)[None, :] < inputs.counts[rows, None]
    return inputs.sentences[rows][mask], np.repeat(y[rows], inputs.counts[rows])


def _fit_sentence(inputs: Inputs, y: np.ndarray, rows: np.ndarray, recipe: dict):
    from sklearn.linear_model import LogisticRegression

    x, labels = _sentence_rows(inputs, y, rows)
    mean, scale = _standardiser(x)
    fit = LogisticRegression(C=recipe["sentence_C"], max_iter=1000, class_weight=recipe["class_weight"])
    return dense_from_sklearn(fit.fit((x - mean) / scale, labels), mean, scale)


def _fit_text(inputs: Inputs, y: np.ndarray, rows: np.ndarray, recipe: dict):
    from sklearn.neural_network import MLPClassifier

    rows = rows[y[rows] != UNRELATED]
    x = inputs.text[rows]
    mean, scale = _standardiser(x)
    fit = MLPClassifier(hidden_layer_sizes=(recipe["text_hidden"],), alpha=recipe["text_alpha"], max_iter=200,
                        early_stopping=True, random_state=0)
    return dense_from_sklearn(fit.fit((x - mean) / scale, y[rows]), mean, scale)


def memory_of(inputs: Inputs, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The claim vectors the sentence and text models learn from when trained on ``rows``: those
    of related pairs, rounded as the model file stores them."""
    heads = np.unique(inputs.heads[rows[y[rows] != UNRELATED]])
    return inputs.head_vectors[heads].astype(np.float16).astype(np.float32)


def stacked(inputs: Inputs, rows: np.ndarray, sentence, text, memory: np.ndarray) -> np.ndarray:
    """The pair model's input for ``rows``: pair features, sentence aggregates, text model output,
    familiarity of the claim to ``memory``."""
    counts = inputs.counts[rows]
    mask = np.arange(TOP)[None, :] < counts[:, None]
    flat = sentence.proba(inputs.sentences[rows][mask])
    per_pair = np.split(flat, np.cumsum(counts)[:-1])
    known = familiarity(inputs.head_vectors[inputs.heads[rows]], memory)
    return np.hstack([inputs.features[rows], np.vstack([aggregate(p) for p in per_pair]),
                      text.proba(inputs.text[rows]), known[:, None]]).astype(np.float32)


def fit(data: FncData, inputs: Inputs, train: np.ndarray, embedder: Embedder, recipe: dict | None = None,
        say: Callable[[str], object] = print) -> StanceModel:
    """Train on the pairs ``train`` (a mask over ``data``; ``inputs`` holds every pair)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold

    recipe = {**RECIPE, **(recipe or {})}
    rows = np.flatnonzero(train)
    y = data.y
    start = time.perf_counter()
    # The pair model sees the first two models' out-of-fold outputs twice: with folds by body the
    # claim was among those they learned (familiarity near 1), with folds by claim group it was not.
    parts = []
    for name, groups in (("bodies", data.body), ("claims", claim_groups(data)[0])):
        x = np.zeros((len(rows), inputs.features.shape[1] + len(AGGREGATES) + len(TEXT_OUTPUTS) + 1), np.float32)
        for k, (a, b) in enumerate(GroupKFold(recipe["folds"]).split(rows, groups=groups[rows])):
            sentence = _fit_sentence(inputs, y, rows[a], recipe)
            text = _fit_text(inputs, y, rows[a], recipe)
            x[b] = stacked(inputs, rows[b], sentence, text, memory_of(inputs, y, rows[a]))
            say(f"  folds by {name} {k + 1}/{recipe['folds']}: {time.perf_counter() - start:.0f}s")
        parts.append(x)
    trees = HistGradientBoostingClassifier(
        learning_rate=recipe["trees_learning_rate"], max_iter=recipe["trees_iterations"],
        max_leaf_nodes=recipe["trees_leaves"], class_weight=recipe["class_weight"], early_stopping=False,
        random_state=0,
    ).fit(np.vstack(parts), np.tile(y[rows], len(parts)))
    sentence = _fit_sentence(inputs, y, rows, recipe)
    text = _fit_text(inputs, y, rows, recipe)
    say(f"  trained in {time.perf_counter() - start:.0f}s")
    counts = {FNC_CLASSES[k]: int((y[rows] == k).sum()) for k in range(len(FNC_CLASSES))}
    meta = {"trained": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "recipe": recipe,
            "rows": {"pairs": len(rows), "bodies": len(set(data.body[rows].tolist())), "labels": counts},
            "training_seconds": round(time.perf_counter() - start, 1)}
    memory = memory_of(inputs, y, rows)
    return StanceModel(sentence, text, trees_from_sklearn(trees), memory, embedder.name, embedder.dim, meta)


# -- scoring ------------------------------------------------------------------------------------


def predict_inputs(model: StanceModel, inputs: Inputs, rows: np.ndarray | None = None) -> np.ndarray:
    """Label probabilities (LABELS order) of pairs ``rows`` through the model's run-time path."""
    rows = np.arange(len(inputs.counts)) if rows is None else rows
    out = [model.combine([inputs.pair(int(i)) for i in chunk]) for chunk in np.array_split(rows, max(1, len(rows) // 2048))]
    return np.vstack([p for part in out for p, _ in part]) if len(rows) else np.zeros((0, len(LABELS)))


def fnc_score(y: np.ndarray, p: np.ndarray) -> float:
    """FNC-1's relative score in percent: .25 for related-vs-unrelated right, .75 more for the right
    related label, over the best possible total."""
    y, p = np.asarray(y), np.asarray(p)
    related = y != UNRELATED
    got = 0.25 * np.sum(related == (p != UNRELATED)) + 0.75 * np.sum(related & (y == p))
    best = 0.25 * len(y) + 0.75 * related.sum()
    return float(100 * got / best) if best else 0.0


def confusion(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Rows: gold FNC class; columns: predicted."""
    out = np.zeros((len(FNC_CLASSES), len(FNC_CLASSES)), dtype=np.int64)
    np.add.at(out, (np.asarray(y), np.asarray(p)), 1)
    return out


def class_f1(matrix: np.ndarray) -> np.ndarray:
    tp = np.diag(matrix).astype(float)
    precision = np.divide(tp, matrix.sum(axis=0), out=np.zeros_like(tp), where=matrix.sum(axis=0) > 0)
    recall = np.divide(tp, matrix.sum(axis=1), out=np.zeros_like(tp), where=matrix.sum(axis=1) > 0)
    total = precision + recall
    return np.divide(2 * precision * recall, total, out=np.zeros_like(tp), where=total > 0)


def figures(y: np.ndarray, p: np.ndarray) -> dict:
    matrix = confusion(y, p)
    f1 = class_f1(matrix)
    return {"relative_score": round(fnc_score(y, p), 2), "macro_f1": round(float(f1.mean()), 4),
            "f1": {FNC_CLASSES[k]: round(float(f1[k]), 4) for k in range(len(FNC_CLASSES))},
            "accuracy": round(float(np.mean(np.asarray(y) == np.asarray(p))), 4), "pairs": len(y),
            "confusion": matrix.tolist()}


def describe(fig: dict) -> list[str]:
    """The figures as printed lines: headline numbers, per-class F1, confusion matrix."""
    lines = [f"relative score {fig['relative_score']:.2f}  macro-F1 {fig['macro_f1']:.4f}  "
             f"accuracy {fig['accuracy']:.4f}  ({fig['pairs']:,} pairs)",
             "F1 per class: " + "  ".join(f"{k} {v:.4f}" for k, v in fig["f1"].items()),
             "confusion (rows gold, columns predicted):",
             "             " + "".join(f"{c:>11}" for c in FNC_CLASSES)]
    for name, row in zip(FNC_CLASSES, fig["confusion"], strict=True):
        lines.append(f"  {name:<11}" + "".join(f"{v:>11,}" for v in row))
    return lines
