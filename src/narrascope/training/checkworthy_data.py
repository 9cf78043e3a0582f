"""The labelled sentences of the check-worthiness benchmark, and the features of each model.

ClaimBuster kfold_25ncs and the 19 CLEF-2019 training debates are read once into a
:class:`Corpus`; its ``features`` object says how a model is trained and scored on its rows:
:class:`UseFeatures` (USE embedding + hand features, the model of :mod:`..enrich.checkworthy`)
or :class:`ParseFeatures` (spaCy parse features, :mod:`..enrich.checkworthy_parse`). Both kinds of
features are kept in ``~/.cache/narrascope`` keyed by the model and the exact texts, so a second
run does not embed or parse again.
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
from typing import Any, Protocol

import numpy as np

from ..bench import dataset_dir
from ..embeddings import Embedder
from ..enrich import checkworthy as use_model
from ..enrich import checkworthy_parse as parse_model
from . import checkworthy as fitting

CLAIMBUSTER_FILE = Path("data") / "two_class" / "kfold_25ncs.json"
CLEF_FOLDER = Path("data") / "training"


class Features(Protocol):
    name: str

    def fit(self, corpus: Corpus, rows: np.ndarray, labels: np.ndarray, sources: list[str], recipe: dict): ...

    def score(self, model, corpus: Corpus, rows: np.ndarray) -> np.ndarray: ...


@dataclass
class Corpus:
    """ClaimBuster sentences, then every CLEF line debate by debate, with their features."""

    cb_texts: list[str]
    cb_labels: np.ndarray
    debates: list[str]
    clef_texts: list[str]
    clef_labels: np.ndarray
    clef_debate: np.ndarray  # index into `debates` for each CLEF line
    # for each ClaimBuster sentence, the CLEF lines that contain it (the shared 2016 debates)
    cb_in_clef: list[list[int]] = field(repr=False)
    x: np.ndarray = field(default=None, repr=False)  # dense features of cb_texts + clef_texts
    words: Any = field(default=None, repr=False)  # parse features: hashed words, sparse (n, BOW_DIM)
    features: Features | None = None

    @property
    def n_cb(self) -> int:
        return len(self.cb_texts)

    @property
    def texts(self) -> list[str]:
        return self.cb_texts + self.clef_texts


class UseFeatures:
    """USE embedding + hand features; :func:`.checkworthy.train`."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.name = f"USE ({embedder.name})"

    def fit(self, corpus: Corpus, rows: np.ndarray, labels: np.ndarray, sources: list[str], recipe: dict):
        return fitting.train(
            texts=[""] * len(rows),
            labels=labels,
            embeddings=corpus.x[rows, : self.embedder.dim],
            embedder=self.embedder,
            sources=sources,
            mix=recipe["mix"],
            calibrate_on=recipe["calibrate_on"],
            C=recipe["C"],
            precomputed=corpus.x[rows],
        )

    def score(self, model, corpus: Corpus, rows: np.ndarray) -> np.ndarray:
        return model.score_features(corpus.x[rows])


class ParseFeatures:
    """spaCy parse features; :func:`.checkworthy.train_parse`."""

    def __init__(self, pipeline: tuple[str, str, int]) -> None:
        self.pipeline = pipeline
        self.name = f"parse ({pipeline[0]} {pipeline[1]})"

    def fit(self, corpus: Corpus, rows: np.ndarray, labels: np.ndarray, sources: list[str], recipe: dict):
        return fitting.train_parse(
            corpus.x[rows],
            corpus.words[rows],
            labels,
            pipeline=self.pipeline,
            sources=sources,
            mix=recipe["mix"],
            calibrate_on=recipe["calibrate_on"],
            C=recipe["C"],
            word_scale=recipe.get("word_scale", fitting.DEFAULT_WORD_SCALE),
        )

    def score(self, model, corpus: Corpus, rows: np.ndarray) -> np.ndarray:
        return model.score_matrix(corpus.x[rows], corpus.words[rows])


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


