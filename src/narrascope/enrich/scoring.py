"""The check-worthiness components: every candidate claim scored by a shipped model.

``checkworthiness`` (the default) scores every claim with the USE sentence-embedding model
(:mod:`.checkworthy`) in one pass for the batch. ``checkworthiness_parse`` (the fast choice, set
in ``[enrich] components``) scores English claims from the spaCy parse the ``nlp`` component
already made (:mod:`.checkworthy_parse`: token vectors, parts of speech, entities, words), which
costs microseconds a claim; claims in other languages, or any claim when the installed spaCy
pipeline is not the one the parse model was trained on, still go through USE. The parse model's
ranking figures are close to USE's (models/README.md) but it scores some plainly check-worthy
statements without figures very low, so it is not the default.
"""

from __future__ import annotations

from functools import lru_cache

from ..embeddings import USEEmbedder
from ..errors import ConfigError
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


@lru_cache(maxsize=1)
def _parse_model():
    """(model, None) when the parse model fits the English spaCy pipeline, else (None, why not)."""
    from .checkworthy_parse import ParseCheckworthinessModel
    from .nlp import spacy_english

    try:
        model = ParseCheckworthinessModel.load()
    except ConfigError as exc:
        return None, str(exc)
    reason = model.fits(spacy_english())
    return (None, reason) if reason else (model, None)


@component("checkworthiness", requires=("claims",), provides=("checkworthiness",), per_doc=False)
def score_claims_use(docs: list[Doc]) -> None:
    """Score every claim with the USE model, in every language (the default: the better model)."""
    _score_with_use(docs)


@component("checkworthiness_parse", requires=("claims", "parse"), provides=("checkworthiness",), per_doc=False)
def score_claims(docs: list[Doc]) -> None:
    """Score every claim: from the spaCy parse where there is one, else with the USE embedder."""
    rest = []
    for doc in docs:
        if not doc.claims:
            continue
        if doc.parsed is None:
            rest.append(doc)
            continue
        model, reason = _parse_model()
        if model is None:
            doc.notes.append(f"check-worthiness scored with USE: {reason}")
            rest.append(doc)
            continue
        scores = model.score_spans(doc.parsed, [(c.start, c.end) for c in doc.claims], doc.text)
        for claim, score in zip(doc.claims, scores, strict=True):
            claim.checkworthiness = round(float(score), 4)
    _score_with_use(rest)


def _score_with_use(docs: list[Doc]) -> None:
    claims = [c for doc in docs for c in doc.claims]
    if not claims:
        return
    texts = [doc.text[c.start : c.end] for doc in docs for c in doc.claims]
    for claim, score in zip(claims, _model().score(texts, _embedder()), strict=True):
        claim.checkworthiness = round(float(score), 4)
