"""The check-worthiness component: every candidate claim scored by the shipped model."""

from __future__ import annotations

from functools import lru_cache

from ..embeddings import USEEmbedder
from ..pipeline import component
from .doc import Doc


@lru_cache(maxsize=1)
def _model():
    from .checkworthy import CheckworthinessModel  # numpy-only, but loads a file: only when scoring

    return CheckworthinessModel.load()


@lru_cache(maxsize=1)
def _embedder() -> USEEmbedder:
    # One thread per worker: the engine already runs one worker per core.
    return USEEmbedder(threads=1)


@component("checkworthiness", requires=("claims",), provides=("checkworthiness",), per_doc=False)
def score_claims(docs: list[Doc]) -> None:
    """Score all claims of a batch in one pass of the embedder."""
    claims = [c for doc in docs for c in doc.claims]
    if not claims:
        return
    texts = [doc.text[c.start : c.end] for doc in docs for c in doc.claims]
    for claim, score in zip(claims, _model().score(texts, _embedder()), strict=True):
        claim.checkworthiness = round(float(score), 4)
