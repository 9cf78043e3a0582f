"""The store: every stage reads from it and writes to it, so stages can be re-run.

:class:`Store` is what ingest codes against and :mod:`.protocols` holds what each analysis stage
needs (``EnrichStore``, ``LinkStore``, ``NarrativesStore``); :class:`SQLStore` implements them all
(SQLite file by default, any SQLAlchemy URL such as ``postgresql://...``; ``SQLStore.memory()`` is
an in-memory SQLite database), and :class:`MemoryStore` (:mod:`.memory`, plain dicts) is the test
double of the analysis stages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

import numpy as np

from ..model import Article
from .articles import StoreStats
from .memory import MemoryStore
from .protocols import EnrichStore, LinkStore, NarrativesStore
from .sql import DEFAULT_DB, SQLStore, database_url, display_name


@runtime_checkable
class Store(Protocol):
    def transaction(self) -> AbstractContextManager[None]: ...
    def add_article(
        self, article: Article, *, minhash: np.ndarray | None = None, band_keys: list[tuple[int, int]] = ()
    ) -> bool: ...
    def update_article(
        self, article: Article, *, minhash: np.ndarray, band_keys: list[tuple[int, int]]
    ) -> None: ...
    def stated_metadata(self, article_id: str) -> dict[str, object]: ...
    def set_duplicate(
        self, article_id: str, of: str | None, kind: str | None, similarity: float | None
    ) -> None: ...
    def duplicate_family(self, root: str) -> list[tuple[str, str]]: ...
    def signatures_of(self, ids: Iterable[str]) -> dict[str, np.ndarray]: ...
    def get_article(self, article_id: str) -> Article | None: ...
    def iter_articles(self) -> Iterator[Article]: ...
    def count_articles(self) -> int: ...
    def stats(self) -> StoreStats: ...
    def close(self) -> None: ...


__all__ = ["DEFAULT_DB", "EnrichStore", "LinkStore", "MemoryStore", "NarrativesStore", "SQLStore", "Store", "StoreStats",
           "database_url", "display_name"]
