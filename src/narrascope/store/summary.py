"""The overview's counts, kept in the store so that the dashboard reads them instead of counting.

Counting the overview's figures over whole tables took 0.5 s per page at 100,000 articles (1.6M
claims, 2.7M claim links), and grows with the corpus. Instead every store method that writes a
counted table keeps the ``summary`` table right in the same transaction: it counts what its
scope (the articles, links, groups, stories or theses it writes) contributes before the write
and after it, and adds the difference. A write never touches rows outside its scope, so the sum
stays equal to the whole-table aggregate; :meth:`SummaryStore.recount_summary` counts it all
again (an older store, once, when it is opened; a benchmark store written by bulk inserts).

Two counts depend on settings (claims at least ``min_checkworthiness``; contradictions at or
above ``confident_contradiction``, and below it): they are kept for each pair of thresholds the
store *tracks*: the shipped defaults, and those of every ``analyze`` run. A dashboard with other
thresholds counts those two figures itself (:meth:`LookupStore.count_contradictions`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, case, delete, func, insert, select, true, tuple_, update
from sqlalchemy.orm import aliased

from .schema import articles, claims, summary
from .schema_link import claim_groups, claim_links, stories
from .schema_narratives import techniques, theses

UNKNOWN_OUTLET = "(unknown outlet)"
# Marks a summary that was counted (absent: an older store, not yet counted).
COUNTED = "summary:counted"
_CHUNK = 500

Part = tuple[Counter, dict[str, int]]  # counts by key, and the first seq of each language


def _chunks(ids: Iterable | None) -> Iterator[list | None]:
    """Lists of at most _CHUNK ids; a single None for "the whole table"."""
    if ids is None:
        yield None
        return
    ids = list(dict.fromkeys(ids))
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _fmt(value: float) -> str:
    return repr(float(value))


def claims_key(min_cw: float) -> str:
    return f"claims:{_fmt(min_cw)}"


def contradictions_key(min_cw: float, confident: float, confident_side: bool) -> str:
    return f"contradictions:{_fmt(min_cw)}:{_fmt(confident)}:{'confident' if confident_side else 'candidates'}"


def tracked(conn: Connection) -> list[tuple[float, float]]:
    rows = conn.execute(select(summary.c.key).where(summary.c.key.like("track:%"))).scalars()
    return [tuple(float(x) for x in key.split(":")[1:3]) for key in rows]


# -- what a scope contributes ----------------------------------------------------------------------


def _contradiction_counts(rows, pairs_seen: set, thresholds) -> Counter:
    out: Counter = Counter()
    for a, b, score, cw_a, cw_b in rows:
        if (a, b) in pairs_seen:
            continue
        pairs_seen.add((a, b))
        for min_cw, confident in thresholds:
            if cw_a >= min_cw and cw_b >= min_cw:
                out[contradictions_key(min_cw, confident, score >= confident)] += 1
    return out


def _contradiction_rows(conn: Connection, where=None, claim_ids: list[str] | None = None) -> list:
    """(a, b, score, checkworthiness of a, of b) of the contradictions among the links ``where``
    selects, or (``claim_ids``) touching those claims: by the a and b indexes, never a scan."""
    ca, cb = aliased(claims), aliased(claims)
    query = (select(claim_links.c.a, claim_links.c.b, claim_links.c.score, ca.c.checkworthiness, cb.c.checkworthiness)
             .select_from(claim_links).join(ca, ca.c.id == claim_links.c.a).join(cb, cb.c.id == claim_links.c.b)
             .where(claim_links.c.relation == "contradicts"))
    if claim_ids is None:
        return conn.execute(query.where(where) if where is not None else query).all()
    if not claim_ids:
        return []
    return (conn.execute(query.where(claim_links.c.a.in_(claim_ids))).all()
            + conn.execute(query.where(claim_links.c.b.in_(claim_ids))).all())


def article_part(conn: Connection, ids: Iterable[str] | None) -> Part:
    """What the articles ``ids`` (None: all) count for: articles, copies, outlets, languages,
    technique spans, check-worthy claims and the contradictions touching their claims."""
    out: Counter = Counter()
    first: dict[str, int] = {}
    thresholds = tracked(conn)
    seen: set = set()
    for chunk in _chunks(ids):
        where = articles.c.id.in_(chunk) if chunk is not None else true()
        n, copies = conn.execute(select(func.count(), func.count(articles.c.duplicate_of)).where(where)).one()
        out["articles"] += n
        out["copies"] += copies
        for name, n in conn.execute(select(articles.c.outlet, func.count()).where(where).group_by(articles.c.outlet)):
            out[f"outlet:{name or UNKNOWN_OUTLET}"] += n
        for lang, n, seq in conn.execute(select(articles.c.language, func.count(), func.min(articles.c.seq))
                                         .where(where).group_by(articles.c.language)):
            key = f"language:{lang or 'unknown'}"
            out[key] += n
            first[key] = min(seq, first.get(key, seq))
        spans = select(func.count()).select_from(techniques)
        out["techniques"] += conn.execute(spans.where(techniques.c.article_id.in_(chunk)) if chunk is not None
                                          else spans).scalar() or 0
        for min_cw in dict.fromkeys(t for t, _ in thresholds):
            query = select(func.count()).select_from(claims).where(claims.c.checkworthiness >= min_cw)
            if chunk is not None:
                query = query.where(claims.c.article_id.in_(chunk))
            out[claims_key(min_cw)] += conn.execute(query).scalar() or 0
        if thresholds:
            ids_ = None if chunk is None else list(conn.execute(select(claims.c.id).where(claims.c.article_id.in_(chunk)))
                                                   .scalars())
            out += _contradiction_counts(_contradiction_rows(conn, claim_ids=ids_), seen, thresholds)
    return out, first


def link_part(conn: Connection, pairs: Iterable[tuple[str, str]] | None) -> Part:
    """What the claim links ``pairs`` (None: all) count for: contradictions."""
    thresholds = tracked(conn)
    out: Counter = Counter()
    if not thresholds:
        return out, {}
    seen: set = set()
    for chunk in _chunks(pairs):
        where = None if chunk is None else tuple_(claim_links.c.a, claim_links.c.b).in_(chunk)
        out += _contradiction_counts(_contradiction_rows(conn, where), seen, thresholds)
    return out, {}


def group_part(conn: Connection, ids: Iterable[str] | None) -> Part:
    out: Counter = Counter()
    for chunk in _chunks(ids):
        query = select(claim_groups.c.status, func.count()).group_by(claim_groups.c.status)
        for status, n in conn.execute(query.where(claim_groups.c.id.in_(chunk)) if chunk is not None else query):
            out[f"status:{status}"] += n
            out["claim_groups"] += n
    return out, {}


def _rows_of(table, key: str):
    def part(conn: Connection, ids: Iterable[str] | None) -> Part:
        out: Counter = Counter()
        for chunk in _chunks(ids):
            query = select(func.count()).select_from(table)
            out[key] += conn.execute(query.where(table.c.id.in_(chunk)) if chunk is not None else query).scalar() or 0
        return out, {}
    return part


story_part = _rows_of(stories, "stories")
thesis_part = _rows_of(theses, "theses")
# What recount adds up: article_part(None) counts every contradiction already, so link_part is not here.
PARTS = (article_part, group_part, story_part, thesis_part)


# -- keeping it ------------------------------------------------------------------------------------


def apply(conn: Connection, delta: Counter, first: dict[str, int | None], exact: bool = False) -> None:
    """Add ``delta`` to the stored counts (keys in order: concurrent writers lock rows alike);
    ``first``: a language's first seq, lowered to it (``exact``: set to it)."""
    for key in sorted(set(delta) | set(first)):
        n, seq = delta.get(key, 0), first.get(key)
        if n == 0 and seq is None and not (exact and key in first):
            continue
        if exact and key in first:
            if not conn.execute(update(summary).where(summary.c.key == key).values(n=summary.c.n + n, first=seq)).rowcount:
                conn.execute(insert(summary).values(key=key, n=n, first=seq))
            continue
        if conn.dialect.name in ("sqlite", "postgresql"):
            if conn.dialect.name == "sqlite":
                from sqlalchemy.dialects.sqlite import insert as upsert
            else:
                from sqlalchemy.dialects.postgresql import insert as upsert
            stmt = upsert(summary).values(key=key, n=n, first=seq)
            new = stmt.excluded.first
            conn.execute(stmt.on_conflict_do_update(index_elements=[summary.c.key], set_={
                "n": summary.c.n + stmt.excluded.n,
                "first": case((summary.c.first.is_(None), new), (new.is_(None), summary.c.first),
                              (new < summary.c.first, new), else_=summary.c.first)}))
        elif not conn.execute(update(summary).where(summary.c.key == key)
                              .values(n=summary.c.n + n, first=func.coalesce(summary.c.first, seq))).rowcount:
            conn.execute(insert(summary).values(key=key, n=n, first=seq))


