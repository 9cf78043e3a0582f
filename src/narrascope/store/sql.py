"""The SQLAlchemy store: SQLite by default, any database URL SQLAlchemy speaks otherwise."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import Connection, create_engine, event, func, insert, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ..errors import MissingDependency, StoreError
from ..model import Article, RemovedLine
from . import schema
from .enrichment import EnrichmentStore
from .schema import articles, minhash_bands, signatures

DEFAULT_DB = "narrascope.db"


def database_url(db: str) -> str:
    """A URL for ``db``: URLs pass through, anything else is a SQLite file path.

    A bare ``postgresql://`` URL is given the psycopg 3 driver, the one ``narrascope[postgres]``
    installs (SQLAlchemy would otherwise look for psycopg2).
    """
    if "://" in db:
        scheme, rest = db.split("://", 1)
        return f"postgresql+psycopg://{rest}" if scheme in ("postgresql", "postgres") else db
    path = Path(db).expanduser()
    if not path.parent.exists():
        raise StoreError(f"folder {str(path.parent)!r} does not exist", source=db)
    if path.is_dir():
        raise StoreError("is a folder, not a database file", source=db)
    return f"sqlite:///{path.resolve()}"


class SQLStore(EnrichmentStore):
    """Store over SQLAlchemy Core. Use ``with store.transaction():`` to group writes atomically."""

    def __init__(self, db: str = DEFAULT_DB) -> None:
        self.db = db
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
                purpose=f"the database {db}",
            ) from exc
        except (ArgumentError, SQLAlchemyError) as exc:
            raise StoreError(f"cannot open database ({exc})", source=db) from exc
        if is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._conn: Connection | None = None
        self._init_schema()

    @classmethod
    def memory(cls) -> SQLStore:
        """A private in-memory SQLite store: the test double for everything that takes a store."""
        return cls("sqlite://")

    def _init_schema(self) -> None:
        try:
            with self.engine.begin() as conn:
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
                        f"made by a newer narrascope (schema {version}); upgrade narrascope", source=self.db
                    )
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open database ({_short(exc)})", source=self.db) from exc

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
            with self.engine.begin() as conn:
                self._conn = conn
                try:
                    yield
                finally:
                    self._conn = None
        except SQLAlchemyError as exc:
            raise StoreError(f"write failed ({_short(exc)})", source=self.db) from exc

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        if self._conn is not None:
            yield self._conn
            return
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"database error ({_short(exc)})", source=self.db) from exc

    # -- articles --------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        with self._connect() as conn:
            return conn.execute(select(articles.c.id).where(articles.c.id == article_id)).first() is not None

    def add_article(
        self, article: Article, *, minhash: np.ndarray | None = None, band_keys: list[tuple[int, int]] = ()
    ) -> bool:
        """Insert ``article`` unless its id is stored already; True when it was new."""
        with self._connect() as conn:
            if conn.execute(select(articles.c.id).where(articles.c.id == article.id)).first():
                return False
            seq = (conn.execute(select(func.max(articles.c.seq))).scalar() or 0) + 1
            conn.execute(insert(articles).values(seq=seq, **_article_row(article)))
            if minhash is not None:
                conn.execute(insert(signatures).values(article_id=article.id, minhash=minhash.tobytes()))
                if band_keys:
                    conn.execute(
                        insert(minhash_bands),
                        [{"band": b, "bucket": k, "article_id": article.id} for b, k in band_keys],
                    )
            return True

    def set_duplicate(
        self, article_id: str, of: str | None, kind: str | None, similarity: float | None
    ) -> None:
        with self._connect() as conn:
            conn.execute(
                update(articles)
                .where(articles.c.id == article_id)
                .values(duplicate_of=of, duplicate_kind=kind, duplicate_similarity=similarity)
            )

    def repoint_duplicates(self, old_original: str, new_original: str) -> None:
        """Copies of ``old_original`` become copies of ``new_original`` (found to be earlier)."""
        with self._connect() as conn:
            conn.execute(
                update(articles)
                .where(articles.c.duplicate_of == old_original)
                .values(duplicate_of=new_original)
            )

    def get_article(self, article_id: str) -> Article | None:
        with self._connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).mappings().first()
        return _article_from_row(row) if row else None

    def iter_articles(self) -> Iterator[Article]:
        """All articles in ingest order."""
        with self._connect() as conn:
            rows = conn.execute(select(articles).order_by(articles.c.seq)).mappings().all()
        for row in rows:
            yield _article_from_row(row)

    def count_articles(self) -> int:
        with self._connect() as conn:
            return conn.execute(select(func.count()).select_from(articles)).scalar() or 0

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
            if not ids:
                return {}
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


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _short(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc).splitlines()[0]


def _article_row(a: Article) -> dict:
    return {
        "id": a.id,
        "text": a.text,
        "title": a.title,
        "author": a.author,
        "published": a.published.isoformat() if a.published else None,
        "published_utc": _utc_key(a.published),
        "outlet": a.outlet,
        "url": a.url,
        "path": a.path,
        "language": a.language,
        "source_format": a.source_format,
        "external_id": a.external_id,
        "content_hash": a.content_hash,
        "duplicate_of": a.duplicate_of,
        "duplicate_kind": a.duplicate_kind,
        "duplicate_similarity": a.duplicate_similarity,
        "removed": json.dumps(
            [{"text": r.text, "reason": r.reason, "line": r.line_no} for r in a.removed], ensure_ascii=False
        ),
        "word_count": a.word_count,
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _article_from_row(row) -> Article:
    return Article(
        id=row["id"],
        text=row["text"],
        title=row["title"],
        author=row["author"],
        published=_parse_dt(row["published"]),
        outlet=row["outlet"],
        url=row["url"],
        path=row["path"],
        language=row["language"],
        source_format=row["source_format"],
        external_id=row["external_id"],
        removed=[
            RemovedLine(r["text"], r["reason"], r.get("line", 0)) for r in json.loads(row["removed"] or "[]")
        ],
        duplicate_of=row["duplicate_of"],
        duplicate_kind=row["duplicate_kind"],
        duplicate_similarity=row["duplicate_similarity"],
    )


def _parse_dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _utc_key(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds")
