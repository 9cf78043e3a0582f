"""The store: every stage reads from it and writes to it, so stages can be re-run.

:class:`Store` is the interface the rest of narrascope codes against; :class:`SQLStore` is the
implementation (SQLite file by default, any SQLAlchemy URL such as ``postgresql://...``), and
``SQLStore.memory()`` is the in-memory double the tests pass in.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

import numpy as np

from ..model import Article
from .sql import DEFAULT_DB, SQLStore, database_url


@runtime_checkable
class Store(Protocol):
    def transaction(self) -> AbstractContextManager[None]: ...
    def has_article(self, article_id: str) -> bool: ...
    def add_article(
        self, article: Article, *, minhash: np.ndarray | None = None, band_keys: list[tuple[int, int]] = ()
    ) -> bool: ...
    def set_duplicate(
        self, article_id: str, of: str | None, kind: str | None, similarity: float | None
    ) -> None: ...
    def repoint_duplicates(self, old_original: str, new_original: str) -> None: ...
    def get_article(self, article_id: str) -> Article | None: ...
    def iter_articles(self) -> Iterator[Article]: ...
    def count_articles(self) -> int: ...
    def close(self) -> None: ...


def open_store(db: str = DEFAULT_DB) -> SQLStore:
    return SQLStore(db)


__all__ = ["DEFAULT_DB", "SQLStore", "Store", "database_url", "open_store"]
