"""Bringing the search index up to date with the store, a batch at a time.

Once the index holds a watermark of the store's change sequence (:mod:`narrascope.store.changes`),
a refresh reads only the articles stamped since, with their claims and stances, and indexes them
again: nothing is read when nothing changed (comparing every key took a minute at 100,000
articles). Without one (a new index, another check-worthiness threshold, another store), each of
the index's tables (articles, check-worthy claims, stances) is compared with the store's
rows in key order, both sides read a page at a time, by a fingerprint of what the index keeps of
each row: a row new to the store or changed there is (re)indexed, a row the store no longer has
is dropped. Memory stays bounded by the batch whatever the corpus; the first refresh of a new
index reads every article once, later ones read only what changed (plus the keys, to compare).
Each batch commits on its own, so searches see the index grow while it is built.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from ..store import changes as store_changes
from ..store.schema import articles, claims
from ..store.schema_narratives import stances
from ..store.text_views import span_text
from .query import unmarked

BATCH = 500  # rows per read and per commit
# Check-worthiness in claim rowids: rowid = (RANKS - rank) << 32 | n, so rowid order is most
# check-worthy first (to a millionth), then indexing order.
_RANKS = 1_000_000


@dataclass(slots=True)
class Changes:
    added: int = 0  # articles, claims and stances (re)indexed
    dropped: int = 0
    stopped: bool = False  # asked to stop before the end (the server is closing)


def claim_rowid(checkworthiness: float, n: int) -> int:
    rank = round(min(1.0, max(0.0, checkworthiness)) * _RANKS)
    return ((_RANKS - rank) << 32) | (n & 0xFFFFFFFF)


def _fp(*values) -> str:
    return hashlib.blake2b("\x1f".join("" if v is None else str(v) for v in values).encode(), digest_size=8).hexdigest()


def _pages(store, query, key_columns, to_key: Callable) -> Iterator[tuple]:
    """Rows of ``query`` ordered by ``key_columns``, read a page at a time (keyset: no OFFSET)."""
    last = None
    while True:
        q = query
        if last is not None:
            if len(key_columns) == 1:
                q = q.where(key_columns[0] > last[0])
            else:
                a, b = key_columns
                q = q.where(or_(a > last[0], and_(a == last[0], b > last[1])))
        with store._connect() as conn:
            rows = conn.execute(q.order_by(*key_columns).limit(BATCH)).all()
        yield from rows
        if len(rows) < BATCH:
            return
        last = to_key(rows[-1])


def _diff(ours: Iterator[tuple], theirs: Iterator[tuple]) -> Iterator[tuple[str, tuple, object]]:
    """("put", key, row) for rows of ``theirs`` (key, fp, row) new or changed against ``ours``
    (key, fp); ("drop", key, None) for keys only ``ours`` has. Both sorted by key."""
    a, b = next(ours, None), next(theirs, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            yield "drop", a[0], None
            a = next(ours, None)
        elif a is None or b[0] < a[0]:
            yield "put", b[0], b[2]
            b = next(theirs, None)
        else:
            if a[1] != b[1]:
                yield "put", b[0], b[2]
            a, b = next(ours, None), next(theirs, None)


def refresh(writer: sqlite3.Connection, path: str, store, min_checkworthiness: float,
            stop: threading.Event | None = None) -> Changes:
    """Bring the index up to date: by the store's change sequence when the index has a watermark
    of it (only the articles stamped since are read), else by comparing every key (a new index,
    another check-worthiness threshold, or a store whose sequence went back: another store)."""
    changes = Changes()
    state = dict(writer.execute("SELECT key, value FROM state").fetchall())
    with store._connect() as conn:
        last = store_changes.last_number(conn)  # read first: what is stamped later is read next time
    threshold = repr(float(min_checkworthiness))
    mark = state.get("watermark")
    if mark is not None and state.get("min_cw") == threshold and int(mark) <= last:
        _since(writer, store, min_checkworthiness, int(mark), changes, stop)
    else:
        _compare_all(writer, path, store, min_checkworthiness, changes, stop)
    if not changes.stopped:
        with writer:
            writer.executemany("INSERT OR REPLACE INTO state VALUES (?, ?)",
                               [("watermark", str(last)), ("min_cw", threshold)])
    return changes


def _compare_all(writer, path: str, store, min_checkworthiness: float, changes: Changes, stop) -> None:
    reader = sqlite3.connect(path, check_same_thread=False, timeout=30)
    try:
        for step in (_articles, _claims, _stances):
            reader.execute("BEGIN")  # a snapshot of the index to compare with, unmoved by the writer
            try:
                step(writer, reader, store, min_checkworthiness, changes, stop)
            finally:
                reader.rollback()
            if changes.stopped:
                break
    finally:
        reader.close()


_ARTICLE_COLUMNS = (articles.c.seq, articles.c.id, articles.c.content_hash, articles.c.title, articles.c.outlet,
                    articles.c.language, articles.c.published_utc)


def _since(writer, store, min_cw: float, mark: int, changes: Changes, stop) -> None:
    """Index again the articles stamped above ``mark``, with all their claims and stances."""
    query = select(*_ARTICLE_COLUMNS).where(articles.c.changed > mark)
    batch: list = []

    def flush() -> None:
        seqs = [r.seq for r in batch]
        found_claims = _claims_of(store, seqs, min_cw)
        found_stances = _stances_of(store, seqs)
        with writer:
            _put_articles(writer, store, batch)
            marks = ", ".join("?" * len(seqs))
            old = [r[0] for r in writer.execute(f"SELECT id FROM claims WHERE art IN ({marks})", seqs)]
            _drop_claims(writer, old)
            _put_claims(writer, store, found_claims)
            old_stances = {tuple(r) for r in writer.execute(f"SELECT thesis, aid FROM stances WHERE art IN ({marks})", seqs)}
            writer.execute(f"DELETE FROM stances WHERE art IN ({marks})", seqs)
            _put_stances(writer, found_stances)
        changes.added += len(batch) + len(found_claims) + len(found_stances)
        changes.dropped += (len(set(old) - {r.id for r in found_claims})
                            + len(old_stances - {(r.thesis_id, r.article_id) for r in found_stances}))
        batch.clear()

    for row in _pages(store, query, [articles.c.seq], lambda r: (r.seq,)):
        batch.append(row)
        if len(batch) >= BATCH:
            flush()
            if stop is not None and stop.is_set():
                changes.stopped = True
                return
    if batch:
        flush()


def _apply(writer, diff, put: Callable[[list], None], drop: Callable[[list], None], changes: Changes, stop) -> None:
    puts, drops = [], []

    def flush() -> None:
        with writer:
            if drops:
                drop(drops)
            if puts:
                put(puts)
        changes.added += len(puts)
        changes.dropped += len(drops)
        puts.clear()
        drops.clear()

    for action, key, row in diff:
        (puts if action == "put" else drops).append(row if action == "put" else key)
        if len(puts) + len(drops) >= BATCH:
            flush()
            if stop is not None and stop.is_set():
                changes.stopped = True
                return
    flush()


# -- articles ----------------------------------------------------------------------------------------


def _drop_articles(writer, keys: list) -> None:
    marks = ", ".join("?" * len(keys))
    writer.execute(f"DELETE FROM arts WHERE rowid IN ({marks})", keys)
    writer.execute(f"DELETE FROM arts_fts WHERE rowid IN ({marks})", keys)


def _put_articles(writer, store, rows: list) -> None:
    if not rows:
        return
    _drop_articles(writer, [r.seq for r in rows])
    with store._connect() as conn:
        texts = dict(conn.execute(select(articles.c.seq, articles.c.text)
                                  .where(articles.c.seq.in_([r.seq for r in rows]))).all())
    writer.executemany("INSERT INTO arts VALUES (?, ?, ?, ?, ?, ?, ?)", [
        (r.seq, r.id, _fp(*r[1:]), r.outlet or "(unknown outlet)", r.language or "unknown",
         r.published_utc[:10] if r.published_utc else None, r.published_utc or "") for r in rows])
    writer.executemany("INSERT INTO arts_fts (rowid, title, body) VALUES (?, ?, ?)", [
        (r.seq, unmarked(r.title or ""), unmarked(texts.get(r.seq, ""))) for r in rows])


def _articles(writer, reader, store, _min_cw, changes, stop) -> None:
    ours = ((r[0], r[1]) for r in reader.execute("SELECT rowid, fp FROM arts ORDER BY rowid"))
    theirs = ((r.seq, _fp(*r[1:]), r) for r in _pages(store, select(*_ARTICLE_COLUMNS), [articles.c.seq],
                                                        lambda r: (r.seq,)))
    _apply(writer, _diff(ours, theirs), lambda rows: _put_articles(writer, store, rows),
           lambda keys: _drop_articles(writer, keys), changes, stop)


# -- claims ------------------------------------------------------------------------------------------


def _claim_query(min_cw: float):
    return (select(claims.c.id, articles.c.seq, claims.c.checkworthiness, articles.c.content_hash)
            .join_from(claims, articles, articles.c.id == claims.c.article_id)
            .where(claims.c.checkworthiness >= min_cw))


def _claims_of(store, seqs: list[int], min_cw: float) -> list:
    with store._connect() as conn:
        return conn.execute(_claim_query(min_cw).where(articles.c.seq.in_(seqs))).all()


def _drop_claims(writer, keys: list) -> None:
    if not keys:
        return
    marks = ", ".join("?" * len(keys))
    rowids = [r[0] for r in writer.execute(f"SELECT rowid FROM claims WHERE id IN ({marks})", keys)]
    writer.execute(f"DELETE FROM claims WHERE id IN ({marks})", keys)
    writer.execute(f"DELETE FROM claims_fts WHERE rowid IN ({', '.join('?' * len(rowids))})", rowids)


def _put_claims(writer, store, rows: list) -> None:
    if not rows:
        return
    _drop_claims(writer, [r.id for r in rows])
    with store._connect() as conn:
        texts = dict(conn.execute(select(claims.c.id, span_text(claims))
                                  .join_from(claims, articles, articles.c.id == claims.c.article_id)
                                  .where(claims.c.id.in_([r.id for r in rows]))).all())
    counter = writer.execute("SELECT coalesce(max(rowid & 4294967295), 0) FROM claims").fetchone()[0]
    made = [(claim_rowid(r.checkworthiness, counter + n), r) for n, r in enumerate(rows, 1)]
    writer.executemany("INSERT INTO claims VALUES (?, ?, ?, ?)", [
        (rowid, r.id, r.seq, _fp(*r[1:])) for rowid, r in made])
    writer.executemany("INSERT INTO claims_fts (rowid, body) VALUES (?, ?)", [
        (rowid, unmarked(texts.get(r.id, ""))) for rowid, r in made])


def _claims(writer, reader, store, min_cw, changes, stop) -> None:
    ours = ((r[0], r[1]) for r in reader.execute("SELECT id, fp FROM claims ORDER BY id"))
    theirs = ((r.id, _fp(*r[1:]), r) for r in _pages(store, _claim_query(min_cw), [claims.c.id], lambda r: (r.id,)))
    _apply(writer, _diff(ours, theirs), lambda rows: _put_claims(writer, store, rows),
           lambda keys: _drop_claims(writer, keys), changes, stop)


# -- stances -----------------------------------------------------------------------------------------


def _stance_query():
    return (select(stances.c.thesis_id, stances.c.article_id, stances.c.label, articles.c.seq)
            .join_from(stances, articles, articles.c.id == stances.c.article_id))


def _stances_of(store, seqs: list[int]) -> list:
    with store._connect() as conn:
        return conn.execute(_stance_query().where(articles.c.seq.in_(seqs))).all()


def _put_stances(writer, rows: list) -> None:
    writer.executemany("DELETE FROM stances WHERE thesis = ? AND aid = ?", [(r.thesis_id, r.article_id) for r in rows])
    writer.executemany("INSERT INTO stances VALUES (?, ?, ?, ?)",
                       [(r.thesis_id, r.article_id, r.seq, r.label) for r in rows])


def _stances(writer, reader, store, _min_cw, changes, stop) -> None:
    ours = (((r[0], r[1]), r[2]) for r in reader.execute(
        "SELECT thesis, aid, label || ':' || art FROM stances ORDER BY thesis, aid"))
    theirs = (((r.thesis_id, r.article_id), f"{r.label}:{r.seq}", r) for r in _pages(
        store, _stance_query(), [stances.c.thesis_id, stances.c.article_id], lambda r: (r.thesis_id, r.article_id)))
    _apply(writer, _diff(ours, theirs), lambda rows: _put_stances(writer, rows),
           lambda keys: writer.executemany("DELETE FROM stances WHERE thesis = ? AND aid = ?", keys), changes, stop)
