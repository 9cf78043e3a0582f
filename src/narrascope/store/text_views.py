"""Flat rows with their text: the SQL views a generic SQLite tool browses, and the queries the
table exports stream.

Spans are stored as offsets only (schema.py); these queries cut the text out of ``articles.text``
in the database (``substr`` counts characters on SQLite and PostgreSQL alike, as Python does), so
nothing is stored twice and a row is never built from a whole table in memory.

The views (``VIEWS``) are created with the schema, on both backends, and re-created when the
schema version changes. The other queries (``QUERIES``) are what ``narrascope export --table``
reads; each view is also one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from sqlalchemy import Connection, and_, distinct, func, inspect, select
from sqlalchemy.sql import Select

from .schema import articles, attributions, citations, claims, entities, mentions, sentences
from .schema_link import claim_group_members, claim_groups, claim_links, stories, story_articles
from .schema_narratives import stances, techniques, theses


def span_text(table, start: str = "start", end: str = "end", text=articles.c.text):
    """The text of ``table``'s span, cut from its article (offsets are 0-based, substr 1-based)."""
    return func.substr(text, table.c[start] + 1, table.c[end] - table.c[start])


def sentences_text() -> Select:
    return (
        select(
            sentences.c.article_id, articles.c.outlet, sentences.c.idx, sentences.c.start,
            sentences.c.end, span_text(sentences).label("text"),
        )
        .join_from(sentences, articles, articles.c.id == sentences.c.article_id)
        .order_by(articles.c.seq, sentences.c.idx)
    )


def claims_text(min_checkworthiness: float | None = None) -> Select:
    covering = and_(  # the sentence the claim sits in (a claim is a sentence or a clause of one)
        sentences.c.article_id == claims.c.article_id,
        sentences.c.start <= claims.c.start,
        sentences.c.end >= claims.c.end,
    )
    said_by = and_(
        attributions.c.article_id == claims.c.article_id,
        attributions.c.start == claims.c.attribution_start,
        attributions.c.end == claims.c.attribution_end,
    )
    query = (
        select(
            claims.c.id, claims.c.article_id, articles.c.outlet, articles.c.published,
            claims.c.start, claims.c.end, span_text(claims).label("text"),
            select(span_text(sentences)).where(covering).order_by(sentences.c.idx).limit(1)
            .scalar_subquery().label("sentence"),
            claims.c.checkworthiness, claims.c.negated,
            claims.c.hedge_cue.is_not(None).label("hedged"), claims.c.hedge_cue,
            # scalar subqueries, not joins: two attributions over one span must not double a claim
            select(attributions.c.speaker).where(said_by).limit(1).scalar_subquery().label("speaker"),
            select(attributions.c.kind).where(said_by).limit(1).scalar_subquery().label("attribution_kind"),
            claim_group_members.c.group_id, claim_groups.c.status.label("group_status"),
        )
        .join_from(claims, articles, articles.c.id == claims.c.article_id)
        .outerjoin(claim_group_members, claim_group_members.c.claim_id == claims.c.id)
        .outerjoin(claim_groups, claim_groups.c.id == claim_group_members.c.group_id)
        .order_by(articles.c.seq, claims.c.start, claims.c.id)
    )
    if min_checkworthiness is not None:
        query = query.where(claims.c.checkworthiness >= min_checkworthiness)
    return query


def claim_links_text() -> Select:
    ca, cb = claims.alias("ca"), claims.alias("cb")
    aa, ab = articles.alias("aa"), articles.alias("ab")
    return (
        select(
            claim_links.c.a, claim_links.c.b, claim_links.c.relation, claim_links.c.score,
            claim_links.c.reason,
            ca.c.article_id.label("a_article_id"), aa.c.outlet.label("a_outlet"),
            span_text(ca, text=aa.c.text).label("a_text"),
            cb.c.article_id.label("b_article_id"), ab.c.outlet.label("b_outlet"),
            span_text(cb, text=ab.c.text).label("b_text"),
        )
        .join_from(claim_links, ca, ca.c.id == claim_links.c.a)
        .join(aa, aa.c.id == ca.c.article_id)
        .join(cb, cb.c.id == claim_links.c.b)
        .join(ab, ab.c.id == cb.c.article_id)
        .order_by(claim_links.c.a, claim_links.c.b)
    )


def mentions_text() -> Select:
    return (
        select(
            mentions.c.article_id, articles.c.outlet, mentions.c.start, mentions.c.end,
            span_text(mentions).label("text"), mentions.c.label, mentions.c.normal, mentions.c.entity_id,
            entities.c.name.label("entity_name"), entities.c.type.label("entity_type"),
        )
        .join_from(mentions, articles, articles.c.id == mentions.c.article_id)
        .outerjoin(entities, entities.c.id == mentions.c.entity_id)
        .order_by(articles.c.seq, mentions.c.start, mentions.c.end)
    )


def citations_text() -> Select:
    return (
        select(
            citations.c.article_id, articles.c.outlet, citations.c.source, citations.c.cue,
            citations.c.start, citations.c.end, span_text(citations).label("text"),
        )
        .join_from(citations, articles, articles.c.id == citations.c.article_id)
        .order_by(articles.c.seq, citations.c.start)
    )


