"""The store's bounded reads: what one dashboard page needs, by id or a page at a time.

Every method here reads rows by key (ids given), by an index (one outlet's newest articles, the
largest stories, the most confident contradictions) or aggregates a column in SQL: none walks the
corpus in Python, so a page costs the same on 1,000 articles and on 1,000,000 (the indexes these
queries use are in :mod:`.schema`, :mod:`.schema_link` and :mod:`.schema_narratives`). Portable
SQL only (SQLite and PostgreSQL).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator

from sqlalchemy import and_, case, distinct, func, or_, select, true
from sqlalchemy.orm import aliased

from ..model import (
    Article,
    Attribution,
    Claim,
    ClaimGroup,
    ClaimLink,
    Evidence,
    Stance,
    StoryRecord,
    TechniqueSpan,
)
from . import summary
from .articles import _article_from_row, _parse_dt
from .lookup_queries import (
    ARTICLE_INFO,
    ATTRIBUTION,
    CLAIM_COUNTS,
    CLAIM_TEXTS,
    CLAIMS,
    GROUP_MEMBERS,
    GROUP_OF,
    GROUPS,
    INFO,
    LINKS,
    LINKS_OF,
    STANCES,
    STANCES_ON,
    STORIES,
    STORY_MEMBERS,
    STORY_OF,
    STORY_OUTLETS,
    TECHNIQUES,
    UNKNOWN_OUTLET,
    outlet_name,
)
from .schema import articles, citations, claims
from .schema_link import claim_group_members, claim_groups, claim_links, stories, story_articles
from .schema_narratives import outlet_views, stances, techniques, theses

STATUS_ORDER = {"contradicted": 0, "corroborated": 1, "single-origin": 2, "unverified": 3}
# Ids per IN (...) list: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
_CHUNK = 500


def _chunks(ids: Iterable) -> Iterator[list]:
    ids = list(dict.fromkeys(ids))
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _rows(conn, statement, ids: Iterable, **params) -> Iterator:
    """The rows of ``statement`` for ``ids``, a chunk of ids at a time."""
    for chunk in _chunks(ids):
        yield from conn.execute(statement, {"ids": chunk, **params})


def _info(row) -> Article:
    return _article_from_row({**row, "text": "", "removed": "[]"})


def _claim(r) -> Claim:
    return Claim(r.id, r.article_id, r.start, r.end, r.checkworthiness, r.negated, r.hedge_cue is not None, r.hedge_cue)


def _link(r) -> ClaimLink:
    return ClaimLink(r.a, r.b, r.relation, r.score, r.reason)


def _outlet_is(name: str):
    if name == UNKNOWN_OUTLET:
        return or_(articles.c.outlet.is_(None), articles.c.outlet == "", articles.c.outlet == name)
    return articles.c.outlet == name


class LookupStore:
    """Mixed into :class:`~narrascope.store.sql.SQLStore`; relies on its ``_connect``."""

    # -- articles ----------------------------------------------------------------------------

    def article_info(self, ids: Iterable[str]) -> dict[str, Article]:
        """The articles with these ids without their text (``text`` is "" and ``removed`` empty)."""
        out = {}
        with self._connect() as conn:
            for row in _rows(conn, ARTICLE_INFO, ids):
                out[row.id] = _info(row._mapping)
        return out

    def outlet_articles(self, outlet: str, limit: int) -> tuple[list[Article], int]:
        """One outlet's newest ``limit`` articles (undated last, then in ingest order) and how many it has."""
        where = _outlet_is(outlet)
        with self._connect() as conn:
            rows = conn.execute(select(*INFO).where(where).order_by(
                articles.c.published_utc.desc().nulls_last(), articles.c.seq).limit(limit)).mappings().all()
            total = conn.execute(select(func.count()).select_from(articles).where(where)).scalar() or 0
        return [_info(r) for r in rows], total

    def outlet_names(self) -> list[str]:
        with self._connect() as conn:
            stored = summary.outlet_names(conn)  # kept by the writes: no scan of the articles
            return sorted(stored if stored is not None else conn.execute(select(outlet_name()).distinct()).scalars())

    def language_names(self) -> list[str]:
        language = func.coalesce(func.nullif(articles.c.language, ""), "unknown")
        with self._connect() as conn:
            return sorted(conn.execute(select(language).distinct()).scalars())

    def article_published(self, first: bool):
        """The publication date of the earliest (``first``) or latest dated article, as stored."""
        order = articles.c.published_utc.asc() if first else articles.c.published_utc.desc()
        with self._connect() as conn:
            value = conn.execute(select(articles.c.published).where(articles.c.published_utc.is_not(None))
                                 .order_by(order, articles.c.seq).limit(1)).scalar()
        return _parse_dt(value)

    # -- claims -------------------------------------------------------------------------------

    def claims_by_id(self, ids: Iterable[str], min_checkworthiness: float) -> dict[str, Claim]:
        """The check-worthy claims among ``ids`` (without attribution, quantities or entities)."""
        out = {}
        with self._connect() as conn:
            for r in _rows(conn, CLAIMS, ids, min_cw=min_checkworthiness):
                out[r.id] = _claim(r)
        return out

    def attribution_of(self, claim_id: str) -> Attribution | None:
        """Who says the claim, as its article's annotations give it (one query instead of all of them)."""
        with self._connect() as conn:
            r = conn.execute(ATTRIBUTION, {"claim": claim_id}).first()
        return None if r is None else Attribution(r.article_id, r.start, r.end, r.speaker, r.speaker_start,
                                                  r.speaker_end, r.cue, r.kind, r.listener)

    def claim_texts(self, ids: Iterable[str]) -> dict[str, str]:
        """Each claim's sentence, cut from its article in the database."""
        with self._connect() as conn:
            return dict(_rows(conn, CLAIM_TEXTS, ids))

    def claim_counts(self, article_ids: Iterable[str], min_checkworthiness: float) -> dict[str, int]:
        with self._connect() as conn:
            return dict(_rows(conn, CLAIM_COUNTS, article_ids, min_cw=min_checkworthiness))

    # -- claim groups and links ------------------------------------------------------------------

    def group_of_claims(self, claim_ids: Iterable[str]) -> dict[str, str]:
        with self._connect() as conn:
            return dict(_rows(conn, GROUP_OF, claim_ids))

    def groups_by_id(self, ids: Iterable[str]) -> dict[str, ClaimGroup]:
        """The claim groups with these ids, each with its claims (sorted by id)."""
        out = {}
        with self._connect() as conn:
            for chunk in _chunks(ids):
                members = defaultdict(list)
                for group_id, claim_id in conn.execute(GROUP_MEMBERS, {"ids": chunk}):
                    members[group_id].append(claim_id)
                for r in conn.execute(GROUPS, {"ids": chunk}):
                    out[r.id] = ClaimGroup(r.id, sorted(members[r.id]), r.status, json.loads(r.origins),
                                           _parse_dt(r.first_seen), r.summary)
        return out

    def recurring_group_ids(self, limit: int, story_id: str | None = None, min_checkworthiness: float = 0.0,
                            *, contradicted_first: bool = False) -> list[str]:
        """Groups carried by more than one claim or contradicted, by status (:data:`STATUS_ORDER`, or
        only contradicted first), then the most carried, then id; with ``story_id``, only groups with
        a check-worthy claim in that story's articles."""
        n = func.count(claim_group_members.c.claim_id)
        ranks = {"contradicted": 0} if contradicted_first else STATUS_ORDER
        order = case(*((claim_groups.c.status == s, i) for s, i in ranks.items()), else_=9)
        query = (select(claim_groups.c.id)
                 .join_from(claim_groups, claim_group_members, claim_group_members.c.group_id == claim_groups.c.id)
                 .group_by(claim_groups.c.id, claim_groups.c.status)
                 .having(or_(n > 1, claim_groups.c.status == "contradicted"))
                 .order_by(order, n.desc(), claim_groups.c.id).limit(limit))
        if story_id is None and not contradicted_first:
            return self._recurring_by_status(limit)
        if story_id is not None:
            inside = (select(claim_group_members.c.group_id)
                      .join_from(claim_group_members, claims, claims.c.id == claim_group_members.c.claim_id)
                      .join(story_articles, story_articles.c.article_id == claims.c.article_id)
                      .where(story_articles.c.story_id == story_id, claims.c.checkworthiness >= min_checkworthiness))
            query = query.where(claim_groups.c.id.in_(inside))
        with self._connect() as conn:
            return list(conn.execute(query).scalars())

    def _recurring_by_status(self, limit: int) -> list[str]:
        """:meth:`recurring_group_ids` over the whole store, one status at a time in their order,
        stopping once ``limit`` are found: each step reads the index on (status, size, id) from its
        top, never counting any group's members (0.5 s at 100,000 articles when it did)."""
        statuses = sorted(self.overview_counts_statuses(), key=lambda s: (STATUS_ORDER.get(s, 9), s))
        out: list[str] = []
        with self._connect() as conn:
            for status in statuses:
                query = (select(claim_groups.c.id).where(claim_groups.c.status == status)
                         .order_by(claim_groups.c.size.desc(), claim_groups.c.id).limit(limit - len(out)))
                if status != "contradicted":
                    query = query.where(claim_groups.c.size > 1)
                out += conn.execute(query).scalars()
                if len(out) >= limit:
                    break
        return out

    def overview_counts_statuses(self) -> list[str]:
        with self._connect() as conn:
            stored = summary.statuses(conn)  # kept by the writes: no scan of the groups
            if stored is not None:
                return stored
            return list(conn.execute(select(claim_groups.c.status).distinct()).scalars())

    def links_touching(self, claim_ids: Iterable[str], relation: str | None = None) -> list[ClaimLink]:
        """Every claim link with one end among ``claim_ids`` (of that ``relation`` only, when given), once each."""
        found = {}
        with self._connect() as conn:
            rows = _rows(conn, LINKS, claim_ids) if relation is None else _rows(conn, LINKS_OF, claim_ids,
                                                                                 relation=relation)
            for r in rows:
                found[(r.a, r.b)] = _link(r)
        return list(found.values())

    def contradiction_links(self, min_checkworthiness: float, confident: float, confident_side: bool, *,
                            limit: int | None = None, offset: int = 0, story_id: str | None = None) -> list[ClaimLink]:
        """``contradicts`` links between two check-worthy claims, confident ones (score at least
        ``confident``) or the candidates below it, most confident first (then reason, then ids);
        with ``story_id``, those with a claim in that story's articles."""
        query = self._contradictions(select(claim_links), min_checkworthiness, confident, confident_side, story_id)
        query = query.order_by(claim_links.c.score.desc(), claim_links.c.reason, claim_links.c.a, claim_links.c.b)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        with self._connect() as conn:
            return [_link(r) for r in conn.execute(query)]

    def count_contradictions(self, min_checkworthiness: float, confident: float, confident_side: bool) -> int:
        query = self._contradictions(select(func.count()), min_checkworthiness, confident, confident_side, None)
        with self._connect() as conn:
            return conn.execute(query).scalar() or 0

    @staticmethod
    def _contradictions(query, min_checkworthiness, confident, confident_side, story_id):
        ca, cb = aliased(claims), aliased(claims)
        score = claim_links.c.score >= confident if confident_side else claim_links.c.score < confident
        query = (query.select_from(claim_links).join(ca, ca.c.id == claim_links.c.a).join(cb, cb.c.id == claim_links.c.b)
                 .where(claim_links.c.relation == "contradicts", score, ca.c.checkworthiness >= min_checkworthiness,
                        cb.c.checkworthiness >= min_checkworthiness))
        if story_id is not None:
            members = select(story_articles.c.article_id).where(story_articles.c.story_id == story_id)
            query = query.where(or_(ca.c.article_id.in_(members), cb.c.article_id.in_(members)))
        return query

    # -- stories ------------------------------------------------------------------------------

    def story_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        with self._connect() as conn:
            return dict(_rows(conn, STORY_OF, article_ids))

    def stories_by_id(self, ids: Iterable[str]) -> dict[str, StoryRecord]:
        """The stories with these ids, each with its articles (in ingest order)."""
        out = {}
        with self._connect() as conn:
            for chunk in _chunks(ids):
                members = defaultdict(list)
                for story_id, article_id in conn.execute(STORY_MEMBERS, {"ids": chunk}):
                    members[story_id].append(article_id)
                for r in conn.execute(STORIES, {"ids": chunk}):
                    out[r.id] = StoryRecord(r.id, r.label, members[r.id], _parse_dt(r.first_seen), _parse_dt(r.last_seen))
        return out

    def story_claim_ids(self, story_id: str, min_checkworthiness: float) -> list[str]:
        """The check-worthy claims of the story's articles."""
        with self._connect() as conn:
            return list(conn.execute(
                select(claims.c.id).join_from(story_articles, claims, claims.c.article_id == story_articles.c.article_id)
                .where(story_articles.c.story_id == story_id, claims.c.checkworthiness >= min_checkworthiness)).scalars())

    def count_stories(self) -> int:
        with self._connect() as conn:
            return conn.execute(select(func.count()).select_from(stories)).scalar() or 0

    def largest_story_ids(self, limit: int, offset: int = 0) -> list[str]:
        """Stories by their number of articles, largest first (ties by id)."""
        with self._connect() as conn:
            return list(conn.execute(select(stories.c.id).order_by(stories.c.size.desc(), stories.c.id)
                                     .limit(limit).offset(offset)).scalars())

    def story_outlet_counts(self, story_ids: Iterable[str]) -> dict[str, int]:
        with self._connect() as conn:
            return dict(_rows(conn, STORY_OUTLETS, story_ids))

    # -- theses, stances, techniques, outlets ----------------------------------------------------------

    def stances_of(self, article_ids: Iterable[str], thesis_id: str | None = None) -> dict[str, list[Stance]]:
        """Each article's stances (one per thesis), by thesis id; with ``thesis_id``, toward that one only."""
        out = defaultdict(list)
        with self._connect() as conn:
            rows = (_rows(conn, STANCES, article_ids) if thesis_id is None
                    else _rows(conn, STANCES_ON, article_ids, thesis=thesis_id))
            for r in rows:
                out[r.article_id].append(Stance(r.thesis_id, r.article_id, r.label, r.score,
                                                [Evidence(**e) for e in json.loads(r.evidence)]))
        return dict(out)

    def techniques_of(self, article_ids: Iterable[str]) -> dict[str, list[TechniqueSpan]]:
        out = defaultdict(list)
        with self._connect() as conn:
            for r in _rows(conn, TECHNIQUES, article_ids):
                out[r.article_id].append(TechniqueSpan(r.article_id, r.start, r.end, r.technique, r.score))
        return dict(out)

    def outlet_view_records_of(self, kind: str, *, outlet: str | None = None, thesis_id: str | None = None,
                               limit: int | None = None) -> list[dict]:
        """Stored outlet views of ``kind`` for one outlet or one thesis, in the order they were stored."""
        query = select(outlet_views.c.record).where(outlet_views.c.kind == kind).limit(limit)
        if outlet is not None:
            query = query.where(outlet_views.c.outlet == outlet)
        if thesis_id is not None:
            query = query.where(outlet_views.c.thesis_id == thesis_id)
        with self._connect() as conn:
            return [json.loads(r) for r in conn.execute(query.order_by(outlet_views.c.id)).scalars()]

    # -- the overview's counts -------------------------------------------------------------------------

    def overview_counts(self, min_checkworthiness: float) -> dict:
        """Counts over the whole store, each one aggregate query (see report.views.CorpusView.overview)."""
        language = func.coalesce(func.nullif(articles.c.language, ""), "unknown")
        with self._connect() as conn:
            def count(table, *where) -> int:
                return conn.execute(select(func.count()).select_from(table).where(and_(true(), *where))).scalar() or 0

            return {
                "articles": count(articles),
                "outlets": conn.execute(select(func.count(distinct(outlet_name())))).scalar() or 0,
                "languages": dict(conn.execute(select(language, func.count()).group_by(language)
                                               .order_by(func.min(articles.c.seq))).all()),
                "stories": count(stories),
                "claims": count(claims, claims.c.checkworthiness >= min_checkworthiness),
                "claim_groups": count(claim_groups),
                "statuses": dict(conn.execute(select(claim_groups.c.status, func.count())
                                              .group_by(claim_groups.c.status)).all()),
                "theses": count(theses),
                "techniques": count(techniques),
                "copies": count(articles, articles.c.duplicate_of.is_not(None)),
            }

    def count_claims(self, min_checkworthiness: float) -> int:
        with self._connect() as conn:
            return conn.execute(select(func.count()).select_from(claims)
                                .where(claims.c.checkworthiness >= min_checkworthiness)).scalar() or 0

    def outlet_aggregates(self, outlet: str) -> dict:
        """What an outlet profile counts, aggregated in SQL over that outlet's rows only: for a store
        the narratives stage has not summarised (no stored outlet views)."""
        where = _outlet_is(outlet)
        language = func.coalesce(func.nullif(articles.c.language, ""), "unknown")
        with self._connect() as conn:
            def pairs(column, *joins) -> dict:
                query = select(column, func.count()).select_from(joins[0] if joins else articles).where(where)
                return dict(conn.execute(query.group_by(column)).all())

            total, copies = conn.execute(select(func.count(), func.count(articles.c.duplicate_of)).where(where)).one()
            dated = select(articles.c.published).where(where, articles.c.published_utc.is_not(None))
            first = conn.execute(dated.order_by(articles.c.published_utc, articles.c.seq).limit(1)).scalar()
            last = conn.execute(dated.order_by(articles.c.published_utc.desc(), articles.c.seq).limit(1)).scalar()
            groups = (claim_groups.join(claim_group_members, claim_group_members.c.group_id == claim_groups.c.id)
                      .join(claims, claims.c.id == claim_group_members.c.claim_id)
                      .join(articles, articles.c.id == claims.c.article_id))
            statuses = dict(conn.execute(select(claim_groups.c.status, func.count(distinct(claim_groups.c.id)))
                                         .select_from(groups).where(where).group_by(claim_groups.c.status)).all())
            return {
                "articles": total, "copies": copies, "first": _parse_dt(first), "last": _parse_dt(last),
                "languages": dict(conn.execute(select(language, func.count()).where(where).group_by(language)
                                               .order_by(func.min(articles.c.seq))).all()),
                "claim_statuses": statuses,
                "cited_sources": pairs(citations.c.source, citations.join(articles, articles.c.id == citations.c.article_id)),
                "techniques": pairs(techniques.c.technique,
                                    techniques.join(articles, articles.c.id == techniques.c.article_id)),
                "stances": [tuple(r) for r in conn.execute(
                    select(stances.c.thesis_id, stances.c.article_id, stances.c.label, stances.c.score)
                    .join_from(stances, articles, articles.c.id == stances.c.article_id).where(where)
                    .order_by(stances.c.thesis_id, stances.c.article_id))],
            }

