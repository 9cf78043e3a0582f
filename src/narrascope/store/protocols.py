"""What each stage needs of the store: one protocol per stage, matching the store's parts.

The runners are typed with these, so what a stage may touch is written down in one place, and a
store other than :class:`~narrascope.store.sql.SQLStore` (the in-memory double of
:mod:`.memory`, a user's own) needs only the parts of the stages it serves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

import numpy as np

from ..model import (
    Annotations,
    Article,
    ClaimGroup,
    ClaimLink,
    Entity,
    Mention,
    Stance,
    TechniqueSpan,
    Thesis,
)


@runtime_checkable
class ArticleReader(Protocol):
    """Reading stored articles; every stage needs it."""

    def transaction(self) -> AbstractContextManager[None]: ...
    def get_articles(self, ids: list[str]) -> list[Article]: ...
    def iter_articles(self) -> Iterator[Article]: ...


@runtime_checkable
class StageMarks(Protocol):
    """Which articles a stage has done, at which version."""

    def articles_needing(self, stage: str, version: str) -> list[str]: ...
    def mark_done(self, stage: str, article_id: str, version: str) -> None: ...


@runtime_checkable
class VectorStore(Protocol):
    """Sentence and span vectors, embedded once and kept."""

    def load_vectors(self, model: str, kind: str, keys: list[str]) -> dict[str, np.ndarray]: ...
    def save_vectors(self, model: str, kind: str, found: dict[str, np.ndarray]) -> None: ...


@runtime_checkable
class EnrichStore(ArticleReader, StageMarks, VectorStore, Protocol):
    """The enrich stage: per-article layers, canonical entities, techniques found in the pass."""

    def save_annotations_batch(self, batch: list[Annotations], *, stage: str = "enrich",
                               version: str | None = None) -> None: ...
    def mention_rows(self) -> Iterator[tuple[dict, str]]: ...
    def replace_entities(self, found: list[Entity], assignments: list[tuple[str, int, int, str]]) -> None: ...
    def replace_techniques(self, article_ids: list[str], found: list[TechniqueSpan]) -> None: ...


@runtime_checkable
class LinkStore(ArticleReader, VectorStore, Protocol):
    """The link stage: stories, claim links and groups, over the enriched layers and entities."""

    def iter_annotations(self, article_ids: list[str] | None = None) -> Iterator[Annotations]: ...
    def iter_entities(self) -> Iterator[tuple[Entity, list[Mention]]]: ...
    def load_stories(self) -> list: ...
    def save_stories(self, found: list, members: list[tuple[str, str, float]]) -> None: ...
    def story_of_articles(self) -> dict[str, str]: ...
    def replace_claim_links(self, links: list[ClaimLink]) -> None: ...
    def replace_claim_groups(self, groups: list[ClaimGroup]) -> None: ...


@runtime_checkable
class NarrativesStore(ArticleReader, StageMarks, VectorStore, Protocol):
    """The narratives stage: theses, stances, techniques."""

    def iter_annotations(self, article_ids: list[str] | None = None) -> Iterator[Annotations]: ...
    def add_theses(self, found: list[Thesis]) -> list[Thesis]: ...
    def list_theses(self) -> list[Thesis]: ...
    def stance_pairs_done(self, version: str) -> set[tuple[str, str]]: ...
    def save_stances(self, found: list[Stance], version: str) -> None: ...
    def replace_techniques(self, article_ids: list[str], found: list[TechniqueSpan]) -> None: ...
    def list_techniques(self, article_id: str | None = None) -> list[TechniqueSpan]: ...
    def list_stances(self, thesis_id: str | None = None) -> list[Stance]: ...
    def claim_groups(self) -> list[ClaimGroup]: ...
    def replace_outlet_views(self, stance_records: list[dict], profile_records: list[dict]) -> None: ...
    def outlet_view_records(self, kind: str) -> list[dict]: ...


def satisfies(store, protocols: Iterable[type]) -> list[str]:
    """Names of the protocols ``store`` lacks a method of (empty when it has them all)."""
    return [p.__name__ for p in protocols if not isinstance(store, p)]