def techniques_text() -> Select:
    return (
        select(
            techniques.c.article_id, articles.c.outlet, techniques.c.technique, techniques.c.start,
            techniques.c.end, span_text(techniques).label("text"), techniques.c.score,
        )
        .join_from(techniques, articles, articles.c.id == techniques.c.article_id)
        .order_by(articles.c.seq, techniques.c.start, techniques.c.technique)
    )


def claim_groups_rows() -> Select:
    return select(
        claim_groups.c.id, claim_groups.c.status,
        select(func.count()).where(claim_group_members.c.group_id == claim_groups.c.id)
        .scalar_subquery().label("claims"),
        claim_groups.c.origins, claim_groups.c.first_seen, claim_groups.c.summary,
    ).order_by(claim_groups.c.first_seen, claim_groups.c.id)


def entities_rows() -> Select:
    of_entity = mentions.c.entity_id == entities.c.id
    return select(
        entities.c.id, entities.c.name, entities.c.type, entities.c.aliases,
        select(func.count()).where(of_entity).scalar_subquery().label("mentions"),
        select(func.count(distinct(mentions.c.article_id))).where(of_entity).scalar_subquery().label("articles"),
    ).order_by(entities.c.type, entities.c.name, entities.c.id)


def story_rows() -> Select:
    return (
        select(
            stories.c.id.label("story_id"), stories.c.label, stories.c.size, stories.c.first_seen,
            stories.c.last_seen, story_articles.c.article_id, articles.c.outlet, articles.c.title,
            articles.c.published, story_articles.c.similarity,
        )
        .join_from(story_articles, stories, stories.c.id == story_articles.c.story_id)
        .join(articles, articles.c.id == story_articles.c.article_id)
        .order_by(stories.c.first_seen, stories.c.id, articles.c.seq)
    )


def stance_rows() -> Select:
    return (
        select(
            stances.c.thesis_id, theses.c.text.label("thesis"), stances.c.article_id, articles.c.outlet,
            articles.c.title, articles.c.published, stances.c.label, stances.c.score, stances.c.evidence,
            articles.c.text.label("article_text"),
        )
        .join_from(stances, theses, theses.c.id == stances.c.thesis_id)
        .join(articles, articles.c.id == stances.c.article_id)
        .order_by(theses.c.added_at, theses.c.id, articles.c.seq)
    )


def article_rows() -> Select:
    return select(articles).order_by(articles.c.seq)


def outlet_rows() -> Select:
    return select(articles.c.outlet).where(articles.c.outlet.is_not(None)).distinct()


def citation_counts() -> Select:
    """How often each outlet cites each source: the citation graph's edges."""
    return (
        select(articles.c.outlet, citations.c.source, func.count().label("citations"),
               func.count(distinct(citations.c.article_id)).label("articles"))
        .join_from(citations, articles, articles.c.id == citations.c.article_id)
        .group_by(articles.c.outlet, citations.c.source)
        .order_by(articles.c.outlet, citations.c.source)
    )


def linked_claims() -> Select:
    """The claims some claim link touches, with their text: the claim graph's nodes."""
    ends = select(claim_links.c.a.label("id")).union(select(claim_links.c.b)).subquery()
    return claims_text().where(claims.c.id.in_(select(ends.c.id)))


# The views: name -> query. A generic SQLite browser shows them beside the tables.
VIEWS: dict[str, Callable[[], Select]] = {
    "sentences_text": sentences_text,
    "claims_text": claims_text,
    "claim_links_text": claim_links_text,
    "mentions_text": mentions_text,
    "citations_text": citations_text,
    "techniques_text": techniques_text,
}

QUERIES: dict[str, Callable[..., Select]] = {
    **VIEWS,
    "claim_groups": claim_groups_rows,
    "entities": entities_rows,
    "stories": story_rows,
    "stances": stance_rows,
    "articles": article_rows,
    "outlets": outlet_rows,
    "citation_counts": citation_counts,
    "linked_claims": linked_claims,
}


def create_views(conn: Connection, *, replace: bool) -> None:
    """Create the views that are missing; ``replace`` re-creates them all (a new schema version
    may have changed what they show)."""
    present = set(inspect(conn).get_view_names())
    postgres = conn.dialect.name == "postgresql"
    for name, query in VIEWS.items():
        if name in present and not replace:
            continue
        body = query().compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
        if replace or not postgres:
            conn.exec_driver_sql(f"DROP VIEW IF EXISTS {name}")
        verb = "CREATE OR REPLACE VIEW" if postgres else "CREATE VIEW"
        conn.exec_driver_sql(f"{verb} {name} AS {body}")


class RowStreams:
    """Reading flat rows a batch at a time, over one connection (one consistent snapshot)."""

    def stream_rows(self, name: str, *, batch_size: int = 1000, **params) -> Iterator[list[dict]]:
        """The rows of query ``name`` of ``QUERIES`` as dicts, ``batch_size`` at a time."""
        query = QUERIES[name](**params)
        with self._connect() as conn:  # type: ignore[attr-defined]
            result = conn.execution_options(stream_results=True, yield_per=batch_size).execute(query)
            for part in result.mappings().partitions(batch_size):
                yield [dict(row) for row in part]


__all__ = ["QUERIES", "VIEWS", "RowStreams", "create_views", "span_text"]
