"""Claim views for loose sentences (batch commands, benchmarks): each text is enriched on its own.

Each text goes through the enrich components that a relation check reads — sentences and
entities, quantities, times, hedges, negation — as a one-sentence article in its detected
language.
"""

from __future__ import annotations

from ..enrich.canonical import clean_name
from ..enrich.claims import _negated
from ..enrich.doc import Doc
from ..ingest.language import detect_language
from ..model import Article, content_id
from ..pipeline import Pipeline
from .relate import ClaimView

_COMPONENTS = ("nlp", "quantities", "times", "hedges")
_LANGUAGES = ("en", "ru", "uk", "kk", "de", "fr", "es")


def claim_views(texts: list[str], languages: tuple[str, ...] = _LANGUAGES) -> list[ClaimView]:
    from ..enrich import runner  # noqa: F401  (registers the enrich components)

    docs = []
    for text in texts:
        lang = detect_language(text, languages) or "en"
        docs.append(Doc.of(Article(id=content_id("view", text), text=text, language=lang)))
    Pipeline(list(_COMPONENTS), given=("text", "language", "published"))(docs)
    views = []
    for doc in docs:
        names = frozenset(clean_name(m.normal or doc.text[m.start : m.end]) for m in doc.mentions)
        views.append(
            ClaimView(
                text=doc.text,
                negated=_negated(doc, 0, len(doc.text)),
                quantities=doc.quantities,
                times=doc.times,
                names=names,
                hedged=any(h.kind == "hedge" for h in doc.hedges),
            )
        )
    return views
