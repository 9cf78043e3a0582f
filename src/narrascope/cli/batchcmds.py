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
    _warn,
)


def _jsonl_options(fields: str, results: str):
    """--input and --output of a batch command: ``fields`` in, ``results`` out, one record a line."""

    def wrap(fn):
        fn = click.option("--output", "output_path", required=True, metavar="FILE",
                          help=f"JSONL: {results} per line")(fn)
        return click.option("--input", "input_path", required=True, metavar="FILE",
                            help=f"JSONL: {fields} per line (- for stdin)")(fn)

    return wrap


def _run_batch(ctx: Context, input_path: str, output_path: str, fields: tuple[str, ...], score, done: str) -> int:
    """Score the records of ``input_path`` in batches into ``output_path``; one error line per bad record."""
    from ..batch import read_records, run_jsonl
    from ..ingest.runner import one_line

    with _open_output(output_path) as out:
        report = run_jsonl(read_records(input_path, fields), out, score)
    for err in report.errors:
        _error(one_line(err))
    for warning in report.warnings:
        _warn(warning)
    _batch_summary(ctx, output_path, f"{done.format(report.written)}, {len(report.errors)} error(s)")
    return EXIT_PARTIAL if report.errors else 0


@main.command()
@_jsonl_options('{"id", "text"}', '{"id", "checkworthiness"}')
@_common
def checkworthy(ctx: Context, input_path: str, output_path: str) -> int:
    """Score sentences for check-worthiness (0..1) with the shipped model."""
    from ..embeddings import USEEmbedder
    from ..models.registry import MODELS

    model, embedder = MODELS.get("checkworthiness"), USEEmbedder()

    def score(batch: list[dict]) -> list[dict]:
        values = model.score([r["text"] for r in batch], embedder)
        return [{"checkworthiness": round(float(v), 4)} for v in values]

    return _run_batch(ctx, input_path, output_path, ("text",), score, "scored {} record(s)")


@main.command()
@_jsonl_options('{"id", "a", "b"}', '{"id", "relation", "score", "reason"}')
@_common
def relate(ctx: Context, input_path: str, output_path: str) -> int:
    """How claim b bears on claim a: same, supports, contradicts, related or unrelated, and why."""
    from ..embeddings import get_embedder
    from ..link.runner import relate_params
    from ..link.views import relate_texts
    from ..models.registry import load_opposition, load_relation_model

    embedder, params = get_embedder(ctx.settings.link.embedder), relate_params(ctx.settings)
    model = load_relation_model(ctx.settings.link.relation_model)
    opposition = load_opposition(ctx.settings.link.opposition)

    def score(batch: list[dict]) -> list[dict]:
        found = relate_texts([(str(r["a"]), str(r["b"])) for r in batch], model, embedder.embed, params,
                             opposition)
        return [{"relation": rel.relation, "score": round(rel.score, 4), "reason": rel.reason} for rel in found]

    return _run_batch(ctx, input_path, output_path, ("a", "b"), score, "related {} pair(s)")


@main.command()
@_jsonl_options('{"id", "claim", "text"}', '{"id", "label", "score"}')
@_common
def stance(ctx: Context, input_path: str, output_path: str) -> int:
    """Stance of each text toward its claim: support, oppose, discuss or unrelated."""
    from ..embeddings import get_embedder
    from ..narratives.thesis_stance import build_reader, reader_records

    reader = build_reader(ctx.settings, get_embedder(ctx.settings.link.embedder))
    languages = tuple(ctx.settings.ingest.languages)
    return _run_batch(ctx, input_path, output_path, ("claim", "text"),
                      lambda batch: reader_records(batch, reader, languages), "placed {} text(s)")
