"""Relation models behind one interface: ``probabilities(pairs) -> (n, 3)``.

Each row is (entailment, neutral, contradiction) of the second text given the first. Three
implementations:

* :class:`~narrascope.link.crossencoder.CrossEncoderNLI`: English pairs, MiniLM-L6 read as a
  cross-encoder;
* :class:`~narrascope.link.crossencoder.MultilingualCrossEncoderNLI`: the same reader over
  multilingual-e5-small: Russian and Russian-English pairs;
* :class:`USEPairHead`: any language pair, a small network over the two multilingual USE vectors
  (``models/relation_use.npz``): cheap, weak; it screens English pairs, reads pairs in other
  languages, and every pair with ``relation_model = "use"``;
* :class:`RoutedRelationModel`: English pairs to the first, the rest to the second.

:class:`FixedRelationModel` is the test double. A pair item is ``(a, b)`` texts, or a
:class:`PairInput` when the caller knows the languages and already holds the USE vectors (the
link stage does: they are cached in the store).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ConfigError
from ..models import ShippedModel, meta_digest, read_arrays

LABELS = ("entailment", "neutral", "contradiction")


@dataclass(frozen=True, slots=True)
class PairInput:
    a: str
    b: str
    lang_a: str = "en"
    lang_b: str = "en"
    vec_a: np.ndarray | None = None  # unit USE vectors, when known
    vec_b: np.ndarray | None = None


class RelationModel(Protocol):
    name: str

    def probabilities(self, pairs: Sequence[PairInput]) -> np.ndarray:
        """(n, 3): entailment, neutral, contradiction of ``b`` given ``a``."""
        ...


class FixedRelationModel:
    """Probabilities given up front by (a, b) text; ``default`` for any other pair."""

    name = "fixed"

    def __init__(self, table: Mapping[tuple[str, str], Sequence[float]] | None = None,
                 default: Sequence[float] = (0.0, 1.0, 0.0)) -> None:
        self.table = {k: tuple(v) for k, v in (table or {}).items()}
        self.default = tuple(default)
        self.calls: list[tuple[str, str]] = []

    def probabilities(self, pairs: Sequence[PairInput]) -> np.ndarray:
        rows = []
        for p in pairs:
            self.calls.append((p.a, p.b))
            rows.append(self.table.get((p.a, p.b), self.default))
        return np.array(rows, dtype=np.float32).reshape(len(rows), 3)


# The layout of :func:`pair_features`, recorded in the model file: a file trained on another
# layout is refused at load.
PAIR_FEATURES = "u,v,|u-v|,u*v"


def pair_features(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """What :class:`USEPairHead` reads of two (n, d) unit vector arrays: the vectors themselves,
    their distance |u-v| and product u*v, side by side (InferSent's layout; see
    :data:`PAIR_FEATURES`). Not symmetric: which sentence comes first matters to entailment."""
    return np.hstack([u, v, np.abs(u - v), u * v]).astype(np.float32)


class USEPairHead(ShippedModel):
    """A small ReLU network over :func:`pair_features` of the USE vectors."""

    __slots__ = ("embed", "meta", "weights")
    _model_file = "relation_use.npz"
    _shipped = "shipped multilingual relation model"
    name = "use-pair-head"

    @classmethod
    def _read(cls, path: Path, source: str) -> USEPairHead:
        arrays, meta = read_arrays(path, source)
        try:
            weights = [(arrays[f"w{i}"].astype(np.float32), arrays[f"b{i}"].astype(np.float32))
                       for i in range(int(meta["layers"]))]
        except (ValueError, KeyError) as exc:
            raise ConfigError(f"{source}: not a relation model file ({exc})") from exc
        if meta.get("features") != PAIR_FEATURES or weights[0][0].shape[0] != 4 * int(meta.get("dim", 0)):
            raise ConfigError(f"{source}: a relation model over other features ({meta.get('features', 'u*v,|u-v|,cos')!r}; "
                              f"this version reads {PAIR_FEATURES!r}): rebuild it with scripts/train_relation_use.py")
        self = cls.__new__(cls)
        self.weights, self.meta, self.embed = weights, meta, None
        return self

    @property
    def version(self) -> str:
        """A digest of the file's metadata (its training run): stored links judged by another are
        judged again."""
        return meta_digest(self.meta)

    def probabilities(self, pairs: Sequence[PairInput]) -> np.ndarray:
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        u = self._vectors([p.a for p in pairs], [p.vec_a for p in pairs])
        v = self._vectors([p.b for p in pairs], [p.vec_b for p in pairs])
        return self.from_vectors(u, v)

    def from_vectors(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        x = pair_features(u, v)
        for i, (w, b) in enumerate(self.weights):
            x = x @ w + b
            if i < len(self.weights) - 1:
                x = np.maximum(x, 0.0)
        x -= x.max(axis=1, keepdims=True)
        p = np.exp(x)
        return p / p.sum(axis=1, keepdims=True)

    def _vectors(self, texts: list[str], given: list[np.ndarray | None]) -> np.ndarray:
        missing = [i for i, v in enumerate(given) if v is None]
        out = [None if v is None else np.asarray(v, dtype=np.float32) for v in given]
        if missing:
            if self.embed is None:
                from ..embeddings import USEEmbedder

                self.embed = USEEmbedder().embed
            for i, vec in zip(missing, self.embed([texts[i] for i in missing]), strict=True):
                out[i] = vec
        return np.vstack(out)


class LazyRelationModel:
    """A relation model loaded when it first reads a pair (a corpus in English alone never loads
    the multilingual reader)."""

    def __init__(self, name: str, load: Callable[[], RelationModel], version: str = "") -> None:
        self.name, self._load, self._model, self.version = name, load, None, version

    def loaded(self) -> RelationModel:
        if self._model is None:
            self._model = self._load()
        return self._model

    def probabilities(self, pairs: Sequence[PairInput]) -> np.ndarray:
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        return self.loaded().probabilities(pairs)


class RoutedRelationModel:
    """English-English pairs to ``english``, every other pair to ``other``; ``screener`` (default
    ``other``), when it reads vectors, screens the English pairs (:meth:`screen`)."""

    def __init__(self, english: RelationModel, other: RelationModel,
                 is_english: Callable[[str], bool] = lambda lang: (lang or "en").startswith("en"),
                 screener: RelationModel | None = None) -> None:
        self.english, self.other, self.is_english = english, other, is_english
        self.screener = screener or other
        self.name = f"{english.name}+{other.name}"
        self.version = "+".join(getattr(m, "version", "") for m in (english, other))

    def probabilities(self, pairs: Sequence[PairInput]) -> np.ndarray:
        out = np.zeros((len(pairs), 3), dtype=np.float32)
        en = [i for i, p in enumerate(pairs) if self.is_english(p.lang_a) and self.is_english(p.lang_b)]
        rest = sorted(set(range(len(pairs))) - set(en))
        for model, idx in ((self.english, en), (self.other, rest)):
            if idx:
                out[idx] = model.probabilities([pairs[i] for i in idx])
        return out

    def screen(self, pairs: Sequence[PairInput], threshold: float) -> np.ndarray:
        """Which pairs the English model should read: those the cheap model (``screener``, when it
        reads vectors) does not call plainly neutral — entailment or contradiction at or above
        ``threshold`` either way round. Pairs ``other`` answers for itself always pass."""
        keep = np.ones(len(pairs), dtype=bool)
        from_vectors = getattr(self.screener, "from_vectors", None)
        en = [i for i, p in enumerate(pairs) if self.is_english(p.lang_a) and self.is_english(p.lang_b)
              and p.vec_a is not None and p.vec_b is not None]
        if from_vectors is None or not en or threshold <= 0:
            return keep
        u = np.vstack([pairs[i].vec_a for i in en])
        v = np.vstack([pairs[i].vec_b for i in en])
        p = np.maximum(from_vectors(u, v), from_vectors(v, u))
        keep[en] = np.maximum(p[:, 0], p[:, 2]) >= threshold
        return keep


def weak_reader(model: RelationModel, pair: PairInput) -> bool:
    """Whether ``pair`` is read by the weaker reader (any pair not English on both sides, or the USE
    head): its verdicts need more (``RelateParams.weak``)."""
    if isinstance(model, RoutedRelationModel):
        return not (model.is_english(pair.lang_a) and model.is_english(pair.lang_b))
    return isinstance(model, USEPairHead)


def build_relation_model(name: str = "shipped") -> RelationModel:
    """A new relation model ``name`` (see :func:`narrascope.models.registry.load_relation_model`)."""
    if name == "shipped":
        from .crossencoder import CrossEncoderNLI, MultilingualCrossEncoderNLI

        use = USEPairHead.load()
        multilingual = LazyRelationModel(MultilingualCrossEncoderNLI.name, MultilingualCrossEncoderNLI.load,
                                         MultilingualCrossEncoderNLI.shipped_version())
        # The multilingual reader only where the rules that check it know the words (link/direction.py:
        # English and Russian); a pair in any other language stays with the USE head, which is
        # rarely 0.9 sure of anything (it read "Ціни зросли" / "Ціни впали" as related, the
        # cross-encoder as the same at .9).
        other = RoutedRelationModel(multilingual, use, is_english=lambda lang: (lang or "en")[:2] in ("en", "ru"))
        model: RelationModel = RoutedRelationModel(CrossEncoderNLI.load(), other, screener=use)
    elif name == "use":
        model = USEPairHead.load()
    elif name == "none":
        model = FixedRelationModel(default=(0.0, 1.0, 0.0))
        model.name = "none"
    else:
        raise ConfigError(f"link.relation_model: unknown model {name!r} (shipped, use or none)")
    return model
