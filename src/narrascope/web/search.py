"""Full-text search over article titles and texts and over claims, with the dashboard's filters.

An SQLite FTS5 index in a file of its own beside the store's data (whatever database holds the
store, PostgreSQL included), kept up to date a batch at a time by :mod:`.search_sync`: opening
it reads nothing, and a store change costs the index only what changed. FTS5 was chosen by
measurement over a Python inverted index on `narrascope bench serve`'s 10,000 articles: it ranks
with BM25 and cuts the matched passage (``snippet``) in C, so a query on a word found in every
article still answers in milliseconds (figures in the README's Dashboard section).

What the user types becomes a bounded FTS5 expression in :mod:`.query`; here a statement still
running after ``SEARCH_SECONDS`` is stopped and the search refused. Each server thread reads
through its own connection (the file is in WAL mode, so one writer brings it up to date while
they read), so searches run side by side instead of queueing behind one connection's lock.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from .query import (  # the snippet marks; Filters, Hit, Results, QueryRefused, fts_query: this module's API too (__all__)
    HIT_CLOSE,
    HIT_OPEN,
    MAX_EXPANSIONS,
    MAX_WORDS,
    Filters,
    Hit,
    QueryRefused,
    Results,
    Vocabulary,
    _fold,
    _yo_spellings,
    fts_query,
)

SNIPPET_TOKENS = 24
# Matches a search ranks and counts, at most: a word found in 69,000 of `bench serve`'s 100,000
# articles took 350 ms to rank and count in full (and p50 3.3 s under 20 clients); capped, a few ms.
MATCH_CAP = 1000
# A title hit counts four times a body hit: a word in the headline says what the article is about.
TITLE_WEIGHT = 4.0
TOKENIZER = "porter unicode61 remove_diacritics 2"
# SQLite time per search (both tables): queries within the bounds of .query answer in milliseconds.
SEARCH_SECONDS = 2.0
# SQLite virtual-machine steps between two looks at the clock (a few microseconds of work).
_PROGRESS_STEPS = 2_000
log = logging.getLogger("narrascope.web")
# Bumped when the index's tables change: an index of another version is rebuilt from the store.
INDEX_VERSION = "2"

SCHEMA = f"""
    CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    -- Articles by the store's seq (their rowid in arts_fts too); fp says which reading was indexed.
    -- Metadata lives in plain tables: filtering on an FTS table's own columns reads each match's text.
    CREATE TABLE IF NOT EXISTS arts (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, fp TEXT NOT NULL,
                                     outlet TEXT, language TEXT, day TEXT, published TEXT);
    CREATE INDEX IF NOT EXISTS arts_published ON arts (published);
    -- Claims by a rowid that orders them most check-worthy first (search_sync.claim_rowid): FTS5
    -- returns rowid order for free, while ranking every match cost 28 ms for a word in 21,000 claims.
    CREATE TABLE IF NOT EXISTS claims (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, art INTEGER NOT NULL,
                                       fp TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS stances (thesis TEXT NOT NULL, aid TEXT NOT NULL, art INTEGER NOT NULL,
                                        label TEXT NOT NULL, PRIMARY KEY (thesis, aid));
    CREATE INDEX IF NOT EXISTS stances_thesis ON stances (thesis, label);
    -- An article indexed again takes its claims and stances with it (search_sync._since).
    CREATE INDEX IF NOT EXISTS claims_art ON claims (art);
    CREATE INDEX IF NOT EXISTS stances_art ON stances (art);
    CREATE VIRTUAL TABLE IF NOT EXISTS arts_fts USING fts5 (title, body, tokenize = '{TOKENIZER}');
    CREATE VIRTUAL TABLE IF NOT EXISTS claims_fts USING fts5 (body, tokenize = '{TOKENIZER}');
"""


def connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, timeout=30)
    db.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer, nor it for them
    db.execute("PRAGMA synchronous = NORMAL")  # the index can always be rebuilt from the store
    return db


def create(db: sqlite3.Connection) -> None:
    """Make the index's tables in ``db``; an index of another version is emptied first."""
    with db:
        found = db.execute("SELECT name FROM sqlite_master WHERE name = 'state'").fetchone()
        version = db.execute("SELECT value FROM state WHERE key = 'version'").fetchone() if found else None
        if found and (version is None or version[0] != INDEX_VERSION):
            for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
                                      " OR (type = 'table' AND name IN ('state', 'arts', 'claims', 'stances'))").fetchall():
                db.execute(f'DROP TABLE IF EXISTS "{name}"')
        db.executescript(SCHEMA)
        if db.execute("SELECT value FROM state WHERE key = 'version'").fetchone() is None:
            db.execute("INSERT INTO state VALUES ('version', ?)", (INDEX_VERSION,))
            db.execute(f"INSERT INTO arts_fts (arts_fts, rank) VALUES ('rank', 'bm25({TITLE_WEIGHT}, 1.0)')")


