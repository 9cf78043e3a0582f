"""Check-worthiness: how likely a sentence is a factual claim worth fact-checking, in [0, 1].

The model is a logistic regression over the sentence embedding plus a few cheap hand features
(numbers, money and percent cues, length, pronouns, modal words...). It is trained by
``scripts/train_checkworthy.py`` and shipped as ``narrascope/models/checkworthy.npz``; at run
time it needs numpy and an :class:`~narrascope.embeddings.Embedder` only.

Training combines two labelled sets that mean different things by "check-worthy": ClaimBuster
(any check-worthy factual sentence; 29% positive) and CLEF-2019 CheckThat! (the lines a
fact-checker actually picked; 3% positive). One logistic regression is fitted per set and their
logits are added with fixed weights; adding logits keeps the model linear, so the sum folds back
into one weight vector. A last one-dimensional fit maps the summed logit onto ClaimBuster's labels,
so 0.5 means "check-worthy in ClaimBuster's sense" and ``enrich.min_checkworthiness`` can use it.
``narrascope bench checkworthy`` measures the recipe; models/README.md records the comparison
that chose it.

Each sentence is scored on its own: feeding the neighbouring sentences' embeddings lowered
leave-one-debate-out MAP (ClaimBuster sentences come without context), so there is no context input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..embeddings import Embedder
from ..errors import ConfigError
from ..models import ShippedModel

FORMAT = 1
MODEL_FILE = "checkworthy.npz"


def _words(words: str) -> re.Pattern[str]:
    alternation = "|".join(sorted(words.split(), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.I)


# Cue lists are English and Russian, the two languages articles come in first. They describe
# kinds of words (scale, currency, first person), never a topic, so they carry across subjects.
_TOKEN = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?<!\d)(?:1[89]\d\d|20\d\d)(?!\d)")
_PERCENT = re.compile(r"%|(?<!\w)(?:percent\w*|per\s+cent|процент\w*)", re.I)
_MONEY = re.compile(
    r"[$€£₽¥₴₸]|(?<!\w)(?:dollar\w*|euro\w*|pound\w*|rouble\w*|ruble\w*|доллар\w*|евро|рубл\w*|тенге|гривн\w*)",
    re.I,
)
_SCALE = _words(
    r"hundreds? thousands? millions? billions? trillions? тысяч\w* млн млрд трлн миллион\w* миллиард\w* триллион\w*"
)
_FIRST = _words("i me my mine we us our ours я меня мне мой моя моё мое мои мы нас нам наш наша наше наши")
_SECOND = _words("you your yours вы вас вам ваш ваша ваше ваши ты тебя тебе твой")
_MODAL = _words(
    """would could should might may must will shall can think believe hope want going maybe perhaps probably
    буду будет будем будут может могут должен должны надо нужно думаю считаю надеюсь хочу возможно наверное"""
)
_COMPARE = _words(
    r"""more less than most least fewer higher lower larger smaller bigger increase\w* decrease\w* rise rose fell
    doubl\w* tripl\w* больше меньше чем более менее самый самая самое самые выше ниже рост\w* сниз\w* вырос\w* упал\w*"""
)
_NEGATION = _words("not no never nobody nothing не нет никогда ни")

HAND_FEATURES = (
    "log_tokens",
    "has_digit",
    "digit_count",
    "has_year",
    "has_percent",
    "has_money",
    "has_scale_word",
    "first_person",
    "second_person",
    "is_question",
    "modal",
    "comparative",
    "capitalised",
    "negation",
)


def hand_features(texts: Sequence[str]) -> np.ndarray:
    """(n, len(HAND_FEATURES)): cues that a sentence states a measurable fact or an opinion.

    Word-count cues are divided by the sentence length so a long sentence is not a claim merely
    for having more words; a capitalised word after the first one stands in for a named entity
    without running a tagger.
    """
    out = np.zeros((len(texts), len(HAND_FEATURES)), dtype=np.float32)
    for i, text in enumerate(texts):
        tokens = _TOKEN.findall(text)
        n = max(len(tokens), 1)
        capitalised = sum(1 for tok in tokens[1:] if tok[:1].isupper())
        out[i] = (
            np.log1p(len(tokens)),
            bool(_DIGIT.search(text)),
            min(len(_DIGIT.findall(text)), 10) / 10,
            bool(_YEAR.search(text)),
            bool(_PERCENT.search(text)),
            bool(_MONEY.search(text)),
            bool(_SCALE.search(text)),
            len(_FIRST.findall(text)) / n,
            len(_SECOND.findall(text)) / n,
            text.rstrip().endswith("?"),
            len(_MODAL.findall(text)) / n,
            bool(_COMPARE.search(text)),
            capitalised / n,
            len(_NEGATION.findall(text)) / n,
        )
    return out


def features(texts: Sequence[str], embeddings: np.ndarray) -> np.ndarray:
    """The model's input: each sentence's embedding followed by its hand features."""
    embeddings = np.asarray(embeddings, dtype=np.float32)
    if embeddings.shape[0] != len(texts):
        raise ValueError(f"{len(texts)} texts but {embeddings.shape[0]} embeddings")
    return np.hstack([embeddings, hand_features(texts)])


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40.0, 40.0)))


class CheckworthinessModel(ShippedModel):
    """sigmoid(((x - mean) / scale) · weights + bias) over :func:`features`."""

    def __init__(
        self,
        weights: np.ndarray,
        bias: float,
        mean: np.ndarray,
        scale: np.ndarray,
        embedder: str,
        dim: int,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.weights = np.asarray(weights, dtype=np.float64)
        self.bias = float(bias)
        self.mean = np.asarray(mean, dtype=np.float64)
        self.scale = np.asarray(scale, dtype=np.float64)
        self.embedder = embedder
        self.dim = int(dim)
        self.metadata = dict(metadata or {})
        width = self.dim + len(HAND_FEATURES)
        if not (self.weights.shape == self.mean.shape == self.scale.shape == (width,)):
            raise ConfigError(
                f"check-worthiness model expects {width} weights, means and scales for a {self.dim}-d "
                f"embedder plus {len(HAND_FEATURES)} hand features"
            )

    _model_file = MODEL_FILE
    _shipped = "shipped check-worthiness model"

    @classmethod
    def _read(cls, path: Path, source: str) -> CheckworthinessModel:
        try:
            with np.load(path, allow_pickle=False) as data:
                if int(data["format"]) != FORMAT:
                    raise ConfigError(f"model format {int(data['format'])}, expected {FORMAT}", source=source)
                names = tuple(str(x) for x in data["hand_features"])
                if names != HAND_FEATURES:
                    # The file was trained on other hand features than this code computes.
                    raise ConfigError(
                        "model was trained with different hand features; retrain it", source=source
                    )
                return cls(
                    weights=data["weights"],
                    bias=float(data["bias"]),
                    mean=data["mean"],
                    scale=data["scale"],
                    embedder=str(data["embedder"]),
                    dim=int(data["dim"]),
                    metadata=json.loads(str(data["metadata"])),
                )
        except (OSError, KeyError, ValueError) as exc:
            raise ConfigError(f"cannot read check-worthiness model: {exc}", source=source) from exc

    def save(self, path: str | Path) -> None:
        # float32 halves the file and changes scores by less than 1e-6.
        with open(path, "wb") as fh:
            np.savez_compressed(
                fh,
                format=np.int64(FORMAT),
                weights=self.weights.astype(np.float32),
                bias=np.float64(self.bias),
                mean=self.mean.astype(np.float32),
                scale=self.scale.astype(np.float32),
                embedder=np.str_(self.embedder),
                dim=np.int64(self.dim),
                hand_features=np.array(HAND_FEATURES),
                metadata=np.str_(json.dumps(self.metadata, sort_keys=True)),
            )

    def check_embedder(self, embedder: Embedder) -> None:
        if embedder.name != self.embedder or embedder.dim != self.dim:
            raise ConfigError(
                f"check-worthiness model was trained on {self.embedder} ({self.dim}-d) embeddings, "
                f"not {embedder.name} ({embedder.dim}-d)"
            )

    def score_features(self, x: np.ndarray) -> np.ndarray:
        return sigmoid(
            ((np.asarray(x, dtype=np.float64) - self.mean) / self.scale) @ self.weights + self.bias
        )

    def score(self, texts: Sequence[str], embedder: Embedder | None = None) -> np.ndarray:
        """Check-worthiness of each text, shape (n,), in [0, 1]."""
        if embedder is None:
            from ..embeddings import USEEmbedder

            embedder = USEEmbedder()
        self.check_embedder(embedder)
        texts = list(texts)
        if not texts:
            return np.zeros(0, dtype=np.float64)
        return self.score_features(features(texts, embedder.embed(texts)))
