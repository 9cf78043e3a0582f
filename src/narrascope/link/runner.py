"""The link stage: stories for new articles, then claim links, claim groups and provenance.

Stories are incremental: only articles without a story are placed, existing stories keep their
ids. Claim links are incremental too (:mod:`.claimlinks`): an ``analyze`` after new articles links
only the new check-worthy claims, against each other and every stored claim, keeps the stored
links of old pairs and rebuilds only the claim groups the new links touch. Everything is worked
out from scratch instead when nothing was linked yet, when the settings or the enrichment that
links depend on changed since (the stage's version), or when asked (``redo``: `analyze --redo`).
The stage reads the store in batches; vectors are cached, so a rerun embeds only what is new.

Everything is worked out first from what the store holds, without holding its write lock (the
relation model takes most of the stage's time), then written in one transaction: a concurrent
``ingest`` waits only for the writing. When another ``analyze`` placed or linked articles
meanwhile (not when an ``ingest`` added some: they wait for the next run), the plan is made again inside the transaction, from what that run wrote.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass

import numpy as np

from ..config import Settings
from ..embeddings import Embedder, get_embedder
from ..enrich.canonical import clean_name, phonetic_key
from ..model import Annotations, Article
from ..models.registry import load_relation_model
from ..store.protocols import LinkStore
from .claimlinks import LinkPlan, plan_links
from .pairmodel import RelationModel
from .relate import RelateParams
from .stories import Item, StoryParams, assign
from .vectors import VectorCache, unit

STAGE = "link"
# Entity types that name what a story is about.
STORY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})
# Articles read per query when placing them in stories.
ARTICLE_BATCH = 500


@dataclass(slots=True)
class LinkReport:
    new_articles: int = 0
    stories: int = 0
    claims: int = 0
    links: int = 0
    contradictions: int = 0
    groups: int = 0
    incremental: bool = False
    new_claims: int = 0
    new_links: int = 0
    groups_rebuilt: int = 0

    def summary(self) -> str:
        line = (
            f"linked: {self.new_articles} article(s) placed in {self.stories} stories; {self.claims} claims, "
            f"{self.links} links ({self.contradictions} contradictions), {self.groups} claim groups"
        )
        if self.incremental:
            line += (f" (incremental: {self.new_claims} new claim(s), {self.new_links} new link(s), "
                     f"{self.groups_rebuilt} group(s) rebuilt)")
        return line


def story_params(settings: Settings) -> StoryParams:
    return StoryParams(**settings.link.stories.to_dict())


def relate_params(settings: Settings) -> RelateParams:
    return RelateParams(**settings.link.relate.to_dict())


def link_version(settings: Settings, embedder: Embedder, model: RelationModel | None = None) -> str:
    """What the stored links depend on: the enrichment's version, the settings that decide links,
    the relation model (its name and the digest of its files) and the rules that read it. When it
    changes, the next run links everything again."""
    from ..enrich.runner import VERSION as ENRICH_VERSION
    from .relate import RULES

    reader = "" if model is None else f"{model.name}:{getattr(model, 'version', '')}"
    decides = {"enrich": ENRICH_VERSION, "embedder": embedder.name, "model": reader, "rules": RULES,
               "min_checkworthiness": settings.enrich.min_checkworthiness,
               "link": {k: v for k, v in settings.link.to_dict().items() if k != "stories"},
               "confident": settings.report.confident_contradiction}
    return hashlib.sha1(json.dumps(decides, sort_keys=True, default=str).encode()).hexdigest()[:16]


def link_all(store: LinkStore, settings: Settings, *, embedder: Embedder | None = None,
             model: RelationModel | None = None, redo: bool = False, stories: bool = True,
             timings: dict[str, float] | None = None) -> LinkReport:
    """Stories, claim links, groups. ``model`` defaults to the one ``link.relation_model`` names;
    ``redo`` links every claim from scratch; ``stories=False`` leaves stories as they are (the
    claim part alone, as `narrascope bench scale` times it); ``timings``, when given, receives the
    seconds of each step (read, search, load, model, relations, groups, write)."""
    embedder = embedder or get_embedder(settings.link.embedder)
    model = model or load_relation_model(settings.link.relation_model)
    version = link_version(settings, embedder, model)
    plan = _plan(store, embedder, settings, model, version, redo, stories, timings)
    with store.transaction():
        if (store.story_of_articles(), store.stage_versions(STAGE)) != (plan.placed_before, plan.marks):
            plan = _plan(store, embedder, settings, model, version, redo, stories, timings)  # another run linked meanwhile
        started = time.perf_counter()
        plan.write(store, version)
        if timings is not None:
            timings["write"] = timings.get("write", 0.0) + time.perf_counter() - started
        plan.report.links, plan.report.contradictions, plan.report.groups = store.link_counts()
    return plan.report


@dataclass(slots=True)
class _Plan:
    """What the stage will write, worked out without writing."""

    placed_before: dict[str, str]
    marks: dict[str, int]
    done: list[str]  # the articles to mark linked: those enriched at the current version
    vectors: PendingVectors
    stories: list
    members: list[tuple[str, str, float]]
    links: LinkPlan
    report: LinkReport

    def write(self, store, version: str) -> None:
        self.vectors.flush()
        if self.members:
            store.save_stories(self.stories, self.members)
        if self.links.regrouped is None:
            store.replace_claim_links(self.links.links)
            store.replace_claim_groups(self.links.groups)
        else:
            store.remove_claim_links(self.links.removed)
            store.add_claim_links(self.links.links)
            store.replace_claim_groups(self.links.groups, of_claims=self.links.regrouped)
        store.mark_done_many(STAGE, self.done, version)


def _plan(store, embedder: Embedder, settings: Settings, model: RelationModel, version: str, redo: bool,
          stories: bool, timings: dict[str, float] | None) -> _Plan:
    from ..enrich.runner import STAGE as ENRICH
    from ..enrich.runner import VERSION as ENRICH_VERSION

    vectors = PendingVectors(store)
    cache = VectorCache(vectors, embedder)
    report = LinkReport()
    placed_before = store.story_of_articles()
    placed = dict(placed_before)
    touched, members, report.stories = (_place_in_stories(store, cache, placed, story_params(settings))
                                        if stories else ([], [], 0))
    report.new_articles = len(members)
    marks = store.stage_versions(STAGE)
    needing = store.articles_needing(STAGE, version)
    from_scratch = redo or not marks.get(version) or bool(set(marks) - {version})
    new = None if from_scratch else set(needing)
    links = plan_links(store, cache, settings, relate_params(settings), model, placed, new, timings)
    unenriched = set(store.articles_needing(ENRICH, ENRICH_VERSION))
    done = [a for a in (store.article_ids() if from_scratch else needing) if a not in unenriched]
    report.incremental = not from_scratch
    report.claims, report.new_claims = links.claims, links.new_claims
    report.new_links, report.groups_rebuilt = len(links.links), len(links.groups)
    return _Plan(placed_before, marks, done, vectors, touched, members, links, report)


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
            keys = list(vectors)
            for i in range(0, len(keys), 5000):
                chunk = keys[i : i + 5000]
                stored = self.store.load_vectors(model, kind, chunk)
                self.store.save_vectors(model, kind, {k: vectors[k] for k in chunk if k not in stored})
        self.pending = {}


def _pairs(store, ids: list[str]):
    """(Article, Annotations) of these articles, a batch at a time."""
    for i in range(0, len(ids), ARTICLE_BATCH):
        articles = store.get_articles(ids[i : i + ARTICLE_BATCH])
        annotations = {a.article_id: a for a in store.iter_annotations([a.id for a in articles])}
        yield [(a, annotations[a.id]) for a in articles]


def _place_in_stories(store, cache: VectorCache, placed: dict[str, str], params: StoryParams,
                      ) -> tuple[list, list[tuple[str, str, float]], int]:
    """Places the articles without a story (``placed`` is updated); returns the stories touched,
    the new memberships and the number of stories."""
    new = [a for a in store.article_ids() if a not in placed]
    stories = store.load_stories()
    if not new:
        return [], [], len(stories)
    items = []
    for batch in _pairs(store, new):
        vectors = cache.article_vectors(batch)
        items += [Item(a.id, v, story_names(a, ann), a.published) for (a, ann), v in zip(batch, vectors, strict=True)]
    members = assign(items, stories, params)
    touched = {sid for _, sid, _ in members}
    placed.update({aid: sid for aid, sid, _ in members})
    in_story: dict[str, list[str]] = {}
    for aid, sid in placed.items():
        if sid in touched:
            in_story.setdefault(sid, []).append(aid)
    for story in stories:
        if story.id in touched:
            story.label = _label(store, story.centroid, in_story[story.id], cache)
    return [s for s in stories if s.id in touched], members, len(stories)


def story_names(article: Article, ann: Annotations) -> frozenset[str]:
    return frozenset(
        key
        for m in ann.mentions
        if m.label in STORY_LABELS
        if (key := phonetic_key(clean_name(m.normal or article.text[m.start : m.end])))
    )


def _label(store, centroid: np.ndarray, member_ids: list[str], cache: VectorCache) -> str:
    """The title of the article closest to the story's centre."""
    best, best_sim = None, -2.0
    order = {aid: n for n, aid in enumerate(member_ids)}
    for batch in _pairs(store, member_ids):
        batch.sort(key=lambda pair: order[pair[0].id])
        sims = cache.article_vectors(batch) @ unit(centroid)
        n = int(np.argmax(sims))
        if sims[n] > best_sim:
            best, best_sim = batch[n][0], float(sims[n])
    return best.title or best.text[:80]
