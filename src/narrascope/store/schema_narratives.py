"""Tables of the narratives stage: theses, stances toward them, persuasion techniques."""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, String, Table, Text

from .schema import metadata

theses = Table(
    "theses",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("text", Text, nullable=False),
    Column("added_at", String(32), nullable=False),
)

# One row per (thesis, article): the article's stance and the sentences that show it.
stances = Table(
    "stances",
    metadata,
    Column("thesis_id", String(32), primary_key=True),
    Column("article_id", String(32), primary_key=True, index=True),  # an article's stances: its page
    Column("label", String(16), nullable=False),
    Column("score", Float, nullable=False),
    Column("evidence", Text, nullable=False),  # JSON list of {start, end, label, score, why}
    Column("version", String(32), nullable=False),
)

techniques = Table(
    "techniques",
    metadata,
    Column("article_id", String(32), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("technique", String(40), nullable=False),
    Column("score", Float, nullable=False),
)

# What the narratives stage concludes per outlet, kept so the report, the dashboard and the export
# read it instead of recomputing it: kind "stance" (one row per outlet and thesis: the tally of its
# articles about the thesis) or "profile" (one row per outlet). Replaced whole on every run.
outlet_views = Table(
    "outlet_views",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("outlet", Text, nullable=False),
    Column("thesis_id", String(32)),
    Column("record", Text, nullable=False),  # JSON
    Index("ix_outlet_views_kind", "kind", "thesis_id"),
)
