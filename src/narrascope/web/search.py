"""Full-text search over article titles and texts and over claims, with the dashboard's filters.

An SQLite FTS5 index in a private in-memory database, built from the dashboard's reading of the
store (whatever database holds the store, PostgreSQL included). FTS5 was chosen by measurement
over a Python inverted index on `narrascope bench serve`'s 10,000 articles: it builds in about
the same time, ranks with BM25 and cuts the matched passage (``snippet``) in C, so a query on a
word found in every article still answers in milliseconds; the inverted index needed as long
per query just to rank and cut passages in Python (figures in the README's Dashboard section).

The user's query is never handed to FTS5 as syntax: words become quoted terms (all must
match), ``"a phrase"`` stays a phrase, ``word*`` is a prefix and ``OR`` between two terms is
kept; everything else is text. Porter stemming makes "sanction" find "sanctions"; a Russian
word stands for every form of the index's vocabulary with its Snowball stem ("Каравии" finds
"Каравия", :mod:`.stemming`), since FTS5 stems English only.

A query is bounded, so that one search cannot hold the server (issue 13: 500 ``a*`` terms took
15-60 s): at most ``MAX_WORDS`` words, a prefix or stem standing for at most
``MAX_EXPANSIONS`` words of the vocabulary, and ``SEARCH_SECONDS`` of SQLite time; past any of
them the search is refused with a 400 saying what to change (:class:`QueryRefused`). The index is
written once to a temporary file that each server thread reads through its own connection, so
searches run side by side instead of queueing behind one connection's lock.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
import unicodedata
import weakref
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol
from urllib.parse import quote

from starlette.exceptions import HTTPException

from ..link.stories import as_utc
from .stemming import is_russian_word, stem_ru

if TYPE_CHECKING:
    from ..report.views import CorpusView


class _Reading(Protocol):
    """What the index reads of the dashboard: its view of the corpus."""

    view: CorpusView

# Marks around matched words in snippets: private-use characters, turned into <mark> by the
# template after escaping (never inserted as markup here). Scraped icon-font text may hold them
# too, so the index gets its titles and texts through :func:`_unmarked`: these marks are search's only.
HIT_OPEN, HIT_CLOSE = "\ue000", "\ue001"
_NOT_A_MARK = str.maketrans({HIT_OPEN: "\ufffd", HIT_CLOSE: "\ufffd"})
SNIPPET_TOKENS = 24
# A title hit counts four times a body hit: a word in the headline says what the article is about.
TITLE_WEIGHT = 4.0
TOKENIZER = "porter unicode61 remove_diacritics 2"

# Bounds on one query. A real query has a few words and phrases; 24 words is a paragraph.
MAX_WORDS = 24
# Words of the vocabulary one prefix (`econ*`) or one Russian stem may stand for. A Russian word
# has a few dozen forms at most. In BASIL's 150 articles (5,722 words) one letter stands for up to
# 592 words, two letters for up to 219, three for at most 86; more articles, more words.
MAX_EXPANSIONS = 200
# SQLite time per search (both tables): queries within the bounds above answer in milliseconds.
SEARCH_SECONDS = 2.0
# SQLite virtual-machine steps between two looks at the clock (a few microseconds of work).
_PROGRESS_STEPS = 2_000
# A Russian stem shorter than this ("в", "на") is searched as written: every word shares it.
_MIN_STEM = 3

log = logging.getLogger("narrascope.web")

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


class QueryRefused(HTTPException):
    """A query too broad to answer in time: a 400 whose one-line message says what to change."""

    def __init__(self, message: str) -> None:
        super().__init__(400, message)


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


def fts_query(text: str, vocabulary: Vocabulary | None = None) -> str | None:
    """The FTS5 expression for what the user typed, or None when it holds no word.

    With the index's ``vocabulary``, a prefix is checked against :data:`MAX_EXPANSIONS` and a
    Russian word becomes the forms sharing its stem. Raises :class:`QueryRefused` past the bounds.
    """
    tokens = [(bare, _WORD.findall(phrase if phrase or not bare else bare)) for phrase, bare in _TOKEN.findall(text)]
    if sum(len(words) for bare, words in tokens if bare != "OR") > MAX_WORDS:  # before any lookup
        raise QueryRefused(f"the query has more than {MAX_WORDS} words; search for fewer at once")
    terms: list[str] = []
    for bare, words in tokens:
        if bare == "OR":
            if terms and terms[-1] != "OR":
                terms.append("OR")
            continue
        if not words:
            continue
        prefix = bare.endswith("*") and len(words) == 1
        if vocabulary is not None and len(words) == 1:
            terms.append(vocabulary.term(words[0], prefix))
            continue
        terms.append('"' + " ".join(words) + '"' + ("*" if prefix else ""))
    while terms and terms[-1] == "OR":
        terms.pop()
    return " ".join(terms) or None


class Vocabulary:
    """The index's words, sorted (as FTS5 stores them: lowercased, Porter-stemmed English)."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        self._stems: dict[str, str] = {}

    def starting(self, prefix: str, limit: int) -> list[str]:
        """Up to ``limit`` words beginning with ``prefix``."""
        i = bisect_left(self.terms, prefix)
        out = []
        while i < len(self.terms) and len(out) < limit and self.terms[i].startswith(prefix):
            out.append(self.terms[i])
            i += 1
        return out

    def term(self, word: str, prefix: bool) -> str:
        """The FTS5 term for one word typed: a bounded prefix, a Russian stem's forms, or the word."""
        folded = _fold(word)
        if prefix:
            if len(self.starting(folded, MAX_EXPANSIONS + 1)) > MAX_EXPANSIONS:
                raise QueryRefused(f"'{word}*' stands for more than {MAX_EXPANSIONS} words; give more letters")
            return f'"{word}"*'
        forms = self.russian_forms(folded) if is_russian_word(folded) else []
        if not forms or forms == [folded]:
            return f'"{word}"'
        if len(forms) > MAX_EXPANSIONS:
            raise QueryRefused(f"'{word}' stands for more than {MAX_EXPANSIONS} words; give a longer word")
        return "(" + " OR ".join(f'"{f}"' for f in forms) + ")"

    def russian_forms(self, word: str) -> list[str]:
        """The words of the index with the Snowball stem of ``word`` (its inflected forms)."""
        stem = stem_ru(word)
        if len(stem) < _MIN_STEM:
            return []
        # Stems are prefixes of their words, written with е where the word may have ё ("всё",
        # "ещё"): each е of the stem is looked up both ways (at most 3 of them: 8 prefixes).
        candidates = []
        for prefix in _yo_spellings(stem):
            candidates += self.starting(prefix, 10 * MAX_EXPANSIONS)
        return [t for t in dict.fromkeys(candidates) if is_russian_word(t) and self._stem(t) == stem]

    def _stem(self, word: str) -> str:
        found = self._stems.get(word)
        if found is None:
            found = self._stems[word] = stem_ru(word)
        return found


