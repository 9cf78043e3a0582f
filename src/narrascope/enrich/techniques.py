"""The persuasion-technique detector (:mod:`narrascope.narratives.techniques`) run inside the enrich
pass, on the parse the ``nlp`` component already made: each article is parsed once, on the
engine's workers, instead of parsed again in the main process by the narratives stage.

Found spans travel back with the article's layers and the enrich stage stores them as the
article's techniques (marked done, so the narratives stage does not look for them again).

The detector reads the vector of every sentence and of every distinct word of an article. For a
chunk of articles, the sentences no earlier component embedded and the words not seen before go
to the embedder in one call. Words recur across articles (on BASIL's 150 distinct articles about
three in four of an article's distinct words were met in an earlier one), so each worker keeps the
vectors of the ``WORD_CACHE`` words it used most recently.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from ..model import TechniqueSpan
from ..narratives.techniques_features import tokens
from ..pipeline import component
from .doc import Doc

WORD_CACHE = 50_000  # distinct words a worker keeps vectors of (512 floats each: about 100 MB)


class CachedWords:
    """An embedder that remembers the vectors of single words, the least recently used going first
    past ``limit``; texts with a space pass straight through, except the sentences of the article
    at hand, set in ``sentences``. ``hits`` and ``misses`` count the words :meth:`prefetch` was
    asked for, once per text they occur in."""

    def __init__(self, embedder, limit: int = WORD_CACHE) -> None:
        self.embedder, self.name, self.dim, self.limit = embedder, embedder.name, embedder.dim, limit
        self.known: OrderedDict[str, np.ndarray] = OrderedDict()
        self.sentences: dict[str, np.ndarray] = {}
        self.hits = self.misses = 0

    def prefetch(self, texts: Sequence[str], words: Iterable[Iterable[str]]) -> np.ndarray:
        """The vectors of ``texts``, embedded in one call with those of the ``words`` (one list per
        article) not known yet, which are kept."""
        new: dict[str, None] = {}
        for group in words:
            for word in dict.fromkeys(group):
                if word in self.known:
                    self.known.move_to_end(word)
                elif word not in new:
                    new[word] = None
                    self.misses += 1
                    continue
                self.hits += 1
        texts, fresh = list(texts), list(new)
        if not texts and not fresh:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = np.asarray(self.embedder.embed([*texts, *fresh]), dtype=np.float32)
        self._keep(zip(fresh, vectors[len(texts):], strict=True))
        return vectors[: len(texts)]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if self.sentences and all(t in self.sentences for t in texts):
            return np.vstack([self.sentences[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)
        missing = []
        for text in dict.fromkeys(texts):
            if text in self.known:
                self.known.move_to_end(text)
            else:
                missing.append(text)
        fresh = dict(zip(missing, np.asarray(self.embedder.embed(missing), dtype=np.float32), strict=True)) \
            if missing else {}
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.vstack([fresh[t] if t in fresh else self.known[t] for t in texts])
        self._keep(fresh.items())
        return out

    def _keep(self, pairs: Iterable[tuple[str, np.ndarray]]) -> None:
        for text, vector in pairs:
            if " " not in text:
                self.known[text] = vector
                self.known.move_to_end(text)
        while len(self.known) > self.limit:
            self.known.popitem(last=False)


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
    spans = [[(s.start, s.end) for s in doc.sentences if s.end > s.start] for doc in docs]
    texts = [[doc.text[s:e] for s, e in found] for doc, found in zip(docs, spans, strict=True)]
    for doc, found, said, vectors in zip(docs, spans, texts, _sentence_vectors(docs, spans, texts, embedder),
                                         strict=True):
        doc.keep_vectors(found, vectors)  # kept: links and stances read the sentences' vectors
        embedder.sentences = dict(zip(said, vectors, strict=True))
        try:
            spotted = detector.detect(doc.text, found, language=doc.article.language, embedder=embedder,
                                      parse=doc.parsed)
        finally:
            embedder.sentences = {}
        doc.techniques = [TechniqueSpan(doc.id, t.start, t.end, t.technique, round(float(t.score), 4))
                          for t in spotted]


def _sentence_vectors(docs: list[Doc], spans: list[list[tuple[int, int]]], texts: list[list[str]],
                      embedder: CachedWords) -> list[np.ndarray]:
    """The vectors of each article's sentences: those an earlier component kept for the same span
    (a claim is most often a whole sentence, embedded by check-worthiness) are taken as they are,
    by the same embedder; the rest are embedded in one call with the words of the articles the
    cache does not hold yet (the detector reads them next)."""
    missing = [[i for i, span in enumerate(found) if span not in (doc.vectors or {})]
               for doc, found in zip(docs, spans, strict=True)]
    # the detector reads words only inside candidates, which lie inside sentences
    words = (tokens(doc.text)[2] for doc, found in zip(docs, spans, strict=True) if found)
    fresh = iter(embedder.prefetch([said[i] for said, rows in zip(texts, missing, strict=True) for i in rows], words))
    out = []
    for doc, found in zip(docs, spans, strict=True):
        kept = doc.vectors or {}
        rows = [kept[span] if span in kept else next(fresh) for span in found]
        out.append(np.vstack(rows).astype(np.float32, copy=False) if rows else np.zeros((0, embedder.dim), np.float32))
    return out
