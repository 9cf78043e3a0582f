"""The Propaganda Techniques Corpus as training and evaluation data, and cross-validation over its
articles (training time only: used by ``scripts/train_techniques.py`` and ``narrascope bench
techniques``).

Every article is parsed and embedded once; both are cached under ``~/.cache/narrascope/techniques``
(keyed by the exact texts and the model names), because embedding a few hundred articles' words and
sentences takes minutes on two cores. Folds are by article: an article's candidates never sit in
the training and the scored fold at once, and thresholds for a fold are chosen on the other folds'
out-of-fold scores, never on the articles they are scored on.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..embeddings import Embedder
from ..errors import ConfigError
from ..narratives.techniques import (
    MODEL_TECHNIQUES,
    PARSED,
    PTC_LABELS,
    Prepared,
    RouteModel,
    decode,
    prepare,
)
from .span_metrics import span_scores, typed_scores
from .techniques import Params, Scored, choose_thresholds, fit_route

ARTICLES = "train-articles"
LABELS = "train-task2-TC.labels"


@dataclass
class PTCArticle:
    id: str
    text: str
    gold: list[tuple[int, int, str]]  # technique names as in MODEL_TECHNIQUES


def load_ptc(folder: Path, limit: int | None = None) -> list[PTCArticle]:
    """Articles (sorted by id) with their technique spans; ``limit`` keeps the first N."""
    if not (folder / ARTICLES).is_dir() or not (folder / LABELS).is_file():
        raise ConfigError(f"no {ARTICLES}/ and {LABELS} in {folder}; is it the PTC dataset folder?")
    gold: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for line in (folder / LABELS).read_text(encoding="utf-8").splitlines():
        if line.strip():
            doc, label, start, end = line.split("\t")
            gold[doc].append((int(start), int(end), PTC_LABELS[label]))
    paths = sorted((folder / ARTICLES).glob("article*.txt"))[: limit or None]
    return [
        PTCArticle(p.stem.removeprefix("article"), p.read_text(encoding="utf-8"), sorted(gold[p.stem[7:]]))
        for p in paths
    ]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "narrascope" / "techniques"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only home: the cache only saves time
        path = Path(tempfile.gettempdir()) / "narrascope-techniques"
        path.mkdir(parents=True, exist_ok=True)
    return path


class CachedEmbedder:
    """An embedder that remembers every text it embedded, on disk, across runs."""

    def __init__(self, inner: Embedder, use_cache: bool = True) -> None:
        self.inner, self.name, self.dim = inner, inner.name, inner.dim
        self.path = cache_dir() / f"{inner.name}-{inner.dim}-texts.npz" if use_cache else None
        self.index: dict[str, int] = {}
        self.vectors = np.zeros((0, inner.dim), dtype=np.float16)
        self.dirty = False
        if self.path is not None and self.path.is_file():
            with np.load(self.path, allow_pickle=False) as data:
                self.index = {k: i for i, k in enumerate(data["keys"].tolist())}
                self.vectors = data["vectors"]

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.index))
        if missing:
            fresh = np.asarray(self.inner.embed(missing), dtype=np.float16)
            self.index |= {t: len(self.index) + i for i, t in enumerate(missing)}
            self.vectors = np.vstack([self.vectors, fresh])
            self.dirty = True
        # float16 in the cache: the embeddings are unit vectors, so the error is below 1e-3.
        return self.vectors[[self.index[t] for t in texts]].astype(np.float32)

    def save(self) -> None:
        if self.path is not None and self.dirty:
            tmp = self.path.with_suffix(".tmp.npz")
            np.savez(tmp, keys=np.array(list(self.index)), vectors=self.vectors)
            tmp.replace(self.path)
            self.dirty = False


def parse_all(texts: list[str], say: Callable[[str], None] = print) -> list:
    """spaCy docs of ``texts``, cached by the texts and the model's name and version."""
    from spacy.tokens import DocBin

    from ..enrich.nlp import spacy_english

    nlp = spacy_english()
    key = "\0".join([nlp.meta.get("name", ""), nlp.meta.get("version", ""), *texts])
    path = cache_dir() / f"parse-{hashlib.sha256(key.encode()).hexdigest()[:20]}.spacy"
    if path.is_file():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    say(f"parsing {len(texts)} articles with spaCy (cached afterwards in {path.parent})")
    docs = list(nlp.pipe(texts, batch_size=16))
    DocBin(docs=docs).to_disk(path)
    return docs


