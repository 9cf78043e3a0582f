"""Claim links and groups over a store larger than memory, from scratch or for new claims only.

From scratch, every check-worthy claim is a *query*; incrementally, only the claims of articles
not linked yet are. Either way each query's ``k`` nearest claims in the index of *all* claims
(:class:`~.claimindex.ClaimIndex`) become candidate pairs, judged a batch of queries at a time
(the claims a batch needs are read for it; those of the articles read most recently are kept, and
queries go in inverted-file bucket order so that a batch's neighbours are mostly the last batch's).
A pair is judged once: from the query that comes first when each has the other among its neighbours.

Incrementally, a pair of two old claims is never judged again: its stored link stands. A new claim
``n`` can also enter an old claim's ``k`` nearest without the old claim being among ``n``'s; such
a pair is a candidate from scratch, so it is looked for too: among ``n``'s ``REVERSE_REACH * k``
nearest, every old claim is searched and the pair kept when ``n`` is among its ``k`` nearest. What
can still differ from a from-scratch run on the same store, and why:

- a pair of old claims whose link was found before and whose claims new claims have since pushed
  out of each other's ``k`` nearest keeps its link (from scratch it would not be a candidate): a
  link found is not lost because the corpus grew;
- the relation model reads at most ``model_neighbours`` pairs per claim per run, closest first
  within a batch: an old claim can have more pairs read over several runs than in one;
- an old claim whose ``k`` nearest a new claim enters without being within the new claim's
  ``REVERSE_REACH * k`` nearest is not paired with it;
- untouched links and groups keep the entity names and provenance of the run that made them, even
  if canonicalisation has since renamed an entity;
- above :data:`~.neighbors.EXACT_MAX` claims, the inverted file's buckets are the ones the vector
  folder keeps (:mod:`.vectorfile`), trained when the corpus was smaller (again only once the bucket
  count suited to it has doubled or halved: about four times the claims or a quarter), so a few candidates can differ from those of buckets trained on the corpus
  as it is now.

Groups (:func:`~.groups.stars`) depend only on the agreement links within a connected part of the
agreement graph, so only the parts holding a new claim or a new link are rebuilt; they come out as
a from-scratch run makes them.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ..config import Settings
from ..model import ClaimGroup, ClaimLink
from .claimindex import ClaimIndex, get_articles
from .claims import ClaimItem, claim_items, judge_pairs, oriented
from .groups import build_groups
from .pairmodel import RelationModel
from .relate import AGREEMENT, RelateParams
from .vectors import VectorCache

# Query claims judged per batch (the claims and articles a batch needs are read for it).
QUERY_BATCH = 2000
# How far down a new claim's neighbours an old claim is checked for having it among its own k.
REVERSE_REACH = 3
# Claims whose groups are built per batch (whole connected parts, so a batch can be larger).
GROUP_BATCH = 5000
# Articles whose claims are kept between batches (a few KB each: their text and layers).
ITEM_CACHE = 20_000


@dataclass(slots=True)
class LinkPlan:
    links: list[ClaimLink]  # from scratch: all; incrementally: the new ones
    groups: list[ClaimGroup]
    regrouped: list[str] | None  # claims whose groups ``groups`` replace; None: every group
    claims: int = 0
    new_claims: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    removed: list[tuple[str, str]] = field(default_factory=list)  # stored links to drop (an end is gone)


def plan_links(store, cache: VectorCache, settings: Settings, params: RelateParams, model: RelationModel | None,
               placed: dict[str, str], new_articles: set[str] | None = None,
               timings: dict[str, float] | None = None) -> LinkPlan:
    """Links and groups for the claims of ``new_articles`` (None: every claim, from scratch)."""
    timings = timings if timings is not None else {}
    threshold, k = settings.enrich.min_checkworthiness, settings.link.neighbours
    index = ClaimIndex.scan(store, threshold, timings)
    gone_links: list[ClaimLink] = []
    gone: set[str] = set()
    if new_articles is None:
        queries = np.arange(len(index), dtype=np.int64)
    else:
        # claims an article's new enrichment replaced: their links go, their groups are made again
        gone_links, gone_members = store.dangling_claim_refs()
        valid = set(index.claim_ids)
        gone = {c for x in gone_links for c in (x.a, x.b) if c not in valid} | set(gone_members)
        queries = np.asarray([p for p, a in enumerate(index.article_ids) if a in new_articles], dtype=np.int64)
        if not len(queries) and not gone:  # nothing new to link: the vectors are not even read
            return LinkPlan([], [], [], len(index), 0, timings)
    index.fill(store, cache)
    queries = index.by_bucket(queries)  # a batch's neighbours then sit in a few buckets: fewer articles to read
    reach = k if new_articles is None else REVERSE_REACH * k
    found = index.search(queries, reach)
    forward = found[:, :k]
    row_of = {int(p): n for n, p in enumerate(queries)}
    used: Counter[str] = Counter()
    links: list[ClaimLink] = []
    items = ItemCache(store, settings, placed)
    for lo in range(0, len(queries), QUERY_BATCH):
        pairs = _pairs(index, queries, forward, found, row_of, lo, k)
        links += _judge(items, index, pairs, settings, params, model, used, timings)
    links.sort(key=lambda x: (x.a, x.b))
    started = time.perf_counter()
    article_of = dict(zip(index.claim_ids, index.article_ids, strict=True))
    if new_articles is None:
        groups = _groups(store, links, _parts(index.claim_ids, links), article_of, settings)
        regrouped = None
    else:
        adjacency = _Adjacency(store, links, set(article_of))
        seeds = {index.claim_ids[int(p)] for p in queries} | {c for x in links for c in (x.a, x.b)}
        seeds |= set(store.group_members_of(sorted(gone))) - gone
        members = _closure(seeds, adjacency)
        groups = _groups(store, adjacency.all(), _parts(sorted(members), adjacency.all()), article_of, settings)
        regrouped = sorted(members | gone)
    timings["groups"] = timings.get("groups", 0.0) + time.perf_counter() - started
    return LinkPlan(links, groups, regrouped, len(index), len(queries), timings,
                    sorted((x.a, x.b) for x in gone_links))


def _pairs(index: ClaimIndex, queries, forward, found, row_of, lo: int, k: int) -> set[tuple[int, int]]:
    """Candidate pairs (by index position) of the queries ``lo`` onwards, one batch of them."""
    out: set[tuple[int, int]] = set()
    reverse: dict[int, list[int]] = defaultdict(list)  # old claim -> new claims to check against it
    for n in range(lo, min(lo + QUERY_BATCH, len(queries))):
        q = int(queries[n])
        for j in forward[n]:
            j = int(j)
            if j < 0 or index.article_ids[j] == index.article_ids[q]:
                continue
            other = row_of.get(j)
            if other is not None and other < n and q in forward[other]:
                continue  # judged from the other side, which came first
            out.add((q, j))
        for j in found[n, k:]:
            j = int(j)
            if j >= 0 and j not in row_of and index.article_ids[j] != index.article_ids[q]:
                reverse[j].append(q)
    if reverse:
        olds = np.asarray(sorted(reverse), dtype=np.int64)
        for o, near in zip(olds, index.search(olds, k), strict=True):
            out.update((q, int(o)) for q in reverse[int(o)] if q in near)
    return out


def _judge(cache: ItemCache, index: ClaimIndex, pairs: set[tuple[int, int]], settings: Settings,
           params: RelateParams, model, used: Counter[str], timings) -> list[ClaimLink]:
    if not pairs:
        return []
    started = time.perf_counter()
    positions = sorted({p for pair in pairs for p in pair})
    items = cache.items(sorted({index.article_ids[p] for p in positions}))
    timings["load"] = timings.get("load", 0.0) + time.perf_counter() - started
    local = [p for p in positions if index.claim_ids[p] in items]
    at = {p: n for n, p in enumerate(local)}
    batch = [items[index.claim_ids[p]] for p in local]
    vectors = index.vectors(local)
    candidates: dict[tuple[int, int], float] = {}
    for x, y in sorted(pairs):
        if x in at and y in at:
            a, b = oriented(batch, at[x], at[y])
            candidates[(a, b)] = float(np.dot(vectors[a], vectors[b]))
    from ..models.registry import load_opposition

    return judge_pairs(batch, vectors, candidates, params, model, timings,
                       settings.link.model_neighbours, settings.link.screen, used,
                       opposition=load_opposition(settings.link.opposition))


class ItemCache:
    """The claims of the articles read most recently, ready to compare: a batch's neighbours are
    mostly the previous batch's too, so an article is seldom read twice."""

    def __init__(self, store, settings: Settings, placed: dict[str, str], size: int = ITEM_CACHE) -> None:
        self.store, self.settings, self.placed, self.size = store, settings, placed, size
        self.by_article: OrderedDict[str, list[ClaimItem]] = OrderedDict()

    def items(self, article_ids: list[str]) -> dict[str, ClaimItem]:
        missing = [a for a in article_ids if a not in self.by_article]
        fresh: dict[str, list[ClaimItem]] = {a: [] for a in missing}
        for i in range(0, len(missing), 500):
            for item in load_items(self.store, missing[i : i + 500], self.settings, self.placed):
                fresh[item.article.id].append(item)
        out = {}
        for aid in article_ids:
            found = fresh[aid] if aid in fresh else self.by_article[aid]
            self.by_article[aid] = found
            self.by_article.move_to_end(aid)
            out.update((item.claim.id, item) for item in found)
        while len(self.by_article) > max(self.size, len(article_ids)):
            self.by_article.popitem(last=False)
        return out


