"""The store's part for incremental entity canonicalisation (``enrich.canonical_batches``): the
lookup keys of every mention, and the indexed reads that find the stored mentions and entities a
batch of new mentions may join, without reading every mention."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from sqlalchemy import delete, func, insert, select

from .schema import articles, entities, mentions, name_keys

# Values per IN (...) list: SQLite allows 32,766 bound parameters, PostgreSQL 65,535.
CHUNK = 500

Spot = tuple[str, int]  # a mention: (article id, start)


class EntityKeys:
    """Mixed into :class:`~narrascope.store.sql.SQLStore`; relies on its ``_connect``."""

    def replace_name_keys(self, article_ids: list[str], rows: list[tuple[str, str, str, int]]) -> None:
        """Replace the lookup keys of these articles' mentions with ``rows`` (kind, value, article, start)."""
        with self._connect() as conn:
            for chunk in _chunks(article_ids):
                conn.execute(delete(name_keys).where(name_keys.c.article_id.in_(chunk)))
            for lo in range(0, len(rows), 10_000):
                conn.execute(insert(name_keys), [{"kind": k, "value": v, "article_id": a, "start": s}
                                                 for k, v, a, s in rows[lo : lo + 10_000]])

    def spots_with_keys(self, kind: str, values: Iterable[str]) -> set[Spot]:
        """The mentions holding a key of ``kind`` among ``values``."""
        out: set[Spot] = set()
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(values))):
                out.update((a, st) for a, st in conn.execute(
                    select(name_keys.c.article_id, name_keys.c.start)
                    .where(name_keys.c.kind == kind, name_keys.c.value.in_(chunk))))
        return out

    def key_values_from(self, kind: str, prefix: str) -> list[str]:
        """The distinct stored keys of ``kind`` that start with ``prefix`` (an index range)."""
        with self._connect() as conn:
            return list(conn.execute(select(name_keys.c.value).distinct()
                                     .where(name_keys.c.kind == kind, name_keys.c.value >= prefix,
                                            name_keys.c.value < prefix + "\U0010ffff")).scalars())

    def spots_of_entities(self, entity_ids: Iterable[str]) -> set[Spot]:
        out: set[Spot] = set()
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(entity_ids))):
                out.update((a, st) for a, st in conn.execute(
                    select(mentions.c.article_id, mentions.c.start).where(mentions.c.entity_id.in_(chunk))))
        return out

    def mention_rows_at(self, spots: set[Spot]) -> Iterator[tuple[dict, str]]:
        """The mentions at ``spots`` with the text of their article, an article chunk at a time."""
        by_article: dict[str, set[int]] = defaultdict(set)
        for aid, start in spots:
            by_article[aid].add(start)
        for chunk in _chunks(sorted(by_article)):
            with self._connect() as conn:
                texts = dict(conn.execute(select(articles.c.id, articles.c.text).where(articles.c.id.in_(chunk))).all())
                rows = conn.execute(select(mentions).where(mentions.c.article_id.in_(chunk))
                                    .order_by(mentions.c.article_id, mentions.c.start)).mappings().all()
            for row in rows:
                if row["start"] in by_article[row["article_id"]]:
                    yield dict(row), texts[row["article_id"]]

    def story_bags(self, article_ids: Iterable[str]) -> dict[str, Counter[str]]:
        """Each article's bag of story keys (kind "s")."""
        bags: dict[str, Counter[str]] = defaultdict(Counter)
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(article_ids))):
                for aid, value in conn.execute(select(name_keys.c.article_id, name_keys.c.value)
                                               .where(name_keys.c.kind == "s", name_keys.c.article_id.in_(chunk))):
                    bags[aid][value] += 1
        return bags

    def story_key_counts(self, values: Iterable[str]) -> dict[str, int]:
        """In how many articles each story key is written."""
        out: dict[str, int] = {}
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(values))):
                out.update((v, n) for v, n in conn.execute(
                    select(name_keys.c.value, func.count(name_keys.c.article_id.distinct()))
                    .where(name_keys.c.kind == "s", name_keys.c.value.in_(chunk)).group_by(name_keys.c.value)))
        return out

    def story_postings(self, values: Iterable[str]) -> dict[str, list[str]]:
        """For each story key, the articles that write it."""
        out: dict[str, set[str]] = defaultdict(set)
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(values))):
                for value, aid in conn.execute(select(name_keys.c.value, name_keys.c.article_id)
                                               .where(name_keys.c.kind == "s", name_keys.c.value.in_(chunk))):
                    out[value].add(aid)
        return {v: sorted(a) for v, a in out.items()}

    def story_articles(self, value: str) -> list[str]:
        with self._connect() as conn:
            return list(conn.execute(select(name_keys.c.article_id).distinct()
                                     .where(name_keys.c.kind == "s", name_keys.c.value == value)).scalars())

    def count_story_articles(self) -> int:
        with self._connect() as conn:
            return conn.execute(select(func.count(name_keys.c.article_id.distinct()))
                                .where(name_keys.c.kind == "s")).scalar() or 0

    def entity_ids_at(self, spots: set[Spot]) -> set[str]:
        return {row["entity_id"] for row, _ in self.mention_rows_at(spots) if row["entity_id"]}

    def existing_entities(self, entity_ids: Iterable[str]) -> set[str]:
        out: set[str] = set()
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(entity_ids))):
                out.update(conn.execute(select(entities.c.id).where(entities.c.id.in_(chunk))).scalars())
        return out

    def drop_entities(self, entity_ids: Iterable[str]) -> None:
        with self._connect() as conn:
            for chunk in _chunks(sorted(set(entity_ids))):
                conn.execute(delete(entities).where(entities.c.id.in_(chunk)))

    def drop_unused_entities(self) -> int:
        """Entities no mention points at any more (an article re-ingested with another text)."""
        used = select(mentions.c.entity_id).where(mentions.c.entity_id.is_not(None))
        with self._connect() as conn:
            return conn.execute(delete(entities).where(entities.c.id.not_in(used))).rowcount or 0


def _chunks(items: list) -> Iterator[list]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]