def counted(conn: Connection) -> bool:
    return conn.execute(select(summary.c.n).where(summary.c.key == COUNTED)).first() is not None


def added_article(conn: Connection, outlet: str | None, language: str | None, seq: int, copy: bool) -> None:
    """A new article (no claims, links or spans yet): its counts without a query."""
    if counted(conn):
        lang = f"language:{language or 'unknown'}"
        apply(conn, Counter({"articles": 1, "copies": int(copy), f"outlet:{outlet or UNKNOWN_OUTLET}": 1, lang: 1}),
              {lang: seq})


def added_articles(conn: Connection, rows: list[tuple[str | None, str | None, int, bool]]) -> None:
    """:func:`added_article` for many: (outlet, language, seq, is a copy) each, counted in one update per key."""
    if not rows or not counted(conn):
        return
    delta: Counter = Counter()
    first: dict[str, int] = {}
    for outlet, language, seq, copy in rows:
        lang = f"language:{language or 'unknown'}"
        delta.update({"articles": 1, "copies": int(copy), f"outlet:{outlet or UNKNOWN_OUTLET}": 1, lang: 1})
        first[lang] = min(first.get(lang, seq), seq)
    apply(conn, delta, first)


@contextmanager
def counting(conn: Connection, part, scope) -> Iterator[None]:
    """Keep the counts right across the writes in the block, which touch only ``scope`` of ``part``."""
    if not counted(conn):
        yield  # not counted yet: recount_summary will count it all
        return
    before, _ = part(conn, scope)
    yield
    after, _ = part(conn, scope)
    delta = Counter({k: after.get(k, 0) - before.get(k, 0) for k in set(before) | set(after)})
    # A language an article left or joined: its first article looked up again (by its index).
    first = {k: _first_seq(conn, k[len("language:"):]) for k in delta if k.startswith("language:") and delta[k]}
    apply(conn, delta, first, exact=True)


