"""Outlet profiles: what each outlet says about the theses, how its claims fare, whom it cites,
and which persuasion techniques it uses."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from ..model import Annotations, Article, ClaimGroup, Stance, TechniqueSpan
from .theses import OutletStance, outlet_stances

# Where articles with no outlet are counted in the profiles.
UNKNOWN_OUTLET = "(unknown outlet)"


@dataclass(slots=True)
class OutletProfile:
    outlet: str
    articles: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    first_published: datetime | None = None
    last_published: datetime | None = None
    stances: list[OutletStance] = field(default_factory=list)
    claim_statuses: Counter[str] = field(default_factory=Counter)
    cited_sources: Counter[str] = field(default_factory=Counter)
    techniques: Counter[str] = field(default_factory=Counter)
    copies_of_others: int = 0

    def as_record(self) -> dict:
        return {
            "outlet": self.outlet,
            "articles": self.articles,
            "languages": dict(self.languages),
            "first_published": self.first_published.isoformat() if self.first_published else None,
            "last_published": self.last_published.isoformat() if self.last_published else None,
            "stances": [{"thesis": s.thesis_id, "label": s.label, "counts": s.counts, "by_month": s.by_month}
                        for s in self.stances],
            "claim_statuses": dict(self.claim_statuses),
            "cited_sources": dict(self.cited_sources.most_common()),
            "techniques": dict(self.techniques.most_common()),
            "copies_of_others": self.copies_of_others,
        }

    @classmethod
    def from_record(cls, r: dict, stances: list[OutletStance]) -> OutletProfile:
        """A profile stored by :func:`store_outlet_views`; ``stances``: the outlet's stored tallies."""
        when = [datetime.fromisoformat(v) if v else None for v in (r["first_published"], r["last_published"])]
        return cls(r["outlet"], r["articles"], Counter(r["languages"]), when[0], when[1], stances,
                   Counter(r["claim_statuses"]), Counter(r["cited_sources"]), Counter(r["techniques"]),
                   r["copies_of_others"])


def outlet_profiles(pairs: list[tuple[Article, Annotations]], groups: list[ClaimGroup],
                    stances: list[OutletStance], techniques: list[TechniqueSpan]) -> list[OutletProfile]:
    profiles: dict[str, OutletProfile] = {}
    article_outlet = {}
    claim_article = {}
    for article, ann in pairs:
        outlet = article.outlet or UNKNOWN_OUTLET
        article_outlet[article.id] = outlet
        p = profiles.setdefault(outlet, OutletProfile(outlet))
        p.articles += 1
        p.languages[article.language or "unknown"] += 1
        p.copies_of_others += bool(article.duplicate_of)
        if article.published:
            p.first_published = min(filter(None, [p.first_published, article.published]), key=_key)
            p.last_published = max(filter(None, [p.last_published, article.published]), key=_key)
        p.cited_sources.update(c.source for c in ann.citations)
        for claim in ann.claims:
            claim_article[claim.id] = article.id
    for group in groups:
        # a group counts once per outlet that carries it
        outlets = {article_outlet[claim_article[c]] for c in group.claims if c in claim_article}
        for outlet in outlets:
            profiles[outlet].claim_statuses[group.status] += 1
    for t in techniques:
        if t.article_id in article_outlet:
            profiles[article_outlet[t.article_id]].techniques[t.technique] += 1
    return _with_stances(profiles, stances)


def _with_stances(profiles: dict, stances) -> list:
    """The profiles, each with its outlet's stances, largest outlet first."""
    by_outlet = defaultdict(list)
    for s in stances:
        by_outlet[s.outlet].append(s)
    for outlet, items in by_outlet.items():
        if outlet in profiles:
            profiles[outlet].stances = items
    return sorted(profiles.values(), key=lambda p: (-p.articles, p.outlet))


def _key(value: datetime) -> datetime:
    from ..link.stories import as_utc

    return as_utc(value)


def compute_outlet_views(store) -> tuple[list[OutletStance], list[OutletProfile]]:
    """Every outlet's stance tallies and profile, from what the store holds now: counted by the
    store (SQL aggregates over articles, citations, techniques, claim groups), and the stances read
    one outlet at a time, so memory holds the views and one outlet's stances, never the corpus."""
    stances: list[OutletStance] = []
    outlet, rows = None, []
    for row in store.outlet_stance_rows():
        if row[0] != outlet and rows:
            stances.extend(_stances_of(rows))
            rows = []
        outlet = row[0]
        rows.append(row)
    stances.extend(_stances_of(rows))
    stances.sort(key=lambda s: (s.outlet, s.thesis_id))
    return stances, profiles_from_tallies(store, stances)


def _stances_of(rows: list[tuple]) -> list[OutletStance]:
    """One outlet's stance tallies from its (outlet, thesis, article, label, published) rows."""
    found = {aid: Article(aid, "", outlet=outlet, published=published) for outlet, _, aid, _, published in rows}
    return outlet_stances([Stance(t, aid, label, 0.0) for _, t, aid, label, _ in rows], found)


def profiles_from_tallies(store, stances: list[OutletStance]) -> list[OutletProfile]:
    """What :func:`outlet_profiles` makes of the whole corpus, from the store's tallies per outlet."""
    profiles: dict[str, OutletProfile] = {}

    def profile(outlet: str | None) -> OutletProfile:
        name = outlet or UNKNOWN_OUTLET
        return profiles.setdefault(name, OutletProfile(name))

    for outlet, language, n, copies in store.outlet_article_counts():
        p = profile(outlet)
        p.articles += n
        p.languages[language or "unknown"] += n
        p.copies_of_others += copies
    for outlet, first, last in store.outlet_published_range():
        p = profile(outlet)
        p.first_published = min(filter(None, [p.first_published, first]), key=_key, default=None)
        p.last_published = max(filter(None, [p.last_published, last]), key=_key, default=None)
    for what, field_name in (("citations", "cited_sources"), ("techniques", "techniques"),
                             ("claim_statuses", "claim_statuses")):
        for outlet, item, n in store.outlet_counts(what):
            getattr(profile(outlet), field_name)[item] += n
    return _with_stances(profiles, stances)


def store_outlet_views(store) -> int:
    """Compute the outlet views and keep them (the narratives stage's last step); returns how many outlets."""
    stances, profiles = compute_outlet_views(store)
    with store.transaction():
        store.replace_outlet_views([s.as_record() for s in stances], [p.as_record() for p in profiles])
    return len(profiles)


def outlet_views(store) -> tuple[list[OutletStance], list[OutletProfile]]:
    """The outlet views the last analysis stored; computed now for a store analysed before they
    were kept (the report, the dashboard and the export read them through this)."""
    stances = [OutletStance.from_record(r) for r in store.outlet_view_records("stance")]
    records = store.outlet_view_records("profile")
    if not records:
        return compute_outlet_views(store)
    by_outlet = defaultdict(list)
    for s in stances:
        by_outlet[s.outlet].append(s)
    return stances, [OutletProfile.from_record(r, by_outlet.get(r["outlet"], [])) for r in records]
