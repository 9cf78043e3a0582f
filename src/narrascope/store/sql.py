"""The SQLAlchemy store: SQLite by default, any database URL SQLAlchemy speaks otherwise.

Opening a store never harms a database that is not ours: an existing SQLite file is first
looked at through a read-only connection, and one that holds tables but no narrascope ``meta``
table is refused before any pragma (WAL) or ``create_all`` can touch it.
"""

from __future__ import annotations

import copy
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, create_engine, event, insert, inspect, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from ..errors import MissingDependency, StoreError
from . import (
    schema,
    schema_link,  # noqa: F401  (registers the link tables)
    schema_narratives,  # noqa: F401  (registers the narratives tables)
    summary,
)
from .articles import ArticleStore, StoreStats  # noqa: F401  (StoreStats: part of this module's API)
from .enrichment import EnrichmentStore
from .entity_keys import EntityKeys
from .linking import LinkStore
from .lookups import LookupStore
from .narratives import NarrativesStore
from .outlet_tallies import OutletTallies
from .summary import SummaryStore
from .text_views import RowStreams, create_views

DEFAULT_DB = "narrascope.db"


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


class SQLStore(ArticleStore, EnrichmentStore, EntityKeys, LinkStore, LookupStore, NarrativesStore, OutletTallies,
               RowStreams, SummaryStore):
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
                    _add_columns(conn)
                    for table in schema.metadata.sorted_tables:  # and the indexes of the old ones
                        for index in table.indexes:
                            index.create(conn, checkfirst=True)
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
                if version is None or int(version) < 5:  # the overview's counts: counted once
                    _count_summary(conn)
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
    def reading(self) -> Iterator[SQLStore]:
        """The store as one read transaction: every read of the store it yields goes through one
        connection and sees one state of the database (a dashboard page is made from one), and a
        page's dozens of small queries take one connection from the pool instead of one each."""
        try:
            with self.engine.connect() as conn, conn.begin():
                view = copy.copy(self)
                view._conn = conn
                yield view
        except SQLAlchemyError as exc:
            raise StoreError(f"database error ({_short(exc)})", source=self.display) from exc

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


def _add_columns(conn: Connection) -> None:
    """Columns added to an existing table since (create_all adds only tables): schema 5's
    ``articles.changed`` (null in older rows: read by a full comparison once) and
    ``claim_groups.size`` (counted now)."""
    if "changed" not in {c["name"] for c in inspect(conn).get_columns("articles")}:
        conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN changed BIGINT")
    if "size" not in {c["name"] for c in inspect(conn).get_columns("claim_groups")}:  # and each group's size
        conn.exec_driver_sql("ALTER TABLE claim_groups ADD COLUMN size INTEGER")
        conn.exec_driver_sql("UPDATE claim_groups SET size = (SELECT count(*) FROM claim_group_members m "
                             "WHERE m.group_id = claim_groups.id)")


def _count_summary(conn: Connection) -> None:
    """Count the overview's figures of a new or older store, for the shipped thresholds."""
    from ..config import default_settings

    settings = default_settings()
    summary.track(conn, settings.enrich.min_checkworthiness, settings.report.confident_contradiction)
    summary.recount(conn)


def _has_version(execute) -> bool:
    """True when a ``meta`` table is narrascope's: it holds the schema version."""
    try:
        return execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() is not None
    except (sqlite3.Error, SQLAlchemyError):
        return False


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
