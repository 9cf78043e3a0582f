"""Vectors for claims and articles, cached in the store so nothing is embedded twice.

An article's vector is the mean of its title's and lead sentences' vectors: the lead carries the
event (who, what, where), and the mean of sentence vectors holds up better than one vector of
a long text, which sentence encoders are not trained for.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from ..embeddings import Embedder
from ..model import Annotations, Article

# Sentences of the lead that stand for the article (the title counts as one).
LEAD_SENTENCES = 8


class VectorStore(Protocol):
    def load_vectors(self, model: str, kind: str, keys: list[str]) -> dict[str, np.ndarray]: ...
    def save_vectors(self, model: str, kind: str, vectors: dict[str, np.ndarray]) -> None: ...


class VectorCache:
    def __init__(self, store: VectorStore, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder

    def vectors(self, kind: str, items: list[tuple[str, str]]) -> np.ndarray:
        """Unit vectors for ``(key, text)`` items, in order; only keys not cached are embedded."""
        if not items:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        keys = [k for k, _ in items]
        found = self.store.load_vectors(self.embedder.name, kind, keys)
        missing = [(k, t) for k, t in items if k not in found]
        if missing:
            fresh = self.embedder.embed([t for _, t in missing])
            new = {k: v for (k, _), v in zip(missing, fresh, strict=True)}
            self.store.save_vectors(self.embedder.name, kind, new)
            found.update(new)
        return np.stack([found[k] for k in keys]).astype(np.float32)

    def article_vectors(self, pairs: list[tuple[Article, Annotations]]) -> np.ndarray:
        """One vector per article: the normalised mean of its lead sentences' vectors."""
        items, owners = [], []
        for n, (article, ann) in enumerate(pairs):
            sentences = ann.sentences[:LEAD_SENTENCES] or []
            spans = [(s.start, s.end) for s in sentences] or [(0, min(len(article.text), 1000))]
            for start, end in spans:
                items.append((span_key(article.id, start, end), article.text[start:end]))
                owners.append(n)
        vecs = self.vectors("span", items)
        out = np.zeros((len(pairs), self.embedder.dim), dtype=np.float32)
        np.add.at(out, np.asarray(owners, dtype=np.int64), vecs)
        return unit(out)


def unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32)


def span_key(article_id: str, start: int, end: int) -> str:
    """The cache key of a stretch of an article: claims and sentences with one span share it."""
    return f"{article_id}:{start}:{end}"