def _opened(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, timeout=30)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        create(db)
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


class IndexVocabulary(Vocabulary):
    """The index's words, read from FTS5's own term list a range at a time (never loaded whole)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__([])
        self._db = db

    def starting(self, prefix: str, limit: int) -> list[str]:
        rows = self._db.execute("SELECT term FROM temp.arts_vocab WHERE term >= ? AND term <= ? LIMIT ?",
                                (prefix, prefix + "\U0010ffff", limit)).fetchall()
        return [r[0] for r in rows if r[0].startswith(prefix)]


class SearchIndex:
    """The index in the file at ``path`` (made when missing); :meth:`refresh` brings it up to date."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._writer = _opened(path)
        except sqlite3.DatabaseError as exc:  # not an index (a damaged or foreign file): it is remade from the store
            log.warning("search index %s unreadable (%s): made again from the store", path, exc)
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(path + suffix)
            self._writer = _opened(path)
        self._write_lock = threading.Lock()
        self._readers: dict[int, sqlite3.Connection] = {}
        self._readers_lock = threading.Lock()

    def refresh(self, store, min_checkworthiness: float, stop: threading.Event | None = None):
        """Index what the store holds and the index does not, drop what it no longer holds; one
        refresh at a time. Returns :class:`~.search_sync.Changes`."""
        from .search_sync import Changes, refresh

        with self._write_lock, _file_lock(self.path + ".lock", stop) as held:
            if not held:  # asked to stop while another process held the index
                return Changes(stopped=True)
            changes = refresh(self._writer, self.path, store, min_checkworthiness, stop)
            # A first build compares the index with the store from one snapshot of it, which keeps
            # SQLite from recycling the WAL file meanwhile (3.3 GB after indexing 100,000 articles):
            # emptied now, waiting at most a moment for searches that still read it.
            with contextlib.suppress(sqlite3.Error):
                self._writer.execute("PRAGMA busy_timeout = 100")
                self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._writer.execute("PRAGMA busy_timeout = 30000")
            return changes

    def close_readers(self) -> None:
        """Close the threads' connections (each thread opens a new one when it searches again)."""
        with self._readers_lock:
            readers, self._readers = self._readers, {}
        for db in readers.values():
            db.close()

    def indexed_articles(self) -> int:
        with self._connection(time.monotonic() + SEARCH_SECONDS) as db:
            return db.execute("SELECT count(*) FROM arts").fetchone()[0]

    @contextmanager
    def _connection(self, deadline: float) -> Iterator[sqlite3.Connection]:
        """This thread's connection to the index; a statement still running at ``deadline``
        (``time.monotonic()``) is stopped and the search refused."""
        ident = threading.get_ident()
        db = self._readers.get(ident)
        if db is None:
            db = connect(self.path)
            db.execute("CREATE VIRTUAL TABLE temp.arts_vocab USING fts5vocab(main, arts_fts, 'row')")
            with self._readers_lock:
                self._readers[ident] = db
        db.set_progress_handler(lambda: _deadline_passed(deadline), _PROGRESS_STEPS)
        try:
            with db:  # one read transaction: one state of the index for the whole search
                yield db
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise
            raise QueryRefused(f"the search took more than {SEARCH_SECONDS:g} s and was stopped; "
                               "use fewer words or longer prefixes") from None
        finally:
            db.set_progress_handler(None, 0)

    # -- queries -----------------------------------------------------------------------------------

    def search(self, query: str | None, filters: Filters, limit: int = 20, offset: int = 0) -> Results:
        """One page of matching articles and claims; :class:`QueryRefused` for a query past the bounds."""
        deadline = time.monotonic() + SEARCH_SECONDS
        if not fts_query(query or ""):
            ids, total = self.list_articles(filters, limit, offset, deadline)
            return Results(None, [Hit("article", i, i, []) for i in ids], [], total, 0)
        where, params = _where(filters)
        out = Results(query)
        with self._connection(deadline) as db:
            db.execute("BEGIN")
            expression = fts_query(query or "", IndexVocabulary(db))
            for table, hits in (("arts", out.articles), ("claims", out.claims)):
                restrict = ""
                if where:
                    rows = ("SELECT rowid FROM arts" if table == "arts" else
                            "SELECT claims.rowid FROM claims JOIN arts ON arts.rowid = claims.art")
                    restrict = f" AND rowid IN ({rows} WHERE 1 = 1{where})"
                # Rank first, then cut passages for the page's rows only: FTS5 sorts by rank itself
                # when asked for nothing else, while a snippet in the same query is cut for every match.
                # Claims come in rowid order (most check-worthy first) for free; articles are ranked
                # by BM25 among the newest MATCH_CAP matches, so a word in every article costs the
                # same as a rare one. Counting stops past MATCH_CAP too ("1,000+").
                if table == "arts":
                    sql = (f"SELECT rowid FROM (SELECT rowid, rank FROM arts_fts WHERE arts_fts MATCH ?{restrict} "
                           f"ORDER BY rowid DESC LIMIT {MATCH_CAP}) ORDER BY rank, rowid DESC LIMIT ? OFFSET ?")
                else:
                    sql = f"SELECT rowid FROM claims_fts WHERE claims_fts MATCH ?{restrict} ORDER BY rowid LIMIT ? OFFSET ?"
                top = [r[0] for r in db.execute(sql, (expression, *params, limit, offset))]
                total = db.execute(f"SELECT count(*) FROM (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?"
                                   f"{restrict} LIMIT {MATCH_CAP + 1})", (expression, *params)).fetchone()[0]
                more = total > MATCH_CAP
                total = min(total, MATCH_CAP)
                marks = ", ".join("?" * len(top))
                snippets = dict(db.execute(
                    f"SELECT rowid, snippet({table}_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) FROM {table}_fts "
                    f"WHERE {table}_fts MATCH ? AND rowid IN ({marks})", (HIT_OPEN, HIT_CLOSE, expression, *top)))
                if table == "arts":
                    ids = dict(db.execute(f"SELECT rowid, id FROM arts WHERE rowid IN ({marks})", top))
                    hits += [Hit("article", ids[r], ids[r], _parts(snippets.get(r, ""))) for r in top if r in ids]
                    out.article_total, out.articles_more = total, more
                else:
                    found = {r[0]: (r[1], r[2]) for r in db.execute(
                        f"SELECT claims.rowid, claims.id, arts.id FROM claims JOIN arts ON arts.rowid = claims.art "
                        f"WHERE claims.rowid IN ({marks})", top)}
                    hits += [Hit("claim", found[r][0], found[r][1], _parts(snippets.get(r, ""))) for r in top if r in found]
                    out.claim_total, out.claims_more = total, more
        return out

    def list_articles(self, filters: Filters, limit: int, offset: int,
                      deadline: float | None = None) -> tuple[list[str], int]:
        """Articles matching the filters, newest first (undated last)."""
        where, params = _where(filters)
        clause = f"WHERE 1 = 1{where}"
        with self._connection(deadline or time.monotonic() + SEARCH_SECONDS) as db:
            db.execute("BEGIN")
            rows = db.execute(f"SELECT id FROM arts {clause} ORDER BY published DESC, rowid LIMIT ? OFFSET ?",
                              (*params, limit, offset)).fetchall()
            total = db.execute(f"SELECT count(*) FROM arts {clause}", params).fetchone()[0]
        return [r[0] for r in rows], total


