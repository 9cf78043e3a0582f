"""What the dashboard's pages read: one :class:`CorpusView` plus the indexes its pages look up by id.

A :class:`Dashboard` is built from the store once and never changes; :class:`DashboardHolder`
builds a new one when the database changes (SQLite: the file's and its WAL's size and mtime,
checked on every request, a ``stat`` each; database URLs: every ``reload_seconds``) and swaps it
in whole, so a request always sees one consistent reading of the store.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import datetime

from ..config import Settings
from ..link.stories import as_utc
from ..model import Article, Claim, ClaimGroup, ClaimLink, Stance, StoryRecord
from ..narratives.profiles import OutletProfile
from ..narratives.theses import OutletStance
from ..report.views import CorpusView
from ..store import SQLStore
from .search import SearchIndex

log = logging.getLogger("narrascope.web")


@dataclass(slots=True)
class Appearance:
    """One claim of a group, where and when it appeared and which origin it rests on."""

    claim: Claim
    article: Article
    text: str
    origin: str | None


class Dashboard:
    """One reading of the store, with every lookup the pages need precomputed."""

    def __init__(self, store: SQLStore, settings: Settings, signature: object = None) -> None:
        started = time.perf_counter()
        self.signature = signature
        self.view = view = CorpusView(store, settings.enrich.min_checkworthiness,
                                      settings.report.confident_contradiction)
        self.group_by_id: dict[str, ClaimGroup] = {g.id: g for g in view.groups}
        self.story_by_id: dict[str, StoryRecord] = {s.id: s for s in view.stories}
        self.thesis_by_id = {t.id: t for t in view.theses}
        self.claims_of_article: dict[str, list[Claim]] = defaultdict(list)
        for claim in sorted(view.claims.values(), key=lambda c: c.start):
            self.claims_of_article[claim.article_id].append(claim)
        self.links_of_claim: dict[str, list[ClaimLink]] = defaultdict(list)
        for link in view.links:
            self.links_of_claim[link.a].append(link)
            self.links_of_claim[link.b].append(link)
        self.by_date = sorted(view.articles.values(), key=lambda a: _date_key(a.published), reverse=True)
        self.articles_by_outlet: dict[str, list[Article]] = defaultdict(list)
        for article in self.by_date:
            self.articles_by_outlet[article.outlet or "(unknown outlet)"].append(article)
        self.stances_of_article: dict[str, list[Stance]] = defaultdict(list)
        for stance in view.stances:
            self.stances_of_article[stance.article_id].append(stance)
        self.outlet_stances: list[OutletStance] = view.outlet_stance_list
        self.profiles: dict[str, OutletProfile] = {p.outlet: p for p in view.profiles}
        self.groups_of_article: dict[str, set[str]] = defaultdict(set)
        for group in view.groups:
            for cid in group.claims:
                if cid in view.claims:
                    self.groups_of_article[view.claims[cid].article_id].add(group.id)
        # the findings and the unconfirmed candidates, each most confident first (report.views.split_contradictions)
        self.contradictions = view.contradictions()
        self.contradiction_candidates = view.contradiction_candidates()
        self.contradictions_of_article: dict[str, set[int]] = defaultdict(set)
        for c in self.contradictions + self.contradiction_candidates:
            self.contradictions_of_article[c["a_article"]].add(id(c))
            self.contradictions_of_article[c["b_article"]].add(id(c))
        self._evidence: dict[str, dict] = {}
        self.recurring = view.recurring_groups()
        self.overview = view.overview()
        self.cards = view.cards()
        self.story_outlets = {s.id: len({view.outlet(a) for a in s.articles if a in view.articles})
                              for s in view.stories}
        self.stories_by_size = sorted(view.stories, key=lambda s: (-len(s.articles), s.id))
        self.search = SearchIndex(self)
        self.pages = PageCache(int(settings.web.page_cache_mb * 1024 * 1024))
        self.built_seconds = time.perf_counter() - started

    # -- lookups the templates use -----------------------------------------------------------------

    def article_title(self, article_id: str) -> str:
        article = self.view.articles.get(article_id)
        return (article.title or article.id) if article else article_id

    def appearances(self, group: ClaimGroup) -> list[Appearance]:
        origin_of = {c: o["origin"] for o in group.origins for c in o.get("claims", [])}
        out = []
        for cid in group.claims:
            claim = self.view.claims.get(cid)
            if claim is not None and claim.article_id in self.view.articles:
                out.append(Appearance(claim, self.view.articles[claim.article_id], self.view.claim_text(cid),
                                      origin_of.get(cid)))
        return sorted(out, key=lambda a: (_date_key(a.article.published), a.article.outlet or ""))

    def group_links(self, claim_ids: list[str]) -> list[ClaimLink]:
        """Every link touching one of ``claim_ids``, once, contradictions first."""
        seen: dict[tuple[str, str], ClaimLink] = {}
        for cid in claim_ids:
            for link in self.links_of_claim.get(cid, []):
                if link.a in self.view.claims and link.b in self.view.claims:
                    seen[(link.a, link.b)] = link
        order = {"contradicts": 0, "same": 1, "supports": 2, "related": 3}
        return sorted(seen.values(), key=lambda k: (order.get(k.relation, 9), -k.score))

    def story_groups(self, story: StoryRecord) -> list[ClaimGroup]:
        ids = set().union(*(self.groups_of_article.get(a, set()) for a in story.articles)) if story.articles else set()
        groups = [self.group_by_id[g] for g in ids]
        groups = [g for g in groups if len(g.claims) > 1 or g.status == "contradicted"]
        return sorted(groups, key=lambda g: (g.status != "contradicted", -len(g.claims), g.id))

    def story_contradictions(self, story: StoryRecord) -> tuple[list[dict], list[dict]]:
        """The story's (confident contradictions, unconfirmed candidates), in the view's order."""
        found = set().union(*(self.contradictions_of_article.get(a, set()) for a in story.articles))
        return ([c for c in self.contradictions if id(c) in found],
                [c for c in self.contradiction_candidates if id(c) in found])

    def thesis_evidence(self, thesis_id: str) -> dict[str, tuple[int, list[tuple[Article, Stance]]]]:
        """Per outlet: how many of its articles take a position on the thesis, and the first five."""
        if thesis_id not in self._evidence:  # computed once per thesis: a walk over every stance
            out = {}
            for s in self.outlet_stances_of(thesis_id):
                taking = [st for aid in s.articles for st in self.stances_of_article.get(aid, [])
                          if st.thesis_id == thesis_id and st.label != "unrelated"]
                out[s.outlet] = (len(taking), [(self.view.articles[st.article_id], st) for st in taking[:5]])
            self._evidence[thesis_id] = out
        return self._evidence[thesis_id]

    def technique_starts(self, article_id: str) -> dict[int, list[str]]:
        starts: dict[int, list[str]] = defaultdict(list)
        for t in self.view.techniques.get(article_id, []):
            starts[t.start].append(t.technique)
        return starts

    def outlet_stances_of(self, thesis_id: str) -> list[OutletStance]:
        return [s for s in self.outlet_stances if s.thesis_id == thesis_id]


class PageCache:
    """Rendered pages of one reading of the store, least recently used dropped first.

    Bounded by the bytes it keeps, not by the number of pages: an article page is as large as
    the article, and a few hundred pages of one 7.5 MB article once took the server from 156 MB
    to 888 MB. A page larger than the whole bound is served but never kept.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: str) -> bytes | None:
        with self._lock:
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
            return body

    def put(self, key: str, body: bytes) -> None:
        cost = len(body) + len(key)
        if cost > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self.bytes -= len(old) + len(key)
            self._pages[key] = body
            self.bytes += cost
            while self.bytes > self.max_bytes:
                dropped_key, dropped = self._pages.popitem(last=False)
                self.bytes -= len(dropped) + len(dropped_key)


