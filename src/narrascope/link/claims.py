"""Claim matching across articles: nearest neighbours by meaning, then a relation for each pair.

Every check-worthy claim is embedded (cached), each claim's ``k`` nearest claims from *other*
articles become candidate pairs, and :func:`~narrascope.link.relate.relate` names the relation.
The relation model reads only the candidates that pass the gate (same story, a shared name or
close meaning, compatible dates: :func:`~narrascope.link.relate.about_same_thing`), at most
``model_neighbours`` per claim, in batches; a pair is read the other way round too only when the
first reading leans to entailment or contradiction. A pair is stored once, oriented from the
earlier claim (``a``) to the later one (``b``): how the later report bears on the earlier.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np

from ..model import Annotations, Article, Claim, ClaimLink
from .disputed import disputed_statement, read_disputed
from .neighbors import knn
from .opposition import SECOND_READING, OppositionReader, read_opposition
from .pairmodel import PairInput, RelationModel, weak_reader
from .relate import DEFAULT_PARAMS, Judgement, RelateParams, about_same_thing, relate
from .stories import as_utc
from .text import SPECIFIC, ClaimView

# Neighbours looked at per claim: the claims a story repeats across outlets are few.
NEIGHBOURS = 10
# Of those, how many the relation model reads per claim (the closest ones that pass the gate).
MODEL_NEIGHBOURS = 4
# A first reading below SECOND_READING for both entailment and contradiction is not read the other
# way (defined with the opposition reader, whose features follow the same rule).


@dataclass(slots=True)
class ClaimItem:
    claim: Claim
    article: Article
    view: ClaimView
    story: str | None = None


def claim_items(
    pairs: list[tuple[Article, Annotations]], threshold: float, entity_names: dict[str, str],
    stories: dict[str, str] | None = None,
) -> list[ClaimItem]:
    out = []
    stories = stories or {}
    for article, ann in pairs:
        for claim in ann.claims:
            if claim.checkworthiness < threshold:
                continue
            start, end = _said(claim)
            view = ClaimView(
                text=article.text[start:end],
                negated=claim.negated,
                quantities=[q for q in claim.quantities if start <= q.start and q.end <= end],
                times=[t for t in ann.times if start <= t.start and t.end <= end],
                names=frozenset(entity_names[e] for e in claim.entity_ids if e in entity_names),
                hedged=claim.hedged,
                anchors=frozenset(entity_names.get(m.entity_id or "") or article.text[m.start:m.end]
                                  for m in ann.mentions if m.label in SPECIFIC and start <= m.start and m.end <= end),
                offset=start,
                language=article.language or "en",
                speaker=claim.attribution.speaker if claim.attribution else "",
                cue=claim.attribution.cue if claim.attribution else "",
            )
            view.disputed = disputed_statement(view.text)
            out.append(ClaimItem(claim, article, view, stories.get(article.id)))
    return out


def _said(claim: Claim) -> tuple[int, int]:
    """What is claimed, without who claims it: "X noted that Karavia has never joined the
    sanctions" is compared as "Karavia has never joined the sanctions"."""
    a = claim.attribution
    return said_span(claim.start, claim.end, a.start if a else None, a.end if a else None)


def said_span(start: int, end: int, attr_start: int | None, attr_end: int | None) -> tuple[int, int]:
    """:func:`_said` from the stored offsets of a claim and its covering attribution."""
    if attr_start is not None and attr_end is not None and start <= attr_start and attr_end <= end \
            and attr_end - attr_start >= 20:
        return attr_start, attr_end
    return start, end


def link_claims(
    items: list[ClaimItem],
    vectors: np.ndarray,
    params: RelateParams = DEFAULT_PARAMS,
    k: int = NEIGHBOURS,
    threads: int | None = None,
    model: RelationModel | None = None,
    timings: dict[str, float] | None = None,
    model_neighbours: int = MODEL_NEIGHBOURS,
    screen: float = 0.0,
    opposition: OppositionReader | None = None,
) -> list[ClaimLink]:
    """Links between each claim and its nearest claims in other articles; ``timings``, when
    given, receives the seconds of each step (index build, search, model, relations) and the
    number of pairs the model read (``model_pairs``). With ``screen`` > 0, a model that can screen
    (:meth:`~narrascope.link.pairmodel.RoutedRelationModel.screen`) first drops the pairs its cheap
    part calls plainly neutral."""
    if len(items) < 2:
        return []
    sims, idx = knn(vectors, k, threads=threads, timings=timings)
    started = time.perf_counter()
    candidates: dict[tuple[int, int], float] = {}
    for i in range(len(items)):
        for sim, j in zip(sims[i], idx[i], strict=True):
            if j < 0 or j == i or items[i].article.id == items[j].article.id:
                continue
            candidates.setdefault(oriented(items, i, int(j)), float(sim))
    return judge_pairs(items, vectors, candidates, params, model, timings, model_neighbours, screen,
                       started=started, opposition=opposition)