def load_items(store, article_ids: list[str], settings: Settings, placed: dict[str, str]) -> list[ClaimItem]:
    """The check-worthy claims of these articles, ready to compare, read from the store."""
    articles = get_articles(store, article_ids)
    spans = store.entity_spans(article_ids)
    names = {eid: name for rows in spans.values() for _, _, eid, name in rows}
    annotations = {a.article_id: a for a in store.iter_annotations([a.id for a in articles])}
    pairs = [(a, annotations[a.id]) for a in articles]
    return claim_items(pairs, settings.enrich.min_checkworthiness, names, placed)


class _Adjacency:
    """Links by claim: the stored ones read as needed, the new ones over them."""

    def __init__(self, store, new: list[ClaimLink], known: set[str]) -> None:
        self.store, self.known = store, known  # links with an end not in ``known`` are left out
        self.links: dict[tuple[str, str], ClaimLink] = {}
        self.by_claim: dict[str, list[ClaimLink]] = defaultdict(list)
        self.read: set[str] = set()
        self.new = new

    def load(self, claim_ids: Iterable[str]) -> None:
        todo = sorted(set(claim_ids) - self.read)
        self.read.update(todo)
        for link in self.store.claim_links_of(todo):
            self._add(link, replace=False)
        for link in self.new:
            self._add(link, replace=True)

    def _add(self, link: ClaimLink, replace: bool) -> None:
        if link.a not in self.known or link.b not in self.known:
            return
        key = (link.a, link.b)
        if key in self.links and not replace:
            return
        if key not in self.links:
            self.by_claim[link.a].append(link)
            self.by_claim[link.b].append(link)
        else:
            for c in key:
                self.by_claim[c] = [x if (x.a, x.b) != key else link for x in self.by_claim[c]]
        self.links[key] = link

    def all(self) -> list[ClaimLink]:
        return list(self.links.values())


