"""The link stage: stories for new articles, then claim links, claim groups and provenance.

Stories are incremental: only articles without a story are placed, existing stories keep their
ids. Claim links and groups are recomputed over all check-worthy claims, because a new article
can confirm or contradict any earlier claim; the vectors are cached, so a rerun embeds only
what is new.

Everything is worked out first from what the store holds, without holding its write lock (the
relation model takes most of the stage's time), then written in one transaction: a concurrent
``ingest`` waits only for the writing. When another ``analyze`` placed articles in stories
meanwhile, the plan is made again inside the transaction, from what that run wrote.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..config import Settings
from ..embeddings import Embedder, get_embedder
from ..enrich.canonical import clean_name, phonetic_key
from ..model import Annotations, Article
from ..models.registry import load_relation_model
from ..store.protocols import LinkStore
from .claims import claim_items, link_claims
from .groups import build_groups
from .pairmodel import RelationModel
from .relate import RelateParams
from .stories import Item, StoryParams, assign
from .vectors import VectorCache, span_key, unit

# Entity types that name what a story is about.
STORY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})


@dataclass(slots=True)
class LinkReport:
    new_articles: int = 0
    stories: int = 0
    claims: int = 0
    links: int = 0
    contradictions: int = 0
    groups: int = 0

    def summary(self) -> str:
        return (
            f"linked: {self.new_articles} article(s) placed in {self.stories} stories; {self.claims} claims, "
            f"{self.links} links ({self.contradictions} contradictions), {self.groups} claim groups"
        )


def story_params(settings: Settings) -> StoryParams:
    return StoryParams(**settings.link.stories.to_dict())


def relate_params(settings: Settings) -> RelateParams:
    return RelateParams(**settings.link.relate.to_dict())


def link_all(store: LinkStore, settings: Settings, *, embedder: Embedder | None = None,
             model: RelationModel | None = None) -> LinkReport:
    """Stories, claim links, groups. ``model`` defaults to the one ``link.relation_model`` names."""
    embedder = embedder or get_embedder(settings.link.embedder)
    model = model or load_relation_model(settings.link.relation_model)
    pairs = list(zip(store.iter_articles(), store.iter_annotations(), strict=True))
    plan = _plan(store, embedder, pairs, settings, model)
    with store.transaction():
        if store.story_of_articles() != plan.placed_before:  # another run linked meanwhile
            plan = _plan(store, embedder, pairs, settings, model)
        plan.write(store)
    return plan.report


@dataclass(slots=True)
class _Plan:
    """What the stage will write, worked out without writing."""

    placed_before: dict[str, str]
    vectors: PendingVectors
    stories: list
    members: list[tuple[str, str, float]]
    links: list
    groups: list
    report: LinkReport

    def write(self, store) -> None:
        self.vectors.flush()
        if self.members:
            store.save_stories(self.stories, self.members)
        store.replace_claim_links(self.links)
        store.replace_claim_groups(self.groups)


def _plan(store, embedder: Embedder, pairs, settings: Settings, model: RelationModel) -> _Plan:
    vectors = PendingVectors(store)
    cache = VectorCache(vectors, embedder)
    report = LinkReport()
    placed_before = store.story_of_articles()
    placed = dict(placed_before)
    touched, members, report.stories = _place_in_stories(store, cache, pairs, placed, story_params(settings))
    report.new_articles = sum(1 for a, _ in pairs if a.id not in placed_before)
    links, groups = _link_and_group(store, cache, pairs, placed, settings, report, model)
    return _Plan(placed_before, vectors, touched, members, links, groups, report)


class PendingVectors:
    """The store's vector cache as the plan sees it: vectors made now are kept here and written
    with the rest (those another run stored meanwhile are not written twice)."""

    def __init__(self, store) -> None:
        self.store = store
        self.pending: dict[tuple[str, str], dict[str, np.ndarray]] = {}

    def load_vectors(self, model: str, kind: str, keys: list[str]) -> dict[str, np.ndarray]:
        found = self.store.load_vectors(model, kind, keys)
        waiting = self.pending.get((model, kind), {})
        found.update((k, waiting[k]) for k in keys if k in waiting and k not in found)
        return found

    def save_vectors(self, model: str, kind: str, vectors: dict[str, np.ndarray]) -> None:
        self.pending.setdefault((model, kind), {}).update(vectors)

    def flush(self) -> None:
        for (model, kind), vectors in self.pending.items():
            stored = self.store.load_vectors(model, kind, list(vectors))
            self.store.save_vectors(model, kind, {k: v for k, v in vectors.items() if k not in stored})
        self.pending = {}


def _place_in_stories(
    store, cache: VectorCache, pairs: list[tuple[Article, Annotations]], placed: dict[str, str],
    params: StoryParams,
) -> tuple[list, list[tuple[str, str, float]], int]:
    """Places the articles without a story (``placed`` is updated); returns the stories touched,
    the new memberships and the number of stories."""
    new = [(a, ann) for a, ann in pairs if a.id not in placed]
    stories = store.load_stories()
    if not new:
        return [], [], len(stories)
    vectors = cache.article_vectors(new)
    items = [
        Item(a.id, v, story_names(a, ann), a.published) for (a, ann), v in zip(new, vectors, strict=True)
    ]
    members = assign(items, stories, params)
    touched = {sid for _, sid, _ in members}
    by_id = {a.id: (a, ann) for a, ann in pairs}
    placed.update({aid: sid for aid, sid, _ in members})
    for story in stories:
        if story.id in touched:
            story.label = _label(story.id, story.centroid, placed, by_id, cache)
    return [s for s in stories if s.id in touched], members, len(stories)


def story_names(article: Article, ann: Annotations) -> frozenset[str]:
    return frozenset(
        key
        for m in ann.mentions
        if m.label in STORY_LABELS
        if (key := phonetic_key(clean_name(m.normal or article.text[m.start : m.end])))
    )


def _label(story_id: str, centroid: np.ndarray, placed: dict[str, str], by_id, cache: VectorCache) -> str:
    """The title of the article closest to the story's centre."""
    members = [by_id[aid] for aid, sid in placed.items() if sid == story_id and aid in by_id]
    vectors = cache.article_vectors(members)
    best = members[int(np.argmax(vectors @ unit(centroid)))][0]
    return best.title or best.text[:80]


