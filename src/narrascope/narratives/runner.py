"""The narratives stage: persuasion techniques per article, stances toward every thesis.

Both are incremental. Techniques run on articles not processed yet; a stance is computed for
every (thesis, article) pair that has none at the current version — so a new thesis is scored
on the whole corpus, and new articles on every stored thesis.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Settings
from ..embeddings import Embedder, get_embedder
from ..link.vectors import VectorCache, span_key
from ..model import Stance, TechniqueSpan, Thesis, thesis_id
from ..store.protocols import NarrativesStore
from .techniques import STAGE as TECHNIQUES_STAGE
from .techniques import VERSION as TECHNIQUES_VERSION
from .theses import article_stance, article_text, thesis_similarities

# 2: a relevance gate before any label; sentences read by the relation model, with attribution; a
# side no sentence carries is discuss.
STANCE_VERSION = "2"


@dataclass(slots=True)
class NarrativesReport:
    new_theses: int = 0
    technique_articles: int = 0
    techniques: int = 0
    stances: int = 0
    outlets: int = 0  # outlets whose profile and stance tallies were stored

    def summary(self) -> str:
        # Techniques are found in the enrich pass; this stage looks for them only where it did not.
        found = (f"{self.techniques} technique span(s) in {self.technique_articles} article(s), "
                 if self.technique_articles else "")
        return (f"narratives: {self.new_theses} new thesis(es), {self.stances} stance(s) computed, "
                f"{found}{self.outlets} outlet profile(s)")


def parse_theses(texts: list[str]) -> list[Thesis]:
    """One thesis per distinct text (whitespace normalised), in the order first given."""
    found: dict[str, Thesis] = {}
    for text in texts:
        if text and text.strip():
            clean = " ".join(text.split())
            found.setdefault(thesis_id(clean), Thesis(thesis_id(clean), clean))
    return list(found.values())


def analyze_narratives(store: NarrativesStore, settings: Settings, theses: list[str] = (), *,
                       embedder: Embedder | None = None, relation_model=None) -> NarrativesReport:
    """``relation_model`` reads the sentences closest to each thesis (default: the one
    ``link.relation_model`` names)."""
    report = NarrativesReport()
    with store.transaction():
        report.new_theses = len(store.add_theses(parse_theses(list(theses))))
    embedder = embedder or get_embedder(settings.link.embedder)
    _techniques(store, report)
    _stances(store, settings, embedder, report, relation_model)
    from .profiles import store_outlet_views

    report.outlets = store_outlet_views(store)
    return report


def _techniques(store, report: NarrativesReport) -> None:
    ids = store.articles_needing(TECHNIQUES_STAGE, TECHNIQUES_VERSION)
    if not ids:
        return
    from ..models.registry import MODELS

    detector = MODELS.get("techniques")
    for i in range(0, len(ids), 50):
        chunk = ids[i : i + 50]
        found: list[TechniqueSpan] = []
        for article, ann in zip(store.get_articles(chunk), store.iter_annotations(chunk), strict=True):
            spans = [(s.start, s.end) for s in ann.sentences]
            for t in detector.detect(article.text, spans, language=article.language):
                found.append(TechniqueSpan(article.id, t.start, t.end, t.technique, round(float(t.score), 4)))
        with store.transaction():
            store.replace_techniques(chunk, found)
            for aid in chunk:
                store.mark_done(TECHNIQUES_STAGE, aid, TECHNIQUES_VERSION)
        report.technique_articles += len(chunk)
        report.techniques += len(found)


def _stances(store, settings: Settings, embedder: Embedder, report: NarrativesReport, relation_model=None) -> None:
    theses = store.list_theses()
    if not theses:
        return
    done = store.stance_pairs_done(STANCE_VERSION)
    articles = list(store.iter_articles())
    todo = [(t, a) for t in theses for a in articles if (t.id, a.id) not in done]
    if not todo:
        return
    from ..ingest.language import detect_language
    from .relevance import Vocabulary
    from .thesis_stance import Pair, build_reader, thesis_language_of

    reader = build_reader(settings, embedder, relation=relation_model)
    cache = VectorCache(store, embedder)
    thesis_vectors = dict(zip([t.id for t in theses], embedder.embed([t.text for t in theses]), strict=True))
    # How rare each thesis word is is read off the whole corpus, so it does not change with the
    # batch of new articles being scored.
    vocabulary = Vocabulary.of_texts(a.text for a in articles)
    languages = tuple(settings.ingest.languages)
    thesis_language = {t.id: thesis_language_of(t.text, languages, detect_language) for t in theses}
    by_article: dict[str, list[Thesis]] = {}
    for t, a in todo:
        by_article.setdefault(a.id, []).append(t)
    techniques_of: dict[str, list[TechniqueSpan]] = {}
    for t in store.list_techniques():
        techniques_of.setdefault(t.article_id, []).append(t)
    found: list[Stance] = []
    wanted = [a for a in articles if a.id in by_article]
    with store.transaction():
        for article, ann in zip(wanted, store.iter_annotations([a.id for a in wanted]), strict=True):
            spans = [(s.start, s.end) for s in ann.sentences]
            vectors = cache.vectors("span", [(span_key(article.id, s, e), article.text[s:e]) for s, e in spans])
            text = article_text(article, ann)
            if spans:
                text.vectors = vectors
            mine = by_article[article.id]
            results = reader.read([Pair(t.text, thesis_language[t.id], text) for t in mine], vocabulary=vocabulary)
            for thesis, result in zip(mine, results, strict=True):
                sims = thesis_similarities(thesis_vectors[thesis.id], spans, vectors)
                found.append(article_stance(thesis, article, ann, result, techniques_of.get(article.id, []), sims))
        store.save_stances(found, STANCE_VERSION)
    report.stances = len(found)
