"""SemEval-2020 Task 11 span scores with partial-overlap credit.

Spans of one article that share a character are merged first (for typed scores: only spans of the
same technique), as the official scorer does. Then, with S the predicted and T the gold spans over
all articles,

    P = sum over s in S, t in T of |s & t| / |s|, divided by |S|
    R = sum over s in S, t in T of |s & t| / |t|, divided by |T|

and F1 is their harmonic mean. :func:`span_scores` ignores the technique (task SI);
:func:`typed_scores` only credits a prediction against gold spans of its own technique (the
fragment-level metric of Da San Martino et al., 2019). Training uses them to choose thresholds,
``narrascope bench techniques`` to report.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

Span = tuple[int, int]
TypedSpan = tuple[int, int, str]


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Spans sharing at least one character become one; touching spans stay apart."""
    out: list[list[int]] = []
    for start, end in sorted((s, e) for s, e in spans if e > s):
        if out and start < out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _credit(pred: list[Span], gold: list[Span]) -> tuple[float, float]:
    """(sum of |s & t| / |s|, sum of |s & t| / |t|) over all pairs of one article."""
    p = r = 0.0
    for s0, s1 in pred:
        for g0, g1 in gold:
            overlap = min(s1, g1) - max(s0, g0)
            if overlap > 0:
                p += overlap / (s1 - s0)
                r += overlap / (g1 - g0)
    return p, r


def _prf(p_num: float, p_den: int, r_num: float, r_den: int) -> dict[str, float]:
    p = p_num / p_den if p_den else 0.0
    r = r_num / r_den if r_den else 0.0
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0, "predicted": p_den, "gold": r_den}


def span_scores(pred: Mapping[str, Iterable[Span]], gold: Mapping[str, Iterable[Span]]) -> dict[str, float]:
    """SI precision, recall and F1, techniques ignored. Keys are article ids."""
    p_num = r_num = 0.0
    p_den = r_den = 0
    for doc in set(pred) | set(gold):
        ps, gs = merge_spans(pred.get(doc, ())), merge_spans(gold.get(doc, ()))
        p, r = _credit(ps, gs)
        p_num, r_num, p_den, r_den = p_num + p, r_num + r, p_den + len(ps), r_den + len(gs)
    return _prf(p_num, p_den, r_num, r_den)


def typed_scores(
    pred: Mapping[str, Iterable[TypedSpan]], gold: Mapping[str, Iterable[TypedSpan]]
) -> dict[str, dict[str, float]]:
    """Per technique and over all ("all", micro): a prediction earns credit only from gold spans of
    its own technique."""
    nums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0, 0.0, 0])
    for doc in set(pred) | set(gold):
        by_tech: dict[str, tuple[list[Span], list[Span]]] = defaultdict(lambda: ([], []))
        for s, e, t in pred.get(doc, ()):
            by_tech[t][0].append((s, e))
        for s, e, t in gold.get(doc, ()):
            by_tech[t][1].append((s, e))
        for tech, (ps, gs) in by_tech.items():
            ps, gs = merge_spans(ps), merge_spans(gs)
            p, r = _credit(ps, gs)
            for key in (tech, "all"):
                row = nums[key]
                row[0] += p
                row[1] += len(ps)
                row[2] += r
                row[3] += len(gs)
    out = {key: _prf(*row) for key, row in nums.items()}
    out.setdefault("all", _prf(0.0, 0, 0.0, 0))
    return out