def _link_and_group(store, cache: VectorCache, pairs, placed: dict[str, str], settings: Settings,
                    report: LinkReport, model: RelationModel) -> tuple[list, list]:
    entities = list(store.iter_entities())
    names = {e.id: e.name for e, _ in entities}
    span_names: dict[str, list[tuple[int, int, str]]] = {}
    for entity, mentions in entities:
        for m in mentions:
            span_names.setdefault(m.article_id, []).append((m.start, m.end, entity.name))
    items = claim_items(pairs, settings.enrich.min_checkworthiness, names, placed)
    vectors = cache.vectors(
        "span",
        [
            (span_key(i.article.id, i.view.offset, i.view.offset + len(i.view.text)), i.view.text)
            for i in items
        ],
    )
    links = link_claims(items, vectors, relate_params(settings), k=settings.link.neighbours, model=model,
                        model_neighbours=settings.link.model_neighbours, screen=settings.link.screen)
    originals = {a.id: a for a, _ in pairs}
    annotations = {a.id: ann for a, ann in pairs}
    by_claim = {i.claim.id: (i.claim, i.article, annotations[i.article.id]) for i in items}
    groups = build_groups(links, by_claim, originals, span_names, settings.report.confident_contradiction)
    report.claims, report.links, report.groups = len(items), len(links), len(groups)
    report.contradictions = sum(1 for link in links if link.relation == "contradicts")
    return links, groups