def iou_matrix(prepared: Prepared, gold: list[tuple[int, int, str]]) -> np.ndarray:
    """(n, K): each candidate's best intersection-over-union with a gold span of each technique."""
    out = np.zeros((len(prepared.candidates), len(MODEL_TECHNIQUES)), dtype=np.float32)
    if not gold or not prepared.candidates:
        return out
    starts = np.array([c.start for c in prepared.candidates])
    ends = np.array([c.end for c in prepared.candidates])
    for s, e, technique in gold:
        overlap = np.minimum(ends, e) - np.maximum(starts, s)
        union = np.maximum(ends, e) - np.minimum(starts, s)
        k = MODEL_TECHNIQUES.index(technique)
        out[:, k] = np.maximum(out[:, k], np.where(overlap > 0, overlap / union, 0.0))
    return out


@dataclass
class Corpus:
    articles: list[PTCArticle]
    route: str
    buckets: int
    prepared: list[Prepared] = field(repr=False)
    dense: np.ndarray = field(repr=False)  # all articles' candidates, stacked
    iou: np.ndarray = field(repr=False)
    offsets: np.ndarray = field(repr=False)  # article i owns rows offsets[i]:offsets[i + 1]

    def words(self, rows: np.ndarray | None = None):
        """The hashed bag of words as a CSR matrix (None without one)."""
        if not self.buckets:
            return None
        import scipy.sparse as sp

        parts = []
        for p in self.prepared:
            r, c, v = p.hashed
            parts.append(sp.csr_matrix((v, (r, c)), shape=(len(p.candidates), self.buckets)))
        matrix = sp.vstack(parts).tocsr()
        return matrix if rows is None else matrix[rows]


def build_corpus(
    articles: list[PTCArticle], embedder: Embedder, route: str = PARSED, buckets: int = 0, say=print
) -> Corpus:
    docs = parse_all([a.text for a in articles], say) if route == PARSED else [None] * len(articles)
    prepared = []
    for article, doc in zip(articles, docs, strict=True):
        prepared.append(prepare(article.text, embedder, None, route, doc=doc, buckets=buckets))
    if isinstance(embedder, CachedEmbedder):
        embedder.save()
    sizes = [len(p.candidates) for p in prepared]
    return Corpus(
        articles,
        route,
        buckets,
        prepared,
        np.vstack([p.dense for p in prepared]).astype(np.float32),
        np.vstack([iou_matrix(p, a.gold) for p, a in zip(prepared, articles, strict=True)]),
        np.concatenate([[0], np.cumsum(sizes)]),
    )


def coverage(corpus: Corpus, at: float = 0.5) -> float:
    """Share of gold spans with a candidate whose intersection-over-union with it reaches ``at``:
    the most the detector could find, since it only ever returns candidates."""
    hits = total = 0
    for p, article in zip(corpus.prepared, corpus.articles, strict=True):
        starts = np.array([c.start for c in p.candidates])
        ends = np.array([c.end for c in p.candidates])
        for s, e, _ in article.gold:
            total += 1
            if len(starts):
                overlap = np.minimum(ends, e) - np.maximum(starts, s)
                union = np.maximum(ends, e) - np.minimum(starts, s)
                hits += int((np.where(overlap > 0, overlap / union, 0.0) >= at).any())
    return hits / total if total else 0.0


