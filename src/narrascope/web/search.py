"""Full-text search over article titles and texts and over claims, with the dashboard's filters.

An SQLite FTS5 index in a private in-memory database, built from the dashboard's reading of the
store (whatever database holds the store, PostgreSQL included). FTS5 was chosen by measurement
over a Python inverted index on `narrascope bench serve`'s 10,000 articles: it builds in about
the same time, ranks with BM25 and cuts the matched passage (``snippet``) in C, so a query on a
word found in every article still answers in milliseconds; the inverted index needed as long
per query just to rank and cut passages in Python (figures in the README's Dashboard section).

The user's query is never handed to FTS5 as syntax: words become quoted terms (all must
match), ``"a phrase"`` stays a phrase, ``word*`` is a prefix and ``OR`` between two terms is
kept; everything else is text. Porter stemming makes "sanction" find "sanctions".
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..link.stories import as_utc

if TYPE_CHECKING:
    from .dashboard import Dashboard

# Marks around matched words in snippets: private-use characters no article contains, turned
# into <mark> by the template after escaping (never inserted as markup here).
HIT_OPEN, HIT_CLOSE = "\ue000", "\ue001"
SNIPPET_TOKENS = 24
# A title hit counts four times a body hit: a word in the headline says what the article is about.
TITLE_WEIGHT = 4.0
TOKENIZER = "porter unicode61 remove_diacritics 2"

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Filters:
    outlet: str | None = None
    language: str | None = None
    start: str | None = None  # YYYY-MM-DD, inclusive, UTC
    end: str | None = None
    thesis: str | None = None  # articles that take a position on it (any stance but "unrelated")
    stance: str | None = None  # with thesis: only this stance

    @property
    def active(self) -> bool:
        return any((self.outlet, self.language, self.start, self.end, self.thesis))


@dataclass(slots=True)
class Hit:
    kind: str  # article or claim
    ref: str  # the article's or the claim's id
    article_id: str
    parts: list[tuple[str, bool]]  # the matched passage: (text, is a matched word)


@dataclass(slots=True)
class Results:
    query: str | None
    articles: list[Hit] = field(default_factory=list)
    claims: list[Hit] = field(default_factory=list)
    article_total: int = 0
    claim_total: int = 0


def fts_query(text: str) -> str | None:
    """The FTS5 expression for what the user typed, or None when it holds no word."""
    terms: list[str] = []
    for phrase, bare in _TOKEN.findall(text):
        if bare == "OR":
            if terms and terms[-1] != "OR":
                terms.append("OR")
            continue
        words = _WORD.findall(phrase if phrase or not bare else bare)
        if not words:
            continue
        quoted = '"' + " ".join(words) + '"'
        if bare.endswith("*") and len(words) == 1:
            quoted += "*"
        terms.append(quoted)
    while terms and terms[-1] == "OR":
        terms.pop()
    return " ".join(terms) or None


class SearchIndex:
    def __init__(self, dash: Dashboard) -> None:
        view = dash.view
        # One connection, used under a lock: queries take milliseconds, and sqlite3 objects must
        # not be used by two threads at once.
        self._lock = threading.Lock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        # Metadata lives in plain tables keyed by the FTS rowid: filtering on an FTS table's own
        # UNINDEXED columns would read each matching row's whole text.
        self._db.executescript(f"""
            CREATE TABLE arts (rowid INTEGER PRIMARY KEY, outlet TEXT, language TEXT, day TEXT, published TEXT);
            CREATE INDEX arts_published ON arts (published);
            CREATE TABLE claims (rowid INTEGER PRIMARY KEY, art INTEGER);
            CREATE TABLE stances (thesis TEXT, art INTEGER, label TEXT);
            CREATE INDEX stances_thesis ON stances (thesis, label);
            CREATE VIRTUAL TABLE arts_fts USING fts5 (title, body, tokenize = '{TOKENIZER}');
            CREATE VIRTUAL TABLE claims_fts USING fts5 (body, tokenize = '{TOKENIZER}');
            INSERT INTO arts_fts (arts_fts, rank) VALUES ('rank', 'bm25({TITLE_WEIGHT}, 1.0)');
        """)
        self._article_ids = list(view.articles)
        row_of = {aid: i for i, aid in enumerate(self._article_ids, 1)}
        # Claims go in most check-worthy first, and are listed in that order (FTS5 returns rowid
        # order for free): ranking every match by BM25 cost 28 ms for a word in 21,000 claims of
        # the benchmark's store, and among one-sentence claims the check-worthy ones matter most.
        ordered = sorted(view.claims.values(), key=lambda c: -c.checkworthiness)
        self._claims = [(c.id, c.article_id) for c in ordered]
        rows = []
        for i, a in enumerate(view.articles.values(), 1):
            when = as_utc(a.published).isoformat() if a.published else None
            rows.append((i, a.outlet or "(unknown outlet)", a.language or "unknown", when[:10] if when else None,
                         when or ""))
        self._db.executemany("INSERT INTO arts VALUES (?, ?, ?, ?, ?)", rows)
        self._db.executemany("INSERT INTO claims VALUES (?, ?)",
                             ((i, row_of[aid]) for i, (_, aid) in enumerate(self._claims, 1)))
        self._db.executemany("INSERT INTO stances VALUES (?, ?, ?)", [
            (s.thesis_id, row_of[s.article_id], s.label) for s in view.stances if s.article_id in row_of])
        self._db.executemany("INSERT INTO arts_fts (rowid, title, body) VALUES (?, ?, ?)",
                             ((i, a.title or "", a.text) for i, a in enumerate(view.articles.values(), 1)))
        self._db.executemany("INSERT INTO claims_fts (rowid, body) VALUES (?, ?)",
                             ((i, view.claim_text(cid)) for i, (cid, _) in enumerate(self._claims, 1)))
        for table in ("arts_fts", "claims_fts"):  # merge the index into one b-tree per term: faster queries
            self._db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        self._db.commit()

    # -- queries -----------------------------------------------------------------------------------

    def search(self, query: str | None, filters: Filters, limit: int = 20, offset: int = 0) -> Results:
        expression = fts_query(query or "")
        if expression is None:
            ids, total = self.list_articles(filters, limit, offset)
            return Results(None, [Hit("article", i, i, []) for i in ids], [], total, 0)
        where, params = _where(filters)
        out = Results(query)
        for table, hits in (("arts", out.articles), ("claims", out.claims)):
            restrict = ""
            if where:
                rows = ("SELECT rowid FROM arts" if table == "arts" else
                        "SELECT claims.rowid FROM claims JOIN arts ON arts.rowid = claims.art")
                restrict = f" AND rowid IN ({rows} WHERE 1 = 1{where})"
            # Rank first, then cut passages for the page's rows only: FTS5 sorts by rank itself
            # when asked for nothing else, while a snippet in the same query is cut for every match.
            order = "rank" if table == "arts" else "rowid"
            with self._lock:
                top = [r[0] for r in self._db.execute(
                    f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?{restrict} ORDER BY {order} LIMIT ? OFFSET ?",
                    (expression, *params, limit, offset))]
                total = self._db.execute(f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH ?{restrict}",
                                         (expression, *params)).fetchone()[0]
                marks = ", ".join("?" * len(top))
                snippets = dict(self._db.execute(
                    f"SELECT rowid, snippet({table}_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) FROM {table}_fts "
                    f"WHERE {table}_fts MATCH ? AND rowid IN ({marks})", (HIT_OPEN, HIT_CLOSE, expression, *top)))
            for rowid in top:
                if table == "arts":
                    aid = self._article_ids[rowid - 1]
                    hits.append(Hit("article", aid, aid, _parts(snippets.get(rowid, ""))))
                else:
                    cid, aid = self._claims[rowid - 1]
                    hits.append(Hit("claim", cid, aid, _parts(snippets.get(rowid, ""))))
            if table == "arts":
                out.article_total = total
            else:
                out.claim_total = total
        return out

    def list_articles(self, filters: Filters, limit: int, offset: int) -> tuple[list[str], int]:
        """Articles matching the filters, newest first (undated last)."""
        where, params = _where(filters)
        clause = f"WHERE 1 = 1{where}"
        with self._lock:
            rows = self._db.execute(f"SELECT rowid FROM arts {clause} ORDER BY published DESC, rowid LIMIT ? OFFSET ?",
                                    (*params, limit, offset)).fetchall()
            total = self._db.execute(f"SELECT count(*) FROM arts {clause}", params).fetchone()[0]
        return [self._article_ids[r[0] - 1] for r in rows], total


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
