"""Persuasion techniques as character spans: loaded language, name-calling, doubt, appeal to fear,
flag-waving, whataboutism, labelling a claim "fake"...

The detector scores candidate spans (sentences, clauses, noun phrases, loaded words, quotations:
:mod:`.techniques_candidates`) in two linear stages trained on the Propaganda Techniques Corpus
(SemEval-2020 Task 11) by ``scripts/train_techniques.py``:

1. *detector*: is this candidate a propaganda span? (logistic regression)
2. *classifier*: which of the 14 PTC techniques? (multinomial logistic regression)

A candidate's score for technique k is p(propaganda) x p(k | propaganda). Per technique, candidates
at or above that technique's threshold are kept best first, skipping any that overlaps one already
kept (the official scorer would merge them). Thresholds were chosen in cross-validation
(models/README.md). Inputs are the candidate's word embeddings (mean and max), its sentence's
embedding, cue-word counts and shape (:mod:`.techniques_features`) and, for English, a hashed bag
of its words.

English text is parsed by spaCy for its candidates. Any other language gets candidates from
punctuation and word boundaries and a second model trained on English PTC with those candidates
and without the bag of words, so that only multilingual inputs carry it: the embeddings (USE
multilingual) and the English and Russian cue lists. "labelling_fake" is not a PTC class: it is
the rule of :mod:`.techniques_fake`, in English and Russian.

At run time this needs numpy, an :class:`~narrascope.embeddings.Embedder` and, for English, spaCy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..embeddings import Embedder
from ..errors import ConfigError
from ..models import ShippedModel
from .techniques_candidates import Candidate, parsed_candidates, plain_candidates, split_sentences
from .techniques_fake import RULE_SCORE, find_fake_labels
from .techniques_fake import TECHNIQUE as LABELLING_FAKE
from .techniques_features import (
    HAND_FEATURES,
    hand_features,
    hashed_words,
    tokens,
    vector_features,
    word_vectors,
)

FORMAT = 1
MODEL_FILE = "techniques.npz"
# What the store marks an article's techniques with; the version is bumped when the detector
# changes what it finds, so `analyze` finds them again.
STAGE = "techniques"
VERSION = "2"
# PTC's technique labels and the names narrascope gives them, in the classifier's order. PTC
# merged straw men and red herring into whataboutism, and bandwagon into reductio ad hitlerum.
PTC_LABELS = {
    "Loaded_Language": "loaded_language",
    "Name_Calling,Labeling": "name_calling",
    "Repetition": "repetition",
    "Exaggeration,Minimisation": "exaggeration_minimisation",
    "Doubt": "doubt",
    "Appeal_to_fear-prejudice": "appeal_to_fear",
    "Flag-Waving": "flag_waving",
    "Causal_Oversimplification": "causal_oversimplification",
    "Slogans": "slogans",
    "Appeal_to_Authority": "appeal_to_authority",
    "Black-and-White_Fallacy": "black_and_white_fallacy",
    "Thought-terminating_Cliches": "thought_terminating_cliches",
    "Whataboutism,Straw_Men,Red_Herring": "whataboutism",
    "Bandwagon,Reductio_ad_hitlerum": "bandwagon_reductio_ad_hitlerum",
}
MODEL_TECHNIQUES = tuple(PTC_LABELS.values())
TECHNIQUES = (*MODEL_TECHNIQUES, LABELLING_FAKE)
PARSED, PLAIN = "parsed", "plain"


@dataclass(frozen=True, slots=True)
class TechniqueSpan:
    start: int
    end: int
    technique: str
    score: float


@dataclass
class Prepared:
    """One text's candidates and the model inputs for them."""

    text: str
    sentences: list[tuple[int, int]]
    candidates: list[Candidate]
    dense: np.ndarray  # (n, 3 * dim + len(HAND_FEATURES))
    hashed: tuple[np.ndarray, np.ndarray, np.ndarray]  # (row, bucket, value) of the bag of words
    route: str  # PARSED or PLAIN


