from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from narrascope.model import Annotations, Article, Sentence, Stance, TechniqueSpan, Thesis
from narrascope.narratives.discover import discover
from narrascope.narratives.theses import article_stance, outlet_stances, thesis_similarities

THESIS = Thesis("t1", "Karavia is drifting away from Russia")
TEXT = ("The claim that Karavia is drifting away from Russia is a fake. "
        "Officials said that Karavia is drifting away from Russia. Trade grew again.")


@dataclass
class Result:
    label: str
    score: float
    evidence: list = field(default_factory=list)


def ann_for(text, attributions=(), hedges=()):
    spans, pos = [], 0
    for part in text.split(". "):
        end = pos + len(part) + (1 if not part.endswith(".") else 0)
        spans.append((pos, min(end, len(text))))
        pos = end + 1
    return Annotations("a1", sentences=[Sentence("a1", s, e, i) for i, (s, e) in enumerate(spans)],
                       attributions=list(attributions), hedges=list(hedges)), spans


def test_calling_the_thesis_fake_opposes_it_whatever_the_model_says():
    ann, spans = ann_for(TEXT)
    fake = TechniqueSpan("a1", TEXT.index("a fake"), TEXT.index("a fake") + 6, "labelling_fake", 0.9)
    sims = {spans[0]: 0.8, spans[1]: 0.9, spans[2]: 0.1}
    stance = article_stance(THESIS, Article("a1", TEXT), ann, Result("support", 0.7), [fake], sims)
    assert stance.label == "oppose"
    assert stance.evidence[0].why == "calls the thesis fake" and (stance.evidence[0].start, stance.evidence[0].end) == spans[0]


def test_fake_about_something_else_does_not_count():
    ann, spans = ann_for(TEXT)
    fake = TechniqueSpan("a1", TEXT.index("a fake"), TEXT.index("a fake") + 6, "labelling_fake", 0.9)
    sims = {spans[0]: 0.2}
    assert article_stance(THESIS, Article("a1", TEXT), ann, Result("discuss", 0.6), [fake], sims).label == "discuss"


def test_outlet_stance_tallies_articles_over_time():
    arts = {
        "a": Article("a", "x", outlet="Nord Review", published=datetime(2025, 2, 1)),
        "b": Article("b", "x", outlet="Nord Review", published=datetime(2025, 3, 1)),
        "c": Article("c", "x", outlet="Vostok", published=datetime(2025, 2, 3)),
        "d": Article("d", "x", outlet="Vostok", published=datetime(2025, 2, 4)),
    }
    stances = [Stance("t1", "a", "support", 0.9), Stance("t1", "b", "unrelated", 0.9),
               Stance("t1", "c", "oppose", 0.9), Stance("t1", "d", "support", 0.6)]
    result = {o.outlet: o for o in outlet_stances(stances, arts)}
    assert result["Nord Review"].label == "support"
    assert result["Nord Review"].by_month == {"2025-02": {"support": 1}}  # unrelated articles are not tallied
    assert result["Vostok"].label == "mixed"


def test_articles_without_an_outlet_are_never_pooled_into_one():
    arts = {"a": Article("a", "x", outlet="Vostok"), "b": Article("b", "x"),
            "c": Article("c", "x", outlet="")}
    stances = [Stance("t1", "a", "oppose", 0.9), Stance("t1", "b", "support", 0.9),
               Stance("t1", "c", "support", 0.9)]
    result = [(o.outlet, o.label, o.articles) for o in outlet_stances(stances, arts)]
    assert result == [("Vostok", "oppose", ["a"])]


def test_thesis_similarities():
    vectors = np.eye(3, dtype=np.float32)
    sims = thesis_similarities(vectors[1], [(0, 5), (6, 9), (10, 12)], vectors)
    assert sims == {(0, 5): 0.0, (6, 9): 1.0, (10, 12): 0.0}


def test_discover_recurring_claims_as_candidate_theses():
    from narrascope.model import ClaimGroup

    def group(gid, outlets, summary, status="corroborated"):
        return ClaimGroup(gid, [f"{gid}-{i}" for i in range(len(outlets))], status,
                          [{"origin": o, "outlets": [o]} for o in outlets], None, summary)

    groups = [group("g1", ["A", "B", "C"], "Karavia is moving away from Moscow; officials deny it."),
              group("g2", ["A", "B"], "Karavia drifts from Moscow."),
              group("g3", ["A"], "Snow closed the road.")]
    vectors = np.array([[1, 0], [0.9, 0.436], [0, 1]], dtype=np.float32)
    [narrative] = discover(groups, vectors)
    assert narrative.thesis == "Karavia is moving away from Moscow"
    assert narrative.outlets == ["A", "B", "C"] and set(narrative.groups) == {"g1", "g2"}
