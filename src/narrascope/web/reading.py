"""What one request reads of the store: the ``dash`` and ``view`` its templates are given.

A :class:`Reading` is made per request and answers every lookup a page makes with a query for
that id or that page (:mod:`narrascope.store.lookups`), remembered until the request ends. It
offers the names the report's :class:`~narrascope.report.views.CorpusView` offers the templates
(``view.articles``, ``view.claim_text``, ``view.segments``...), so the pages show what they
showed when the dashboard held the whole corpus in memory, but nothing is read before the first
request and a store change is seen by the next one.

``view.articles`` holds articles without their text (lists, links and titles need none); a page
that shows text asks :meth:`Reading.full_article`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from ..config import Settings
from ..link.stories import as_utc
from ..model import Article, Claim, ClaimGroup, ClaimLink, Stance, StoryRecord
from ..narratives.profiles import OutletProfile
from ..narratives.theses import OutletStance, outlet_stances
from ..report.views import MatrixCell, Segment, claim_matrix, paragraph_segments
from ..store.lookups import STATUS_ORDER, UNKNOWN_OUTLET
from .lazy import LazyList, LazyMap

RELATION_ORDER = {"contradicts": 0, "same": 1, "supports": 2, "related": 3}
# The overview shows 15 recurring claim groups and a matrix of 25.
RECURRING_SHOWN = 25


@dataclass(slots=True)
class Appearance:
    """One claim of a group, where and when it appeared and which origin it rests on."""

    claim: Claim
    article: Article
    text: str
    origin: str | None


def shared(method):
    """A property computed once per request, from the store's state alone, so the requests made
    from one state of the store share it (``Reading.shared``, kept by the dashboard per version:
    the footer's article count, the theses, the outlets, the overview's counts and lists)."""
    name = method.__name__

    @functools.wraps(method)
    def get(self):
        if name in self.learned:
            return self.learned[name]
        value = self.shared[name] if name in self.shared else method(self)
        self.learned[name] = value
        return value

    return property(get)


class Reading:
    """``shared``: values of :func:`shared` properties made earlier from this same state of the store
    (never changed here); ``learned``: this request's, the dashboard keeps them for the next."""

    def __init__(self, store, settings: Settings, shared: dict | None = None) -> None:
        self.store = store
        self.shared = shared if shared is not None else {}
        self.learned: dict = {}
        self.min_checkworthiness = min_cw = settings.enrich.min_checkworthiness
        self.confident_contradiction = settings.report.confident_contradiction
        self.articles = LazyMap(store.article_info)
        self.claims = LazyMap(lambda ids: store.claims_by_id(ids, min_cw))
        self.annotations = LazyMap(lambda ids: {a.article_id: a for a in store.iter_annotations(ids)})
        self.group_of = LazyMap(store.group_of_claims)
        self.group_by_id = LazyMap(store.groups_by_id)
        self.story_of = LazyMap(store.story_of)
        self.story_by_id = LazyMap(store.stories_by_id)
        self.story_outlets = LazyMap(store.story_outlet_counts)
        self.stances_of_article = LazyMap(store.stances_of)
        self.techniques = LazyMap(store.techniques_of)
        self.claim_texts = LazyMap(store.claim_texts)
        self.claims_of_article = LazyMap(self._claims_of_articles)
        self._full: dict[str, Article | None] = {}
        self._story_claim_ids: dict[str, list[str]] = {}
        self._group_links: dict[tuple[str, ...], list[ClaimLink]] = {}
        self.contradictions = self._contradiction_list(True)
        self.contradiction_candidates = self._contradiction_list(False)
        self.stories_by_size = LazyList(store.count_stories, self._largest_stories)

    @property
    def view(self) -> Reading:
        """The templates' ``view``: the same reading (the report's names for the same lookups)."""
        return self

    # -- whole-store figures, each one aggregate query -------------------------------------------------

    @shared
    def overview(self) -> dict:
        """The overview's counts, by the definitions of :meth:`CorpusView.overview` (the JSON export's)."""
        # Stored by the writes that change them (store/summary.py); counted here only in a store
        # that has none, and the figures of thresholds the store does not track.
        o = self.store.stored_overview(self.min_checkworthiness, self.confident_contradiction)
        if o is None:
            o = self.store.overview_counts(self.min_checkworthiness)
        elif o["claims"] is None:
            o["claims"] = self.store.count_claims(self.min_checkworthiness)
        o["statuses"] = {s: o["statuses"][s] for s in sorted(o["statuses"], key=lambda s: (STATUS_ORDER.get(s, 9), s))}
        for key, confident in (("contradictions", True), ("contradiction_candidates", False)):
            if o.get(key) is None:
                o[key] = self.store.count_contradictions(self.min_checkworthiness, self.confident_contradiction,
                                                         confident)
        o["first"], o["last"] = self.store.article_published(True), self.store.article_published(False)
        return o

    @shared
    def cards(self) -> list[tuple[int, str]]:
        o = self.overview
        out = [(o["stories"], "stories"), (o["claims"], "check-worthy claims"), (o["claim_groups"], "claim groups")]
        out += [(n, f"{status} claim groups") for status, n in o["statuses"].items()]
        out += [(o["contradictions"], f"contradictions (confidence ≥ {self.confident_contradiction:g})"),
                (o["copies"], "syndicated copies"), (o["techniques"], "technique spans")]
        return out

    @shared
    def article_count(self) -> int:
        stored = self.store.stored_count("articles")  # every page shows it: not a count(*) of them each time
        return self.store.count_articles() if stored is None else stored

    @shared
    def theses(self):
        return self.store.list_theses()

    @shared
    def thesis_by_id(self) -> dict:
        return {t.id: t for t in self.theses}

    @shared
    def outlets(self) -> list[str]:
        return self.store.outlet_names()

    @shared
    def languages(self) -> list[str]:
        return self.store.language_names()

    @shared
    def recurring(self) -> list[ClaimGroup]:
        """The first groups worth a row (see :meth:`CorpusView.recurring_groups`), as many as the overview shows."""
        ids = self.store.recurring_group_ids(RECURRING_SHOWN)
        self.group_by_id.prime(ids)
        return [self.group_by_id[g] for g in ids if g in self.group_by_id]

    @shared
    def profiles(self) -> dict[str, OutletProfile]:
        """Every outlet's profile as the narratives stage stored it (without its stances: see :meth:`profile`).

        A store it never summarised gets them counted in SQL, an outlet at a time (the outlet views of
        :func:`narrascope.narratives.profiles.outlet_views`, which the report computes in memory)."""
        if self._summarised:
            return {r["outlet"]: OutletProfile.from_record(r, []) for r in self.store.outlet_view_records_of("profile")}
        found = [self._counted_profile(name) for name in self.outlets]
        return {p.outlet: p for p in sorted(found, key=lambda p: (-p.articles, p.outlet)) if p.articles}

    @shared
    def _summarised(self) -> bool:
        return bool(self.store.outlet_view_records_of("profile", limit=1))

    def profile(self, outlet: str) -> OutletProfile | None:
        """The outlet's stored profile with its stances; counted now for an outlet the narratives
        stage has not seen yet (its articles came after the last ``analyze``); None for no outlet."""
        records = self.store.outlet_view_records_of("profile", outlet=outlet) if self._summarised else []
        if not records:
            found = self._counted_profile(outlet)
            return found if found.articles else None
        stances = [OutletStance.from_record(r) for r in self.store.outlet_view_records_of("stance", outlet=outlet)]
        return OutletProfile.from_record(records[0], stances)

    def _counted_profile(self, outlet: str) -> OutletProfile:
        o = self.store.outlet_aggregates(outlet)
        rows = [Stance(t, a, label, score, []) for t, a, label, score in o["stances"]]
        self.articles.prime(s.article_id for s in rows)
        stances = outlet_stances(rows, {s.article_id: self.articles[s.article_id] for s in rows})
        return OutletProfile(outlet, o["articles"], Counter(o["languages"]), o["first"], o["last"], stances,
                             Counter(o["claim_statuses"]), Counter(o["cited_sources"]), Counter(o["techniques"]),
                             o["copies"])

    def outlet_stances_of(self, thesis_id: str) -> list[OutletStance]:
        if not self._summarised:
            return sorted((s for p in self.profiles.values() for s in p.stances if s.thesis_id == thesis_id),
                          key=lambda s: s.outlet)
        return [OutletStance.from_record(r) for r in self.store.outlet_view_records_of("stance", thesis_id=thesis_id)]

    # -- articles and claims ---------------------------------------------------------------------

    def full_article(self, article_id: str) -> Article | None:
        """The article with its text and removed lines."""
        if article_id not in self._full:
            self._full[article_id] = self.store.get_article(article_id)
        return self._full[article_id]

    def prime_article(self, article: Article) -> None:
        """Fetch what the article page looks up, a query per kind instead of one per claim."""
        ann = self.annotations[article.id]
        self.claim_texts.prime(c.id for c in ann.claims)  # its claims table: one query, not one per claim
        self.group_of.prime(c.id for c in ann.claims)
        self.group_by_id.prime(self.group_of[c.id] for c in ann.claims if c.id in self.group_of)
        self.story_by_id.prime(self.story_of[a] for a in [article.id] if a in self.story_of)
        if article.duplicate_of:
            self.articles.prime([article.duplicate_of])

    def prime_hits(self, hits) -> None:
        """Fetch what a search page shows of its hits: their articles, claims and claim groups."""
        self.articles.prime(h.article_id for h in hits)
        claims = [h.ref for h in hits if h.kind == "claim"]
        self.claims.prime(claims)
        self.group_of.prime(claims)
        self.group_by_id.prime(self.group_of[c] for c in claims if c in self.group_of)

    def claim_page_claim(self, claim_id: str) -> Claim | None:
        """The check-worthy claim with its attribution, as its article's annotations hold it (what the
        claim page says of it), without reading the article's other annotations."""
        found = self.claims.get(claim_id)
        if found is None:
            return None
        return dataclasses.replace(found, attribution=self.store.attribution_of(claim_id))

    def outlet(self, article_id: str) -> str:
        return self.articles[article_id].outlet or UNKNOWN_OUTLET

    def article_title(self, article_id: str) -> str:
        article = self.articles.get(article_id)
        return (article.title or article.id) if article else article_id

    def claim_text(self, claim_id: str) -> str:
        return self.claim_texts[claim_id]

    def _claims_of_articles(self, ids: list[str]) -> dict[str, list[Claim]]:
        self.annotations.prime(ids)
        return {aid: sorted((c for c in self.annotations[aid].claims if c.checkworthiness >= self.min_checkworthiness),
                            key=lambda c: c.start) for aid in ids if aid in self.annotations}

    def segments(self, article_id: str) -> list[list[Segment]]:
        """The article's paragraphs, each cut into segments at every span (see :meth:`CorpusView.segments`)."""
        article, ann = self.full_article(article_id), self.annotations[article_id]
        self.group_of.prime(c.id for c in ann.claims)
        return paragraph_segments(article.text, ann, self.group_of, self.techniques.get(article_id, []))

    def technique_starts(self, article_id: str) -> dict[int, list[str]]:
        starts: dict[int, list[str]] = defaultdict(list)
        for t in self.techniques.get(article_id, []):
            starts[t.start].append(t.technique)
        return starts

    # -- claim groups, links, contradictions --------------------------------------------------------

    def is_candidate(self, link: ClaimLink) -> bool:
        """Whether ``link`` is a contradiction below the confident level (an unconfirmed candidate)."""
        return link.relation == "contradicts" and link.score < self.confident_contradiction

    def appearances(self, group: ClaimGroup) -> list[Appearance]:
        origin_of = {c: o["origin"] for o in group.origins for c in o.get("claims", [])}
        self.claims.prime(group.claims)
        present = [self.claims[c] for c in group.claims if c in self.claims]
        self.articles.prime(c.article_id for c in present)
        self.claim_texts.prime(c.id for c in present)
        out = [Appearance(c, self.articles[c.article_id], self.claim_text(c.id), origin_of.get(c.id))
               for c in present if c.article_id in self.articles]
        return sorted(out, key=lambda a: (_date_key(a.article.published), a.article.outlet or ""))

    def group_links(self, claim_ids: list[str]) -> list[ClaimLink]:
        """Every link touching one of ``claim_ids`` between two check-worthy claims, contradictions first
        (read once per request: the claim page shows them as a table and as its graph)."""
        key = tuple(claim_ids)
        if key not in self._group_links:
            self._group_links[key] = self._links_among(claim_ids)
        return list(self._group_links[key])

    def _links_among(self, claim_ids: list[str]) -> list[ClaimLink]:
        links = self.store.links_touching(claim_ids)
        self._prime_claims({c for k in links for c in (k.a, k.b)})
        of_claim = defaultdict(list)
        for k in sorted(links, key=lambda k: (k.a, k.b)):
            of_claim[k.a].append(k)
            of_claim[k.b].append(k)
        seen: dict[tuple[str, str], ClaimLink] = {}  # ties keep this order: by claim given, then by (a, b)
        for cid in claim_ids:
            for k in of_claim.get(cid, []):
                if k.a in self.claims and k.b in self.claims:
                    seen[(k.a, k.b)] = k
        return sorted(seen.values(), key=lambda k: (RELATION_ORDER.get(k.relation, 9), -k.score))

    def _prime_claims(self, ids) -> None:
        self.claims.prime(ids)
        present = [self.claims[c] for c in ids if c in self.claims]
        self.articles.prime(c.article_id for c in present)
        self.claim_texts.prime(c.id for c in present)

    def _contradiction_list(self, confident: bool) -> LazyList:
        store, min_cw, level = self.store, self.min_checkworthiness, self.confident_contradiction
        return LazyList(
            lambda: self.overview["contradictions" if confident else "contradiction_candidates"],
            lambda limit, offset: self.contradiction_rows(
                store.contradiction_links(min_cw, level, confident, limit=limit, offset=offset)))

    def contradiction_rows(self, links: list[ClaimLink]) -> list[dict]:
        """Contradictions as rows to show (see :meth:`CorpusView.contradictions`)."""
        self._prime_claims({c for k in links for c in (k.a, k.b)})
        out = []
        for link in links:
            if link.a not in self.claims or link.b not in self.claims:
                continue
            a, b = self.claims[link.a].article_id, self.claims[link.b].article_id
            out.append({"a": link.a, "b": link.b, "reason": link.reason, "score": link.score,
                        "a_text": self.claim_text(link.a), "b_text": self.claim_text(link.b),
                        "a_article": a, "b_article": b, "a_title": self.article_title(a), "b_title": self.article_title(b),
                        "a_outlet": self.outlet(a), "b_outlet": self.outlet(b)})
        return out

    def matrix(self, groups: list[ClaimGroup]) -> dict[str, dict[str, MatrixCell]]:
        """For each group and outlet: its claim agreeing, contradicting, or none (confident contradictions only)."""
        members = [c for g in groups for c in g.claims]
        contra: dict[str, list[str]] = defaultdict(list)
        for link in self.store.links_touching(members, "contradicts"):
            if link.score >= self.confident_contradiction:
                contra[link.a].append(link.b)
                contra[link.b].append(link.a)
        others = {o for c in members for o in contra.get(c, [])}
        self._prime_claims(set(members) | others)
        self.group_of.prime(others)
        return claim_matrix(groups, contra, self)

    # -- stories ------------------------------------------------------------------------------

    def _largest_stories(self, limit: int, offset: int) -> list[StoryRecord]:
        ids = self.store.largest_story_ids(limit, offset)
        self.story_by_id.prime(ids)
        self.story_outlets.prime(ids)
        return [self.story_by_id[s] for s in ids if s in self.story_by_id]

    def story_timeline(self, story: StoryRecord) -> list[Article]:
        self.articles.prime(story.articles)
        members = [self.articles[a] for a in story.articles if a in self.articles]
        self.articles.prime(a.duplicate_of for a in members if a.duplicate_of)
        return sorted(members, key=lambda a: (a.published is None, _date_key(a.published), a.outlet or ""))

    def story_groups(self, story: StoryRecord, limit: int = 50) -> list[ClaimGroup]:
        """The story's recurring or contradicted claim groups, contradicted first, then the most carried."""
        claims = self._story_claims(story)
        self.group_of.prime(claims)
        ids = {self.group_of[c] for c in claims if c in self.group_of}
        self.group_by_id.prime(ids)
        groups = [self.group_by_id[g] for g in ids if g in self.group_by_id]
        groups = [g for g in groups if len(g.claims) > 1 or g.status == "contradicted"]
        groups = sorted(groups, key=lambda g: (g.status != "contradicted", -len(g.claims), g.id))[:limit]
        self.claims.prime(c for g in groups for c in g.claims)
        return groups

    def story_contradictions(self, story: StoryRecord) -> tuple[list[dict], list[dict]]:
        """The story's (confident contradictions, unconfirmed candidates), most confident first:
        the links touching its articles' check-worthy claims, found from them (never a scan of all links)."""
        # Contradictions only read: a story's claims have ~200 links at 100,000 articles, a few contradict.
        links = self.store.links_touching(self._story_claims(story), "contradicts")
        links.sort(key=lambda k: (-k.score, k.reason, k.a, k.b))
        level = self.confident_contradiction
        return (self.contradiction_rows([k for k in links if k.score >= level]),
                self.contradiction_rows([k for k in links if k.score < level]))

    def _story_claims(self, story: StoryRecord) -> list[str]:
        if story.id not in self._story_claim_ids:
            self._story_claim_ids[story.id] = self.store.story_claim_ids(story.id, self.min_checkworthiness)
        return self._story_claim_ids[story.id]

    # -- theses -------------------------------------------------------------------------------

    def thesis_evidence(self, thesis_id: str) -> dict[str, tuple[int, list[tuple[Article, Stance]]]]:
        """Per outlet: how many of its articles take a position on the thesis, and the first five."""
        outlets = self.outlet_stances_of(thesis_id)
        shown: dict[str, list[Stance]] = {s.outlet: [] for s in outlets}
        start, step = 0, 8  # its articles about the thesis, in order, a few at a time until five are found
        while True:
            wanting = [s for s in outlets if len(shown[s.outlet]) < 5 and start < len(s.articles)]
            if not wanting:
                break
            found = self.store.stances_of([a for s in wanting for a in s.articles[start : start + step]], thesis_id)
            for s in wanting:
                shown[s.outlet] += [st for aid in s.articles[start : start + step] for st in found.get(aid, [])
                                    if st.label != "unrelated"]
            start, step = start + step, step * 4
        full = {a.id: a for a in self.store.get_articles([st.article_id for v in shown.values() for st in v[:5]])}
        return {s.outlet: (sum(s.counts.values()), [(full[st.article_id], st) for st in shown[s.outlet][:5]
                                                    if st.article_id in full]) for s in outlets}


def _date_key(value: datetime | None) -> datetime:
    return as_utc(value) if value else datetime.min