def guess_language(text: str) -> str:
    """ "ru" for mostly Cyrillic text, else "en": enough to pick a candidate route."""
    cyrillic = sum(1 for ch in text if "\u0400" <= ch <= "\u04ff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "ru" if cyrillic > latin else "en"


def prepare(
    text: str,
    embedder: Embedder,
    sentences: Sequence[tuple[int, int]] | None = None,
    route: str = PARSED,
    doc=None,
    buckets: int = 0,
) -> Prepared:
    """Candidates of ``text`` and their features; ``doc`` is its spaCy parse (made when the route
    is PARSED and none is given)."""
    if route == PARSED and doc is None:
        from ..enrich.nlp import spacy_english

        doc = spacy_english()(text)
    if sentences is None:
        sentences = split_sentences(text, doc if route == PARSED else None)
    sentences = [(int(s), int(e)) for s, e in sentences if e > s]
    if route == PARSED:
        candidates = parsed_candidates(text, doc, sentences)
    else:
        candidates = plain_candidates(text, sentences)
    starts, ends, forms = tokens(text)
    dim = embedder.dim
    if candidates:
        vectors = word_vectors(forms, embedder)
        sentence_vectors = np.asarray(embedder.embed([text[s:e] for s, e in sentences]), dtype=np.float32)
        dense = np.hstack(
            [
                vector_features(candidates, starts, ends, vectors, sentence_vectors),
                hand_features(text, candidates, sentences),
            ]
        )
    else:
        dense = np.zeros((0, 3 * dim + len(HAND_FEATURES)), dtype=np.float32)
    hashed = hashed_words(forms, starts, ends, candidates, buckets) if buckets else _no_words()
    return Prepared(text, sentences, candidates, dense, hashed, route)


def _no_words() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)


@dataclass
class RouteModel:
    """The two stages for one candidate route, with weights on raw (unstandardised) inputs."""

    detector_w: np.ndarray  # (F,)
    detector_b: float
    classifier_w: np.ndarray  # (K, F)
    classifier_b: np.ndarray  # (K,)
    thresholds: np.ndarray  # (K,) on p(propaganda) x p(technique | propaganda); inf: never
    detector_words: np.ndarray | None = None  # (buckets,) weights of the hashed bag of words
    classifier_words: np.ndarray | None = None  # (K, buckets)

    @property
    def buckets(self) -> int:
        return 0 if self.detector_words is None else len(self.detector_words)

    def scores(self, dense: np.ndarray, hashed=None) -> np.ndarray:
        """(n, K) scores of candidates: p(propaganda) x p(technique | propaganda)."""
        # in the features' own precision: a float32 matrix times float64 weights skips BLAS (8x slower)
        z1 = (dense @ self.detector_w.astype(dense.dtype, copy=False)).astype(np.float64) + self.detector_b
        z2 = (dense @ self.classifier_w.T.astype(dense.dtype, copy=False)).astype(np.float64) + self.classifier_b
        if self.buckets and hashed is not None and len(hashed[0]):
            rows, cols, vals = hashed
            z1 += np.bincount(rows, vals * self.detector_words[cols], minlength=len(z1))
            z2 += _row_sums(rows, vals[:, None] * self.classifier_words[:, cols].T, len(z2))
        p1 = 1.0 / (1.0 + np.exp(-np.clip(z1, -40.0, 40.0)))
        z2 = z2 - z2.max(axis=1, keepdims=True)
        p2 = np.exp(z2)
        p2 /= p2.sum(axis=1, keepdims=True)
        return p1[:, None] * p2