def _first_seq(conn: Connection, language: str) -> int | None:
    where = (articles.c.language.is_(None) | (articles.c.language == "") | (articles.c.language == "unknown")
             if language == "unknown" else articles.c.language == language)
    return conn.execute(select(func.min(articles.c.seq)).where(where)).scalar()


def recount(conn: Connection) -> None:
    """Count everything again (the tracked thresholds stay)."""
    conn.execute(delete(summary).where(~summary.c.key.like("track:%")))
    total: Counter = Counter()
    first: dict[str, int] = {}
    for part in PARTS:
        found, seqs = part(conn, None)
        total += found
        first.update(seqs)
    total[COUNTED] = 1
    apply(conn, total, first)


def track(conn: Connection, min_cw: float, confident: float) -> None:
    """Keep the counts of these thresholds from now on (counted now when new)."""
    key = f"track:{_fmt(min_cw)}:{_fmt(confident)}"
    if conn.execute(select(summary.c.n).where(summary.c.key == key)).first() is not None:
        return
    conn.execute(insert(summary).values(key=key, n=1))
    if not counted(conn):
        return
    # Count the new pair's figures alone (the other pairs' are right already).
    n = conn.execute(select(func.count()).select_from(claims).where(claims.c.checkworthiness >= min_cw)).scalar() or 0
    found = _contradiction_counts(_contradiction_rows(conn), set(), [(min_cw, confident)])
    found[claims_key(min_cw)] = n if claims_key(min_cw) not in _stored(conn) else 0
    apply(conn, found, {})


