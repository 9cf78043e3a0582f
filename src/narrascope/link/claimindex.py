"""Every check-worthy claim's vector in one nearest-neighbour index, filled from the store in batches.

The link stage never holds the corpus's claims: it reads their ids and spans a page of articles
at a time (:meth:`~narrascope.store.linking.LinkStore.claim_spans`), then their vectors from the
store's vector cache in batches straight into a faiss index (embedding only the spans not cached
yet, with their articles read for the purpose). What stays in memory is the index (4 bytes per
dimension per claim) and two id strings per claim. Small collections get an exact flat index;
larger ones an inverted file (:mod:`.neighbors`), trained on a sample read first.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import neighbors
from .claims import said_span
from .neighbors import NPROBE
from .vectors import VectorCache, span_key

# Vectors read from the store per query; claims searched per faiss call.
READ_BATCH = 5000
# Claims sampled per inverted-file bucket to train the buckets (faiss asks for 39 or more).
TRAIN_PER_LIST = 40


@dataclass(slots=True)
class ClaimIndex:
    claim_ids: list[str]
    article_ids: list[str]
    spans: np.ndarray  # (n, 2) int64: the said span of each claim
    index: object = None
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def scan(cls, store, threshold: float, timings: dict[str, float] | None = None) -> ClaimIndex:
        """The claims' ids and spans, read a page at a time; no vectors yet (:meth:`fill`)."""
        started = time.perf_counter()
        claim_ids: list[str] = []
        article_ids: list[str] = []
        spans: list[tuple[int, int]] = []
        for page in store.claim_spans(threshold):
            for cid, aid, start, end, attr_start, attr_end in page:
                claim_ids.append(cid)
                article_ids.append(aid)
                spans.append(said_span(start, end, attr_start, attr_end))
        out = cls(claim_ids, article_ids, np.asarray(spans, dtype=np.int64).reshape(-1, 2),
                  timings=timings if timings is not None else {})
        out.timings["read"] = out.timings.get("read", 0.0) + time.perf_counter() - started
        return out

    def fill(self, store, cache: VectorCache, *, exact_max: int | None = None, nprobe: int = NPROBE) -> ClaimIndex:
        """Reads every claim's vector from the cache, a batch at a time, into the index."""
        import faiss

        started = time.perf_counter()
        n, dim = len(self), cache.embedder.dim
        if n <= (neighbors.EXACT_MAX if exact_max is None else exact_max):
            self.index = faiss.IndexFlatIP(dim)
        else:
            nlist = max(1, min(int(4 * math.sqrt(n)), n // TRAIN_PER_LIST))
            sample = np.sort(np.random.default_rng(0).choice(n, size=min(n, TRAIN_PER_LIST * nlist), replace=False))
            self.index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
            self.index.train(self._read(store, cache, sample))
            self.index.nprobe = nprobe
        for lo in range(0, n, READ_BATCH):
            self.index.add(self._read(store, cache, np.arange(lo, min(n, lo + READ_BATCH))))
        if hasattr(self.index, "make_direct_map"):
            self.index.make_direct_map()
        self.timings["read"] = self.timings.get("read", 0.0) + time.perf_counter() - started
        return self

    def __len__(self) -> int:
        return len(self.claim_ids)

    def key(self, pos: int) -> str:
        start, end = self.spans[pos]
        return span_key(self.article_ids[pos], int(start), int(end))

    def _read(self, store, cache: VectorCache, positions: np.ndarray) -> np.ndarray:
        """Vectors of claims by position, from the cache; spans not cached are embedded (and cached)."""
        keys = [self.key(int(p)) for p in positions]
        found = cache.store.load_vectors(cache.embedder.name, "span", keys)
        missing = [int(p) for p, k in zip(positions, keys, strict=True) if k not in found]
        if missing:
            texts = {a.id: a.text for a in get_articles(store, sorted({self.article_ids[p] for p in missing}))}
            items = [(self.key(p), texts[self.article_ids[p]][self.spans[p][0] : self.spans[p][1]]) for p in missing]
            found.update(zip((k for k, _ in items), cache.vectors("span", items), strict=True))
        return np.ascontiguousarray(np.stack([found[k] for k in keys]), dtype=np.float32).reshape(-1, cache.embedder.dim)

    def vectors(self, positions: list[int] | np.ndarray) -> np.ndarray:
        ids = np.asarray(positions, dtype=np.int64)
        if not len(ids):
            return np.zeros((0, self.index.d), dtype=np.float32)
        return self.index.reconstruct_batch(ids)

    def by_bucket(self, positions: np.ndarray) -> np.ndarray:
        """``positions`` ordered by their inverted-file bucket (as they are, for an exact index), so
        that claims searched together have their neighbours in few places."""
        if len(positions) == 0 or not hasattr(self.index, "quantizer"):
            return positions
        buckets = np.concatenate([self.index.quantizer.search(self.vectors(positions[lo : lo + READ_BATCH]), 1)[1][:, 0]
                                  for lo in range(0, len(positions), READ_BATCH)])
        return positions[np.argsort(buckets, kind="stable")]

    def search(self, positions: np.ndarray, k: int) -> np.ndarray:
        """For each claim at ``positions``, its ``k`` nearest other claims (positions, -1 where none),
        closest first."""
        started = time.perf_counter()
        out = np.full((len(positions), k), -1, dtype=np.int64)
        for lo in range(0, len(positions), READ_BATCH):
            rows = positions[lo : lo + READ_BATCH]
            _, idx = self.index.search(self.vectors(rows), min(k + 1, len(self)))
            for n, (row, found) in enumerate(zip(rows, idx, strict=True)):
                keep = [j for j in found if j != row and j >= 0][:k]
                out[lo + n, : len(keep)] = keep
        self.timings["search"] = self.timings.get("search", 0.0) + time.perf_counter() - started
        return out


def get_articles(store, ids: list[str], chunk: int = 500) -> list:
    """Articles by id, a few hundred per query."""
    out = []
    for i in range(0, len(ids), chunk):
        out += store.get_articles(ids[i : i + chunk])
    return out
