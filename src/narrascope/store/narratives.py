"""The store's narratives part: theses, stances and persuasion technique spans."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select

from ..model import Evidence, Stance, TechniqueSpan, Thesis
from . import changes, summary
from .schema_narratives import outlet_views, stances, techniques, theses


class NarrativesStore:
    """Mixed into :class:`~narrascope.store.sql.SQLStore`; relies on its ``_connect``."""

    def add_theses(self, found: list[Thesis]) -> list[Thesis]:
        """Store theses not stored yet; returns the new ones."""
        with self._connect() as conn:
            known = set(conn.execute(select(theses.c.id)).scalars())
            new = [t for t in dict((t.id, t) for t in found).values() if t.id not in known]  # once each
            if new:
                now = datetime.now(UTC).isoformat(timespec="seconds")
                with summary.counting(conn, summary.thesis_part, [t.id for t in new]):
                    conn.execute(insert(theses), [{"id": t.id, "text": t.text, "added_at": now} for t in new])
        return new

    def list_theses(self) -> list[Thesis]:
        with self._connect() as conn:
            rows = conn.execute(select(theses).order_by(theses.c.added_at, theses.c.id)).all()
        return [Thesis(r.id, r.text) for r in rows]

    def stance_pairs_done(self, version: str) -> set[tuple[str, str]]:
        with self._connect() as conn:
            rows = conn.execute(select(stances.c.thesis_id, stances.c.article_id).where(stances.c.version == version))
            return {(r.thesis_id, r.article_id) for r in rows}

    def save_stances(self, found: list[Stance], version: str) -> None:
        if not found:
            return
        with self._connect() as conn:
            for s in found:
                conn.execute(delete(stances).where(stances.c.thesis_id == s.thesis_id,
                                                   stances.c.article_id == s.article_id))
            conn.execute(insert(stances), [{
                "thesis_id": s.thesis_id, "article_id": s.article_id, "label": s.label, "score": s.score,
                "evidence": json.dumps([{"start": e.start, "end": e.end, "label": e.label, "score": e.score,
                                         "why": e.why} for e in s.evidence], ensure_ascii=False),
                "version": version,
            } for s in found])
            changes.stamp(conn, [s.article_id for s in found])

    def list_stances(self, thesis_id: str | None = None) -> list[Stance]:
        query = select(stances).order_by(stances.c.thesis_id, stances.c.article_id)
        if thesis_id is not None:
            query = query.where(stances.c.thesis_id == thesis_id)
        with self._connect() as conn:
            rows = conn.execute(query).all()
        return [Stance(r.thesis_id, r.article_id, r.label, r.score,
                       [Evidence(**e) for e in json.loads(r.evidence)]) for r in rows]

    def replace_techniques(self, article_ids: list[str], found: list[TechniqueSpan]) -> None:
        scope = set(article_ids) | {t.article_id for t in found}
        with self._connect() as conn, summary.counting(conn, summary.article_part, scope):
            if article_ids:
                conn.execute(delete(techniques).where(techniques.c.article_id.in_(article_ids)))
            if found:
                conn.execute(insert(techniques), [{"article_id": t.article_id, "start": t.start, "end": t.end,
                                                   "technique": t.technique, "score": t.score} for t in found])

    def list_techniques(self, article_id: str | None = None) -> list[TechniqueSpan]:
        query = select(techniques).order_by(techniques.c.article_id, techniques.c.start)
        if article_id is not None:
            query = query.where(techniques.c.article_id == article_id)
        with self._connect() as conn:
            rows = conn.execute(query).all()
        return [TechniqueSpan(r.article_id, r.start, r.end, r.technique, r.score) for r in rows]

    # -- what the stage concludes per outlet ------------------------------------------------------

    def replace_outlet_views(self, stance_records: list[dict], profile_records: list[dict]) -> None:
        """``stance_records``: :meth:`OutletStance.as_record` dicts; ``profile_records``:
        :meth:`OutletProfile.as_record` dicts (see :mod:`narrascope.narratives.profiles`)."""
        rows = [{"kind": "stance", "outlet": r["outlet"], "thesis_id": r["thesis"],
                 "record": json.dumps(r, ensure_ascii=False)} for r in stance_records]
        rows += [{"kind": "profile", "outlet": r["outlet"], "thesis_id": None,
                  "record": json.dumps(r, ensure_ascii=False)} for r in profile_records]
        with self._connect() as conn:
            conn.execute(delete(outlet_views))
            if rows:
                conn.execute(insert(outlet_views), rows)

    def outlet_view_records(self, kind: str) -> list[dict]:
        """The stored records of ``kind`` ("stance" or "profile"), in the order they were stored."""
        with self._connect() as conn:
            rows = conn.execute(select(outlet_views.c.record).where(outlet_views.c.kind == kind)
                                .order_by(outlet_views.c.id)).scalars().all()
        return [json.loads(r) for r in rows]
