"""How well the check-worthiness model ranks and classifies sentences, measured in this run.

(a) Leave-one-debate-out on the 19 CLEF-2019 CheckThat! training debates: for each debate, the
    recipe is trained on ClaimBuster kfold_25ncs plus the other 18 debates and ranks the held-out
    debate's lines; MAP, reciprocal rank, R-precision and P@k are averaged over debates, the task's
    own metrics. The task's best published MAP (.1660) is on its 7 official test debates, which we
    do not have, so the two figures are on different debates and only roughly comparable.
(b) 4-fold stratified cross-validation on ClaimBuster kfold_25ncs, with all CLEF debates added to
    each training fold as the shipped recipe does; F1 of the check-worthy class at score >= 0.5.

ClaimBuster's sentences come from US presidential debates, three of which are also CLEF debates.
A training sentence that also occurs in the held-out text is dropped from that fold, so no fold
is scored on a sentence it was trained on.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
import numpy as np

from ..embeddings import Embedder, USEEmbedder
from ..enrich.checkworthy import CheckworthinessModel, features, train
from . import dataset_dir, datasets_root

CLAIMBUSTER_FILE = Path("data") / "two_class" / "kfold_25ncs.json"
CLEF_FOLDER = Path("data") / "training"
PUBLISHED_MAP = 0.1660  # Copenhagen, primary run, CLEF-2019 Task 1 test set (dataset README)

# The shipped recipe. Chosen by LODO MAP (see `--compare` and models/README.md): the ClaimBuster
# model alone, the CLEF model alone, CLEF's logit at weight 0.25 or 1.0, and C of 0.003 or 0.03
# all ranked CLEF lines worse.
RECIPE: dict = {"C": 0.01, "mix": {"claimbuster": 1.0, "clef2019": 0.5}, "calibrate_on": "claimbuster"}
VARIANTS: dict[str, dict] = {
    "shipped recipe": RECIPE,
    "claimbuster only": {**RECIPE, "mix": {"claimbuster": 1.0, "clef2019": 0.0}},
    "clef only": {**RECIPE, "mix": {"claimbuster": 0.0, "clef2019": 1.0}},
    "clef weight 0.25": {**RECIPE, "mix": {"claimbuster": 1.0, "clef2019": 0.25}},
    "clef weight 1.0": {**RECIPE, "mix": {"claimbuster": 1.0, "clef2019": 1.0}},
    "C=0.003": {**RECIPE, "C": 0.003},
    "C=0.03": {**RECIPE, "C": 0.03},
}


# -- ranking metrics (CLEF-2019 Task 1 definitions) ---------------------------------------------


def _ranked(labels: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Labels in descending score order; ties keep input order, as a stable sort of the lines."""
    return np.asarray(labels)[np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")]


def average_precision(labels: np.ndarray, scores: np.ndarray) -> float:
    ranked = _ranked(labels, scores)
    hits = np.flatnonzero(ranked)
    if not len(hits):
        return 0.0
    return float(np.mean(np.arange(1, len(hits) + 1) / (hits + 1)))


def reciprocal_rank(labels: np.ndarray, scores: np.ndarray) -> float:
    hits = np.flatnonzero(_ranked(labels, scores))
    return 1.0 / (hits[0] + 1) if len(hits) else 0.0


def r_precision(labels: np.ndarray, scores: np.ndarray) -> float:
    """Precision at rank R, R being the number of check-worthy lines."""
    r = int(np.sum(labels))
    return float(np.sum(_ranked(labels, scores)[:r])) / r if r else 0.0


def precision_at(labels: np.ndarray, scores: np.ndarray, k: int) -> float:
    return float(np.sum(_ranked(labels, scores)[:k])) / k


RANK_METRICS = ("AP", "RR", "R-P", "P@5", "P@10", "P@20")


def ranking_metrics(labels: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    return {
        "AP": average_precision(labels, scores),
        "RR": reciprocal_rank(labels, scores),
        "R-P": r_precision(labels, scores),
        **{f"P@{k}": precision_at(labels, scores, k) for k in (5, 10, 20)},
    }


def binary_metrics(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Precision, recall and F1 of the positive class, and macro-F1 over both classes."""

    def prf(pos: int) -> tuple[float, float, float]:
        tp = int(np.sum((predicted == pos) & (labels == pos)))
        p = tp / max(int(np.sum(predicted == pos)), 1)
        r = tp / max(int(np.sum(labels == pos)), 1)
        return p, r, 2 * p * r / (p + r) if p + r else 0.0

    p, r, f1 = prf(1)
    return {"F1": f1, "P": p, "R": r, "macro-F1": (f1 + prf(0)[2]) / 2}


# -- data ---------------------------------------------------------------------------------------


@dataclass
class Corpus:
    """ClaimBuster sentences, then every CLEF line debate by debate, with their features."""

    cb_texts: list[str]
    cb_labels: np.ndarray
    debates: list[str]
    clef_texts: list[str]
    clef_labels: np.ndarray
    clef_debate: np.ndarray  # index into `debates` for each CLEF line
    x: np.ndarray = field(repr=False)  # features() of cb_texts + clef_texts
    # for each ClaimBuster sentence, the CLEF lines that contain it (the shared 2016 debates)
    cb_in_clef: list[list[int]] = field(repr=False)

    @property
    def n_cb(self) -> int:
        return len(self.cb_texts)


def load_claimbuster(folder: Path) -> tuple[list[str], np.ndarray]:
    records = json.loads((folder / CLAIMBUSTER_FILE).read_text(encoding="utf-8"))
    return [r["text"] for r in records], np.array([int(r["label"]) for r in records])


def load_clef(folder: Path) -> list[tuple[str, list[str], np.ndarray]]:
    """(debate name, line texts, labels) per debate; the speaker column is never read."""
    debates = []
    for path in sorted((folder / CLEF_FOLDER).glob("*.tsv")):
        rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        debates.append((path.stem, [r[2] for r in rows], np.array([int(r[3]) for r in rows])))
    return debates


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def containing_lines(needles: list[str], lines: list[str], min_chars: int = 15) -> list[list[int]]:
    """For each needle, the lines that contain it as whole words (case and punctuation ignored).

    Needles shorter than ``min_chars`` ("Thank you.") are skipped: they are in every debate and
    say nothing about where a sentence came from.
    """
    normed = [_norm(line) for line in lines]
    starts, pos = [], 1
    for line in normed:
        starts.append(pos)
        pos += len(line) + 3
    hay = " " + " \n ".join(normed) + " "
    out = []
    for needle in needles:
        found: list[int] = []
        key = _norm(needle)
        if len(key) >= min_chars:
            key = f" {key} "
            at = hay.find(key)
            while at >= 0:
                found.append(bisect.bisect_right(starts, at + 1) - 1)
                at = hay.find(key, at + 1)
        out.append(found)
    return out


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
    """Embeddings of ``texts``, kept outside the repo keyed by the embedder and the exact texts."""
    digest = hashlib.sha256("\0".join([embedder.name, str(embedder.dim), *texts]).encode()).hexdigest()
    path = cache_dir() / f"{embedder.name}-{digest[:20]}.npy"
    if use_cache and path.is_file():
        return np.load(path)
    vectors = embedder.embed(texts)
    if use_cache:
        np.save(path, vectors)
    return vectors


def load_corpus(root: Path, embedder: Embedder, use_cache: bool = True, say=print) -> Corpus:
    cb_dir = dataset_dir("claimbuster", str(root / "claimbuster"))
    clef_dir = dataset_dir("clef2019-checkthat", str(root / "clef2019-checkthat"))
    cb_texts, cb_labels = load_claimbuster(cb_dir)
    debates = load_clef(clef_dir)
    clef_texts = [t for _, texts, _ in debates for t in texts]
    start = time.perf_counter()
    emb = cached_embeddings(embedder, cb_texts + clef_texts, use_cache)
    say(f"embedded {len(emb)} sentences with {embedder.name} in {time.perf_counter() - start:.1f}s")
    return Corpus(
        cb_texts=cb_texts,
        cb_labels=cb_labels,
        debates=[name for name, _, _ in debates],
        clef_texts=clef_texts,
        clef_labels=np.concatenate([labels for _, _, labels in debates]),
        clef_debate=np.concatenate([np.full(len(t), i) for i, (_, t, _) in enumerate(debates)]),
        x=features(cb_texts + clef_texts, emb),
        cb_in_clef=containing_lines(cb_texts, clef_texts),
    )


def fit(
    corpus: Corpus, cb_rows: np.ndarray, clef_rows: np.ndarray, recipe: dict, embedder: Embedder
) -> CheckworthinessModel:
    """The recipe trained on the given ClaimBuster and CLEF rows (boolean masks)."""
    rows = np.concatenate([cb_rows, clef_rows])
    labels = np.concatenate([corpus.cb_labels[cb_rows], corpus.clef_labels[clef_rows]])
    sources = ["claimbuster"] * int(cb_rows.sum()) + ["clef2019"] * int(clef_rows.sum())
    # A set weighted 0 adds nothing to the sum; leave it out rather than fit it for nothing.
    keep = np.array([recipe["mix"].get(s, 1.0) != 0 for s in sources])
    return train(
        texts=[""] * int(keep.sum()),
        labels=labels[keep],
        embeddings=corpus.x[rows][keep, : embedder.dim],
        embedder=embedder,
        sources=[s for s, k in zip(sources, keep, strict=True) if k],
        mix=recipe["mix"],
        calibrate_on=recipe["calibrate_on"] if recipe["mix"].get(recipe["calibrate_on"], 1.0) else None,
        C=recipe["C"],
        precomputed=corpus.x[rows][keep],
    )


# -- evaluations --------------------------------------------------------------------------------


def leave_one_debate_out(corpus: Corpus, recipe: dict, embedder: Embedder) -> list[dict[str, float]]:
    """Ranking metrics of each CLEF debate, scored by a model that never saw it."""
    results = []
    for d in range(len(corpus.debates)):
        held = corpus.clef_debate == d
        cb_rows = np.array([not any(held[j] for j in lines) for lines in corpus.cb_in_clef])
        model = fit(corpus, cb_rows, ~held, recipe, embedder)
        scores = model.score_features(corpus.x[corpus.n_cb :][held])
        results.append(ranking_metrics(corpus.clef_labels[held], scores))
    return results


def cross_validate(
    corpus: Corpus, recipe: dict, embedder: Embedder, folds: int = 4, seed: int = 0
) -> list[dict[str, float]]:
    """Binary metrics at score >= 0.5 on each ClaimBuster fold; training adds all CLEF lines."""
    from sklearn.model_selection import StratifiedKFold  # benchmark-time only

    results = []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(np.zeros(corpus.n_cb), corpus.cb_labels):
        cb_rows = np.zeros(corpus.n_cb, dtype=bool)
        cb_rows[train_idx] = True
        clef_rows = np.ones(len(corpus.clef_texts), dtype=bool)
        for i in test_idx:
            clef_rows[corpus.cb_in_clef[i]] = False
        model = fit(corpus, cb_rows, clef_rows, recipe, embedder)
        scores = model.score_features(corpus.x[test_idx])
        results.append(binary_metrics(corpus.cb_labels[test_idx], (scores >= 0.5).astype(int)))
    return results


def mean_of(results: list[dict[str, float]]) -> dict[str, float]:
    return {k: float(np.mean([r[k] for r in results])) for k in results[0]}


def evaluate(corpus: Corpus, embedder: Embedder, say=print, compare: bool = False) -> dict[str, float]:
    """Run (a) and (b) for the shipped recipe, print them, return the headline figures."""
    start = time.perf_counter()
    lodo = leave_one_debate_out(corpus, RECIPE, embedder)
    say(
        f"(a) CLEF-2019 leave-one-debate-out, {len(lodo)} training debates ({time.perf_counter() - start:.0f}s)"
    )
    say(f"    trained on ClaimBuster kfold_25ncs + the other {len(lodo) - 1} debates; recipe {RECIPE}")
    for name, r in zip(corpus.debates, lodo, strict=True):
        say(f"    {name:<28} " + " ".join(f"{k}={r[k]:.4f}" for k in RANK_METRICS))
    a = mean_of(lodo)
    say("    mean                         " + " ".join(f"{k}={a[k]:.4f}" for k in RANK_METRICS))
    say(
        f"    MAP {a['AP']:.4f} (LODO on training debates) vs published best {PUBLISHED_MAP:.4f} "
        "(official test debates, not available here): different debates, a rough comparison only"
    )
    start = time.perf_counter()
    cv = cross_validate(corpus, RECIPE, embedder)
    b = mean_of(cv)
    say(f"(b) ClaimBuster kfold_25ncs 4-fold stratified CV, seed 0 ({time.perf_counter() - start:.0f}s)")
    say(
        "    each fold trained on 3 ClaimBuster folds + all 19 CLEF debates (minus lines holding a test sentence)"
    )
    for i, r in enumerate(cv):
        say(f"    fold {i + 1}  " + " ".join(f"{k}={v:.4f}" for k, v in r.items()))
    say(
        "    mean    "
        + " ".join(f"{k}={v:.4f}" for k, v in b.items())
        + "  (check-worthy class, score >= 0.5)"
    )
    if compare:
        say("(c) variants, LODO MAP / ClaimBuster CV F1:")
        for name, recipe in VARIANTS.items():
            m = mean_of(leave_one_debate_out(corpus, recipe, embedder))["AP"]
            f = mean_of(cross_validate(corpus, recipe, embedder))["F1"]
            say(f"    {name:<20} MAP={m:.4f} F1={f:.4f}  {recipe}")
    return {
        "clef_lodo_map": a["AP"],
        "clef_lodo_mrr": a["RR"],
        "clef_lodo_r_precision": a["R-P"],
        "clef_lodo_p_at_10": a["P@10"],
        "claimbuster_cv_f1": b["F1"],
        "claimbuster_cv_macro_f1": b["macro-F1"],
    }


@click.command("checkworthy")
@click.option(
    "--data",
    default=None,
    metavar="DIR",
    help="folder holding claimbuster/ and clef2019-checkthat/ [default: shared datasets]",
)
@click.option("--cache/--no-cache", default=True, help="keep embeddings in ~/.cache/narrascope between runs")
@click.option("--compare", is_flag=True, help="also measure the variants the recipe was chosen against")
def command(data: str | None, cache: bool, compare: bool) -> None:
    """Check-worthiness: CLEF-2019 leave-one-debate-out ranking and ClaimBuster cross-validation."""
    root = datasets_root(data)
    embedder = USEEmbedder()
    corpus = load_corpus(root, embedder, cache, say=click.echo)
    click.echo(
        f"claimbuster: {corpus.n_cb} sentences, {int(corpus.cb_labels.sum())} check-worthy; "
        f"clef2019: {len(corpus.debates)} debates, {len(corpus.clef_texts)} lines, "
        f"{int(corpus.clef_labels.sum())} check-worthy"
    )
    figures = evaluate(corpus, embedder, say=click.echo, compare=compare)
    click.echo(f"checkworthy: clef_map={figures['clef_lodo_map']:.4f}")
