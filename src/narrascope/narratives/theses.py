"""Stance of articles and outlets toward a user's thesis, with the sentences that show it.

The stance model (trained on FNC-1, :mod:`narrascope.narratives.stance`) reads the thesis against
the article's sentences. Two things it cannot see are then applied, because they decide how an
analyst reads an article:

* **labelling the thesis fake**: an article that calls the thesis (or a statement close to it)
  "fake", "a myth", "propaganda" opposes it, whatever words it shares with it;
* **attribution**: support that comes only from sentences the article attributes to someone else
  stays support — the article reports a source who affirms the thesis — unless the article
  distances itself from them (a hedge such as "allegedly", "so-called", or a rhetorical question
  in the same sentence), which makes it "discuss".

An outlet's stance is the tally of its articles' stances (unrelated ones left out), over time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from ..model import Annotations, Article, Evidence, Stance, TechniqueSpan, Thesis

LABELS = ("support", "oppose", "discuss", "unrelated")
# A sentence this close to the thesis (cosine of sentence vectors) is about the thesis itself:
# calling it fake opposes the thesis.
ABOUT_THESIS = 0.5


@dataclass(frozen=True, slots=True)
class OutletStance:
    outlet: str
    thesis_id: str
    label: str
    counts: dict[str, int]
    by_month: dict[str, dict[str, int]]
    articles: list[str]


def article_stance(thesis: Thesis, article: Article, ann: Annotations, result, techniques: list[TechniqueSpan],
                   sentence_sims: dict[tuple[int, int], float]) -> Stance:
    """``result`` is the stance model's verdict for (thesis, article text); ``sentence_sims`` the
    cosine between the thesis and each sentence (by span)."""
    evidence = [Evidence(e.start, e.end, e.label, round(float(e.score), 4), "model") for e in result.evidence]
    label, score = result.label, float(result.score)

    fake = _fake_label_about_thesis(ann, techniques, sentence_sims)
    if fake is not None:
        start, end = fake
        sentence = _sentence_of(ann, start) or (start, end)
        evidence = [Evidence(*sentence, "oppose", 1.0, "calls the thesis fake"), *evidence]
        return Stance(thesis.id, article.id, "oppose", max(score, 0.9), _unique(evidence))

    if label == "support":
        supporting = [e for e in evidence if e.label == "support"]
        attributed = [e for e in supporting if _attributed(ann, e)]
        if supporting and len(attributed) == len(supporting):
            distanced = [e for e in attributed if _distanced(ann, e)]
            if distanced:
                label = "discuss"
                evidence = [Evidence(e.start, e.end, "discuss", e.score, "attributed, and the article distances "
                                     "itself") if e in distanced else e for e in evidence]
            else:
                evidence = [Evidence(e.start, e.end, e.label, e.score, "a source the article reports affirms it")
                            if e in attributed else e for e in evidence]
    return Stance(thesis.id, article.id, label, round(score, 4), _unique(evidence))


def _fake_label_about_thesis(ann: Annotations, techniques: list[TechniqueSpan],
                             sentence_sims: dict[tuple[int, int], float]) -> tuple[int, int] | None:
    for t in techniques:
        if t.technique != "labelling_fake":
            continue
        sentence = _sentence_of(ann, t.start)
        if sentence is not None and sentence_sims.get(sentence, 0.0) >= ABOUT_THESIS:
            return t.start, t.end
    return None


def _sentence_of(ann: Annotations, offset: int) -> tuple[int, int] | None:
    for s in ann.sentences:
        if s.start <= offset < s.end:
            return s.start, s.end
    return None


def _attributed(ann: Annotations, e: Evidence) -> bool:
    return any(a.start < e.end and e.start < a.end for a in ann.attributions)


def _distanced(ann: Annotations, e: Evidence) -> bool:
    return any(h.kind in ("hedge", "question") and e.start <= h.start < e.end for h in ann.hedges)


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    seen, out = set(), []
    for e in evidence:
        if (e.start, e.end) not in seen:
            seen.add((e.start, e.end))
            out.append(e)
    return sorted(out, key=lambda e: e.start)


def outlet_stances(stances: list[Stance], articles: dict[str, Article]) -> list[OutletStance]:
    """Per outlet and thesis: the tally of its articles' stances, overall and per month.

    Articles with no known outlet are left out: pooled, they would make a pseudo-outlet whose
    "stance" mixes unrelated sources. Their own stances stand, article by article.
    """
    grouped: dict[tuple[str, str], list[Stance]] = defaultdict(list)
    for s in stances:
        article = articles.get(s.article_id)
        if article is not None and article.outlet:
            grouped[(article.outlet, s.thesis_id)].append(s)
    out = []
    for (outlet, thesis_id), items in sorted(grouped.items()):
        counts = Counter(s.label for s in items)
        taking = Counter({k: v for k, v in counts.items() if k != "unrelated"})
        label = _verdict(taking) if taking else "unrelated"
        by_month: dict[str, Counter] = defaultdict(Counter)
        for s in items:
            published = articles[s.article_id].published
            by_month[published.strftime("%Y-%m") if published else "undated"][s.label] += 1
        out.append(OutletStance(outlet, thesis_id, label, dict(counts),
                                {m: dict(c) for m, c in sorted(by_month.items())}, [s.article_id for s in items]))
    return out


def _verdict(counts: Counter) -> str:
    """The label most of the outlet's articles take; a tie between support and oppose is "mixed"."""
    (top, n), *rest = counts.most_common()
    if rest and rest[0][1] == n and {top, rest[0][0]} == {"support", "oppose"}:
        return "mixed"
    return top


def thesis_similarities(thesis_vector: np.ndarray, spans: list[tuple[int, int]],
                        vectors: np.ndarray) -> dict[tuple[int, int], float]:
    if not spans:
        return {}
    sims = vectors @ thesis_vector
    return {span: float(sim) for span, sim in zip(spans, sims, strict=True)}
