"""Tables of the link stage: cached vectors, stories, claim links, claim groups.

They share ``schema.metadata``, so ``create_all`` adds them to an existing store.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, LargeBinary, String, Table, Text

from .schema import metadata

# Sentence and article vectors, keyed by what they embed, so no text is embedded twice.
vectors = Table(
    "vectors",
    metadata,
    Column("model", String(64), primary_key=True),
    Column("kind", String(16), primary_key=True),  # claim, article
    Column("key", String(64), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # float32, unit length
)

stories = Table(
    "stories",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("label", Text, nullable=False),
    Column("centroid", LargeBinary, nullable=False),  # sum of member vectors (float32)
    Column("size", Integer, nullable=False),
    Column("first_seen", String(32)),
    Column("last_seen", String(32)),
    Column("entities", Text, nullable=False),  # JSON {entity id: article count}
)
# the dashboard's largest stories first (store/lookups.py)
Index("ix_stories_size", stories.c.size.desc(), stories.c.id)

story_articles = Table(
    "story_articles",
    metadata,
    Column("story_id", String(32), nullable=False, index=True),
    Column("article_id", String(32), primary_key=True),
    Column("similarity", Float, nullable=False),
)

claim_links = Table(
    "claim_links",
    metadata,
    Column("a", String(32), primary_key=True),
    Column("b", String(32), primary_key=True),
    Column("relation", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Column("reason", Text, nullable=False),
    Index("ix_claim_links_b", "b"),
    Index("ix_claim_links_relation", "relation", "score"),  # contradictions, most confident first
)

claim_groups = Table(
    "claim_groups",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("status", String(16), nullable=False, index=True),
    Column("origins", Text, nullable=False),  # JSON list of origin records
    Column("first_seen", String(32)),
    Column("summary", Text),
    Column("size", Integer),  # its claims (schema 5), so the most carried groups are read from an index
)
Index("ix_claim_groups_status_size", claim_groups.c.status, claim_groups.c.size.desc(), claim_groups.c.id)

claim_group_members = Table(
    "claim_group_members",
    metadata,
    Column("group_id", String(32), nullable=False, index=True),
    Column("claim_id", String(32), primary_key=True),
)
# The overview's contradictions in the order it lists them, read from the top (no sort of them all:
# 400 ms at 100,000 articles, 2 ms with it); contradictions only, so the other 2.7M links cost it nothing.
Index("ix_claim_links_contradictions", claim_links.c.relation, claim_links.c.score.desc(), claim_links.c.reason,
      claim_links.c.a, claim_links.c.b, sqlite_where=claim_links.c.relation == "contradicts",
      postgresql_where=claim_links.c.relation == "contradicts")
