"""Exact and near-duplicate detection: a syndicated copy is linked to its original, not dropped.

Exact copies share the hash of their normalised text. Near copies (a relayed article with
another headline, a line added or a footer changed) are found with MinHash over word
shingles, bucketed by locality-sensitive hashing bands that live in the store, so the check
stays cheap as the corpus grows and works across separate ``ingest`` runs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import numpy as np

_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class MinHasher:
    num_perm: int = 128
    bands: int = 16
    shingle: int = 5
    seed: int = 1

    def signature(self, text: str) -> np.ndarray:
        from datasketch import MinHash

        words = _TOKEN.findall(text.casefold())
        if len(words) < self.shingle:
            shingles = [" ".join(words).encode()]
        else:
            shingles = [
                " ".join(words[i : i + self.shingle]).encode() for i in range(len(words) - self.shingle + 1)
            ]
        m = MinHash(num_perm=self.num_perm, seed=self.seed)
        m.update_batch(shingles)
        return m.hashvalues.astype(np.uint32)

    def band_keys(self, signature: np.ndarray) -> list[tuple[int, int]]:
        rows = self.num_perm // self.bands
        keys = []
        for band in range(self.bands):
            chunk = signature[band * rows : (band + 1) * rows].tobytes()
            bucket = int.from_bytes(hashlib.blake2b(chunk, digest_size=7).digest(), "big")
            keys.append((band, bucket))
        return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """MinHash estimate of the Jaccard similarity of two shingle sets."""
    return float(np.count_nonzero(a == b)) / len(a)


class DuplicateIndex(Protocol):
    """What the deduplicator needs from the store."""

    def articles_with_content_hash(self, content_hash: str) -> list[tuple[str, datetime | None]]: ...
    def near_duplicate_candidates(self, band_keys: list[tuple[int, int]]) -> dict[str, np.ndarray]: ...
    def article_dates(self, ids: list[str]) -> dict[str, tuple[datetime | None, str | None]]: ...


@dataclass(frozen=True, slots=True)
class DuplicateMatch:
    of: str
    kind: str  # "exact" or "near"
    similarity: float


def find_duplicate(
    index: DuplicateIndex,
    *,
    article_id: str,
    content_hash: str,
    signature: np.ndarray,
    hasher: MinHasher,
    threshold: float,
) -> DuplicateMatch | None:
    """The stored article this one copies, resolved to the root of its duplicate chain."""
    exact = [aid for aid, _ in index.articles_with_content_hash(content_hash) if aid != article_id]
    if exact:
        return DuplicateMatch(_root(index, exact[0]), "exact", 1.0)
    best: tuple[float, str] | None = None
    for other, other_sig in index.near_duplicate_candidates(hasher.band_keys(signature)).items():
        if other == article_id:
            continue
        sim = similarity(signature, other_sig)
        if sim >= threshold and (best is None or sim > best[0]):
            best = (sim, other)
    if best is None:
        return None
    return DuplicateMatch(_root(index, best[1]), "near", round(best[0], 4))


class DuplicateLinks(DuplicateIndex, Protocol):
    """What re-linking copies to an earlier original needs from the store."""

    def duplicate_family(self, root: str) -> list[tuple[str, str]]: ...
    def signatures_of(self, ids: list[str]) -> dict[str, np.ndarray]: ...
    def set_duplicate(
        self, article_id: str, of: str | None, kind: str | None, similarity: float | None
    ) -> None: ...


def relink(
    store: DuplicateLinks, old_root: str, *, new_root: str, content_hash: str, signature: np.ndarray
) -> list[tuple[str, str, float | None]]:
    """Make ``new_root`` (found to be published earlier) the original of ``old_root`` and of
    every copy of it; returns the new links as (article id, kind, similarity).

    Each link is judged afresh against the new original: the old links measured something else
    (a copy's similarity to the old root, the old root's to nothing).
    """
    family = store.duplicate_family(old_root)
    sigs = store.signatures_of([aid for aid, h in family if h != content_hash])
    links = []
    for aid, their_hash in family:
        if their_hash == content_hash:
            kind, sim = "exact", 1.0
        else:
            sig = sigs.get(aid)
            kind, sim = "near", round(similarity(signature, sig), 4) if sig is not None else None
        store.set_duplicate(aid, new_root, kind, sim)
        links.append((aid, kind, sim))
    return links


def _root(index: DuplicateIndex, article_id: str) -> str:
    seen = {article_id}
    current = article_id
    while True:
        _, parent = index.article_dates([current]).get(current, (None, None))
        if parent is None or parent in seen:
            return current
        seen.add(parent)
        current = parent


def earlier(a: datetime | None, b: datetime | None) -> bool:
    """True when ``a`` is known to come before ``b``; unknown dates never win."""
    if a is None or b is None:
        return False
    return _utc(a) < _utc(b)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
