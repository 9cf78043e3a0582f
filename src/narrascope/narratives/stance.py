"""Stance of a text toward a claim: support, oppose, discuss or unrelated, with the sentences that show it.

Trained on FNC-1 (headline vs article body: agree → support, disagree → oppose, discuss,
unrelated) by ``scripts/train_stance.py``; shipped as ``narrascope/models/stance.npz`` and run
with numpy and an :class:`~narrascope.embeddings.Embedder` only. Three models, stacked:

1. a **sentence model** (multinomial logistic regression) gives each sentence close to the claim
   its own stance (support / oppose / discuss) from its vector, its product with the claim vector
   and its cue words; these are the evidence labels, and their maximum, mean and value at the
   closest sentence feed the pair model;
2. a **text model** (a small MLP) reads the text's mean vector and the mean of its closest
   sentences, alone and multiplied by the claim vector: the stance of the article as a whole;
3. a **pair model** (gradient-boosted trees, evaluated by :mod:`.small_models`) decides from the
   similarity, overlap and cue features of :mod:`.stance_features`, the two models' outputs, and
   the claim's *familiarity*: its highest cosine to the claims the first two models learned from.

The first two models learn the claims they were trained on as much as stance itself: on new
bodies of a known claim they are strong, on a new claim they are weak (and never find "oppose").
So the pair model was trained on their out-of-fold outputs twice: once with folds by body (the
claim was known to them; familiarity near 1) and once with folds by claim (it was not), and it
learned from familiarity how far to trust them. A user's thesis is a new claim: the pair model
then leans on the similarity and cue features. models/README.md has the training command and the
figures for both cases.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..embeddings import Embedder
from ..errors import ConfigError
from ..models import ShippedModel
from .small_models import DenseNet, TreeEnsemble
from .stance_features import (
    CUE_NAMES,
    PAIR_FEATURES,
    TOP,
    PreparedClaim,
    PreparedText,
    cosines,
    pair_features,
    prepare_claim,
    prepare_text,
    sentence_inputs,
    text_inputs,
    top_sentences,
)
from .techniques_candidates import split_sentences

FORMAT = 1
MODEL_FILE = "stance.npz"
LABELS = ("support", "oppose", "discuss", "unrelated")
SENTENCE_LABELS = LABELS[:3]
FNC_LABELS = {"agree": "support", "disagree": "oppose", "discuss": "discuss", "unrelated": "unrelated"}
CANDIDATES = 5  # sentences closest to the claim that get their own stance (evidence candidates)
MAX_EVIDENCE = 3
FAMILIARITY = "claim_familiarity"
AGGREGATES = tuple(f"sentence_{label}_{how}" for how in ("max", "mean", "closest") for label in SENTENCE_LABELS)
TEXT_OUTPUTS = tuple(f"text_{label}" for label in SENTENCE_LABELS)
FEATURES = (*PAIR_FEATURES, *AGGREGATES, *TEXT_OUTPUTS, FAMILIARITY)


@dataclass(frozen=True, slots=True)
class SentenceStance:
    """One sentence of the text (character offsets) and its own stance toward the claim."""

    start: int
    end: int
    label: str
    score: float


@dataclass(frozen=True, slots=True)
class StanceResult:
    label: str
    score: float
    probabilities: dict[str, float]
    evidence: list[SentenceStance] = field(default_factory=list)


@dataclass(slots=True)
class PairInputs:
    """What the three models read for one pair; the training script builds the same."""

    features: np.ndarray  # PAIR_FEATURES
    rows: np.ndarray  # indices of the CANDIDATES sentences closest to the claim, closest first
    cos: np.ndarray  # cosine of every sentence to the claim
    sentences: np.ndarray  # sentence-model inputs of ``rows``
    text: np.ndarray  # text-model input
    claim: np.ndarray  # the claim's vector, for its familiarity


def pair_inputs(claim: PreparedClaim, text: PreparedText) -> PairInputs:
    cos = cosines(claim, text)
    rows = top_sentences(cos, CANDIDATES)
    return PairInputs(pair_features(claim, text, cos), rows, cos, sentence_inputs(claim, text, rows, cos),
                      text_inputs(claim, text, cos), claim.vector)


def aggregate(sentence_probs: np.ndarray) -> np.ndarray:
    """AGGREGATES of one pair from its candidates' probabilities (closest first)."""
    p = np.asarray(sentence_probs, dtype=np.float32)[:TOP]
    if not len(p):
        return np.zeros(len(AGGREGATES), dtype=np.float32)
    return np.concatenate([p.max(axis=0), p.mean(axis=0), p[0]])


