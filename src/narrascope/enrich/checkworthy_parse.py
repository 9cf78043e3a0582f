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
calibrated on ClaimBuster; see ``scripts/train_checkworthy.py``) is shipped as
``narrascope/models/checkworthy_en_parse.npz``. Scoring costs microseconds per claim because the
parse is reused; the USE model (:class:`.checkworthy.CheckworthinessModel`) stays for languages
without a spaCy parse. models/README.md compares the two.

Token vectors come from spaCy's model, so a file is tied to the model that made its training
features: loading checks the model name and tensor width, and scoring a doc from another model
raises :class:`~narrascope.errors.ConfigError`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError
from .checkworthy import HAND_FEATURES, fit_linear, hand_features, sigmoid

FORMAT = 1
MODEL_FILE = "checkworthy_en_parse.npz"

UPOS = tuple("ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X".split())
# Penn tags for tense, modality, comparison, numbers, persons and questions.
TAGS = tuple("VBD VBN VBZ VBP VBG VB MD JJR RBR JJS RBS CD PRP PRP$ WDT WP WRB UH EX".split())
ENTITY_LABELS = tuple(
    """CARDINAL DATE EVENT FAC GPE LANGUAGE LAW LOC MONEY NORP ORDINAL ORG PERCENT PERSON PRODUCT QUANTITY
    TIME WORK_OF_ART""".split()
)
# 2^14 buckets for words and word pairs: 2^12 unigram buckets gave leave-one-debate-out MAP
# .2306 at the same scale, 2^14 with pairs .2306 -> see models/README.md for the chosen setting.
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


def span_features(doc, spans: Sequence[tuple[int, int]]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Dense features (n, len(feature_names)) and the bag-of-words buckets of each span.

    ``doc`` is a parsed spaCy ``Doc`` with a tensor; ``spans`` are character offsets into
    ``doc.text``, widened to whole tokens.
    """
    from spacy.attrs import ENT_IOB, ENT_TYPE, IS_PUNCT, IS_SPACE, LOWER, POS, TAG

    if doc.tensor is None or doc.tensor.ndim != 2 or doc.tensor.shape[0] != len(doc):
        raise ConfigError("the spaCy doc has no token tensor (a pipeline without tok2vec?)")
    ids = _Ids(doc.vocab.strings)
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
        texts.append(doc.text[start:end])
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
        dense[row, at : at + n_tags] = np.concatenate(
            [(part[:, 0, None] == ids.pos).sum(axis=0), (part[:, 1, None] == ids.tag).sum(axis=0)]
        ) / n
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
