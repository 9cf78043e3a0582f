"""An in-memory store for tests and short scripts: plain dicts, no database.

:class:`MemoryStore` serves the analysis stages (the protocols of :mod:`.protocols`: enrich, link,
narratives) and adding articles; it is what a test hands a stage when the database is not under
test. Layers are kept as the rows :class:`~narrascope.store.sql.SQLStore` would write and read
back through the same functions, so a stage sees exactly what it would see from SQL.
``transaction()`` groups nothing and rolls nothing back. Ingest (duplicate detection, metadata
merges), the report and the dashboard need :class:`~narrascope.store.sql.SQLStore`.
"""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import numpy as np

from ..model import (
    Annotations,
    Article,
    ClaimGroup,
    ClaimLink,
    Entity,
    Mention,
    Stance,
    TechniqueSpan,
    Thesis,
)
from .enrichment import _assemble, _mention, _rows


class MemoryStore:
    def __init__(self) -> None:
        self._articles: dict[str, Article] = {}  # in the order added
        self._done: dict[tuple[str, str], str] = {}  # (stage, article) -> version
        self._layers: dict[str, dict[str, list[dict]]] = defaultdict(dict)  # layer -> article -> rows
        self._entities: list[Entity] = []
        self._name_keys: set[tuple[str, str, str, int]] = set()  # (kind, value, article, start)
        self._vectors: dict[tuple[str, str, str], np.ndarray] = {}
        self._stories: dict[str, object] = {}
        self._story_of: dict[str, tuple[str, float]] = {}
        self._links: list[ClaimLink] = []
        self._groups: list[ClaimGroup] = []
        self._theses: list[Thesis] = []
        self._stances: dict[tuple[str, str], tuple[Stance, str]] = {}
        self._techniques: dict[str, list[TechniqueSpan]] = {}
        self._outlet_views: dict[str, list[dict]] = {}

    @contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    def close(self) -> None:
        pass

    # -- articles ----------------------------------------------------------------------------

    def add_article(self, article: Article, **_) -> bool:
        if article.id in self._articles:
            return False
        self._articles[article.id] = copy.deepcopy(article)
        return True

    def add_articles(self, batch: list[Article]) -> int:
        return sum(self.add_article(a) for a in batch)

    def get_article(self, article_id: str) -> Article | None:
        found = self._articles.get(article_id)
        return copy.deepcopy(found) if found else None

    def get_articles(self, ids: list[str]) -> list[Article]:
        return [copy.deepcopy(self._articles[i]) for i in ids if i in self._articles]

    def iter_articles(self) -> Iterator[Article]:
        for article in list(self._articles.values()):
            yield copy.deepcopy(article)

    def count_articles(self) -> int:
        return len(self._articles)

    # -- stage marks and layers ------------------------------------------------------------------

    def articles_needing(self, stage: str, version: str) -> list[str]:
        return [i for i in self._articles if self._done.get((stage, i)) != version]

    def mark_done(self, stage: str, article_id: str, version: str) -> None:
        self._done[(stage, article_id)] = version

    def save_annotations_batch(self, batch: list[Annotations], *, stage: str = "enrich",
                               version: str | None = None) -> None:
        for ann in batch:
            for table, rows in _rows(ann, stage).items():
                kept = [r for r in self._layers[table.name].get(ann.article_id, [])
                        if table.name == "notes" and r["stage"] != stage]
                self._layers[table.name][ann.article_id] = kept + [dict(r) for r in rows]
            if version is not None:
                self.mark_done(stage, ann.article_id, version)

    def annotations(self, article_id: str) -> Annotations:
        return next(self.iter_annotations([article_id]))

    def iter_annotations(self, article_ids: list[str] | None = None) -> Iterator[Annotations]:
        layers = {name: {aid: [dict(r) for r in rows] for aid, rows in by_article.items()}
                  for name, by_article in self._layers.items()}
        for name in ("sentences", "mentions", "quantities", "times", "attributions", "citations", "hedges",
                     "claims", "notes"):
            layers.setdefault(name, {})
        for aid in list(self._articles) if article_ids is None else article_ids:
            yield _assemble(aid, layers)

    # -- entities ----------------------------------------------------------------------------

    def mention_rows(self, article_ids: list[str] | None = None) -> Iterator[tuple[dict, str]]:
        for aid in list(self._articles) if article_ids is None else article_ids:
            for row in sorted(self._layers["mentions"].get(aid, []), key=lambda r: r["start"]):
                yield dict(row), self._articles[aid].text

    def replace_entities(self, found: list[Entity], assignments: list[tuple[str, int, int, str]]) -> None:
        self._entities = []
        self.save_entities(found, assignments)

    def save_entities(self, found: list[Entity], assignments: list[tuple[str, int, int, str]]) -> None:
        self._entities += copy.deepcopy(found)
        where = {(aid, start, end): eid for aid, start, end, eid in assignments}
        for aid, rows in self._layers["mentions"].items():
            for row in rows:
                if (aid, row["start"], row["end"]) in where:
                    row["entity_id"] = where[(aid, row["start"], row["end"])]

    # -- what incremental canonicalisation looks up (store/entity_keys.py) ------------------------

    def replace_name_keys(self, article_ids: list[str], rows: list[tuple[str, str, str, int]]) -> None:
        gone = set(article_ids)
        self._name_keys = {r for r in self._name_keys if r[2] not in gone} | set(rows)

    def spots_with_keys(self, kind: str, values) -> set[tuple[str, int]]:
        values = set(values)
        return {(a, st) for k, v, a, st in self._name_keys if k == kind and v in values}

    def key_values_from(self, kind: str, prefix: str) -> list[str]:
        return sorted({v for k, v, _, _ in self._name_keys if k == kind and v.startswith(prefix)})

    def _mention_spots(self) -> Iterator[tuple[str, dict]]:
        for aid, rows in self._layers["mentions"].items():
            for row in rows:
                yield aid, row

    def spots_of_entities(self, entity_ids) -> set[tuple[str, int]]:
        wanted = set(entity_ids)
        return {(aid, r["start"]) for aid, r in self._mention_spots() if r["entity_id"] in wanted}

    def mention_rows_at(self, spots: set[tuple[str, int]]) -> Iterator[tuple[dict, str]]:
        for aid, row in sorted(self._mention_spots(), key=lambda x: (x[0], x[1]["start"])):
            if (aid, row["start"]) in spots:
                yield dict(row), self._articles[aid].text

    def entity_ids_at(self, spots: set[tuple[str, int]]) -> set[str]:
        return {r["entity_id"] for r, _ in self.mention_rows_at(spots) if r["entity_id"]}

    def story_bags(self, article_ids) -> dict[str, Counter[str]]:
        wanted, bags = set(article_ids), defaultdict(Counter)
        for k, v, a, _ in self._name_keys:
            if k == "s" and a in wanted:
                bags[a][v] += 1
        return bags

    def story_key_counts(self, values) -> dict[str, int]:
        wanted, found = set(values), defaultdict(set)
        for k, v, a, _ in self._name_keys:
            if k == "s" and v in wanted:
                found[v].add(a)
        return {v: len(a) for v, a in found.items()}

    def story_postings(self, values) -> dict[str, list[str]]:
        return {v: self.story_articles(v) for v in set(values) if self.story_articles(v)}

    def story_articles(self, value: str) -> list[str]:
        return sorted({a for k, v, a, _ in self._name_keys if k == "s" and v == value})

    def count_story_articles(self) -> int:
        return len({a for k, _, a, _ in self._name_keys if k == "s"})

    def existing_entities(self, entity_ids) -> set[str]:
        return set(entity_ids) & {e.id for e in self._entities}

    def drop_entities(self, entity_ids) -> None:
        gone = set(entity_ids)
        self._entities = [e for e in self._entities if e.id not in gone]

    def drop_unused_entities(self) -> int:
        used = {r["entity_id"] for _, r in self._mention_spots()}
        before = len(self._entities)
        self._entities = [e for e in self._entities if e.id in used]
        return before - len(self._entities)

    def iter_entities(self) -> Iterator[tuple[Entity, list[Mention]]]:
        by_entity: dict[str, list[Mention]] = defaultdict(list)
        for aid in sorted(self._layers["mentions"]):
            for row in sorted(self._layers["mentions"][aid], key=lambda r: r["start"]):
                if row["entity_id"] is not None:
                    by_entity[row["entity_id"]].append(_mention(row))
        for entity in sorted(self._entities, key=lambda e: (e.type, e.name)):
            yield copy.deepcopy(entity), by_entity[entity.id]

    # -- vectors, stories, links ---------------------------------------------------------------------

    def load_vectors(self, model: str, kind: str, keys: list[str]) -> dict[str, np.ndarray]:
        return {k: self._vectors[(model, kind, k)] for k in keys if (model, kind, k) in self._vectors}

    def iter_vectors(self, model: str, kind: str, batch: int = 20_000):
        found = [(k, v) for (m, c, k), v in self._vectors.items() if (m, c) == (model, kind)]
        for i in range(0, len(found), batch):
            chunk = found[i : i + batch]
            yield [k for k, _ in chunk], np.stack([v for _, v in chunk]).astype(np.float32)

    def save_vectors(self, model: str, kind: str, found: dict[str, np.ndarray]) -> None:
        for key, vector in found.items():
            self._vectors[(model, kind, key)] = np.asarray(vector, dtype=np.float32).copy()

    def replace_vectors(self, model: str, kind: str, found: dict[str, np.ndarray]) -> None:
        self.save_vectors(model, kind, found)

    def load_stories(self) -> list:
        return [copy.deepcopy(self._stories[k]) for k in sorted(self._stories)]

    def save_stories(self, found: list, members: list[tuple[str, str, float]]) -> None:
        for story in found:
            kept = copy.deepcopy(story)
            kept.centroid = np.asarray(kept.centroid, dtype=np.float32).copy()
            self._stories[story.id] = kept
        for aid, sid, similarity in members:
            self._story_of[aid] = (sid, similarity)

    def story_of_articles(self) -> dict[str, str]:
        return {aid: sid for aid, (sid, _) in self._story_of.items()}

    def replace_claim_links(self, links: list[ClaimLink]) -> None:
        self._links = sorted(links, key=lambda k: (k.a, k.b))

    def claim_links(self) -> list[ClaimLink]:
        return list(self._links)

    def add_claim_links(self, links: list[ClaimLink]) -> None:
        new = {(k.a, k.b) for k in links}
        self.replace_claim_links([k for k in self._links if (k.a, k.b) not in new] + list(links))

    def claim_links_of(self, claim_ids: list[str]) -> list[ClaimLink]:
        wanted = set(claim_ids)
        return [k for k in self._links if k.a in wanted or k.b in wanted]

    def dangling_claim_refs(self) -> tuple[list[ClaimLink], list[str]]:
        known = {r["id"] for rows in self._layers["claims"].values() for r in rows}
        links = [k for k in self._links if k.a not in known or k.b not in known]
        return links, sorted({c for g in self._groups for c in g.claims} - known)

    def remove_claim_links(self, pairs: list[tuple[str, str]]) -> None:
        drop = set(pairs)
        self._links = [k for k in self._links if (k.a, k.b) not in drop]

    def group_members_of(self, claim_ids: list[str]) -> list[str]:
        wanted = set(claim_ids)
        return sorted({c for g in self._groups if wanted.intersection(g.claims) for c in g.claims})

    def link_counts(self) -> tuple[int, int, int]:
        return len(self._links), sum(1 for k in self._links if k.relation == "contradicts"), len(self._groups)

    def replace_claim_groups(self, groups: list[ClaimGroup], of_claims: list[str] | None = None) -> None:
        if of_claims is None:
            self._groups = [copy.deepcopy(g) for g in groups]
            return
        drop = set(of_claims)
        new = {g.id for g in groups}
        kept = [g for g in self._groups if g.id not in new and not drop.intersection(g.claims)]
        self._groups = kept + [copy.deepcopy(g) for g in groups]

    def article_ids(self) -> list[str]:
        return list(self._articles)

    def stage_versions(self, stage: str) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for (s, aid), version in self._done.items():
            if s == stage and aid in self._articles:
                out[version] += 1
        return dict(out)

    def mark_done_many(self, stage: str, article_ids: list[str], version: str) -> None:
        for aid in article_ids:
            self.mark_done(stage, aid, version)

    def claim_spans(self, threshold: float) -> Iterator[list[tuple]]:
        for aid in list(self._articles):
            rows = sorted(self._layers["claims"].get(aid, []), key=lambda r: (r["start"], r["end"], r["id"]))
            found = [(r["id"], aid, r["start"], r["end"], r["attribution_start"], r["attribution_end"])
                     for r in rows if r["checkworthiness"] >= threshold]
            if found:
                yield found

    def entity_spans(self, article_ids: list[str]) -> dict[str, list[tuple[int, int, str, str]]]:
        names = {e.id: e.name for e in self._entities}
        out: dict[str, list[tuple[int, int, str, str]]] = {}
        for aid in article_ids:
            for row in sorted(self._layers["mentions"].get(aid, []), key=lambda r: r["start"]):
                if row["entity_id"] in names:
                    out.setdefault(aid, []).append((row["start"], row["end"], row["entity_id"], names[row["entity_id"]]))
        return out

    def claim_groups(self) -> list[ClaimGroup]:
        out = [dataclasses.replace(g, claims=sorted(g.claims)) for g in self._groups]
        return sorted(out, key=lambda g: (g.first_seen is not None, g.first_seen or datetime.min, g.id))

    # -- narratives ----------------------------------------------------------------------------

    def add_theses(self, found: list[Thesis]) -> list[Thesis]:
        known = {t.id for t in self._theses}
        new = [t for t in dict((t.id, t) for t in found).values() if t.id not in known]
        self._theses.extend(new)
        return new

    def list_theses(self) -> list[Thesis]:
        return list(self._theses)

    def stance_pairs_done(self, version: str) -> set[tuple[str, str]]:
        return {pair for pair, (_, v) in self._stances.items() if v == version}

    def save_stances(self, found: list[Stance], version: str) -> None:
        for s in found:
            self._stances[(s.thesis_id, s.article_id)] = (copy.deepcopy(s), version)

    def list_stances(self, thesis_id: str | None = None) -> list[Stance]:
        return [copy.deepcopy(s) for (t, _), (s, _) in sorted(self._stances.items())
                if thesis_id is None or t == thesis_id]

    def replace_techniques(self, article_ids: list[str], found: list[TechniqueSpan]) -> None:
        for aid in article_ids:
            self._techniques[aid] = []
        for t in found:
            self._techniques.setdefault(t.article_id, []).append(t)

    def list_techniques(self, article_id: str | None = None) -> list[TechniqueSpan]:
        spans = [t for aid in sorted(self._techniques) if article_id in (None, aid) for t in self._techniques[aid]]
        return sorted(spans, key=lambda t: (t.article_id, t.start))

    def replace_outlet_views(self, stance_records: list[dict], profile_records: list[dict]) -> None:
        self._outlet_views = {"stance": copy.deepcopy(stance_records), "profile": copy.deepcopy(profile_records)}

    def outlet_view_records(self, kind: str) -> list[dict]:
        return copy.deepcopy(self._outlet_views.get(kind, []))

    # -- the outlet views' tallies (what store/outlet_tallies.py counts in SQL) -----------------------

    def outlet_article_counts(self) -> list[tuple[str | None, str | None, int, int]]:
        counts: Counter[tuple] = Counter()
        copies: Counter[tuple] = Counter()
        for a in self._articles.values():
            counts[(a.outlet, a.language)] += 1
            copies[(a.outlet, a.language)] += bool(a.duplicate_of)
        return [(*key, n, copies[key]) for key, n in counts.items()]

    def outlet_published_range(self) -> list[tuple[str | None, object, object]]:
        from ..link.stories import as_utc

        dated: dict[str | None, list] = defaultdict(list)
        for a in self._articles.values():
            if a.published:
                dated[a.outlet].append(a.published)
        return [(o, min(ds, key=as_utc), max(ds, key=as_utc)) for o, ds in dated.items()]

    def outlet_counts(self, what: str) -> list[tuple[str | None, str, int]]:
        outlet = {aid: a.outlet for aid, a in self._articles.items()}
        counts: Counter[tuple] = Counter()
        if what == "citations":
            for aid, rows in self._layers["citations"].items():
                counts.update((outlet[aid], r["source"]) for r in rows if aid in outlet)
        elif what == "techniques":
            counts.update((outlet[t.article_id], t.technique) for ts in self._techniques.values() for t in ts
                          if t.article_id in outlet)
        elif what == "claim_statuses":
            of_claim = {r["id"]: outlet[aid] for aid, rows in self._layers["claims"].items() for r in rows
                        if aid in outlet}
            for g in self._groups:
                counts.update((o, g.status) for o in {of_claim[c] for c in g.claims if c in of_claim})
        else:
            raise ValueError(f"no outlet tally of {what!r}")
        return [(*key, n) for key, n in counts.items()]

    def outlet_stance_rows(self) -> Iterator[tuple[str, str, str, str, object]]:
        rows = [(a.outlet, t, aid, s.label, a.published) for (t, aid), (s, _) in self._stances.items()
                if (a := self._articles.get(aid)) is not None and a.outlet]
        yield from sorted(rows, key=lambda r: r[:3])
