"""The statements of :mod:`.lookups` (what one dashboard page reads by id), built once.

Each takes its ids when it runs (``{"ids": [...]}``, an expanding ``IN`` list), so a lookup
skips SQLAlchemy's building of a new statement and its cache key per call: 0.16 of the 0.2 ms
a lookup of a few ids cost on SQLite, and a page makes twenty. Portable SQL only.
"""

from __future__ import annotations

from sqlalchemy import and_, bindparam, distinct, func, or_, select

from .articles import _PLAIN
from .schema import articles, attributions, claims
from .schema_link import claim_group_members, claim_groups, claim_links, stories, story_articles
from .schema_narratives import stances, techniques
from .text_views import span_text

UNKNOWN_OUTLET = "(unknown outlet)"
# An article's columns without its text and removed lines: what lists and links show.
INFO = [articles.c[name] for name in _PLAIN if name != "text"] + [articles.c.published]


def outlet_name():
    """The outlet as the pages name it: an empty or missing outlet is "(unknown outlet)"."""
    return func.coalesce(func.nullif(articles.c.outlet, ""), UNKNOWN_OUTLET)


def ids():
    """An ``IN`` list given when the statement runs."""
    return bindparam("ids", expanding=True)


MIN_CW = bindparam("min_cw")
ARTICLE_INFO = select(*INFO).where(articles.c.id.in_(ids()))
CLAIMS = select(claims).where(claims.c.id.in_(ids()), claims.c.checkworthiness >= MIN_CW)
CLAIM_TEXTS = (select(claims.c.id, span_text(claims).label("text"))
               .join_from(claims, articles, articles.c.id == claims.c.article_id).where(claims.c.id.in_(ids())))
CLAIM_COUNTS = (select(claims.c.article_id, func.count())
                .where(claims.c.article_id.in_(ids()), claims.c.checkworthiness >= MIN_CW).group_by(claims.c.article_id))
# the attribution a claim's annotations give it: the one on the claim's span
ATTRIBUTION = (select(attributions)
               .join_from(claims, attributions, and_(attributions.c.article_id == claims.c.article_id,
                                                     attributions.c.start == claims.c.attribution_start,
                                                     attributions.c.end == claims.c.attribution_end))
               .where(claims.c.id == bindparam("claim")))
GROUP_OF = select(claim_group_members.c.claim_id, claim_group_members.c.group_id).where(
    claim_group_members.c.claim_id.in_(ids()))
GROUP_MEMBERS = select(claim_group_members.c.group_id, claim_group_members.c.claim_id).where(
    claim_group_members.c.group_id.in_(ids()))
GROUPS = select(claim_groups).where(claim_groups.c.id.in_(ids()))
LINKS = select(claim_links).where(or_(claim_links.c.a.in_(ids()), claim_links.c.b.in_(ids())))
# wrapped: the planner must find the links by a and b, not walk every link of that relation
# (15 ms for a story at 100,000 articles when it did)
LINKS_OF = LINKS.where(func.coalesce(claim_links.c.relation, "") == bindparam("relation"))
STORY_OF = select(story_articles.c.article_id, story_articles.c.story_id).where(
    story_articles.c.article_id.in_(ids()))
STORY_MEMBERS = (select(story_articles.c.story_id, story_articles.c.article_id)
                 .join_from(story_articles, articles, articles.c.id == story_articles.c.article_id)
                 .where(story_articles.c.story_id.in_(ids())).order_by(articles.c.seq))
STORIES = select(stories.c.id, stories.c.label, stories.c.first_seen, stories.c.last_seen).where(
    stories.c.id.in_(ids()))
STORY_OUTLETS = (select(story_articles.c.story_id, func.count(distinct(outlet_name())))
                 .join_from(story_articles, articles, articles.c.id == story_articles.c.article_id)
                 .where(story_articles.c.story_id.in_(ids())).group_by(story_articles.c.story_id))
STANCES = select(stances).where(stances.c.article_id.in_(ids())).order_by(stances.c.thesis_id)
STANCES_ON = (select(stances).where(stances.c.article_id.in_(ids()), stances.c.thesis_id == bindparam("thesis"))
              .order_by(stances.c.thesis_id))
TECHNIQUES = (select(techniques).where(techniques.c.article_id.in_(ids()))
              .order_by(techniques.c.article_id, techniques.c.start))
