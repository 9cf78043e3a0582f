"""The SQLAlchemy store: SQLite by default, any database URL SQLAlchemy speaks otherwise.

Opening a store never harms a database that is not ours: an existing SQLite file is first
looked at through a read-only connection, and one that holds tables but no narrascope ``meta``
table is refused before any pragma (WAL) or ``create_all`` can touch it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import numpy as np
from sqlalchemy import Connection, create_engine, delete, event, func, insert, inspect, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ..errors import MissingDependency, StoreError
from ..model import Article, RemovedLine
from . import (
    schema,
    schema_link,  # noqa: F401  (registers the link tables)
    schema_narratives,  # noqa: F401  (registers the narratives tables)
)
from .enrichment import EnrichmentStore
from .linking import LinkStore
from .narratives import NarrativesStore
from .schema import articles, minhash_bands, signatures, stage_runs
from .text_views import RowStreams, create_views

DEFAULT_DB = "narrascope.db"
# Articles read per query when listing the store: exports stream instead of loading it whole.
PAGE_SIZE = 500
# Columns an article keeps when a new reading of the same document replaces it.
_KEPT_ON_UPDATE = frozenset({"id", "duplicate_of", "duplicate_kind", "duplicate_similarity", "ingested_at"})


def database_url(db: str) -> str:
    """A URL for ``db``: URLs pass through, anything else is a SQLite file path.

    A bare ``postgresql://`` URL is given the psycopg 3 driver, the one ``narrascope[postgres]``
    installs (SQLAlchemy would otherwise look for psycopg2).
    """
    if "://" in db:
        scheme, rest = db.split("://", 1)
        return f"postgresql+psycopg://{rest}" if scheme in ("postgresql", "postgres") else db
    if not db.strip():
        raise StoreError("no database given (an empty path)")
    path = Path(db).expanduser()
    if not path.parent.exists():
        raise StoreError(f"folder {str(path.parent)!r} does not exist", source=db)
    if path.is_dir():
        raise StoreError("is a folder, not a database file", source=db)
    return f"sqlite:///{path.resolve()}"


def display_name(db: str) -> str:
    """``db`` fit to print: a URL's password masked."""
    if "://" not in db:
        return db
    try:
        return make_url(db).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"(://[^/:@]*:)[^@/]*@", r"\1***@", db)


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What ``narrascope status`` shows, computed by the database."""

    articles: int
    copies: int
    first_published: str | None  # UTC, ISO 8601
    last_published: str | None
    languages: list[tuple[str | None, int]]  # most frequent first
    outlets: list[tuple[str | None, int]]


class SQLStore(EnrichmentStore, LinkStore, NarrativesStore, RowStreams):
    """Store over SQLAlchemy Core. Use ``with store.transaction():`` to group writes atomically.

    ``create=False`` opens an existing narrascope store only (for commands that only read): a
    missing SQLite file is an error instead of a new empty database.
    """

    def __init__(self, db: str = DEFAULT_DB, *, create: bool = True) -> None:
        self.db = db
        self.display = display_name(db)
        url = database_url(db)
        try:
            parsed = make_url(url)
            is_sqlite = parsed.get_backend_name() == "sqlite"
            memory = is_sqlite and parsed.database in (None, "", ":memory:")
            kwargs = {"poolclass": StaticPool} if memory else {}
            self.engine: Engine = create_engine(url, future=True, **kwargs)
        except ImportError as exc:
            raise MissingDependency(
                exc.name or "database driver",
                "postgres" if "postgres" in url else None,
                purpose=f"the database {self.display}",
            ) from exc
        except (ArgumentError, SQLAlchemyError) as exc:
            raise StoreError(f"cannot open database ({_short(exc)})", source=self.display) from exc
        if not memory:
            self._refuse_foreign(Path(parsed.database) if is_sqlite else None, create)
        if is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._conn: Connection | None = None
        self._init_schema()

    def _refuse_foreign(self, sqlite_file: Path | None, create: bool) -> None:
        """Refuse a missing store (``create=False``) or another application's database, before
        anything is written to it."""
        if sqlite_file is not None and not sqlite_file.exists():
            if not create:
                raise StoreError("no such database", source=self.display)
            return
        try:
            if sqlite_file is None:
                with self.engine.connect() as conn:
                    tables = set(inspect(conn).get_table_names())
                    ours = "meta" in tables and _has_version(conn.exec_driver_sql)
            else:  # mode=ro: looking must not change the file (no journal switch, no new tables)
                with closing(sqlite3.connect(f"file:{quote(str(sqlite_file))}?mode=ro", uri=True)) as conn:
                    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                    ours = "meta" in tables and _has_version(conn.execute)
        except (sqlite3.Error, SQLAlchemyError) as exc:
            raise StoreError(f"cannot open database ({_short(exc)})", source=self.display) from exc
        if tables and not ours:
            raise StoreError(
                "not a narrascope database (it has tables but no narrascope 'meta' table)",
                source=self.display,
            )
        if not tables and not create:
            raise StoreError("empty database: nothing was ever ingested into it", source=self.display)

    @classmethod
    def memory(cls) -> SQLStore:
        """A private in-memory SQLite store: the test double for everything that takes a store."""
        return cls("sqlite://")

    def _init_schema(self) -> None:
        try:
            with self._writing() as conn:
                schema.metadata.create_all(conn)
                row = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "schema_version"))
                version = row.scalar()
                if version is None:
                    conn.execute(
                        insert(schema.meta).values(key="schema_version", value=str(schema.SCHEMA_VERSION))
                    )
                elif int(version) < schema.SCHEMA_VERSION:  # create_all added the new tables
                    conn.execute(
                        update(schema.meta)
                        .where(schema.meta.c.key == "schema_version")
                        .values(value=str(schema.SCHEMA_VERSION))
                    )
                elif int(version) > schema.SCHEMA_VERSION:
                    raise StoreError(
                        f"made by a newer narrascope (schema {version}); upgrade narrascope",
                        source=self.display,
                    )
                # The text views: missing ones made, all re-made when the schema version changed.
                create_views(conn, replace=version is not None and int(version) < schema.SCHEMA_VERSION)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open database ({_short(exc)})", source=self.display) from exc

    def close(self) -> None:
        self.engine.dispose()

    # -- transactions ----------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all (also on Ctrl-C)."""
        if self._conn is not None:
            yield
            return
        try:
            with self._writing() as conn:
                self._conn = conn
                try:
                    yield
                finally:
                    self._conn = None
        except SQLAlchemyError as exc:
            raise StoreError(f"write failed ({_short(exc)})", source=self.display) from exc

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A transaction that will write: on SQLite it takes the write lock when it begins (BEGIN
        IMMEDIATE), so that a concurrent writer waits for it instead of failing half-way on a
        snapshot another process has changed (two ingests both taking the same next ``seq``)."""
        with self.engine.connect() as conn:
            conn.info["narrascope_write"] = True
            try:
                with conn.begin():
                    yield conn
            finally:
                conn.info.pop("narrascope_write", None)

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        if self._conn is not None:
            yield self._conn
            return
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"database error ({_short(exc)})", source=self.display) from exc

    # -- articles --------------------------------------------------------------------------

    def add_article(
        self, article: Article, *, minhash: np.ndarray | None = None, band_keys: list[tuple[int, int]] = ()
    ) -> bool:
        """Insert ``article`` unless its id is stored already; True when it was new."""
        with self._connect() as conn:
            if conn.dialect.name == "postgresql":  # one writer at a time takes the next seq (until commit)
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SEQ_LOCK})")
            if conn.execute(select(articles.c.id).where(articles.c.id == article.id)).first():
                return False
            seq = (conn.execute(select(func.max(articles.c.seq))).scalar() or 0) + 1
            conn.execute(insert(articles).values(seq=seq, **_article_row(article)))
            if minhash is not None:
                self._save_signature(conn, article.id, minhash, band_keys)
            return True

    def update_article(
        self, article: Article, *, minhash: np.ndarray, band_keys: list[tuple[int, int]]
    ) -> None:
        """Replace the stored reading of ``article.id``; its place among copies is kept.

        Its enrichment is marked stale (its ``stage_runs`` rows go), so ``analyze`` redoes it.
        """
        row = {k: v for k, v in _article_row(article).items() if k not in _KEPT_ON_UPDATE}
        with self._connect() as conn:
            conn.execute(update(articles).where(articles.c.id == article.id).values(row))
            for table in (stage_runs, signatures, minhash_bands):
                conn.execute(delete(table).where(table.c.article_id == article.id))
            self._save_signature(conn, article.id, minhash, band_keys)

    @staticmethod
    def _save_signature(conn: Connection, aid: str, minhash: np.ndarray, band_keys) -> None:
        conn.execute(insert(signatures).values(article_id=aid, minhash=minhash.tobytes()))
        if band_keys:
            conn.execute(
                insert(minhash_bands), [{"band": b, "bucket": k, "article_id": aid} for b, k in band_keys]
            )

    def stated_metadata(self, article_id: str) -> dict[str, object]:
        """Title, author, published and language of a stored article (what an input may restate)."""
        cols = (articles.c.title, articles.c.author, articles.c.published, articles.c.language)
        with self._connect() as conn:
            row = conn.execute(select(*cols).where(articles.c.id == article_id)).mappings().first()
        if row is None:
            return {}
        return {**row, "published": _parse_dt(row["published"])}

    def set_duplicate(
        self, article_id: str, of: str | None, kind: str | None, similarity: float | None
    ) -> None:
        with self._connect() as conn:
            conn.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(duplicate_of=of, duplicate_kind=kind, duplicate_similarity=similarity)
            )

    def duplicate_family(self, root: str) -> list[tuple[str, str]]:
        """(id, content hash) of ``root`` and of every article stored as its copy."""
        with self._connect() as conn:
            rows = conn.execute(
                select(articles.c.id, articles.c.content_hash)
                .where((articles.c.id == root) | (articles.c.duplicate_of == root))
                .order_by(articles.c.seq)
            ).all()
        return [(r.id, r.content_hash) for r in rows]

    def get_article(self, article_id: str) -> Article | None:
        with self._connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        return _article_from_row(row) if row else None

    def get_articles(self, ids: list[str]) -> list[Article]:
        """The articles with these ids, in the order given (missing ones left out)."""
        with self._connect() as conn:
            rows = conn.execute(select(articles).where(articles.c.id.in_(ids))).mappings().all()
        found = {row["id"]: _article_from_row(row) for row in rows}
        return [found[i] for i in ids if i in found]

    def iter_articles(self) -> Iterator[Article]:
        """All articles in ingest order, read a page at a time."""
        last = 0
        while True:
            with self._connect() as conn:
                rows = (
                    conn.execute(
                        select(articles)
                        .where(articles.c.seq > last)
                        .order_by(articles.c.seq)
                        .limit(PAGE_SIZE)
                    )
                    .mappings()
                    .all()
                )
            for row in rows:
                yield _article_from_row(row)
            if len(rows) < PAGE_SIZE:
                return
            last = rows[-1]["seq"]

    def count_articles(self) -> int:
        with self._connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar() or 0

    def stats(self) -> StoreStats:
        """Counts per outlet and language, copies and the date range, without reading any text."""
        with self._connect() as conn:
            total, copies, first, last = conn.execute(
                select(
                    func.count(),
                    func.count(articles.c.duplicate_of),
                    func.min(articles.c.published_utc),
                    func.max(articles.c.published_utc),
                )
            ).one()
            per = {}
            for name in ("language", "outlet"):
                col = articles.c[name]
                n = func.count().label("n")
                per[name] = [
                    (r[0], r[1])
                    for r in conn.execute(select(col, n).group_by(col).order_by(n.desc(), col.asc().nulls_first())).all()
                ]
        return StoreStats(total, copies, first, last, per["language"], per["outlet"])

    # -- duplicate index (see narrascope.ingest.dedup.DuplicateIndex) -----------------------

    def articles_with_content_hash(self, content_hash: str) -> list[tuple[str, datetime | None]]:
        with self._connect() as conn:
            rows = conn.execute(
                select(articles.c.id, articles.c.published)
                .where(articles.c.content_hash == content_hash)
                .order_by(articles.c.seq)
            ).all()
        return [(r.id, _parse_dt(r.published)) for r in rows]

    def near_duplicate_candidates(self, band_keys: list[tuple[int, int]]) -> dict[str, np.ndarray]:
        if not band_keys:
            return {}
        wanted = set(band_keys)
        with self._connect() as conn:
            rows = conn.execute(
                select(minhash_bands).where(minhash_bands.c.bucket.in_([k for _, k in band_keys]))
            )
            # one query over all buckets; the band is checked here rather than in SQL
            ids = {r.article_id for r in rows if (r.band, r.bucket) in wanted}
        return self.signatures_of(ids)

    def signatures_of(self, ids: Iterable[str]) -> dict[str, np.ndarray]:
        ids = list(ids)
        if not ids:
            return {}
        with self._connect() as conn:
            sigs = conn.execute(select(signatures).where(signatures.c.article_id.in_(ids))).all()
        return {r.article_id: np.frombuffer(r.minhash, dtype=np.uint32) for r in sigs}

    def article_dates(self, ids: list[str]) -> dict[str, tuple[datetime | None, str | None]]:
        with self._connect() as conn:
            rows = conn.execute(
                select(articles.c.id, articles.c.published, articles.c.duplicate_of).where(
                    articles.c.id.in_(ids)
                )
            ).all()
        return {r.id: (_parse_dt(r.published), r.duplicate_of) for r in rows}


def _has_version(execute) -> bool:
    """True when a ``meta`` table is narrascope's: it holds the schema version."""
    try:
        return execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() is not None
    except (sqlite3.Error, SQLAlchemyError):
        return False


