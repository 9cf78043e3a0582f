"""The persuasion-technique detector (:mod:`narrascope.narratives.techniques`) run inside the enrich
pass, on the parse the ``nlp`` component already made: each article is parsed once, on the
engine's workers, instead of parsed again in the main process by the narratives stage.

Found spans travel back with the article's layers and the enrich stage stores them as the
article's techniques (marked done, so the narratives stage does not look for them again). Words
recur across articles: each worker keeps the vectors of up to ``WORD_CACHE`` distinct words.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from ..model import TechniqueSpan
from ..pipeline import component
from .doc import Doc

WORD_CACHE = 50_000  # distinct words a worker keeps vectors of (512 floats each: about 100 MB)


class CachedWords:
    """An embedder that remembers the vectors of single words (sentences pass straight through,
    except those of the article at hand, set in ``sentences``)."""

    def __init__(self, embedder, limit: int = WORD_CACHE) -> None:
        self.embedder, self.name, self.dim, self.limit = embedder, embedder.name, embedder.dim, limit
        self.known: dict[str, np.ndarray] = {}
        self.sentences: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if self.sentences and all(t in self.sentences for t in texts):
            return np.vstack([self.sentences[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        fresh = dict(zip(missing, np.asarray(self.embedder.embed(missing), dtype=np.float32), strict=True)) \
            if missing else {}
        for text, vector in fresh.items():
            if len(self.known) < self.limit and " " not in text:
                self.known[text] = vector
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self.known[t] if t in self.known else fresh[t] for t in texts])


@lru_cache(maxsize=2)
def _words(embedder) -> CachedWords:
    """One word cache per embedder (per worker process)."""
    return CachedWords(embedder)


def _detector_and_embedder():
    from ..models.registry import MODELS

    return MODELS.get("techniques"), _words(MODELS.get("use", "1"))


@component("techniques", requires=("sentences", "parse"), provides=("techniques",), per_doc=False)
def find_techniques(docs: list[Doc]) -> None:
    """Persuasion techniques of every article, from the parse already made."""
    detector, embedder = _detector_and_embedder()
    for doc in docs:
        spans = [(s.start, s.end) for s in doc.sentences if s.end > s.start]
        texts = [doc.text[s:e] for s, e in spans]
        vectors = _sentence_vectors(doc, spans, texts, embedder)
        doc.keep_vectors(spans, vectors)  # kept: links and stances read the sentences' vectors
        embedder.sentences = dict(zip(texts, vectors, strict=True))
        try:
            found = detector.detect(doc.text, spans, language=doc.article.language, embedder=embedder,
                                    parse=doc.parsed)
        finally:
            embedder.sentences = {}
        doc.techniques = [TechniqueSpan(doc.id, t.start, t.end, t.technique, round(float(t.score), 4)) for t in found]


def _sentence_vectors(doc: Doc, spans: list[tuple[int, int]], texts: list[str], embedder) -> np.ndarray:
    """The vectors of the sentences: those an earlier component kept for the same span (a claim is
    most often a whole sentence, embedded by check-worthiness) are taken as they are, by the same
    embedder; only the rest are embedded."""
    kept = doc.vectors or {}
    missing = [i for i, span in enumerate(spans) if span not in kept]
    fresh = iter(embedder.embed([texts[i] for i in missing]) if missing else ())
    rows = [kept[span] if span in kept else next(fresh) for span in spans]
    return np.vstack(rows).astype(np.float32, copy=False) if rows else np.zeros((0, embedder.dim), np.float32)

