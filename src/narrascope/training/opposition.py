"""Fitting the opposition head (:mod:`narrascope.link.opposition`): data, features and the fit.

Positives are pairs holding opposed positions on one question; negatives are pairs on one question
that agree, or say different things about it:

* Perspectrum (debate claims and perspectives): a perspective that undermines its claim, and two
  perspectives of one claim on opposite sides, are opposed; one that supports it, and two on the
  same side, are not. Claims in the file's ``test`` split are left out (kept for a later check).
* FNC-1 same-body pairs (:func:`~narrascope.training.pairs.fnc_same_body`): two sentences of one
  news report, about one story, stating different facts: not opposed.
* Climate-FEVER: evidence refuting a claim is opposed, evidence supporting it is not.
* The audit's tuning events (``audits/relations.jsonl``, :func:`~narrascope.bench.audit.audit_split`):
  ``contradicts`` is opposed, every other label is not. The reporting events are never read here.

Features come from the run-time path (:func:`~narrascope.link.views.judge_texts`: the same views,
vectors and relation model readings ``narrascope relate`` makes), so the head learns what it will
be given.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..link.opposition import FEATURES, opposition_features
from ..link.relate import NEUTRAL
from . import pairs as pd


@dataclass(frozen=True, slots=True)
class OpposedPair:
    a: str
    b: str
    opposed: int
    group: str  # folds are cut by group: one claim, one story, one audit event
    source: str


def perspectrum(root: Path, limit: int = 1200, seed: int = 7) -> list[OpposedPair]:
    """Claim-perspective and perspective-perspective pairs of Perspectrum's train and dev claims."""
    folder = root / "perspectrum"
    claims = json.loads((folder / "perspectrum_with_answers_v1.0.json").read_text(encoding="utf-8"))
    pool = {p["pId"]: p["text"] for p in json.loads((folder / "perspective_pool_v1.0.json").read_text(encoding="utf-8"))}
    split = json.loads((folder / "dataset_split_v1.0.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    out: list[OpposedPair] = []
    for claim in claims:
        if split.get(str(claim["cId"])) == "test":
            continue
        group = f"perspectrum:{claim['cId']}"
        sides = [(p["pids"][0], p["stance_label_3"]) for p in claim["perspectives"]
                 if p["pids"] and p["pids"][0] in pool and p["stance_label_3"] in ("SUPPORT", "UNDERMINE")]
        for pid, stance in sides:
            out.append(OpposedPair(claim["text"], pool[pid], int(stance == "UNDERMINE"), group, "perspectrum:claim"))
        if len(sides) >= 2:
            (p1, s1), (p2, s2) = rng.sample(sides, 2)
            out.append(OpposedPair(pool[p1], pool[p2], int(s1 != s2), group, "perspectrum:pair"))
    rng.shuffle(out)
    return out[:limit]


def same_body(root: Path, limit: int = 600) -> list[OpposedPair]:
    return [OpposedPair(p.a, p.b, 0, p.group, "fnc:same-body") for p in pd.fnc_same_body(root, limit)]


def climate(root: Path, limit: int = 600, seed: int = 7) -> list[OpposedPair]:
    rows = [p for p in pd.climate_fever(root / "pairs") if p.label != "neutral"]
    random.Random(seed).shuffle(rows)
    return [OpposedPair(p.a, p.b, int(p.label == "contradiction"), p.group, "climate-fever") for p in rows[:limit]]


def audit(rows: Sequence[dict]) -> list[OpposedPair]:
    """The audit's pairs (tuning events only: the caller passes ``audit_rows(..., "tune")``)."""
    return [OpposedPair(r["a"], r["b"], int(r["label"] == "contradicts"), "audit:" + (r.get("a_event") or ""),
                        "audit") for r in rows]


def features(pairs: Sequence[OpposedPair], model, embed, batch: int = 400,
             echo: Callable[[str], None] = lambda _: None) -> np.ndarray:
    """(n, len(FEATURES)) features of each pair, as the relation decision computes them."""
    from ..link.views import judge_texts

    out = np.zeros((len(pairs), len(FEATURES)), dtype=np.float32)
    for lo in range(0, len(pairs), batch):
        part = pairs[lo : lo + batch]
        judged = judge_texts([(p.a, p.b) for p in part], model, embed)
        n = len(part)
        readings = []
        for i in range(n):
            j = judged.judged.get(i)
            readings.append((j.forward, j.backward) if j is not None else (NEUTRAL, NEUTRAL))
        out[lo : lo + n] = opposition_features(model, [(judged.views[i], judged.views[n + i]) for i in range(n)],
                                               readings, [float(s) for s in judged.similarity])
        echo(f"features: {min(lo + batch, len(pairs))}/{len(pairs)} pairs")
    return out


@dataclass(frozen=True, slots=True)
class Fit:
    weights: np.ndarray  # on raw features (the standardisation folded in)
    bias: float


def fit(x: np.ndarray, y: np.ndarray, c: float = 1.0, weight: np.ndarray | None = None,
        balanced: bool = True) -> Fit:
    """An L2 logistic regression (scikit-learn), with the standardisation folded into the weights."""
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=2000)
    model.fit((x - mean) / scale, y, sample_weight=weight)
    w = model.coef_[0] / scale
    return Fit(w.astype(np.float32), float(model.intercept_[0] - (mean * model.coef_[0] / scale).sum()))


def predict(f: Fit, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(x @ f.weights + f.bias)))


def grouped_oof(x: np.ndarray, y: np.ndarray, groups: Sequence[str], train: np.ndarray, scored: np.ndarray,
                c: float = 1.0, weight: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold probabilities for the rows in ``scored``: each group of them is predicted by a
    head fitted on the ``train`` rows outside that group (leave one group out)."""
    out = np.full(len(y), np.nan)
    groups = np.asarray(groups)
    for g in sorted(set(groups[scored])):
        held = scored & (groups == g)
        use = train & (groups != g)
        f = fit(x[use], y[use], c, None if weight is None else weight[use])
        out[held] = predict(f, x[held])
    return out