@contextmanager
def _file_lock(path: str, stop: threading.Event | None) -> Iterator[bool]:
    """Hold the lock file at ``path`` (one process brings the index up to date at a time: the
    workers of ``serve --workers``); yields False when ``stop`` was set before it was free."""
    try:
        import fcntl
    except ImportError:  # no fcntl (Windows): one process serves there
        yield True
        return
    with open(path, "a") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if stop is not None and stop.is_set():
                    yield False
                    return
                time.sleep(0.2)
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _deadline_passed(deadline: float) -> bool:
    """SQLite's progress handler: a true value stops the running statement."""
    return time.monotonic() > deadline


def _where(f: Filters) -> tuple[str, tuple]:
    sql, params = [], []
    for column, value in (("outlet", f.outlet), ("language", f.language)):
        if value:
            sql.append(f"arts.{column} = ?")
            params.append(value)
    if f.start:
        sql.append("arts.day >= ?")
        params.append(f.start)
    if f.end:
        sql.append("arts.day <= ?")
        params.append(f.end)
    if f.thesis:
        label = "label = ?" if f.stance else "label != 'unrelated'"
        sql.append(f"arts.rowid IN (SELECT art FROM stances WHERE thesis = ? AND {label})")
        params.extend([f.thesis, f.stance] if f.stance else [f.thesis])
    return "".join(f" AND {s}" for s in sql), tuple(params)


def _parts(snippet: str) -> list[tuple[str, bool]]:
    """The snippet cut at the hit marks: (text, matched) pieces for the template to escape."""
    out = []
    for i, piece in enumerate(re.split(f"[{HIT_OPEN}{HIT_CLOSE}]", snippet)):
        if piece:
            out.append((piece, i % 2 == 1))
    return out


__all__ = ["MAX_EXPANSIONS", "MAX_WORDS", "Filters", "Hit", "IndexVocabulary", "QueryRefused", "Results",
           "SearchIndex", "_fold", "_yo_spellings", "fts_query"]
