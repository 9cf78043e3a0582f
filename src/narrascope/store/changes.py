"""The articles' change sequence: what a reader that keeps a copy (the dashboard's search index)
needs to read again since it last looked.

Every write that changes what an article shows of itself, its claims or its stances stamps the
article with the next number of one store-wide sequence (``articles.changed``, indexed), in the
same transaction. A reader keeps the highest number it has read (its watermark) and next time
reads only the articles stamped above it, instead of comparing every key with the store (a minute
at 100,000 articles, for nothing when nothing changed).

Numbers are taken in commit order: on SQLite one writer at a time holds the write lock from the
start of its transaction (BEGIN IMMEDIATE); on PostgreSQL the stamping transaction holds the same
advisory lock as ingest's ``seq`` until it commits. So a reader that saw number N has seen every
commit stamped N or below.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, func, select, update

from .schema import articles

# PostgreSQL advisory lock key held while an article's ``seq`` is chosen ("narr" in ASCII): the
# same lock as store.articles', so ingest and stamping take their numbers in one order.
SEQ_LOCK = 0x6E617272
_CHUNK = 500


def next_number(conn: Connection) -> int:
    """The next number of the sequence, in commit order (see the module's docstring)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SEQ_LOCK})")
    return (conn.execute(select(func.max(articles.c.changed))).scalar() or 0) + 1


def stamp(conn: Connection, article_ids: Iterable[str]) -> None:
    """Mark the articles as changed now."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return
    number = next_number(conn)
    for i in range(0, len(ids), _CHUNK):
        conn.execute(update(articles).where(articles.c.id.in_(ids[i : i + _CHUNK])).values(changed=number))


def last_number(conn: Connection) -> int:
    """The highest number stamped so far (0: none)."""
    return conn.execute(select(func.max(articles.c.changed))).scalar() or 0


def changed_since(conn: Connection, mark: int) -> list[str]:
    """Ids of the articles stamped above ``mark`` (the index on ``changed`` finds them)."""
    return list(conn.execute(select(articles.c.id).where(articles.c.changed > mark)).scalars())
