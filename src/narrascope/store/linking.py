"""The store's link part: cached vectors, stories, claim links and claim groups."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

import numpy as np
from sqlalchemy import delete, insert, select

from ..link.stories import Story
from ..model import ClaimGroup, ClaimLink, StoryRecord
from .schema_link import claim_group_members, claim_groups, claim_links, stories, story_articles, vectors

# Rows per IN (...) query: below SQLite's default limit on bound parameters.
_CHUNK = 500


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

    def save_vectors(self, model: str, kind: str, found: dict[str, np.ndarray]) -> None:
        if not found:
            return
        with self._connect() as conn:
            conn.execute(insert(vectors), [
                {"model": model, "kind": kind, "key": k, "vector": np.asarray(v, dtype=np.float32).tobytes()}
                for k, v in found.items()
            ])

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
        with self._connect() as conn:
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
        with self._connect() as conn:
            conn.execute(delete(claim_links))
            if links:
                conn.execute(insert(claim_links), [
                    {"a": k.a, "b": k.b, "relation": k.relation, "score": k.score, "reason": k.reason} for k in links])

    def claim_links(self) -> list[ClaimLink]:
        with self._connect() as conn:
            rows = conn.execute(select(claim_links).order_by(claim_links.c.a, claim_links.c.b)).all()
        return [ClaimLink(r.a, r.b, r.relation, r.score, r.reason) for r in rows]

    def replace_claim_groups(self, groups: list[ClaimGroup]) -> None:
        with self._connect() as conn:
            conn.execute(delete(claim_group_members))
            conn.execute(delete(claim_groups))
            if groups:
                conn.execute(insert(claim_groups), [{
                    "id": g.id, "status": g.status, "origins": json.dumps(g.origins, ensure_ascii=False),
                    "first_seen": g.first_seen.isoformat() if g.first_seen else None, "summary": g.summary,
                } for g in groups])
                conn.execute(insert(claim_group_members),
                             [{"group_id": g.id, "claim_id": c} for g in groups for c in g.claims])

    def claim_groups(self) -> list[ClaimGroup]:
        with self._connect() as conn:
            rows = conn.execute(select(claim_groups).order_by(claim_groups.c.first_seen, claim_groups.c.id)).all()
            members = conn.execute(select(claim_group_members)).all()
        by_group: dict[str, list[str]] = {}
        for m in members:
            by_group.setdefault(m.group_id, []).append(m.claim_id)
        return [ClaimGroup(r.id, sorted(by_group.get(r.id, [])), r.status, json.loads(r.origins),
                           _dt(r.first_seen), r.summary) for r in rows]


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