def _closure(seeds: set[str], adjacency: _Adjacency) -> set[str]:
    """The claims joined to ``seeds`` by agreement links (stored or new), every link of them read."""
    members, frontier = set(seeds), set(seeds)
    while frontier:
        adjacency.load(frontier)
        reached = {c for cid in frontier for x in adjacency.by_claim[cid] if x.relation in AGREEMENT
                   for c in (x.a, x.b)}
        frontier = reached - members
        members |= reached
    adjacency.load(members)
    return members


def _parts(claim_ids: Iterable[str], links: list[ClaimLink]) -> list[list[str]]:
    """Claims in the connected parts of the agreement graph, each part whole."""
    parent: dict[str, str] = {c: c for c in claim_ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x in links:
        if x.relation in AGREEMENT and x.a in parent and x.b in parent:
            ra, rb = find(x.a), find(x.b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    parts: dict[str, list[str]] = defaultdict(list)
    for c in parent:
        parts[find(c)].append(c)
    return list(parts.values())


def _groups(store, links: list[ClaimLink], parts: list[list[str]], article_of: dict[str, str],
            settings: Settings) -> list[ClaimGroup]:
    """Groups of whole connected parts, built a batch of parts at a time."""
    by_claim: dict[str, list[ClaimLink]] = defaultdict(list)
    for x in links:
        by_claim[x.a].append(x)
        by_claim[x.b].append(x)
    out: list[ClaimGroup] = []
    batch: list[str] = []
    for n, part in enumerate(parts):
        batch += part
        if len(batch) >= GROUP_BATCH or n == len(parts) - 1:
            out += _group_batch(store, batch, by_claim, article_of, settings)
            batch = []
    return out


def _group_batch(store, claim_ids: list[str], by_claim, article_of: dict[str, str],
                 settings: Settings) -> list[ClaimGroup]:
    wanted = set(claim_ids)
    ids = sorted({article_of[c] for c in claim_ids})
    articles = {a.id: a for a in get_articles(store, ids)}
    annotations = {a.article_id: a for a in store.iter_annotations(list(articles))}
    claims = {c.id: (c, articles[aid], annotations[aid]) for aid in articles
              for c in annotations[aid].claims if c.id in wanted}
    copies = sorted({a.duplicate_of for a in articles.values() if a.duplicate_of} - set(articles))
    originals = {**articles, **{a.id: a for a in get_articles(store, copies)}}
    spans = store.entity_spans(ids)
    names = {aid: [(s, e, name) for s, e, _, name in rows] for aid, rows in spans.items()}
    links = list({(x.a, x.b): x for c in claim_ids for x in by_claim.get(c, ())}.values())
    return build_groups(links, claims, originals, names, settings.report.confident_contradiction)
