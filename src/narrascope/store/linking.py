"""The store's link part: cached vectors, stories, claim links and claim groups."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice

import numpy as np
from sqlalchemy import delete, exists, func, insert, select, tuple_

from ..link.stories import Story
from ..model import ClaimGroup, ClaimLink, StoryRecord
from . import summary
from .schema import articles, claims, entities, mentions, stage_runs
from .schema_link import claim_group_members, claim_groups, claim_links, stories, story_articles, vectors

# Rows per IN (...) query: below SQLite's default limit on bound parameters.
_CHUNK = 500
# Articles whose claims are read per page by claim_spans.
_ARTICLE_PAGE = 2000
# Vectors fetched per batch by iter_vectors (about 2 KB each at 512 dimensions).
_VECTOR_BATCH = 20_000
# Rows per executemany when writing links and groups.
_INSERT_BATCH = 20_000


class LinkStore:
    """Mixed into :class:`~narrascope.store.sql.SQLStore`; relies on its ``_connect``."""

    # -- vectors -----------------------------------------------------------------------------

    def load_vectors(self, model: str, kind: str, keys: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with self._connect() as conn:
            for i in range(0, len(keys), _CHUNK):
                rows = conn.execute(select(vectors.c.key, vectors.c.vector).where(
                    vectors.c.model == model, vectors.c.kind == kind, vectors.c.key.in_(keys[i : i + _CHUNK])))
                out.update((r.key, np.frombuffer(r.vector, dtype=np.float32)) for r in rows)
        return out

    def iter_vectors(self, model: str, kind: str, batch: int = _VECTOR_BATCH) -> Iterator[tuple[list[str], np.ndarray]]:
        """Every cached vector of ``model`` and ``kind``, ``batch`` rows at a time: (keys, one
        float32 matrix). One scan in storage order (rowid in SQLite), the rows fetched as plain
        tuples and decoded with one ``frombuffer`` per batch: reading a million vectors by key,
        500 to a query, took 406 s on a busy 2-core machine."""
        with self._connect() as conn:
            order = " ORDER BY rowid" if conn.dialect.name == "sqlite" else ""
            rows = conn.exec_driver_sql(
                f"SELECT key, vector FROM vectors WHERE model = {_param(conn)} AND kind = {_param(conn)}{order}",
                (model, kind), execution_options={"stream_results": True})
            while chunk := rows.fetchmany(batch):
                keys = [r[0] for r in chunk]
                blobs = b"".join(r[1] for r in chunk)
                yield keys, np.frombuffer(blobs, dtype=np.float32).reshape(len(keys), -1)

    def save_vectors(self, model: str, kind: str, found: dict[str, np.ndarray]) -> None:
        if not found:
            return
        with self._connect() as conn:
            conn.execute(insert(vectors), [
                {"model": model, "kind": kind, "key": k, "vector": np.asarray(v, dtype=np.float32).tobytes()}
                for k, v in found.items()
            ])

    def changes_since(self, mark: int) -> tuple[int, list[str]]:
        """The highest change number now, and the articles stamped above ``mark`` (see
        :mod:`narrascope.store.changes`): what a copy made at ``mark`` must read again."""
        from . import changes

        with self._connect() as conn:
            last = changes.last_number(conn)  # first: what is stamped later is read next time
            return last, changes.changed_since(conn, mark) if mark < last else []

    def replace_vectors(self, model: str, kind: str, found: dict[str, np.ndarray]) -> None:
        """Keep ``found`` under its keys, over whatever was kept there: a span key names a place
        in an article, and when the article's text changes the place holds other words."""
        if not found:
            return
        rows = [{"model": model, "kind": kind, "key": k, "vector": np.asarray(v, dtype=np.float32).tobytes()}
                for k, v in found.items()]
        with self._connect() as conn:
            if conn.dialect.name in ("sqlite", "postgresql"):
                if conn.dialect.name == "sqlite":
                    from sqlalchemy.dialects.sqlite import insert as upsert
                else:
                    from sqlalchemy.dialects.postgresql import insert as upsert
                stmt = upsert(vectors)
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=[vectors.c.model, vectors.c.kind, vectors.c.key],
                    set_={"vector": stmt.excluded.vector}), rows)
                return
            keys = list(found)
            for i in range(0, len(keys), _CHUNK):
                conn.execute(delete(vectors).where(vectors.c.model == model, vectors.c.kind == kind,
                                                   vectors.c.key.in_(keys[i : i + _CHUNK])))
            conn.execute(insert(vectors), rows)

    # -- stories -----------------------------------------------------------------------------

    def load_stories(self) -> list[Story]:
        with self._connect() as conn:
            rows = conn.execute(select(stories).order_by(stories.c.id)).mappings().all()
        return [
            Story(r["id"], np.frombuffer(r["centroid"], dtype=np.float32).copy(), r["size"],
                  _dt(r["first_seen"]), _dt(r["last_seen"]), Counter(json.loads(r["entities"])), r["label"])
            for r in rows
        ]

    def save_stories(self, found: list[Story], members: list[tuple[str, str, float]]) -> None:
        """Replace the stories' state and add (article, story, similarity) memberships."""
        with self._connect() as conn, summary.counting(conn, summary.story_part, [s.id for s in found]):
            if found:
                conn.execute(delete(stories).where(stories.c.id.in_([s.id for s in found])))
                conn.execute(insert(stories), [{
                    "id": s.id, "label": s.label, "centroid": s.centroid.astype(np.float32).tobytes(),
                    "size": s.size, "first_seen": s.first_seen.isoformat() if s.first_seen else None,
                    "last_seen": s.last_seen.isoformat() if s.last_seen else None,
                    "entities": json.dumps(dict(s.names), ensure_ascii=False),
                } for s in found])
            if members:
                conn.execute(delete(story_articles).where(story_articles.c.article_id.in_([m[0] for m in members])))
                conn.execute(insert(story_articles), [
                    {"article_id": a, "story_id": s, "similarity": sim} for a, s, sim in members])

    def stories_with_articles(self) -> list[StoryRecord]:
        with self._connect() as conn:
            rows = conn.execute(select(stories.c.id, stories.c.label, stories.c.first_seen, stories.c.last_seen)
                                .order_by(stories.c.first_seen, stories.c.id)).all()
            members = conn.execute(select(story_articles).order_by(story_articles.c.story_id)).all()
        by_story: dict[str, list[str]] = {}
        for m in members:
            by_story.setdefault(m.story_id, []).append(m.article_id)
        return [StoryRecord(r.id, r.label, by_story.get(r.id, []), _dt(r.first_seen), _dt(r.last_seen)) for r in rows]

    def story_of_articles(self) -> dict[str, str]:
        with self._connect() as conn:
            return dict(conn.execute(select(story_articles.c.article_id, story_articles.c.story_id)).all())

    # -- claim links and groups ------------------------------------------------------------------

    def replace_claim_links(self, links: list[ClaimLink]) -> None:
        with self._connect() as conn, summary.counting(conn, summary.link_part, None):
            conn.execute(delete(claim_links))
            _insert_rows(conn, "claim_links", ("a", "b", "relation", "score", "reason"),
                         ((k.a, k.b, k.relation, k.score, k.reason) for k in links))

    def claim_links(self) -> list[ClaimLink]:
        with self._connect() as conn:
            rows = conn.execute(select(claim_links).order_by(claim_links.c.a, claim_links.c.b)).all()
        return [ClaimLink(r.a, r.b, r.relation, r.score, r.reason) for r in rows]

    def add_claim_links(self, links: list[ClaimLink]) -> None:
        """Add links, replacing a stored link of the same pair (the incremental link stage)."""
        with self._connect() as conn, summary.counting(conn, summary.link_part, [(k.a, k.b) for k in links]):
            for i in range(0, len(links), _CHUNK):
                chunk = links[i : i + _CHUNK]
                conn.execute(delete(claim_links).where(
                    tuple_(claim_links.c.a, claim_links.c.b).in_([(k.a, k.b) for k in chunk])))
                conn.execute(insert(claim_links), [
                    {"a": k.a, "b": k.b, "relation": k.relation, "score": k.score, "reason": k.reason} for k in chunk])

    def claim_links_of(self, claim_ids: list[str]) -> list[ClaimLink]:
        """The stored links with either end among ``claim_ids``."""
        found: dict[tuple[str, str], ClaimLink] = {}
        with self._connect() as conn:
            for i in range(0, len(claim_ids), _CHUNK):
                chunk = claim_ids[i : i + _CHUNK]
                for column in (claim_links.c.a, claim_links.c.b):
                    for r in conn.execute(select(claim_links).where(column.in_(chunk))):
                        found[(r.a, r.b)] = ClaimLink(r.a, r.b, r.relation, r.score, r.reason)
        return [found[k] for k in sorted(found)]

    def dangling_claim_refs(self) -> tuple[list[ClaimLink], list[str]]:
        """Links with an end no stored claim has, and grouped claim ids no stored claim has: what
        an article's new enrichment left behind (its old claims went with its old text)."""
        def missing(column):
            return ~exists().where(claims.c.id == column)

        with self._connect() as conn:
            rows = conn.execute(select(claim_links).where(missing(claim_links.c.a) | missing(claim_links.c.b))).all()
            gone = conn.execute(select(claim_group_members.c.claim_id).distinct()
                                .where(missing(claim_group_members.c.claim_id))).scalars().all()
        return [ClaimLink(r.a, r.b, r.relation, r.score, r.reason) for r in rows], sorted(gone)

    def remove_claim_links(self, pairs: list[tuple[str, str]]) -> None:
        with self._connect() as conn, summary.counting(conn, summary.link_part, pairs):
            for i in range(0, len(pairs), _CHUNK):
                conn.execute(delete(claim_links).where(tuple_(claim_links.c.a, claim_links.c.b).in_(pairs[i : i + _CHUNK])))

    def group_members_of(self, claim_ids: list[str]) -> list[str]:
        """Every claim of the groups holding one of ``claim_ids``."""
        out: set[str] = set()
        with self._connect() as conn:
            for i in range(0, len(claim_ids), _CHUNK):
                groups = select(claim_group_members.c.group_id).where(
                    claim_group_members.c.claim_id.in_(claim_ids[i : i + _CHUNK]))
                out.update(conn.execute(select(claim_group_members.c.claim_id)
                                        .where(claim_group_members.c.group_id.in_(groups))).scalars())
        return sorted(out)

    def link_counts(self) -> tuple[int, int, int]:
        """(claim links, of them contradictions, claim groups) as stored."""
        with self._connect() as conn:
            links = conn.execute(select(func.count()).select_from(claim_links)).scalar() or 0
            conflicts = conn.execute(select(func.count()).select_from(claim_links)
                                     .where(claim_links.c.relation == "contradicts")).scalar() or 0
            groups = conn.execute(select(func.count()).select_from(claim_groups)).scalar() or 0
        return links, conflicts, groups

    def replace_claim_groups(self, groups: list[ClaimGroup], of_claims: list[str] | None = None) -> None:
        """Replace every group with ``groups``; with ``of_claims``, only the groups holding one of
        those claims (the incremental link stage rebuilds the groups its new links touch)."""
        with self._connect() as conn:
            ids = None
            if of_claims is not None:
                old: set[str] = set()
                for i in range(0, len(of_claims), _CHUNK):
                    old.update(conn.execute(select(claim_group_members.c.group_id).where(
                        claim_group_members.c.claim_id.in_(of_claims[i : i + _CHUNK]))).scalars())
                old.update(g.id for g in groups)
                ids = sorted(old)
            with summary.counting(conn, summary.group_part, ids):
                self._write_groups(conn, groups, ids)

    @staticmethod
    def _write_groups(conn, groups: list[ClaimGroup], ids: list[str] | None) -> None:
        """Delete the groups ``ids`` (None: all) and insert ``groups``."""
        if ids is None:
            conn.execute(delete(claim_group_members))
            conn.execute(delete(claim_groups))
        else:
            for i in range(0, len(ids), _CHUNK):
                conn.execute(delete(claim_group_members).where(claim_group_members.c.group_id.in_(ids[i : i + _CHUNK])))
                conn.execute(delete(claim_groups).where(claim_groups.c.id.in_(ids[i : i + _CHUNK])))
        _insert_rows(conn, "claim_groups", ("id", "status", "origins", "first_seen", "summary", "size"), (
            (g.id, g.status, json.dumps(g.origins, ensure_ascii=False),
             g.first_seen.isoformat() if g.first_seen else None, g.summary, len(g.claims)) for g in groups))
        _insert_rows(conn, "claim_group_members", ("group_id", "claim_id"),
                     ((g.id, c) for g in groups for c in g.claims))

    def claim_groups(self) -> list[ClaimGroup]:
        with self._connect() as conn:
            rows = conn.execute(select(claim_groups).order_by(claim_groups.c.first_seen, claim_groups.c.id)).all()
            members = conn.execute(select(claim_group_members)).all()
        by_group: dict[str, list[str]] = {}
        for m in members:
            by_group.setdefault(m.group_id, []).append(m.claim_id)
        return [ClaimGroup(r.id, sorted(by_group.get(r.id, [])), r.status, json.loads(r.origins),
                           _dt(r.first_seen), r.summary) for r in rows]


    # -- what the link stage reads a batch at a time --------------------------------------------

    def article_ids(self) -> list[str]:
        with self._connect() as conn:
            return list(conn.execute(select(articles.c.id).order_by(articles.c.seq)).scalars())

    def stage_versions(self, stage: str) -> dict[str, int]:
        """How many articles ``stage`` has marked done at each version."""
        with self._connect() as conn:
            rows = conn.execute(select(stage_runs.c.version, func.count()).where(stage_runs.c.stage == stage)
                                .group_by(stage_runs.c.version)).all()
        return {v: n for v, n in rows}

    def mark_done_many(self, stage: str, article_ids: list[str], version: str) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as conn:
            for i in range(0, len(article_ids), _CHUNK):
                chunk = article_ids[i : i + _CHUNK]
                conn.execute(delete(stage_runs).where(stage_runs.c.stage == stage, stage_runs.c.article_id.in_(chunk)))
                conn.execute(insert(stage_runs), [{"stage": stage, "article_id": a, "version": version, "ran_at": now}
                                                  for a in chunk])

    def claim_spans(self, threshold: float) -> Iterator[list[ClaimSpan]]:
        """The claims at or above ``threshold``, a page of articles at a time, in ingest order:
        (claim id, article id, start, end, attribution start, attribution end)."""
        last = -1
        while True:
            with self._connect() as conn:
                page = conn.execute(select(articles.c.id, articles.c.seq).where(articles.c.seq > last)
                                    .order_by(articles.c.seq).limit(_ARTICLE_PAGE)).all()
                if not page:
                    return
                order = {r.id: n for n, r in enumerate(page)}
                found = []
                for i in range(0, len(page), _CHUNK):
                    found += conn.execute(select(
                        claims.c.id, claims.c.article_id, claims.c.start, claims.c.end, claims.c.attribution_start,
                        claims.c.attribution_end).where(claims.c.article_id.in_([r.id for r in page[i : i + _CHUNK]]),
                                                        claims.c.checkworthiness >= threshold)).all()
            found.sort(key=lambda r: (order[r.article_id], r.start, r.end, r.id))
            yield [tuple(r) for r in found]
            last = page[-1].seq

    def entity_spans(self, article_ids: list[str]) -> dict[str, list[tuple[int, int, str, str]]]:
        """Per article: (start, end, entity id, canonical name) of each mention of a canonical entity."""
        out: dict[str, list[tuple[int, int, str, str]]] = {}
        with self._connect() as conn:
            for i in range(0, len(article_ids), _CHUNK):
                rows = conn.execute(
                    select(mentions.c.article_id, mentions.c.start, mentions.c.end, entities.c.id, entities.c.name)
                    .join(entities, entities.c.id == mentions.c.entity_id)
                    .where(mentions.c.article_id.in_(article_ids[i : i + _CHUNK]))
                    .order_by(mentions.c.article_id, mentions.c.start)).all()
                for r in rows:
                    out.setdefault(r.article_id, []).append((r.start, r.end, r.id, r.name))
        return out


ClaimSpan = tuple[str, str, int, int, "int | None", "int | None"]


def _insert_rows(conn, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Rows into ``table``, ``_INSERT_BATCH`` to a driver-level executemany: a million claims'
    links built as one list of dicts took gigabytes, and SQLAlchemy's per-row work half the time."""
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "
           f"VALUES ({', '.join([_param(conn)] * len(columns))})")
    it = iter(rows)
    while chunk := list(islice(it, _INSERT_BATCH)):
        conn.exec_driver_sql(sql, chunk)


def _param(conn) -> str:
    """The driver's placeholder for a positional parameter (``?`` for sqlite3, ``%s`` for psycopg)."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
