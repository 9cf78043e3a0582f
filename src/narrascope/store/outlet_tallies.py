"""The store's tallies per outlet, counted by the database: what the narratives stage's outlet
views are made of (``narratives.profiles``), read without loading the corpus.

Every method returns rows keyed by the outlet as stored (``None`` or ``""`` when unknown); the
caller folds those together. Stances come a page at a time, ordered by outlet, so that one
outlet's articles are in memory at once, never the corpus's.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import distinct, func, select

from .articles import _parse_dt
from .schema import articles, citations, claims
from .schema_link import claim_group_members, claim_groups
from .schema_narratives import stances, techniques

# Stance rows read per round trip: enough to keep the database busy, few enough to stay small.
PAGE = 5000


class OutletTallies:
    """Mixed into :class:`~narrascope.store.sql.SQLStore`; relies on its ``_connect``."""

    def outlet_article_counts(self) -> list[tuple[str | None, str | None, int, int]]:
        """(outlet, language, articles, copies of others) per outlet and language."""
        query = (select(articles.c.outlet, articles.c.language, func.count(),
                        func.count(func.nullif(articles.c.duplicate_of, "")))
                 .group_by(articles.c.outlet, articles.c.language))
        with self._connect() as conn:
            return [(o, lang, n, c) for o, lang, n, c in conn.execute(query)]

    def outlet_published_range(self) -> list[tuple[str | None, object, object]]:
        """(outlet, first, last published) per outlet, as written (with its zone), the earliest and
        latest by UTC; ties go to the article ingested first."""
        bounds = (select(articles.c.outlet, func.min(articles.c.published_utc).label("lo"),
                         func.max(articles.c.published_utc).label("hi"))
                  .where(articles.c.published_utc.is_not(None)).group_by(articles.c.outlet))
        out = []
        with self._connect() as conn:
            for outlet, lo, hi in conn.execute(bounds).all():
                ends = []
                for moment in (lo, hi):
                    same = articles.c.outlet.is_(None) if outlet is None else articles.c.outlet == outlet
                    ends.append(_parse_dt(conn.execute(
                        select(articles.c.published).where(same, articles.c.published_utc == moment)
                        .order_by(articles.c.seq).limit(1)).scalar()))
                out.append((outlet, *ends))
        return out

    def outlet_counts(self, what: str) -> list[tuple[str | None, str, int]]:
        """(outlet, item, count) for ``what``: "citations" (cited source: how many citations),
        "techniques" (technique: how many spans) or "claim_statuses" (status: how many claim groups
        hold a claim of the outlet)."""
        if what == "citations":
            query = (select(articles.c.outlet, citations.c.source, func.count())
                     .join(articles, articles.c.id == citations.c.article_id)
                     .group_by(articles.c.outlet, citations.c.source))
        elif what == "techniques":
            query = (select(articles.c.outlet, techniques.c.technique, func.count())
                     .join(articles, articles.c.id == techniques.c.article_id)
                     .group_by(articles.c.outlet, techniques.c.technique))
        elif what == "claim_statuses":
            query = (select(articles.c.outlet, claim_groups.c.status, func.count(distinct(claim_groups.c.id)))
                     .select_from(claim_group_members)
                     .join(claims, claims.c.id == claim_group_members.c.claim_id)
                     .join(articles, articles.c.id == claims.c.article_id)
                     .join(claim_groups, claim_groups.c.id == claim_group_members.c.group_id)
                     .group_by(articles.c.outlet, claim_groups.c.status))
        else:
            raise ValueError(f"no outlet tally of {what!r}")
        with self._connect() as conn:
            return [tuple(r) for r in conn.execute(query)]

    def outlet_stance_rows(self) -> Iterator[tuple[str, str, str, str, object]]:
        """(outlet, thesis, article, label, published) of every stance of an article with a known
        outlet, ordered by outlet, read a page at a time (keyset: outlet, thesis, article)."""
        last: tuple | None = None
        query = (select(articles.c.outlet, stances.c.thesis_id, stances.c.article_id, stances.c.label,
                        articles.c.published)
                 .join(articles, articles.c.id == stances.c.article_id)
                 .where(articles.c.outlet.is_not(None), articles.c.outlet != "")
                 .order_by(articles.c.outlet, stances.c.thesis_id, stances.c.article_id).limit(PAGE))
        while True:
            page = query
            if last is not None:
                o, t, a = last
                page = query.where((articles.c.outlet > o)
                                   | ((articles.c.outlet == o) & (stances.c.thesis_id > t))
                                   | ((articles.c.outlet == o) & (stances.c.thesis_id == t)
                                      & (stances.c.article_id > a)))
            with self._connect() as conn:
                rows = conn.execute(page).all()
            for o, t, a, label, published in rows:
                yield o, t, a, label, _parse_dt(published)
            if len(rows) < PAGE:
                return
            last = tuple(rows[-1][:3])
