"""Every check-worthy claim's vector in one nearest-neighbour index.

The link stage never holds the corpus's claims: it reads their ids and spans a page of articles
at a time (:meth:`~narrascope.store.linking.LinkStore.claim_spans`). Their vectors come from the
claim vector folder next to the store (:mod:`.vectorfile`), which holds them from earlier runs;
only the claims it lacks are read from the store's vector cache (one bulk scan when they are most
of them, else by key), embedded when never cached, and added to it. What stays in memory is the
index (4 bytes per dimension per claim) and two id strings per claim. Small collections get an
exact flat index; larger ones an inverted file (:mod:`.neighbors`) whose buckets the folder keeps:
trained once on a sample, each claim sorted into them once, trained again only when the bucket
count suited to the claims (4 × √n) has moved more than twofold from theirs.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import neighbors
from .claims import said_span
from .neighbors import NPROBE
from .vectorfile import VectorFile
from .vectors import VectorCache, span_key

# Vectors read from the store per query; claims searched per faiss call.
READ_BATCH = 5000
# Read the store's vectors in one scan rather than by key when more than this share of the claims
# is not in the vector folder (a first run, or a folder rebuilt).
BULK_SHARE = 0.2
# Claims sampled per inverted-file bucket to train the buckets (faiss asks for 39 or more).
TRAIN_PER_LIST = 40


@dataclass(slots=True)
class ClaimIndex:
    claim_ids: list[str]
    article_ids: list[str]
    spans: np.ndarray  # (n, 2) int64: the said span of each claim
    index: object = None
    timings: dict[str, float] = field(default_factory=dict)
    file: VectorFile | None = None
    _quantizer: object = None
    buckets: np.ndarray | None = None  # each claim's inverted-file bucket (None: an exact index)

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

    def fill(self, store, cache: VectorCache, *, exact_max: int | None = None, nprobe: int | None = None) -> ClaimIndex:
        """Every claim's vector into the index: those the vector folder next to the store
        (:mod:`.vectorfile`) holds from there, the rest read from the store's cache and added to
        the folder, in bulk when most are missing (embedding any span not cached yet)."""
        started = time.perf_counter()
        n, dim = len(self), cache.embedder.dim
        keys = [self.key(p) for p in range(n)]
        self.file = VectorFile.open(store, cache.embedder.name, dim, wanted=n)
        try:
            rows = self.file.rows_for(keys)
            missing = np.flatnonzero(rows < 0)
            if len(missing):
                self._read_missing(store, cache, keys, missing)
                rows = self.file.rows_for(keys)
        except BaseException:
            self.file.close()
            raise
        read = time.perf_counter()
        self.timings["read"] = self.timings.get("read", 0.0) + read - started
        try:
            self.index = self._build(rows, exact_max, nprobe)
        finally:
            self.file.close()  # the index holds its own copy; the folder is free for the next run
        self.timings["index"] = self.timings.get("index", 0.0) + time.perf_counter() - read
        return self

    def _read_missing(self, store, cache: VectorCache, keys: list[str], missing: np.ndarray) -> None:
        """Vectors of the claims at ``missing`` into the folder: one scan of the store's vectors
        when they are most of the claims, else by key; spans never embedded are embedded now."""
        wanted = {keys[int(p)]: int(p) for p in missing}
        if len(missing) > BULK_SHARE * len(keys):
            for batch_keys, batch in store.iter_vectors(cache.embedder.name, "span"):
                take = [n for n, k in enumerate(batch_keys) if k in wanted]
                if take:
                    self.file.append([batch_keys[n] for n in take], batch[take])
                    for n in take:
                        del wanted[batch_keys[n]]
        left = sorted(wanted.values())
        for lo in range(0, len(left), READ_BATCH):
            chunk = left[lo : lo + READ_BATCH]
            found = cache.store.load_vectors(cache.embedder.name, "span", [keys[p] for p in chunk])
            absent = [p for p in chunk if keys[p] not in found]
            if absent:
                texts = {a.id: a.text for a in get_articles(store, sorted({self.article_ids[p] for p in absent}))}
                items = [(keys[p], texts[self.article_ids[p]][self.spans[p][0] : self.spans[p][1]]) for p in absent]
                found.update(zip((k for k, _ in items), cache.vectors("span", items), strict=True))
            self.file.append([keys[p] for p in chunk], np.stack([found[keys[p]] for p in chunk]))

    def _build(self, rows: np.ndarray, exact_max: int | None, nprobe: int | None):
        """The index over the folder's rows (one per claim, in claim order): exact when small,
        else an inverted file whose buckets are the folder's when they suit this many claims."""
        import faiss

        n, dim, vectors = len(rows), self.file.dim, self.file.vectors()
        if n <= (neighbors.EXACT_MAX if exact_max is None else exact_max):
            index = faiss.IndexFlatIP(dim)
            for lo in range(0, n, READ_BATCH):
                index.add(np.ascontiguousarray(vectors[rows[lo : lo + READ_BATCH]]))
            return index
        nlist = max(1, min(int(4 * math.sqrt(n)), n // TRAIN_PER_LIST))
        centroids = self.file.centroids
        if centroids is None or not nlist / 2 <= len(centroids) <= nlist * 2:
            centroids = self._train(vectors, rows, nlist)
        quantizer = faiss.IndexFlatIP(dim)
        quantizer.add(np.ascontiguousarray(centroids))
        index = faiss.IndexIVFFlat(quantizer, dim, len(centroids), faiss.METRIC_INNER_PRODUCT)
        index.is_trained = True
        index.own_fields = False
        self._quantizer = quantizer  # kept alive with the index, which does not own it
        lists = self.file.lists()
        unsorted = np.flatnonzero(lists < 0)
        for lo in range(0, len(unsorted), READ_BATCH):
            part = unsorted[lo : lo + READ_BATCH]
            lists[part] = quantizer.search(np.ascontiguousarray(vectors[part]), 1)[1][:, 0]
        lists.flush()
        self.buckets = np.asarray(lists[rows], dtype=np.int32)
        for lo in range(0, n, READ_BATCH):
            x = np.ascontiguousarray(vectors[rows[lo : lo + READ_BATCH]])
            assign = np.ascontiguousarray(lists[rows[lo : lo + READ_BATCH]], dtype=np.int64)
            index.add_core(len(x), faiss.swig_ptr(x), None, faiss.swig_ptr(assign))
        index.nprobe = NPROBE if nprobe is None else nprobe
        index.make_direct_map()
        return index

    def _train(self, vectors: np.ndarray, rows: np.ndarray, nlist: int) -> np.ndarray:
        """Bucket centres trained on a sample of the claims; every row of the folder is then
        to be sorted into them again."""
        import faiss

        n = len(rows)
        sample = np.sort(rows[np.random.default_rng(0).choice(n, size=min(n, TRAIN_PER_LIST * nlist), replace=False)])
        kmeans = faiss.IndexIVFFlat(faiss.IndexFlatIP(self.file.dim), self.file.dim, nlist, faiss.METRIC_INNER_PRODUCT)
        kmeans.train(np.ascontiguousarray(vectors[sample]))
        centroids = kmeans.quantizer.reconstruct_n(0, nlist)
        self.file.set_buckets(centroids, np.full(self.file.rows, -1, dtype=np.int32))
        return centroids

    def __len__(self) -> int:
        return len(self.claim_ids)

    def key(self, pos: int) -> str:
        start, end = self.spans[pos]
        return span_key(self.article_ids[pos], int(start), int(end))

    def vectors(self, positions: list[int] | np.ndarray) -> np.ndarray:
        ids = np.asarray(positions, dtype=np.int64)
        if not len(ids):
            return np.zeros((0, self.index.d), dtype=np.float32)
        return self.index.reconstruct_batch(ids)

    def by_bucket(self, positions: np.ndarray) -> np.ndarray:
        """``positions`` ordered by their inverted-file bucket (as they are, for an exact index), so
        that claims searched together have their neighbours in few places."""
        if len(positions) == 0 or self.buckets is None:
            return positions
        return positions[np.argsort(self.buckets[positions], kind="stable")]

    def search(self, positions: np.ndarray, k: int) -> np.ndarray:
        """For each claim at ``positions``, its ``k`` nearest other claims (positions, -1 where none),
        closest first. faiss searches each batch on every core."""
        started = time.perf_counter()
        positions = np.asarray(positions, dtype=np.int64)
        out = np.full((len(positions), k), -1, dtype=np.int64)
        for lo in range(0, len(positions), READ_BATCH):
            rows = positions[lo : lo + READ_BATCH]
            _, idx = self.index.search(self.vectors(rows), min(k + 1, len(self)))
            out[lo : lo + len(rows)] = _others(rows, idx, k)
        self.timings["search"] = self.timings.get("search", 0.0) + time.perf_counter() - started
        return out


def _others(rows: np.ndarray, found: np.ndarray, k: int) -> np.ndarray:
    """Each row's found positions without itself and the empty places, the first ``k``, -1 after."""
    keep = (found != rows[:, None]) & (found >= 0)
    order = np.argsort(~keep, axis=1, kind="stable")  # kept ones first, in their order
    out = np.take_along_axis(np.where(keep, found, -1), order, axis=1)[:, :k]
    if out.shape[1] < k:
        out = np.pad(out, ((0, 0), (0, k - out.shape[1])), constant_values=-1)
    return out


def get_articles(store, ids: list[str], chunk: int = 500) -> list:
    """Articles by id, a few hundred per query."""
    out = []
    for i in range(0, len(ids), chunk):
        out += store.get_articles(ids[i : i + chunk])
    return out
