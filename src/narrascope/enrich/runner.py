"""The enrich stage: every article not yet enriched goes through the component pipeline.

Articles are processed in chunks on the engine's workers (each worker loads spaCy, natasha and
the embedder once); each chunk's layers are written in one transaction. Entity canonicalisation
then runs over the new and changed articles' mentions and the stored ones they may join, a batch
at a time (``canonical_batches``), or over every mention of the corpus on a run from scratch
(``redo``, a store canonicalised by an older version).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..config import Settings
from ..engine import Engine, default_engine
from ..model import Annotations, Article
from ..pipeline import Pipeline
from ..store.protocols import EnrichStore
from . import attribution, citations, claims, hedges, measures, nlp, scoring, techniques  # noqa: F401  (register components)
from .canonical import canonicalize_corpus, read_names
from .canonical_batches import STAGE as ENTITIES
from .canonical_batches import VERSION as ENTITIES_VERSION
from .canonical_batches import canonicalize_batch, key_rows, mention_refs
from .doc import Doc

STAGE = "enrich"
# Bumped when a component changes what it finds, so `analyze` redoes old articles.
# 2: English claims scored by the spaCy-parse check-worthiness model.
# 3: the USE model scores every claim again by default (the parse model is the fast option).
# 4: a speaker named by a title ("the attorney general") is the person named earlier with that title;
#    "describe" is a speech verb.
VERSION = "4"
DEFAULT_COMPONENTS = (
    "nlp",
    "quantities",
    "times",
    "hedges",
    "attribution",
    "citations",
    "claims",
    "checkworthiness",
    "techniques",
)
GIVEN = ("text", "language", "published")

Progress = Callable[[int, int], None]


@dataclass(slots=True)
class EnrichReport:
    articles: int = 0
    claims: int = 0
    entities: int = 0
    techniques: int | None = None  # None: the "techniques" component did not run
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        found = "" if self.techniques is None else f", {self.techniques} technique span(s)"
        return (
            f"enriched {self.articles} article(s): {self.claims} candidate claim(s), {self.entities} entities"
            + found
        )


def build_pipeline(names: tuple[str, ...] | list[str] = DEFAULT_COMPONENTS) -> Pipeline:
    return Pipeline(list(names), given=GIVEN)


_PIPELINE: Pipeline | None = None


def _enrich_chunk(args: tuple[tuple[str, ...], list[Article]]) -> list[tuple[Annotations, list | None, dict]]:
    """Worker side: run the pipeline over a chunk, return plain layers only, the technique spans
    (None where the "techniques" component is not in the pipeline) and the vectors of the spans
    components embedded."""
    global _PIPELINE
    names, chunk = args
    if _PIPELINE is None or tuple(_PIPELINE.names) != names:
        _PIPELINE = build_pipeline(names)
    docs = [Doc.of(a) for a in chunk]
    _PIPELINE(docs)
    return [(d.annotations(), d.techniques, d.vectors or {}) for d in docs]


def enrich_articles(
    store: EnrichStore,
    settings: Settings,
    *,
    engine: Engine | None = None,
    progress: Progress | None = None,
    redo: bool = False,
) -> EnrichReport:
    cfg = settings.enrich
    names = tuple(cfg.components)
    build_pipeline(names)  # refuse a wrong order before any work starts
    ids = [a.id for a in store.iter_articles()] if redo else store.articles_needing(STAGE, VERSION)
    report = EnrichReport()
    chunks = [ids[i : i + cfg.chunk_size] for i in range(0, len(ids), cfg.chunk_size)]
    engine = engine or default_engine(cfg.workers, len(ids), cfg.parallel_min_articles)
    tasks = ((names, store.get_articles(chunk)) for chunk in chunks)
    done = 0
    for done_chunk in engine.map(_enrich_chunk, tasks):
        batch = [ann for ann, _, _ in done_chunk]
        with store.transaction():
            store.save_annotations_batch(batch, stage=STAGE, version=VERSION)
            _save_techniques(store, [(ann.article_id, spans) for ann, spans, _ in done_chunk if spans is not None])
            _save_vectors(store, [(ann.article_id, vectors) for ann, _, vectors in done_chunk])
        done += len(batch)
        report.articles += len(batch)
        report.claims += sum(len(a.claims) for a in batch)
        spans = [len(found) for _, found, _ in done_chunk if found is not None]
        if spans:
            report.techniques = (report.techniques or 0) + sum(spans)
        report.notes.extend(f"{a.article_id}: {n}" for a in batch for n in a.notes)
        if progress:
            progress(done, len(ids))
    report.entities = canonicalize_store(store, ids, redo=redo, batch=cfg.canonical_batch)
    return report


def _save_techniques(store: EnrichStore, found: list[tuple[str, list]]) -> None:
    """Technique spans found in the enrich pass, stored as the narratives stage stores its own."""
    from ..narratives.techniques import STAGE as TECHNIQUES
    from ..narratives.techniques import VERSION as TECHNIQUES_VERSION

    if not found:
        return
    store.replace_techniques([aid for aid, _ in found], [t for _, spans in found for t in spans])
    for aid, _ in found:
        store.mark_done(TECHNIQUES, aid, TECHNIQUES_VERSION)


def _save_vectors(store: EnrichStore, found: list[tuple[str, dict]]) -> None:
    """Vectors the components made (sentences, claims), kept under the keys the link stage and the
    stance reader look them up by, so that no span is embedded twice. They replace what a key held:
    an article is enriched again when its text changed, and a key is a place in that text."""
    from ..embeddings import USEEmbedder
    from ..link.vectors import span_key

    vectors = {span_key(aid, s, e): v for aid, spans in found for (s, e), v in spans.items()}
    if not vectors:
        return
    store.replace_vectors(USEEmbedder.name, "span", vectors)


def canonicalize_store(store: EnrichStore, article_ids: list[str] = (), *, redo: bool = False,
                       batch: int = 1000) -> int:
    """Canonicalise the entities of ``article_ids`` and of every article not yet canonicalised at
    this version, against the stored entities, ``batch`` articles at a time; from scratch over every
    mention with ``redo`` or when nothing was canonicalised at this version yet. Returns how many
    entities the run made or remade."""
    if redo or not store.stage_versions(ENTITIES).get(ENTITIES_VERSION):
        return _from_scratch(store)
    pending = list(dict.fromkeys([*store.articles_needing(ENTITIES, ENTITIES_VERSION), *article_ids]))
    made = sum(canonicalize_batch(store, pending[i : i + batch]) for i in range(0, len(pending), batch))
    if pending:
        store.drop_unused_entities()
    return made


def _from_scratch(store: EnrichStore) -> int:
    """Every mention of the store at once; then their lookup keys, for the incremental runs after."""
    refs, where = mention_refs(store.mention_rows())
    corpus = read_names(refs)
    found, ids = canonicalize_corpus(corpus)
    articles = store.article_ids()
    with store.transaction():
        store.replace_entities(found, [(*w, eid) for w, eid in zip(where, ids, strict=True)])
        store.replace_name_keys(articles, [])
        for lo in range(0, len(refs), 50_000):
            store.replace_name_keys([], key_rows(corpus, range(lo, min(len(refs), lo + 50_000))))
        store.mark_done_many(ENTITIES, articles, ENTITIES_VERSION)
    return len(found)
