"""Claim views for loose sentences (batch commands, benchmarks): each text is enriched on its own.

Each text goes through the enrich components that a relation check reads — sentences and
entities, quantities, times, hedges, negation — as a one-sentence article in its detected
language. :func:`relate_texts` relates loose pairs the way the link stage relates claims: the
same gate, the same relation model read both ways, the same decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..enrich.canonical import clean_name
from ..enrich.claims import _negated
from ..enrich.doc import Doc
from ..ingest.language import detect_language
from ..model import Article, content_id
from ..pipeline import Pipeline
from .disputed import disputed_statement, read_disputed
from .opposition import OppositionReader, read_opposition
from .pairmodel import PairInput, RelationModel, weak_reader
from .relate import DEFAULT_PARAMS, Judgement, RelateParams, Relation, about_same_thing, relate
from .text import SPECIFIC, ClaimView

_COMPONENTS = ("nlp", "quantities", "times", "hedges", "attribution")
_LANGUAGES = ("en", "ru", "uk", "kk", "de", "fr", "es")


def claim_views(texts: list[str], languages: tuple[str, ...] = _LANGUAGES) -> list[ClaimView]:
    from ..enrich import runner  # noqa: F401  (registers the enrich components)

    docs, langs = [], []
    for text in texts:
        lang = detect_language(text, languages) or "en"
        langs.append(lang)
        docs.append(Doc.of(Article(id=content_id("view", text), text=text, language=lang)))
    Pipeline(list(_COMPONENTS), given=("text", "language", "published"))(docs)
    views = []
    for doc, lang in zip(docs, langs, strict=True):
        names = frozenset(clean_name(m.normal or doc.text[m.start : m.end]) for m in doc.mentions)
        anchors = frozenset(clean_name(m.normal or doc.text[m.start : m.end]) for m in doc.mentions
                            if m.label in SPECIFIC)
        said = max(doc.attributions, key=lambda x: x.end - x.start, default=None)  # the main speaker
        views.append(
            ClaimView(
                text=doc.text,
                negated=_negated(doc, 0, len(doc.text)),
                quantities=doc.quantities,
                times=doc.times,
                names=names,
                anchors=anchors,
                hedged=any(h.kind == "hedge" for h in doc.hedges),
                language=lang,
                disputed=disputed_statement(doc.text),
                speaker=said.speaker if said else "",
                cue=said.cue if said else "",
            )
        )
    return views


@dataclass(slots=True)
class JudgedPairs:
    """Loose pairs read once: their views, similarities and the model's judgements (gated ones)."""

    views: list[ClaimView]
    similarity: np.ndarray
    judged: dict[int, Judgement]

    def relations(self, params: RelateParams = DEFAULT_PARAMS) -> list[Relation]:
        n = len(self.similarity)
        return [relate(self.views[i], self.views[n + i], float(self.similarity[i]), self.judged.get(i), params,
                       given=True) for i in range(n)]


def judge_texts(
    pairs: Sequence[tuple[str, str]],
    model: RelationModel | None,
    embed,
    params: RelateParams = DEFAULT_PARAMS,
    opposition: OppositionReader | None = None,
) -> JudgedPairs:
    """Views and vectors of each text, and the model read both ways round on the pairs that pass
    the gate. The pairs are given (a user or a benchmark put them together), so the gate is only
    that their dates do not conflict; the rest of the decision is the link stage's. ``opposition``
    reads opposed positions among the gated pairs (:mod:`~narrascope.link.opposition`)."""
    n = len(pairs)
    views = claim_views([a for a, _ in pairs] + [b for _, b in pairs]) if n else []
    vectors = np.asarray(embed([v.text for v in views]), dtype=np.float32) if n else np.zeros((0, 1))
    sims = (vectors[:n] * vectors[n:]).sum(axis=1) if n else np.zeros(0)
    gated = [i for i in range(n)
             if model is not None and about_same_thing(views[i], views[n + i], float(sims[i]), params, given=True)]

    def inputs(order: list[tuple[int, int]]) -> list[PairInput]:
        return [PairInput(views[x].text, views[y].text, views[x].language, views[y].language,
                          vectors[x], vectors[y]) for x, y in order]

    judged: dict[int, Judgement] = {}
    if gated:
        given = inputs([(i, n + i) for i in gated])
        forward = model.probabilities(given)
        backward = model.probabilities(inputs([(n + i, i) for i in gated]))
        disputed = read_disputed(model, [(views[i], views[n + i]) for i in gated])
        found = [Judgement(tuple(map(float, f)), tuple(map(float, r)), weak_reader(model, g), d)
                 for f, r, g, d in zip(forward, backward, given, disputed, strict=True)]
        if opposition is not None:
            opposed = read_opposition(opposition, model, [(views[i], views[n + i]) for i in gated], found,
                                      [float(sims[i]) for i in gated])
            found = [replace(j, opposed=o) for j, o in zip(found, opposed, strict=True)]
        judged = dict(zip(gated, found, strict=True))
    return JudgedPairs(views, sims, judged)


def relate_texts(
    pairs: Sequence[tuple[str, str]],
    model: RelationModel | None,
    embed,
    params: RelateParams = DEFAULT_PARAMS,
    opposition: OppositionReader | None = None,
) -> list[Relation]:
    """The relation of b to a for each (a, b) text pair, as ``narrascope relate`` gives it."""
    return judge_texts(pairs, model, embed, params, opposition).relations(params)
