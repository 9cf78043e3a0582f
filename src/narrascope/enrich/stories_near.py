"""The story around an article, as far as canonicalisation can see it: the articles that share
its rarer names.

Entity canonicalisation runs before stories are clustered, yet "Biden" in one report of a debate
is resolved by "Joe Biden" in another report of the same debate. Each article becomes a bag of
name keys (a person by surname), weighted by inverse document frequency; two articles are
neighbours when the cosine of their bags reaches ``STORY_MIN_SIMILARITY``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

# On BASIL (150 articles, 50 events of three) plus the five seeds, 0.2 links 152 of the 160 pairs of
# articles telling one event and 66 pairs from different events, most on the same politicians
# (0.15: 159 and 141; 0.3: 129 and 23). Neighbours only widen where a name is looked for, and a
# name must still be unambiguous there, so recall matters more than purity here.
STORY_MIN_SIMILARITY = 0.2
# Names in more than this share of the articles (and at least ``COMMON_MIN_ARTICLES``) are too
# common to tell stories apart: they stay in the norms but are not walked, which keeps the cost
# near-linear on large corpora.
COMMON_SHARE = 0.25
COMMON_MIN_ARTICLES = 20


def neighbours(bags: dict[str, Counter[str]]) -> dict[str, frozenset[str]]:
    """For each article, the other articles whose name bags are at least ``STORY_MIN_SIMILARITY`` alike."""
    n = len(bags)
    df: Counter[str] = Counter(k for bag in bags.values() for k in bag)
    vectors: dict[str, dict[str, float]] = {}
    for article, bag in bags.items():
        weights = {k: (1 + math.log(c)) * math.log((n + 1) / df[k]) for k, c in bag.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[article] = {k: w / norm for k, w in weights.items()}
    common = max(COMMON_MIN_ARTICLES, COMMON_SHARE * n)
    postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for article, vector in vectors.items():
        for k, w in vector.items():
            if df[k] <= common:
                postings[k].append((article, w))
    out: dict[str, frozenset[str]] = {}
    for article, vector in vectors.items():
        scores: Counter[str] = Counter()
        for k, w in vector.items():
            for other, w2 in postings.get(k, ()):
                if other != article:
                    scores[other] += w * w2
        out[article] = frozenset(b for b, s in scores.items() if s >= STORY_MIN_SIMILARITY)
    return out


def bags_of(items: Iterable[tuple[str, str]]) -> dict[str, Counter[str]]:
    bags: dict[str, Counter[str]] = defaultdict(Counter)
    for article, name_key in items:
        if name_key:
            bags[article][name_key] += 1
    return bags
