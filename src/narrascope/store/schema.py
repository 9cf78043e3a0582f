"""Tables. One row per model record; spans are stored as offsets, never as copied text.

Later stages add their tables here; ``create_all`` adds missing tables to an existing store,
so an old database keeps working after an upgrade.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

# 3: the text views of store/text_views.py (claims_text, mentions_text...).
# 4: indexes for the dashboard's per-page queries (store/lookups.py), added to older stores too.
# 5: the ``summary`` table of the overview's counts (store/summary.py), counted once in an older store,
#    and ``articles.changed`` (store/changes.py), added to an older store's articles.
# 6: two more dashboard indexes (an outlet's newest articles; claims by article and check-worthiness).
SCHEMA_VERSION = 6

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# The overview's counts, kept by every write that changes them (store/summary.py): one row per
# count ("articles", "outlet:NAME", "status:corroborated"...); ``first`` orders the languages.
summary = Table(
    "summary",
    metadata,
    Column("key", Text, primary_key=True),
    Column("n", BigInteger, nullable=False),
    Column("first", BigInteger),
)

articles = Table(
    "articles",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("seq", Integer, nullable=False, unique=True),  # ingest order, for stable listings
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("author", Text),
    Column("published", String(40)),  # ISO 8601 as found, with its zone when known
    Column("published_utc", String(32), index=True),  # sortable UTC form of the same moment
    Column("outlet", Text, index=True),  # any length: a name is what the input says it is
    Column("url", Text),
    Column("path", Text),
    Column("language", String(16), index=True),
    Column("source_format", String(16)),
    Column("external_id", Text),
    Column("content_hash", String(32), nullable=False, index=True),
    Column("duplicate_of", String(32), index=True),
    Column("duplicate_kind", String(8)),
    Column("duplicate_similarity", Float),
    Column("removed", Text, nullable=False, default="[]"),  # JSON list of {text, reason, line}
    Column("word_count", Integer, nullable=False),
    Column("ingested_at", String(32), nullable=False),
    # The change sequence (store/changes.py): what a copy such as the search index reads again.
    Column("changed", BigInteger, index=True),
    Index("ix_articles_language_seq", "language", "seq"),  # a language's first article (store/summary.py)
)
# An outlet's newest articles in index order (the outlet page lists 200): without it SQLite read
# every article of the outlet, past its text, to sort them (6 ms of the page's 16 at 100,000
# articles, 1,400 articles an outlet). SQLite only: its DESC puts nulls last, as the page's
# order wants; PostgreSQL's puts them first, so there the page sorts them as before.
Index("ix_articles_outlet_newest", articles.c.outlet, articles.c.published_utc.desc(), articles.c.seq).ddl_if(
    dialect="sqlite")

signatures = Table(
    "signatures",
    metadata,
    Column("article_id", String(32), primary_key=True),
    Column("minhash", LargeBinary, nullable=False),
)

minhash_bands = Table(
    "minhash_bands",
    metadata,
    Column("band", Integer, nullable=False),
    Column("bucket", BigInteger, nullable=False),
    Column("article_id", String(32), nullable=False),
    Index("ix_minhash_bands_bucket", "band", "bucket"),
)


# -- enrichment ---------------------------------------------------------------------------------
# Rows of one article are replaced together when it is enriched again; every span is a pair of
# offsets into articles.text.

stage_runs = Table(
    "stage_runs",
    metadata,
    Column("stage", String(32), primary_key=True),
    Column("article_id", String(32), primary_key=True),
    Column("version", String(64), nullable=False),
    Column("ran_at", String(32), nullable=False),
)

notes = Table(
    "notes",
    metadata,
    Column("article_id", String(32), nullable=False, index=True),
    Column("stage", String(32), nullable=False),
    Column("text", Text, nullable=False),
)


def _span_table(name: str, *columns: Column, index: bool = True) -> Table:
    return Table(
        name,
        metadata,
        Column("article_id", String(32), nullable=False, index=index),
        Column("start", Integer, nullable=False),
        Column("end", Integer, nullable=False),
        *columns,
    )


sentences = _span_table("sentences", Column("idx", Integer, nullable=False))
mentions = _span_table(
    "mentions",
    Column("label", String(16), nullable=False),
    Column("normal", Text),
    Column("entity_id", String(32), index=True),
)
quantities = _span_table(
    "quantities",
    Column("kind", String(16), nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", String(64)),
)
times = _span_table(
    "times",
    Column("value", String(10), nullable=False),
    Column("end_value", String(10), nullable=False),
    Column("granularity", String(8), nullable=False),
    Column("relative", Boolean, nullable=False),
)
attributions = _span_table(
    "attributions",
    Column("speaker", Text, nullable=False),
    Column("speaker_start", Integer, nullable=False),
    Column("speaker_end", Integer, nullable=False),
    Column("cue", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("listener", Text),
)
citations = _span_table(
    "citations",
    Column("source", Text, nullable=False),
    Column("cue", String(64), nullable=False),
    Column("source_start", Integer, nullable=False),
    Column("source_end", Integer, nullable=False),
)
hedges = _span_table(
    "hedges",
    Column("cue", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
)
claims = Table(
    "claims",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("article_id", String(32), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("checkworthiness", Float, nullable=False, index=True),
    Column("negated", Boolean, nullable=False),
    Column("hedge_cue", String(64)),  # null: not hedged
    Column("attribution_start", Integer),  # the covering attribution, by its span
    Column("attribution_end", Integer),
)
# Covers the claims of given articles above a check-worthiness (the outlet page's claim counts, a
# story's claims) without reading the claims' rows.
Index("ix_claims_article_cw", claims.c.article_id, claims.c.checkworthiness, claims.c.id)
entities = Table(
    "entities",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("aliases", Text, nullable=False),  # JSON list
)

# What incremental canonicalisation looks mentions up by (enrich/canonical_batches.py), one row per
# mention and key: kind "n" (the name's key, the keys of its last words and of its first word: a
# surname, a given name, "the Ledger" find the full names they may stand for), "a" (an acronym, the
# one it defines, the initials of a name of several words), "s" (the mention's story key: the bags
# of names that tell which articles tell one story).
name_keys = Table(
    "name_keys",
    metadata,
    Column("kind", String(1), nullable=False),
    Column("value", Text, nullable=False),
    Column("article_id", String(32), nullable=False, index=True),
    Column("start", Integer, nullable=False),
    Index("ix_name_keys_value", "kind", "value", "article_id"),
)

ANNOTATION_TABLES = (sentences, mentions, quantities, times, attributions, citations, hedges, claims)
