"""Tables. One row per model record; spans are stored as offsets, never as copied text.

Later stages add their tables here; ``create_all`` adds missing tables to an existing store,
so an old database keeps working after an upgrade.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
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

SCHEMA_VERSION = 1

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
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
    Column("outlet", String(200), index=True),
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
)

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
