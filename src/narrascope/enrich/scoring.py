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

from ..embeddings import USEEmbedder
from ..errors import ConfigError
from ..models.registry import MODELS
from ..pipeline import component
from .doc import Doc


def _model():
    """The USE check-worthiness model (built once per process by the model registry)."""
    return MODELS.get("checkworthiness")


def _embedder() -> USEEmbedder:
    # One thread per worker: the engine already runs one worker per core.
    return MODELS.get("use", "1")


def _parse_model():
    """(model, None) when the parse model fits the English spaCy pipeline, else (None, why not)."""
    from .nlp import spacy_english

    try:
        model = MODELS.get("checkworthiness_parse")
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
    from .checkworthy import features

    texts = [doc.text[c.start : c.end] for doc in docs for c in doc.claims]
    model, embedder = _model(), _embedder()
    model.check_embedder(embedder)
    vectors = embedder.embed(texts)
    for claim, score in zip(claims, model.score_features(features(texts, vectors)), strict=True):
        claim.checkworthiness = round(float(score), 4)
    n = 0
    for doc in docs:  # kept: the link stage reads the claims' vectors instead of embedding them again
        doc.keep_vectors([(c.start, c.end) for c in doc.claims], vectors[n : n + len(doc.claims)])
        n += len(doc.claims)
