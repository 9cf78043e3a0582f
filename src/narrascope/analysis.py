"""The analysis pipeline, in the one place its stage order lives.

    from narrascope import SQLStore, analyze, default_settings
    report = analyze(SQLStore("news.db"), default_settings(), theses=["Karavia is drifting away from Russia."])
    print(report.summary())

Stages, each over what the store holds and each skipping what it has already done:

1. **enrich** (:mod:`narrascope.enrich`): every article not analyzed yet gets sentences, entities,
   figures, dates, attributions, cited sources, hedges and check-worthy claims; their entities are
   then made canonical against the stored ones (over the whole corpus with ``redo``);
2. **link** (:mod:`narrascope.link`): stories, claim relations (agreement, contradiction) and
   groups, provenance;
3. **narratives** (:mod:`narrascope.narratives`): persuasion techniques, and the stance of every
   article and outlet toward every stored thesis (``theses`` are added to the store first).

The ``narrascope analyze`` and ``narrascope demo`` commands and the benchmarks that need a whole
analysis call this function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .config import Settings, default_settings

if TYPE_CHECKING:
    from .embeddings import Embedder
    from .engine import Engine
    from .enrich.runner import EnrichReport
    from .link.pairmodel import RelationModel
    from .link.runner import LinkReport
    from .narratives.runner import NarrativesReport


@dataclass(slots=True)
class AnalysisReport:
    enrich: EnrichReport | None = None
    link: LinkReport | None = None
    narratives: NarrativesReport | None = None

    def summary(self) -> str:
        """One line per stage that ran."""
        return "\n".join(r.summary() for r in (self.enrich, self.link, self.narratives) if r is not None)


def analyze(store, settings: Settings | None = None, theses: Iterable[str] = (), *, engine: Engine | None = None,
            embedder: Embedder | None = None, relation_model: RelationModel | None = None, progress=None,
            redo: bool = False, stages: Iterable[str] = ("enrich", "link", "narratives")) -> AnalysisReport:
    """Run the stages named in ``stages`` (in the pipeline's order, whatever order they are given
    in) over ``store``. ``engine`` runs the per-article enrichment (default: the settings' local
    process pool); ``embedder`` is the sentence embedder shared by link and narratives (default:
    the one ``link.embedder`` names); ``relation_model`` reads claim pairs for link and sentences
    for stance (default: the one ``link.relation_model`` names); ``progress`` is told of enrichment's progress; ``redo``
    enriches every article again and links every claim from scratch."""
    from .enrich.runner import enrich_articles

    settings = settings or default_settings()
    wanted = set(stages)
    unknown = wanted - {"enrich", "link", "narratives"}
    if unknown:
        from .errors import ConfigError

        raise ConfigError(f"unknown analysis stage {sorted(unknown)[0]!r} (enrich, link or narratives)")
    if embedder is None and wanted & {"link", "narratives"}:
        from .embeddings import get_embedder

        embedder = get_embedder(settings.link.embedder)
    if hasattr(store, "track_thresholds"):  # the overview's counts of these settings, kept from now on
        with store.transaction():
            store.track_thresholds(settings.enrich.min_checkworthiness, settings.report.confident_contradiction)
    report = AnalysisReport(enrich_articles(store, settings, engine=engine, progress=progress, redo=redo)
                            if "enrich" in wanted else None)
    if "link" in wanted:
        from .link.runner import link_all

        report.link = link_all(store, settings, embedder=embedder, model=relation_model, redo=redo)
    if "narratives" in wanted:
        from .narratives.runner import analyze_narratives

        report.narratives = analyze_narratives(store, settings, list(theses), embedder=embedder,
                                                relation_model=relation_model)
    return report