# PostgreSQL advisory lock key held while an article's ``seq`` is chosen ("narr" in ASCII).
_SEQ_LOCK = 0x6E617272
# How long a writer waits for another process's write transaction on SQLite, in milliseconds.
SQLITE_BUSY_MS = 600_000


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Transactions are begun by _sqlite_begin, not by the driver, so a writer can take the write
    # lock up front (the driver's own BEGIN is always deferred).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("narrascope_write") else "BEGIN")


def _short(exc: Exception) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


# Article fields stored as they are, in columns of the same name.
_PLAIN = tuple(
    """id text title author outlet url path language source_format external_id duplicate_of
    duplicate_kind duplicate_similarity""".split()
)


def _article_row(a: Article) -> dict:
    removed = [{"text": r.text, "reason": r.reason, "line": r.line_no} for r in a.removed]
    return {
        **{name: getattr(a, name) for name in _PLAIN},
        "published": a.published.isoformat() if a.published else None,
        "published_utc": _utc_key(a.published),
        "content_hash": a.content_hash,
        "removed": json.dumps(removed, ensure_ascii=False),
        "word_count": a.word_count,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _article_from_row(row) -> Article:
    removed = json.loads(row["removed"] or "[]")
    return Article(
        **{name: row[name] for name in _PLAIN},
        published=_parse_dt(row["published"]),
        removed=[RemovedLine(r["text"], r["reason"], r.get("line", 0)) for r in removed],
    )


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _utc_key(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds")
