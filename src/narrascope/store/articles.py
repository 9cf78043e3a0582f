"""The store's article part: articles, their near-duplicate signatures, listing and statistics."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import Connection, delete, func, insert, select, update

from ..model import Article, RemovedLine
from . import changes, summary
from .schema import articles, minhash_bands, signatures, stage_runs

# Articles read per query when listing the store: exports stream instead of loading it whole.
PAGE_SIZE = 500
# Columns an article keeps when a new reading of the same document replaces it.
_KEPT_ON_UPDATE = frozenset({"id", "duplicate_of", "duplicate_kind", "duplicate_similarity", "ingested_at"})

# PostgreSQL advisory lock key held while an article's ``seq`` is chosen ("narr" in ASCII).
_SEQ_LOCK = changes.SEQ_LOCK


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What ``narrascope status`` shows, computed by the database."""

    articles: int
    copies: int
    first_published: str | None  # UTC, ISO 8601
    last_published: str | None
    languages: list[tuple[str | None, int]]  # most frequent first
    outlets: list[tuple[str | None, int]]


class ArticleStore:
    """Mixed into :class:`~narrascope.store.sql.SQLStore`; relies on its ``_connect``."""

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
            conn.execute(insert(articles).values(seq=seq, changed=changes.next_number(conn), **_article_row(article)))
            summary.added_article(conn, article.outlet, article.language, seq, article.duplicate_of is not None)
            if minhash is not None:
                self._save_signature(conn, article.id, minhash, band_keys)
            return True

    def add_articles(self, batch: list[Article]) -> int:
        """Insert those of ``batch`` whose id is not stored yet, in one statement; the number added.
        What :meth:`add_article` does for each (no near-duplicate signatures), for a bulk load."""
        with self._connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_SEQ_LOCK})")
            known: set[str] = set()
            ids = list(dict.fromkeys(a.id for a in batch))
            for i in range(0, len(ids), PAGE_SIZE):
                known.update(conn.execute(select(articles.c.id).where(articles.c.id.in_(ids[i : i + PAGE_SIZE]))).scalars())
            fresh = []
            for a in batch:  # the first of an id given twice, as add_article one at a time keeps it
                if a.id not in known:
                    known.add(a.id)
                    fresh.append(a)
            if not fresh:
                return 0
            seq = conn.execute(select(func.max(articles.c.seq))).scalar() or 0
            number = changes.next_number(conn)
            conn.execute(insert(articles), [{"seq": seq + n, "changed": number, **_article_row(a)}
                                            for n, a in enumerate(fresh, 1)])
            summary.added_articles(conn, [(a.outlet, a.language, seq + n, a.duplicate_of is not None)
                                          for n, a in enumerate(fresh, 1)])
            return len(fresh)

    def update_article(
        self, article: Article, *, minhash: np.ndarray, band_keys: list[tuple[int, int]]
    ) -> None:
        """Replace the stored reading of ``article.id``; its place among copies is kept.

        Its enrichment is marked stale (its ``stage_runs`` rows go), so ``analyze`` redoes it. When
        its text changed, what was found in the old text (layers, techniques, stances: offsets into
        that text) goes too, so nothing shows spans of one text cut from another before then.
        """
        from .schema import ANNOTATION_TABLES, name_keys
        from .schema_narratives import stances, techniques

        row = {k: v for k, v in _article_row(article).items() if k not in _KEPT_ON_UPDATE}
        with self._connect() as conn, summary.counting(conn, summary.article_part, [article.id]):
            before = conn.execute(select(articles.c.text).where(articles.c.id == article.id)).scalar()
            conn.execute(update(articles).where(articles.c.id == article.id).values(row))
            stale = (stage_runs, signatures, minhash_bands)
            if before != article.text:
                stale += (*ANNOTATION_TABLES, name_keys, techniques, stances)
            for table in stale:
                conn.execute(delete(table).where(table.c.article_id == article.id))
            self._save_signature(conn, article.id, minhash, band_keys)
            changes.stamp(conn, [article.id])

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
        with self._connect() as conn, summary.counting(conn, summary.article_part, [article_id]):
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
