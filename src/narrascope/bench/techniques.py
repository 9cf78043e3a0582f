"""Persuasion techniques: SemEval-2020 Task 11 span scores, cross-validated over PTC articles.

For each fold (articles by id, i mod N), the shipped recipe is trained on the other folds and
detects technique spans in the held-out articles; thresholds for a fold come from the other folds'
out-of-fold scores. Printed:

- span F1 without the technique (task SI, partial-overlap credit; see
  :mod:`narrascope.training.span_metrics`),
- span F1 with it (only spans of the same technique earn credit), overall and per technique,
- technique accuracy on gold spans (the classifier alone, on the candidate that best matches each
  gold span: a stand-in for task TC's micro-F1),

next to the published top scores. Those are on the official test set, which we do not have: ours
come from cross-validation on 300 training articles, so the two compare only roughly. It also
prints candidate coverage: the share of gold spans some candidate matches with an
intersection-over-union of at least 0.5, the ceiling of a detector that only returns candidates.

Each run measures afresh: it trains the recipe once per fold. Parses and embeddings are cached in
``~/.cache/narrascope/techniques``, so only the first run pays for them. On 2 cores the full run
(300 articles, 5 folds) takes about 20 minutes; ``--limit 60 --folds 3`` about 2. ``labelling_fake``
is a rule, not a PTC class, so it is not scored here (tests/narratives/test_techniques.py checks it
on hand-written sentences).
"""

from __future__ import annotations

import time
from dataclasses import replace

import click

from ..embeddings import USEEmbedder
from ..errors import ConfigError
from ..narratives.techniques import MODEL_TECHNIQUES, PARSED, PLAIN
from ..training.ptc import (
    CachedEmbedder,
    CVResult,
    build_corpus,
    coverage,
    cross_validate,
    load_ptc,
)
from ..training.span_metrics import merge_spans, span_scores, typed_scores
from ..training.techniques import Params
from . import dataset_dir

__all__ = ["RECIPES", "merge_spans", "span_scores", "typed_scores"]

# SemEval-2020 Task 11 (dataset SOURCE.txt): top teams on the official test set.
PUBLISHED_SI_F1 = (0.49, 0.52)
PUBLISHED_TC_MICRO_F1 = 0.62
# The techniques the narratives stage is asked for, reported one by one.
REQUIRED = (
    "loaded_language",
    "name_calling",
    "doubt",
    "exaggeration_minimisation",
    "appeal_to_fear",
    "flag_waving",
    "appeal_to_authority",
    "whataboutism",
    "slogans",
    "causal_oversimplification",
)
# The shipped recipe per route (models/README.md has the comparison that chose it).
RECIPES: dict[str, Params] = {PARSED: Params(), PLAIN: Params(buckets=0)}
VARIANTS: dict[str, tuple[str, Params]] = {
    "parsed, no bag of words": (PARSED, replace(RECIPES[PARSED], buckets=0)),
    "parsed, label IoU 0.3": (PARSED, replace(RECIPES[PARSED], label_iou=0.3)),
    "parsed, detector C=0.01": (PARSED, replace(RECIPES[PARSED], detector_C=0.01)),
}


def report(result: CVResult, say=click.echo) -> None:
    s, t = result.span, result.typed
    say(
        f"    span F1 (SI, technique ignored): P={s['P']:.3f} R={s['R']:.3f} F1={s['F1']:.3f} "
        f"({s['predicted']} predicted, {s['gold']} gold spans)"
    )
    a = t["all"]
    say(f"    span F1 with technique (micro):  P={a['P']:.3f} R={a['R']:.3f} F1={a['F1']:.3f}")
    say(f"    technique accuracy on gold spans: {result.technique_accuracy:.3f}")
    say(
        f"    published top, official test set: SI F1 {PUBLISHED_SI_F1[0]:.2f}-{PUBLISHED_SI_F1[1]:.2f}, "
        f"TC micro-F1 {PUBLISHED_TC_MICRO_F1:.2f} (different articles: a rough comparison only)"
    )
    say("    per technique (typed span F1, P, R, gold spans; * = required):")
    for name in MODEL_TECHNIQUES:
        row = t.get(name, {"P": 0.0, "R": 0.0, "F1": 0.0, "gold": 0})
        mark = "*" if name in REQUIRED else " "
        say(f"     {mark} {name:<32} F1={row['F1']:.3f} P={row['P']:.3f} R={row['R']:.3f} n={row['gold']}")


def run(data: str | None, folds: int, limit: int | None, compare: bool, plain: bool, say=click.echo):
    articles = load_ptc(dataset_dir("ptc", data), limit)
    if len(articles) < folds:
        raise ConfigError(f"{len(articles)} article(s) cannot make {folds} folds; raise --limit")
    say(
        f"ptc: {len(articles)} articles, {sum(len(a.gold) for a in articles)} technique spans; "
        f"{folds} folds by article"
    )
    embedder = CachedEmbedder(USEEmbedder())
    runs = [("shipped recipe (English, parsed candidates)", PARSED, RECIPES[PARSED])]
    if plain:
        runs.append(
            ("plain candidates, no bag of words (the route other languages take)", PLAIN, RECIPES[PLAIN])
        )
    if compare:
        runs += [(name, route, params) for name, (route, params) in VARIANTS.items()]
    corpora = {}
    results = {}
    for name, route, params in runs:
        key = (route, params.buckets)
        if key not in corpora:
            start = time.perf_counter()
            corpora[key] = c = build_corpus(articles, embedder, route, params.buckets, say=say)
            say(
                f"  {route} candidates: {len(c.dense)} ({len(c.dense) / len(articles):.0f} per article), "
                f"built in {time.perf_counter() - start:.0f}s; gold spans some candidate matches at "
                f"IoU >= 0.5: {coverage(c):.3f}"
            )
        start = time.perf_counter()
        results[name] = result = cross_validate(corpora[key], params, folds, say=lambda _: None)
        say(f"- {name} ({time.perf_counter() - start:.0f}s)")
        report(result, say)
    return results


@click.command("techniques")
@click.option("--data", default=None, metavar="DIR", help="the PTC folder [default: shared datasets/ptc]")
@click.option("--folds", default=5, show_default=True, help="cross-validation folds, by article")
@click.option("--limit", type=int, default=None, help="only the first N articles (by id): a quick run")
@click.option("--plain/--no-plain", default=False, help="also score the punctuation-only route (non-English)")
@click.option("--compare", is_flag=True, help="also measure the variants the recipe was chosen against")
def command(data: str | None, folds: int, limit: int | None, plain: bool, compare: bool) -> None:
    """Persuasion techniques: SemEval-2020 Task 11 span F1, untyped and typed, by article CV."""
    start = time.perf_counter()
    results = run(data, folds, limit, compare, plain)
    shipped = next(iter(results.values()))
    click.echo(f"total time {time.perf_counter() - start:.0f}s")
    click.echo(f"techniques: span_f1={shipped.span['F1']:.3f} typed_f1={shipped.typed['all']['F1']:.3f}")
