"""JSONL batch commands: checkworthy, relate, stance."""

from __future__ import annotations

import click

from . import main
from .common import (
    EXIT_PARTIAL,
    Context,
    _batch_summary,
    _common,
    _error,
    _open_output,
)


@main.command()
@click.option(
    "--input",
    "input_path",
    required=True,
    metavar="FILE",
    help='JSONL: {"id", "text"} per line (- for stdin)',
)
@click.option(
    "--output", "output_path", required=True, metavar="FILE", help='JSONL: {"id", "checkworthiness"} per line'
)
@_common
def checkworthy(ctx: Context, input_path: str, output_path: str) -> int:
    """Score sentences for check-worthiness (0..1) with the shipped model."""
    from ..batch import read_records, run_jsonl
    from ..embeddings import USEEmbedder
    from ..enrich.checkworthy import CheckworthinessModel

    model, embedder = CheckworthinessModel.load(), USEEmbedder()

    def score(batch: list[dict]) -> list[dict]:
        values = model.score([r["text"] for r in batch], embedder)
        return [{"checkworthiness": round(float(v), 4)} for v in values]

    with _open_output(output_path) as out:
        report = run_jsonl(read_records(input_path, ("text",)), out, score)
    for err in report.errors:
        _error(str(err))
    _batch_summary(ctx, output_path, f"scored {report.written} record(s), {len(report.errors)} error(s)")
    return EXIT_PARTIAL if report.errors else 0


@main.command()
@click.option(
    "--input",
    "input_path",
    required=True,
    metavar="FILE",
    help='JSONL: {"id", "a", "b"} per line (- for stdin)',
)
@click.option(
    "--output",
    "output_path",
    required=True,
    metavar="FILE",
    help='JSONL: {"id", "relation", "score", "reason"} per line',
)
@_common
def relate(ctx: Context, input_path: str, output_path: str) -> int:
    """How claim b bears on claim a: same, supports, contradicts, related or unrelated, and why."""
    from ..batch import read_records, run_jsonl
    from ..embeddings import get_embedder
    from ..link.learned import RelationScorer
    from ..link.relate import relate as relation_of
    from ..link.runner import relate_params
    from ..link.views import claim_views

    embedder, params = get_embedder(ctx.settings.link.embedder), relate_params(ctx.settings)
    scorer = RelationScorer.load() if ctx.settings.link.learned_relations else None

    def score(batch: list[dict]) -> list[dict]:
        views = claim_views([r["a"] for r in batch] + [r["b"] for r in batch])
        vectors = embedder.embed([v.text for v in views])
        n = len(batch)
        out = []
        for i in range(n):
            rel = relation_of(views[i], views[n + i], float(vectors[i] @ vectors[n + i]), params, scorer)
            out.append({"relation": rel.relation, "score": round(rel.score, 4), "reason": rel.reason})
        return out

    with _open_output(output_path) as out:
        report = run_jsonl(read_records(input_path, ("a", "b")), out, score)
    for err in report.errors:
        _error(str(err))
    _batch_summary(ctx, output_path, f"related {report.written} pair(s), {len(report.errors)} error(s)")
    return EXIT_PARTIAL if report.errors else 0


@main.command()
@click.option(
    "--input",
    "input_path",
    required=True,
    metavar="FILE",
    help='JSONL: {"id", "claim", "text"} per line (- for stdin)',
)
@click.option(
    "--output", "output_path", required=True, metavar="FILE", help='JSONL: {"id", "label", "score"} per line'
)
@_common
def stance(ctx: Context, input_path: str, output_path: str) -> int:
    """Stance of each text toward its claim: support, oppose, discuss or unrelated."""
    from ..batch import read_records, run_jsonl
    from ..embeddings import get_embedder
    from ..narratives.stance import StanceModel, stance_records

    model, embedder = StanceModel.load(), get_embedder(ctx.settings.link.embedder)
    with _open_output(output_path) as out:
        report = run_jsonl(
            read_records(input_path, ("claim", "text")),
            out,
            lambda batch: stance_records(batch, model, embedder),
        )
    for err in report.errors:
        _error(str(err))
    _batch_summary(ctx, output_path, f"placed {report.written} text(s), {len(report.errors)} error(s)")
    return EXIT_PARTIAL if report.errors else 0