def fold_of(n_articles: int, folds: int) -> np.ndarray:
    """Article i (in id order) goes to fold i mod ``folds``."""
    return np.arange(n_articles) % folds


def scored(corpus: Corpus, i: int, model: RouteModel) -> Scored:
    p, lo, hi = corpus.prepared[i], corpus.offsets[i], corpus.offsets[i + 1]
    hashed = p.hashed if model.buckets else None
    gold: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s, e, t in corpus.articles[i].gold:
        gold[MODEL_TECHNIQUES.index(t)].append((s, e))
    return Scored(
        np.array([c.start for c in p.candidates]),
        np.array([c.end for c in p.candidates]),
        model.scores(corpus.dense[lo:hi], hashed),
        dict(gold),
    )


def rows_of(corpus: Corpus, articles: np.ndarray) -> np.ndarray:
    return np.concatenate([np.arange(corpus.offsets[i], corpus.offsets[i + 1]) for i in articles])


@dataclass
class CVResult:
    span: dict[str, float]
    typed: dict[str, dict[str, float]]
    technique_accuracy: float  # classifier alone on the candidate best matching each gold span
    thresholds: np.ndarray  # chosen on all out-of-fold scores: what a model trained on everything ships
    items: list[Scored] = field(repr=False)


def cross_validate(corpus: Corpus, params: Params, folds: int = 5, say=print) -> CVResult:
    n = len(corpus.articles)
    fold = fold_of(n, folds)
    words = corpus.words()
    items: list[Scored | None] = [None] * n
    hits = total = 0
    for f in range(folds):
        start = time.perf_counter()
        train = rows_of(corpus, np.flatnonzero(fold != f))
        model = fit_route(
            corpus.dense[train], words[train] if words is not None else None, corpus.iou[train], params
        )
        for i in np.flatnonzero(fold == f):
            items[i] = item = scored(corpus, i, model)
            # Technique accuracy on gold spans, the PTC "TC" task: each gold label against the
            # classifier's choice for the candidate that best matches its span.
            for s, e, t in corpus.articles[i].gold:
                best = _best_match(item, s, e)
                total += 1
                hits += int(best is not None and MODEL_TECHNIQUES[int(item.scores[best].argmax())] == t)
        say(
            f"    fold {f + 1}/{folds}: trained on {len(train)} candidates ({time.perf_counter() - start:.0f}s)"
        )
    start = time.perf_counter()
    done: list[Scored] = [x for x in items if x is not None]
    predicted: dict[str, list[tuple[int, int, str]]] = {}
    for f in range(folds):
        others = [done[i] for i in np.flatnonzero(fold != f)]
        thresholds = choose_thresholds(others)
        for i in np.flatnonzero(fold == f):
            it = done[i]
            predicted[corpus.articles[i].id] = [
                (s, e, MODEL_TECHNIQUES[k])
                for s, e, k, _ in decode(it.starts, it.ends, it.scores, thresholds)
            ]
    say(f"    thresholds chosen per fold ({time.perf_counter() - start:.0f}s)")
    gold = {a.id: a.gold for a in corpus.articles}
    return CVResult(
        span=span_scores(
            {d: [(s, e) for s, e, _ in v] for d, v in predicted.items()},
            {d: [(s, e) for s, e, _ in v] for d, v in gold.items()},
        ),
        typed=typed_scores(predicted, gold),
        technique_accuracy=hits / total if total else 0.0,
        thresholds=choose_thresholds(done),
        items=done,
    )


def _best_match(item: Scored, start: int, end: int) -> int | None:
    overlap = np.minimum(item.ends, end) - np.maximum(item.starts, start)
    union = np.maximum(item.ends, end) - np.minimum(item.starts, start)
    iou = np.where(overlap > 0, overlap / np.maximum(union, 1), 0.0)
    return int(iou.argmax()) if len(iou) and iou.max() > 0 else None