def familiarity(claims: np.ndarray, memory: np.ndarray) -> np.ndarray:
    """Highest cosine of each claim vector to the remembered training claims (0 with none)."""
    claims = np.atleast_2d(np.asarray(claims, dtype=np.float32))
    if not len(memory):
        return np.zeros(len(claims), dtype=np.float32)
    return (claims @ np.asarray(memory, dtype=np.float32).T).max(axis=1)


class StanceModel(ShippedModel):
    """``memory`` holds the vectors of the claims the sentence and text models were trained on."""

    def __init__(self, sentence: DenseNet, text: DenseNet, pair: TreeEnsemble, memory: np.ndarray, embedder: str,
                 dim: int, metadata: Mapping[str, Any] | None = None) -> None:
        self.sentence, self.text, self.pair = sentence, text, pair
        self.memory = np.asarray(memory, dtype=np.float32).reshape(-1, int(dim))
        self.embedder, self.dim = embedder, int(dim)
        self.metadata = dict(metadata or {})
        self._texts: dict[tuple, PreparedText] = {}
        self._claims: dict[tuple, PreparedClaim] = {}
        if len(pair.baseline) != len(LABELS) or pair.n_features > len(FEATURES):
            raise ConfigError(f"stance pair model must score {len(LABELS)} labels from {len(FEATURES)} features")
        if sentence.n_inputs != 2 * self.dim + 2 * len(CUE_NAMES) + 1 or text.n_inputs != 4 * self.dim:
            raise ConfigError(f"stance model inputs do not fit a {self.dim}-d embedder")

    # -- files ---------------------------------------------------------------------------------

    _model_file = MODEL_FILE
    _shipped = "shipped stance model"

    @classmethod
    def _read(cls, path: Path, source: str) -> StanceModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                if int(data["format"]) != FORMAT:
                    raise ConfigError(f"stance model format {int(data['format'])}, expected {FORMAT}", source=source)
                if tuple(str(x) for x in data["features"]) != FEATURES:
                    raise ConfigError("stance model was trained on other features; retrain it", source=source)
                return cls(DenseNet.from_arrays(data, "sentence_"), DenseNet.from_arrays(data, "text_"),
                           TreeEnsemble.from_arrays(data, "pair_"), data["memory"], str(data["embedder"]),
                           int(data["dim"]),
                           json.loads(str(data["metadata"])))
        except ConfigError as exc:
            exc.source = exc.source or source
            raise
        except Exception as exc:  # a bad zip, a missing array, a wrong shape: all one message
            reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            raise ConfigError(f"cannot read stance model ({' '.join(reason.split())})", source=source) from exc

    def save(self, path: str | Path) -> None:
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh, format=np.int64(FORMAT), features=np.array(FEATURES), embedder=np.str_(self.embedder),
                dim=np.int64(self.dim), metadata=np.str_(json.dumps(self.metadata, sort_keys=True)),
                memory=self.memory.astype(np.float16),  # training rounds it so too (training.stance.fit)
                **self.sentence.arrays("sentence_"), **self.text.arrays("text_"), **self.pair.arrays("pair_"),
            )

    def check_embedder(self, embedder: Embedder) -> None:
        if embedder.name != self.embedder or embedder.dim != self.dim:
            raise ConfigError(f"stance model was trained on {self.embedder} ({self.dim}-d) embeddings, "
                              f"not {embedder.name} ({embedder.dim}-d)")

    # -- scoring -------------------------------------------------------------------------------

    def predict(self, claim: str, text: str, embedder: Embedder,
                sentences: Sequence[tuple[int, int]] | None = None) -> StanceResult:
        """Stance of ``text`` toward ``claim``; ``sentences`` are its sentence spans (found by
        punctuation when not given). Scoring one text against several claims embeds it once."""
        return self.predict_many([(claim, text, sentences)], embedder)[0]

    def predict_many(self, pairs: Iterable[tuple], embedder: Embedder) -> list[StanceResult]:
        """``pairs`` of ``(claim, text)`` or ``(claim, text, sentences)``; every claim and sentence
        is embedded in one batch."""
        self.check_embedder(embedder)
        items = [(p[0], p[1], p[2] if len(p) > 2 else None) for p in pairs]
        if not items:
            return []
        texts: dict[tuple, tuple[str, list[tuple[int, int]]]] = {}
        for _, text, spans in items:
            spans = _clean_spans(text, spans)
            texts.setdefault((embedder.name, text, tuple(spans)), (text, spans))
        claims = {(embedder.name, c): c for c, _, _ in items}
        needed = [k for k in texts if k not in self._texts]
        wanted_claims = [k for k in claims if k not in self._claims]
        strings = [c for _, c in wanted_claims]
        for k in needed:
            text, spans = texts[k]
            strings += [text[s:e] for s, e in spans]
        vectors = embedder.embed(strings) if strings else np.zeros((0, self.dim), np.float32)
        prepared_claims = {k: prepare_claim(k[1], vectors[i]) for i, k in enumerate(wanted_claims)}
        prepared_texts, pos = {}, len(wanted_claims)
        for k in needed:
            text, spans = texts[k]
            prepared_texts[k] = prepare_text(text, spans, vectors[pos:pos + len(spans)])
            pos += len(spans)
        # Keep this batch's texts and a few hundred claims: a runner that scores one article
        # against every thesis in turn embeds the article once.
        known_claims = {**self._claims, **prepared_claims}
        self._texts = {k: self._texts.get(k) or prepared_texts[k] for k in texts}
        self._claims = dict(list(known_claims.items())[-256:])
        keyed = [(known_claims[(embedder.name, c)], self._texts[(embedder.name, t, tuple(_clean_spans(t, spans)))])
                 for c, t, spans in items]
        return self.predict_prepared(keyed)

    def predict_prepared(self, pairs: Sequence[tuple[PreparedClaim, PreparedText]]) -> list[StanceResult]:
        inputs = [pair_inputs(c, t) for c, t in pairs]
        probs = self.combine(inputs)
        return [self._result(t, x, p, s) for (_, t), x, (p, s) in zip(pairs, inputs, probs, strict=True)]

    def combine(self, inputs: Sequence[PairInputs]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per pair: (label probabilities in LABELS order, its candidates' sentence probabilities)."""
        if not inputs:
            return []
        counts = [len(x.rows) for x in inputs]
        stacked = np.vstack([x.sentences for x in inputs])
        sentence_p = self.sentence.proba(stacked) if len(stacked) else np.zeros((0, 3), np.float32)
        per_pair = np.split(sentence_p, np.cumsum(counts)[:-1])
        text_p = self.text.proba(np.vstack([x.text for x in inputs]))
        known = familiarity(np.vstack([i.claim for i in inputs]), self.memory)
        x = np.hstack([np.vstack([i.features for i in inputs]), np.vstack([aggregate(p) for p in per_pair]), text_p,
                       known[:, None]])
        label_p = self.pair.proba(x)
        for i, n in enumerate(counts):
            if n == 0:  # no sentence at all: nothing in the text can bear on the claim
                label_p[i] = np.eye(len(LABELS))[LABELS.index("unrelated")]
        return list(zip(label_p, per_pair, strict=True))

    def _result(self, text: PreparedText, x: PairInputs, probs: np.ndarray, sentence_p: np.ndarray) -> StanceResult:
        k = int(np.argmax(probs))
        label = LABELS[k]
        evidence: list[SentenceStance] = []
        if label != "unrelated" and len(x.rows):
            own = sentence_p.argmax(axis=1)
            # The candidates that take the text's stance themselves, the likeliest and closest first;
            # failing any, the sentence closest to the claim, with its own label.
            order = [i for i in np.argsort(-(sentence_p[:, k] * np.maximum(x.cos[x.rows], 0)), kind="stable")
                     if own[i] == k][:MAX_EVIDENCE] or [0]
            for i in order:
                s, e = text.spans[int(x.rows[i])]
                evidence.append(SentenceStance(s, e, SENTENCE_LABELS[int(own[i])], round(float(sentence_p[i].max()), 4)))
        return StanceResult(label, round(float(probs[k]), 4),
                            {name: round(float(p), 4) for name, p in zip(LABELS, probs, strict=True)}, evidence)


def _clean_spans(text: str, spans: Sequence[tuple[int, int]] | None) -> list[tuple[int, int]]:
    if spans is None:
        return split_sentences(text)
    return [(int(s), int(e)) for s, e in spans if 0 <= s < e <= len(text) and text[s:e].strip()]


def stance_records(batch: list[dict], model: StanceModel, embedder: Embedder) -> list[dict]:
    """``{"id", "claim", "text"}`` records → ``{"id", "label", "score"}``, in order."""
    results = model.predict_many([(r["claim"], r["text"]) for r in batch], embedder)
    return [{"id": rec.get("id"), "label": r.label, "score": r.score} for rec, r in zip(batch, results, strict=True)]