def _row_sums(rows: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """(n, K): the rows of ``values`` summed by ``rows`` (ascending, as ``hashed_words`` gives them)."""
    out = np.zeros((n, values.shape[1]), dtype=values.dtype)
    firsts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    out[rows[firsts]] = np.add.reduceat(values, firsts, axis=0)
    return out


def decode(
    starts: np.ndarray, ends: np.ndarray, scores: np.ndarray, thresholds: np.ndarray
) -> list[tuple[int, int, int, float]]:
    """(start, end, technique index, score): per technique, candidates at or above its threshold,
    best first, none overlapping another kept span of the same technique."""
    out = []
    for k in range(scores.shape[1]):
        rows = np.flatnonzero(scores[:, k] >= thresholds[k])
        kept: list[tuple[int, int]] = []
        for r in rows[np.argsort(-scores[rows, k], kind="stable")]:
            s, e = int(starts[r]), int(ends[r])
            if any(s < ke and ks < e for ks, ke in kept):
                continue
            kept.append((s, e))
            out.append((s, e, k, float(scores[r, k])))
    return out


@dataclass
class TechniqueDetector(ShippedModel):
    routes: dict[str, RouteModel]
    embedder: str
    dim: int
    metadata: dict[str, Any] = field(default_factory=dict)

    _model_file = MODEL_FILE
    _shipped = "shipped technique model"

    @classmethod
    def _read(cls, path: Path, source: str) -> TechniqueDetector:
        try:
            with np.load(path, allow_pickle=False) as data:
                if int(data["format"]) != FORMAT:
                    raise ConfigError(f"model format {int(data['format'])}, expected {FORMAT}", source=source)
                if tuple(str(x) for x in data["hand_features"]) != HAND_FEATURES:
                    raise ConfigError(
                        "model was trained with different hand features; retrain it", source=source
                    )
                if tuple(str(x) for x in data["techniques"]) != MODEL_TECHNIQUES:
                    raise ConfigError("model was trained on other techniques; retrain it", source=source)
                routes = {}
                for route in (str(x) for x in data["routes"]):
                    words = f"{route}.detector_words" in data.files
                    routes[route] = RouteModel(
                        detector_w=data[f"{route}.detector_w"].astype(np.float64),
                        detector_b=float(data[f"{route}.detector_b"]),
                        classifier_w=data[f"{route}.classifier_w"].astype(np.float64),
                        classifier_b=data[f"{route}.classifier_b"].astype(np.float64),
                        thresholds=data[f"{route}.thresholds"].astype(np.float64),
                        detector_words=data[f"{route}.detector_words"].astype(np.float64) if words else None,
                        classifier_words=data[f"{route}.classifier_words"].astype(np.float64)
                        if words
                        else None,
                    )
                return cls(routes, str(data["embedder"]), int(data["dim"]), json.loads(str(data["metadata"])))
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"cannot read technique model: {exc}", source=source) from exc

    def save(self, path: str | Path) -> None:
        # float32 weights (float16 for the bag of words) keep the file small; scores move < 1e-3.
        arrays: dict[str, np.ndarray] = {}
        for route, m in self.routes.items():
            arrays |= {
                f"{route}.detector_w": m.detector_w.astype(np.float32),
                f"{route}.detector_b": np.float64(m.detector_b),
                f"{route}.classifier_w": m.classifier_w.astype(np.float32),
                f"{route}.classifier_b": m.classifier_b.astype(np.float32),
                f"{route}.thresholds": m.thresholds.astype(np.float64),
            }
            if m.detector_words is not None and m.classifier_words is not None:
                arrays[f"{route}.detector_words"] = m.detector_words.astype(np.float16)
                arrays[f"{route}.classifier_words"] = m.classifier_words.astype(np.float16)
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                format=np.int64(FORMAT),
                routes=np.array(list(self.routes)),
                techniques=np.array(MODEL_TECHNIQUES),
                hand_features=np.array(HAND_FEATURES),
                embedder=np.str_(self.embedder),
                dim=np.int64(self.dim),
                metadata=np.str_(json.dumps(self.metadata, sort_keys=True)),
                **arrays,
            )

    def check_embedder(self, embedder: Embedder) -> None:
        if embedder.name != self.embedder or embedder.dim != self.dim:
            raise ConfigError(
                f"technique model was trained on {self.embedder} ({self.dim}-d) embeddings, "
                f"not {embedder.name} ({embedder.dim}-d)"
            )

    def route_for(self, language: str | None, text: str) -> str:
        lang = (language or guess_language(text)).lower()
        route = PARSED if lang == "en" or lang.startswith(("en-", "en_")) or lang == "english" else PLAIN
        return route if route in self.routes else next(iter(self.routes))

    def detect(
        self,
        text: str,
        sentences: list[tuple[int, int]] | None = None,
        language: str | None = None,
        embedder: Embedder | None = None,
        parse=None,
    ) -> list[TechniqueSpan]:
        """Technique spans in ``text`` (offsets into it), sorted by start. ``sentences`` are the
        article's sentence spans (found here when not given); ``language`` picks the route (guessed
        from the script when not given); ``parse`` is the text's spaCy parse when the caller has
        one (the enrich stage does), so that it is not parsed twice."""
        if embedder is None:
            from ..embeddings import USEEmbedder

            embedder = USEEmbedder()
        self.check_embedder(embedder)
        if not text.strip():
            return []
        route = self.route_for(language, text)
        model = self.routes[route]
        prepared = prepare(text, embedder, sentences, route, doc=parse if route == PARSED else None,
                           buckets=model.buckets)
        return self.spans(prepared, model)

    def spans(self, prepared: Prepared, model: RouteModel | None = None) -> list[TechniqueSpan]:
        """Spans for already prepared candidates (the bench prepares each article once)."""
        model = model or self.routes[prepared.route]
        found = []
        if prepared.candidates:
            starts = np.array([c.start for c in prepared.candidates])
            ends = np.array([c.end for c in prepared.candidates])
            scores = model.scores(prepared.dense, prepared.hashed)
            for s, e, k, score in decode(starts, ends, scores, model.thresholds):
                found.append(TechniqueSpan(s, e, MODEL_TECHNIQUES[k], round(score, 4)))
        for s, e in find_fake_labels(prepared.text, prepared.sentences):
            found.append(TechniqueSpan(s, e, LABELLING_FAKE, RULE_SCORE))
        return sorted(found, key=lambda t: (t.start, -t.end, t.technique))


def thresholds_from(mapping: Mapping[str, float]) -> np.ndarray:
    """A threshold per model technique from a name -> value mapping (missing: never fire)."""
    return np.array([float(mapping.get(t, np.inf)) for t in MODEL_TECHNIQUES])