def _stored(conn: Connection) -> dict[str, tuple[int, int | None]]:
    return {r.key: (r.n, r.first) for r in conn.execute(select(summary.c.key, summary.c.n, summary.c.first))}


def outlet_names(conn: Connection) -> list[str] | None:
    """The outlets' names as stored (an unnamed outlet as "(unknown outlet)"); None when never counted."""
    rows = _stored(conn)
    return None if COUNTED not in rows else [k[len("outlet:"):] for k, (n, _) in rows.items()
                                             if k.startswith("outlet:") and n > 0]


def statuses(conn: Connection) -> list[str] | None:
    """The claim groups' statuses as stored; None when never counted."""
    rows = _stored(conn)
    return None if COUNTED not in rows else [k[len("status:"):] for k, (n, _) in rows.items()
                                             if k.startswith("status:") and n > 0]


def read(conn: Connection, min_cw: float, confident: float) -> dict | None:
    """The overview's counts as stored (the shape of :meth:`LookupStore.overview_counts`, plus the
    two contradiction counts); None when never counted. A count of thresholds the store does not
    track is None."""
    rows = _stored(conn)
    if COUNTED not in rows:
        return None

    def of(prefix: str) -> list[tuple[str, int, int | None]]:
        return [(k[len(prefix):], n, f) for k, (n, f) in rows.items() if k.startswith(prefix) and n > 0]

    def n(key: str) -> int | None:
        return rows[key][0] if key in rows else None

    pair = (min_cw, confident) in tracked(conn)
    return {
        "articles": n("articles") or 0,
        "outlets": len(of("outlet:")),
        "languages": {k: c for k, c, _ in sorted(of("language:"), key=lambda r: (r[2] is None, r[2] or 0, r[0]))},
        "stories": n("stories") or 0,
        "claims": (n(claims_key(min_cw)) or 0) if pair else None,
        "claim_groups": n("claim_groups") or 0,
        "statuses": {k: c for k, c, _ in of("status:")},
        "theses": n("theses") or 0,
        "techniques": n("techniques") or 0,
        "copies": n("copies") or 0,
        "contradictions": (n(contradictions_key(min_cw, confident, True)) or 0) if pair else None,
        "contradiction_candidates": (n(contradictions_key(min_cw, confident, False)) or 0) if pair else None,
    }


class SummaryStore:
    """Mixed into :class:`~narrascope.store.sql.SQLStore`; relies on its ``_connect``."""

    def recount_summary(self) -> None:
        with self._connect() as conn:
            recount(conn)

    def track_thresholds(self, min_checkworthiness: float, confident_contradiction: float) -> None:
        with self._connect() as conn:
            track(conn, min_checkworthiness, confident_contradiction)

    def stored_count(self, key: str) -> int | None:
        """One stored count ("articles", "claim_groups"...); None when the store was never counted."""
        with self._connect() as conn:
            if not counted(conn):
                return None
            return conn.execute(select(summary.c.n).where(summary.c.key == key)).scalar() or 0

    def stored_overview(self, min_checkworthiness: float, confident_contradiction: float) -> dict | None:
        with self._connect() as conn:
            return read(conn, min_checkworthiness, confident_contradiction)