def judge_pairs(
    items: list[ClaimItem],
    vectors: np.ndarray,
    candidates: dict[tuple[int, int], float],
    params: RelateParams = DEFAULT_PARAMS,
    model: RelationModel | None = None,
    timings: dict[str, float] | None = None,
    model_neighbours: int = MODEL_NEIGHBOURS,
    screen: float = 0.0,
    used: Counter[str] | None = None,
    started: float | None = None,
    opposition: OppositionReader | None = None,
) -> list[ClaimLink]:
    """The links among candidate pairs ``(a, b)`` of ``items`` (oriented: ``a`` the earlier claim)
    with their similarity. ``used`` counts the pairs the model has read per claim id; pass the same
    counter to calls that share one budget (the link stage working in batches). ``opposition`` reads
    opposed positions among the pairs the model read (:mod:`~narrascope.link.opposition`)."""
    started = time.perf_counter() if started is None else started
    used = Counter() if used is None else used
    to_read = _model_pairs(items, candidates, params, model_neighbours, used) if model is not None else []
    judged = _read(items, vectors, to_read, model, timings, screen, opposition) if to_read else {}
    model_done = time.perf_counter()
    links = []
    for (a, b), sim in candidates.items():
        if sim < params.related and not _same_story(items[a], items[b]):
            continue
        rel = relate(items[a].view, items[b].view, sim, judged.get((a, b)), params,
                     _same_story(items[a], items[b]))
        if rel.relation != "unrelated":
            links.append(ClaimLink(items[a].claim.id, items[b].claim.id, rel.relation, rel.score, rel.reason))
    if timings is not None:
        timings["model"] = timings.get("model", 0.0) + model_done - started
        timings["relations"] = timings.get("relations", 0.0) + time.perf_counter() - model_done
    return links


def oriented(items: list[ClaimItem], x: int, y: int) -> tuple[int, int]:
    """A pair from the earlier claim to the later one (by publication, then claim id)."""
    a, b = sorted((x, y), key=lambda n: (_when(items[n].article), items[n].claim.id))
    return a, b


def _model_pairs(items, candidates, params: RelateParams, per_claim: int, used: Counter[str]) -> list[tuple[int, int]]:
    gated = [
        (sim, pair) for pair, sim in candidates.items()
        if sim >= params.related
        and about_same_thing(items[pair[0]].view, items[pair[1]].view, sim, params,
                             _same_story(items[pair[0]], items[pair[1]]))
    ]
    gated.sort(key=lambda x: -x[0])
    out = []
    for _, (a, b) in gated:
        ca, cb = items[a].claim.id, items[b].claim.id
        if used[ca] < per_claim or used[cb] < per_claim:
            used[ca] += 1
            used[cb] += 1
            out.append((a, b))
    return out


def _read(items, vectors, pairs, model: RelationModel, timings, screen: float,
          opposition: OppositionReader | None = None) -> dict[tuple[int, int], Judgement]:
    def inputs(order):
        return [PairInput(items[x].view.text, items[y].view.text, items[x].view.language,
                          items[y].view.language, vectors[x], vectors[y]) for x, y in order]

    screening = getattr(model, "screen", None)
    if screen > 0 and screening is not None:
        keep = screening(inputs(pairs), screen)
        if timings is not None:
            timings["screened_out"] = timings.get("screened_out", 0) + int((~keep).sum())
        pairs = [p for p, k in zip(pairs, keep, strict=True) if k]
        if not pairs:
            return {}

    given = inputs(pairs)
    forward = model.probabilities(given)
    again = [n for n, p in enumerate(forward) if max(p[0], p[2]) >= SECOND_READING]
    backward = forward.copy()
    if again:
        backward[again] = model.probabilities(inputs([(pairs[n][1], pairs[n][0]) for n in again]))
    if timings is not None:
        timings["model_pairs"] = timings.get("model_pairs", 0) + len(pairs) + len(again)
    views = [(items[x].view, items[y].view) for x, y in pairs]
    disputed = read_disputed(model, views)
    judged = [Judgement(tuple(map(float, f)), tuple(map(float, r)), weak_reader(model, g), d)
              for f, r, g, d in zip(forward, backward, given, disputed, strict=True)]
    if opposition is not None:
        sims = [float(np.dot(vectors[x], vectors[y])) for x, y in pairs]
        opposed = read_opposition(opposition, model, views, judged, sims)
        judged = [replace(j, opposed=o) for j, o in zip(judged, opposed, strict=True)]
    return dict(zip(pairs, judged, strict=True))


def _same_story(x: ClaimItem, y: ClaimItem) -> bool | None:
    if x.story is None or y.story is None:
        return None
    return x.story == y.story


def _when(article: Article) -> datetime:
    return as_utc(article.published) if article.published else datetime.max