def _yo_spellings(stem: str, most: int = 3) -> list[str]:
    """``stem`` with each of its first ``most`` е written as е and as ё."""
    spellings = [""]
    seen = 0
    for ch in stem:
        if ch == "е" and seen < most:
            seen += 1
            spellings = [s + v for s in spellings for v in ("е", "ё")]
        else:
            spellings = [s + ch for s in spellings]
    return spellings


def _fold(word: str) -> str:
    """``word`` as the index's tokenizer keeps it: lowercased, Latin letters without diacritics
    ("Café" -> "cafe"); Cyrillic letters such as й and ё are kept, as unicode61 keeps them."""
    out = []
    for ch in word.lower():
        if ord(ch) > 127 and "LATIN" in unicodedata.name(ch, ""):
            ch = unicodedata.normalize("NFD", ch)[0]
        out.append(ch)
    return "".join(out)


class SearchIndex:
    def __init__(self, dash: _Reading) -> None:
        view = dash.view
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
                             ((i, _unmarked(a.title or ""), _unmarked(a.text))
                              for i, a in enumerate(view.articles.values(), 1)))
        self._db.executemany("INSERT INTO claims_fts (rowid, body) VALUES (?, ?)",
                             ((i, _unmarked(view.claim_text(cid))) for i, (cid, _) in enumerate(self._claims, 1)))
        for table in ("arts_fts", "claims_fts"):  # merge the index into one b-tree per term: faster queries
            self._db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
        self._db.commit()
        # Claims are sentences of the articles: the articles' words are every word of the index.
        self._db.execute("CREATE VIRTUAL TABLE temp.arts_vocab USING fts5vocab(main, arts_fts, 'row')")
        self.vocabulary = Vocabulary([row[0] for row in self._db.execute("SELECT term FROM arts_vocab")])
        self._db.execute("DROP TABLE temp.arts_vocab")
        self._readers: dict[int, sqlite3.Connection] = {}
        self._readers_lock = threading.Lock()
        self._uri: str | None = None
        try:
            folder = tempfile.mkdtemp(prefix="narrascope-search-")
        except OSError as exc:
            log.warning("search serves from one connection: no temporary folder (%s)", exc)
            return
        self._finalizer = weakref.finalize(self, _discard, self._readers, folder)
        path = os.path.join(folder, "index.db")
        try:
            disk = sqlite3.connect(path)
            with disk:
                self._db.backup(disk)
            disk.close()
        except (OSError, sqlite3.Error) as exc:
            log.warning("search serves from one connection: cannot write %s (%s)", path, exc)
            return
        # Never written again, so readers take no locks (immutable) and no thread waits on another.
        self._uri = f"file:{quote(path)}?immutable=1"
        self._db.close()

    @contextmanager
    def _connection(self, deadline: float) -> Iterator[sqlite3.Connection]:
        """This thread's connection to the index; a statement still running at ``deadline``
        (``time.monotonic()``) is stopped and the search refused. Without the temporary file, the
        one in-memory connection, under a lock."""
        if self._uri is None:
            with self._readers_lock:
                yield from self._timed(self._db, deadline)
            return
        ident = threading.get_ident()
        db = self._readers.get(ident)
        if db is None:
            db = sqlite3.connect(self._uri, uri=True, check_same_thread=False)
            with self._readers_lock:
                self._readers[ident] = db
        yield from self._timed(db, deadline)

    @staticmethod
    def _timed(db: sqlite3.Connection, deadline: float) -> Iterator[sqlite3.Connection]:
        db.set_progress_handler(lambda: _deadline_passed(deadline), _PROGRESS_STEPS)
        try:
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
        expression = fts_query(query or "", self.vocabulary)
        if expression is None:
            ids, total = self.list_articles(filters, limit, offset, deadline)
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
            with self._connection(deadline) as db:
                top = [r[0] for r in db.execute(
                    f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?{restrict} ORDER BY {order} LIMIT ? OFFSET ?",
                    (expression, *params, limit, offset))]
                total = db.execute(f"SELECT count(*) FROM {table}_fts WHERE {table}_fts MATCH ?{restrict}",
                                         (expression, *params)).fetchone()[0]
                marks = ", ".join("?" * len(top))
                snippets = dict(db.execute(
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

    def list_articles(self, filters: Filters, limit: int, offset: int,
                      deadline: float | None = None) -> tuple[list[str], int]:
        """Articles matching the filters, newest first (undated last)."""
        where, params = _where(filters)
        clause = f"WHERE 1 = 1{where}"
        with self._connection(deadline or time.monotonic() + SEARCH_SECONDS) as db:
            rows = db.execute(f"SELECT rowid FROM arts {clause} ORDER BY published DESC, rowid LIMIT ? OFFSET ?",
                              (*params, limit, offset)).fetchall()
            total = db.execute(f"SELECT count(*) FROM arts {clause}", params).fetchone()[0]
        return [self._article_ids[r[0] - 1] for r in rows], total


def _deadline_passed(deadline: float) -> bool:
    """SQLite's progress handler: a true value stops the running statement."""
    return time.monotonic() > deadline


def _discard(readers: dict[int, sqlite3.Connection], folder: str) -> None:
    """When the index is dropped (the store changed, or the server stops): its file goes too."""
    for db in list(readers.values()):
        db.close()
    readers.clear()
    shutil.rmtree(folder, ignore_errors=True)


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


def _unmarked(text: str) -> str:
    """``text`` with the hit marks' characters replaced (U+FFFD), so a snippet's marks are search's own."""
    return text.translate(_NOT_A_MARK)


def _parts(snippet: str) -> list[tuple[str, bool]]:
    """The snippet cut at the hit marks: (text, matched) pieces for the template to escape."""
    out = []
    for i, piece in enumerate(re.split(f"[{HIT_OPEN}{HIT_CLOSE}]", snippet)):
        if piece:
            out.append((piece, i % 2 == 1))
    return out