def _freeze() -> None:
    """Keep the cyclic garbage collector off the reading's objects.

    A 10,000-article reading is millions of objects that never change; without this every full
    collection walks them all, a pause of about a second that `narrascope bench serve` saw as
    its slowest requests.
    """
    gc.collect()
    gc.freeze()


def _date_key(value: datetime | None) -> datetime:
    return as_utc(value) if value else datetime.min  # undated last when sorting newest first


class DashboardHolder:
    """Hands out the current :class:`Dashboard`, rebuilding it when the database has changed.

    The request that notices a change starts the rebuild in a thread and waits for it up to
    ``REBUILD_WAIT`` seconds, so on a small store it already sees the new reading; on a large one
    (40 s for 10,000 articles) it and every request after it keep the previous reading until
    the new one is complete. A failed rebuild (the database mid-write, say) keeps the previous
    reading and is retried on the next change.
    """

    REBUILD_WAIT = 2.0

    def __init__(self, db: str, settings: Settings, reload_seconds: float = 60.0) -> None:
        self.db = db
        self.settings = settings
        self.reload_seconds = reload_seconds
        self.store = SQLStore(db, create=False)  # never creates or adopts a database
        self._file = None if "://" in db else os.path.abspath(os.path.expanduser(db))
        self._lock = threading.Lock()
        self._rebuilding: threading.Thread | None = None
        self._seen = self._signature()
        self.current = Dashboard(self.store, settings, self._seen)
        _freeze()

    def _signature(self) -> object:
        if self._file is None:  # a server database: no file to watch, so a reload interval
            return int(time.monotonic() // self.reload_seconds)
        out = []
        for path in (self._file, self._file + "-wal"):
            try:
                st = os.stat(path)
                out.append((st.st_mtime_ns, st.st_size))
            except OSError:
                out.append(None)
        return tuple(out)

    def get(self) -> Dashboard:
        signature = self._signature()
        if signature != self._seen:
            with self._lock:
                if signature != self._seen and self._rebuilding is None:
                    self._seen = signature  # a failure is not retried until the next change
                    self._rebuilding = threading.Thread(target=self._rebuild, args=(signature,), daemon=True)
                    self._rebuilding.start()
                thread = self._rebuilding
            if thread is not None:
                thread.join(self.REBUILD_WAIT)
        return self.current

    def unchanged(self) -> Dashboard | None:
        """The current reading when the store has not changed since; None otherwise (without waiting)."""
        return self.current if self._signature() == self._seen else None

    def _rebuild(self, signature: object) -> None:
        started = time.perf_counter()
        try:
            self.current = Dashboard(self.store, self.settings, signature)
            gc.unfreeze()  # the previous reading's objects may be collected now
            _freeze()
            log.info("store changed: dashboard rebuilt in %.1f s", time.perf_counter() - started)
        except Exception:
            log.exception("store changed but could not be read; still showing the previous reading")
        finally:
            self._rebuilding = None

    def close(self) -> None:
        self.store.close()
