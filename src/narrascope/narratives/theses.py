"""Stance of articles and outlets toward a user's thesis, with the sentences that show it.

:class:`~narrascope.narratives.thesis_stance.StanceReader` decides whether an article is about the
thesis at all, which of its sentences take a side, and whose side it is (the article's own, or a
source's it reports: :mod:`.evidence`). One thing it cannot see is then applied, because it decides
how an analyst reads an article:

* **labelling the thesis fake**: an article that calls the thesis (or a statement close to it)
  "fake", "a myth", "propaganda" opposes it, whatever words it shares with it.

An outlet's stance is the tally of its articles' stances over the articles about the thesis
(unrelated ones are left out of the tally and of its article list), over time.
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
    unrelated: int = 0  # articles of the outlet not about the thesis: not in counts, by_month or articles

    def as_record(self) -> dict:
        return {"outlet": self.outlet, "thesis": self.thesis_id, "label": self.label, "counts": self.counts,
                "by_month": self.by_month, "articles": self.articles, "unrelated": self.unrelated}

    @classmethod
    def from_record(cls, r: dict) -> OutletStance:
        return cls(r["outlet"], r["thesis"], r["label"], r["counts"], r["by_month"], r["articles"], r["unrelated"])


def article_text(article: Article, ann: Annotations):
    """What the stance reader needs of an enriched article: its sentences, the stretches it
    attributes to sources, its hedge and question cues, and its headline when the text opens with it."""
    from .thesis_stance import ArticleText

    spans = [(s.start, s.end) for s in ann.sentences]
    title = None
    if article.title and spans and article.text.startswith(article.title.strip()):
        title = spans[0]
    return ArticleText(article.text, spans or None, article.language or "en", None,
                       [(a.start, a.end, a.speaker) for a in ann.attributions],
                       [(h.start, h.end) for h in ann.hedges if h.kind in ("hedge", "question")], title)


def article_stance(thesis: Thesis, article: Article, ann: Annotations, result, techniques: list[TechniqueSpan],
                   sentence_sims: dict[tuple[int, int], float]) -> Stance:
    """``result`` is the reader's :class:`~.thesis_stance.ThesisStance` for (thesis, article);
    ``sentence_sims`` the cosine between the thesis and each sentence (by span)."""
    evidence = list(result.evidence)
    label, score = result.label, float(result.score)

    fake = _fake_label_about_thesis(ann, techniques, sentence_sims)
    if fake is not None:
        start, end = fake
        sentence = _sentence_of(ann, start) or (start, end)
        if not _attributed(ann, start):
            evidence = [Evidence(*sentence, "oppose", 1.0, "calls the thesis fake"),
                        *(e for e in evidence if e.label == "oppose")]
            return Stance(thesis.id, article.id, "oppose", max(score, 0.9) if label == "oppose" else 0.9,
                          _unique(evidence))
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


def _attributed(ann: Annotations, offset: int) -> bool:
    """Is ``offset`` inside what the article attributes to someone else ("X said it is a fake")?"""
    return any(a.start <= offset < a.end for a in ann.attributions)


def _unique(evidence: list[Evidence]) -> list[Evidence]:
    seen, out = set(), []
    for e in evidence:
        if (e.start, e.end) not in seen:
            seen.add((e.start, e.end))
            out.append(e)
    return sorted(out, key=lambda e: e.start)


def outlet_stances(stances: list[Stance], articles: dict[str, Article]) -> list[OutletStance]:
    """Per outlet and thesis: the tally of its articles' stances, overall and per month, over the
    articles about the thesis only. An outlet's many articles on other subjects say nothing about
    where it stands: counted in, they once made every outlet "support" a thesis through off-topic
    articles a stance model misread. An outlet none of whose articles is about the thesis is
    listed as "unrelated", with how many it published.

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
        relevant = [s for s in items if s.label != "unrelated"]
        counts = Counter(s.label for s in relevant)
        label = _verdict(counts) if counts else "unrelated"
        by_month: dict[str, Counter] = defaultdict(Counter)
        for s in relevant:
            published = articles[s.article_id].published
            by_month[published.strftime("%Y-%m") if published else "undated"][s.label] += 1
        out.append(OutletStance(outlet, thesis_id, label, dict(counts),
                                {m: dict(c) for m, c in sorted(by_month.items())}, [s.article_id for s in relevant],
                                len(items) - len(relevant)))
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