def cache_dir(kind: str = "embeddings") -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "narrascope" / kind
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only home: the cache only saves time
        path = Path(tempfile.gettempdir()) / f"narrascope-{kind}"
        path.mkdir(parents=True, exist_ok=True)
    return path


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


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


def cached_parse_features(nlp, texts: list[str], use_cache: bool = True) -> tuple[np.ndarray, Any]:
    """:func:`..enrich.checkworthy_parse.text_features` of ``texts`` (dense, sparse words), cached
    by the spaCy pipeline, the feature names and the exact texts."""
    from scipy import sparse as sp

    name = f"{parse_model.pipeline_name(nlp)}-{nlp.meta.get('version', '')}"
    width = nlp.get_pipe("tok2vec").model.get_dim("nO")
    key = _digest(name, *parse_model.feature_names(width), str(parse_model.BOW_DIM), *texts)
    path = cache_dir("parse") / f"{name}-{key}.npz"
    if use_cache and path.is_file():
        with np.load(path) as data:
            return data["dense"], sp.load_npz(path.with_suffix(".words.npz"))
    dense, bags = parse_model.text_features(texts, nlp)
    words = parse_model.bag_matrix(bags)
    if use_cache:
        np.savez(path.with_suffix(".tmp.npz"), dense=dense)
        sp.save_npz(path.with_suffix(".words.npz"), words)
        path.with_suffix(".tmp.npz").replace(path)  # the dense file last: its presence means complete
    return dense, words


def read_sets(root: Path) -> Corpus:
    """Texts, labels and overlaps; no features yet."""
    cb_dir = dataset_dir("claimbuster", str(root / "claimbuster"))
    clef_dir = dataset_dir("clef2019-checkthat", str(root / "clef2019-checkthat"))
    cb_texts, cb_labels = load_claimbuster(cb_dir)
    debates = load_clef(clef_dir)
    clef_texts = [t for _, texts, _ in debates for t in texts]
    return Corpus(
        cb_texts=cb_texts,
        cb_labels=cb_labels,
        debates=[name for name, _, _ in debates],
        clef_texts=clef_texts,
        clef_labels=np.concatenate([labels for _, _, labels in debates]),
        clef_debate=np.concatenate([np.full(len(t), i) for i, (_, t, _) in enumerate(debates)]),
        cb_in_clef=containing_lines(cb_texts, clef_texts),
    )


def _copy(sets: Corpus) -> Corpus:
    return Corpus(**{f: getattr(sets, f) for f in _SETS})


_SETS = ("cb_texts", "cb_labels", "debates", "clef_texts", "clef_labels", "clef_debate", "cb_in_clef")


def load_corpus(
    root: Path, embedder: Embedder, use_cache: bool = True, say=print, base: Corpus | None = None
) -> Corpus:
    """The sets with USE features (``base``: the sets already read)."""
    corpus = _copy(base or read_sets(root))
    start = time.perf_counter()
    emb = cached_embeddings(embedder, corpus.texts, use_cache)
    say(f"embedded {len(emb)} sentences with {embedder.name} in {time.perf_counter() - start:.1f}s")
    corpus.x = use_model.features(corpus.texts, emb)
    corpus.features = UseFeatures(embedder)
    return corpus


def load_parse_corpus(
    root: Path, nlp, use_cache: bool = True, say=print, base: Corpus | None = None
) -> Corpus:
    """The sets with spaCy parse features (``base``: the sets already read)."""
    corpus = _copy(base or read_sets(root))
    start = time.perf_counter()
    corpus.x, corpus.words = cached_parse_features(nlp, corpus.texts, use_cache)
    name = parse_model.pipeline_name(nlp)
    say(f"parsed {len(corpus.x)} sentences with {name} in {time.perf_counter() - start:.1f}s")
    width = nlp.get_pipe("tok2vec").model.get_dim("nO")
    corpus.features = ParseFeatures((name, nlp.meta.get("version", ""), width))
    return corpus
